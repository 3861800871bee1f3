"""The provenance graph as drawn in headless Chromium: no label overlaps, no line crosses one.

Stories of 6 and 20 fictional articles (tests/web/graph_stories.py) are served
through the real story page; the test reads every node box, edge label and
edge line from the browser (getBoundingClientRect, getPointAtLength) at
desktop and phone width and checks the geometry. Screenshots of the graph go
to ``docs/screenshots/story-graph-{6,20}-{desktop,phone}.png`` with
``NEWSTRACE_SCREENSHOTS=1``, else to a temp dir.
"""

from __future__ import annotations

import threading
import time

import pytest

from .graph_stories import story6, story20
from .test_browser import ARGS, CHROMIUM, SIZES, browser, free_port, shots  # noqa: F401

sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = [pytest.mark.browser]

STORIES = {"graph-six": story6, "graph-twenty": story20}
SIZE_OF = {"graph-six": 6, "graph-twenty": 20}

# Reads the shown drawing's geometry in CSS pixels. An edge's own label is the one with
# its data-edge number (or, in the older drawing, the one in the same <g class="edge">).
GEOMETRY = """() => {
  const svg = [...document.querySelectorAll('svg.graph')]
    .filter(s => getComputedStyle(s).display !== 'none')[0];
  const box = el => { const r = el.getBoundingClientRect();
    return [r.left, r.top, r.right, r.bottom]; };
  const nodes = [...svg.querySelectorAll('.node-box')].map(el => ({
    box: box(el), texts: [...el.parentNode.querySelectorAll('text')].map(box)}));
  const labels = [...svg.querySelectorAll('.edge-label')].map(el => ({
    box: box(el), texts: [box(el.parentNode.querySelector('text'))], el}));
  const paths = [...svg.querySelectorAll('.edge-line')].map(p => {
    const m = p.getScreenCTM(), n = Math.max(2, Math.ceil(p.getTotalLength() / 3));
    const pts = [];
    for (let i = 0; i <= n; i++) {
      const q = p.getPointAtLength(p.getTotalLength() * i / n);
      pts.push([m.a * q.x + m.c * q.y + m.e, m.b * q.x + m.d * q.y + m.f]);
    }
    const own = labels.findIndex(l => (p.dataset.edge !== undefined
        && l.el.closest('a').dataset.edge === p.dataset.edge)
      || (p.closest('g.edge') !== null && l.el.closest('g.edge') === p.closest('g.edge')));
    return {pts, own};
  });
  const s = svg.getBoundingClientRect();
  return {nodes, labels: labels.map(l => ({box: l.box, texts: l.texts})), paths,
          svg: [s.left, s.top, s.right, s.bottom],
          scale: s.width / svg.viewBox.baseVal.width,
          n_svg: document.querySelectorAll('svg.graph').length};
}"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A live server whose story page also serves the two fictional graph stories."""
    import uvicorn

    from newstrace.web import create_app
    from newstrace.web.provenance import story_detail
    from newstrace.web.routes_api import library

    from .conftest import build_store, write_jsonl

    root = tmp_path_factory.mktemp("graph")
    db = build_store(root / "g.db", [write_jsonl(root / "flood.jsonl")])
    app = create_app(str(db))

    class Stories:
        """The app's Library, with the fictional stories added."""

        def __init__(self, lib):
            self.lib = lib

        def story(self, story_id: str) -> dict:
            made = STORIES.get(story_id)
            return story_detail(made()) if made else self.lib.story(story_id)

        def __getattr__(self, name):
            return getattr(self.lib, name)

    app.dependency_overrides[library] = lambda: Stories(app.state.library)
    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.started, "the server did not start"
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


def overlap(a, b, slack: float = 0.5) -> bool:
    """True when boxes [l, t, r, b] share more than ``slack`` pixels each way."""
    return min(a[2], b[2]) - max(a[0], b[0]) > slack and min(a[3], b[3]) - max(a[1], b[1]) > slack


def inside(inner, outer, slack: float = 1.0) -> bool:
    return (
        inner[0] >= outer[0] - slack
        and inner[1] >= outer[1] - slack
        and inner[2] <= outer[2] + slack
        and inner[3] <= outer[3] + slack
    )


def segment_hits_box(p, q, box, shrink: float = 1.0) -> bool:
    """True when segment p-q passes through ``box`` shrunk by ``shrink`` (Liang-Barsky clip)."""
    left, top, right, bottom = box[0] + shrink, box[1] + shrink, box[2] - shrink, box[3] - shrink
    if left >= right or top >= bottom:
        return False
    dx, dy = q[0] - p[0], q[1] - p[1]
    lo, hi = 0.0, 1.0
    for d, dist in ((-dx, p[0] - left), (dx, right - p[0]), (-dy, p[1] - top), (dy, bottom - p[1])):
        if d == 0:
            if dist < 0:
                return False
            continue
        t = dist / d
        if d < 0:
            lo = max(lo, t)
        else:
            hi = min(hi, t)
        if lo > hi:
            return False
    return True


def test_segment_hits_box_helper():
    box = [0, 0, 10, 10]
    assert segment_hits_box((-5, 5), (15, 5), box)  # straight through
    assert segment_hits_box((5, 5), (6, 6), box)  # wholly inside
    assert not segment_hits_box((-5, -5), (-1, 20), box)  # beside it
    assert not segment_hits_box((-5, 4), (4, -5), box, shrink=1.0)  # clips only a corner
    assert not segment_hits_box((5, -10), (5, 0), box)  # ends on its edge


def endpoint_nodes(pts, nodes) -> set[int]:
    """Return the nodes whose box holds the path's first or last point (its two ends)."""
    ends = (pts[0], pts[-1])
    return {
        k
        for k, n in enumerate(nodes)
        for x, y in ends
        if n["box"][0] - 2 <= x <= n["box"][2] + 2 and n["box"][1] - 2 <= y <= n["box"][3] + 2
    }


def problems(geo: dict) -> list[str]:
    """Return every overlap of two boxes, text out of its box, and line through a box."""
    out = []
    boxes = [("node", k, n) for k, n in enumerate(geo["nodes"])]
    boxes += [("label", k, lb) for k, lb in enumerate(geo["labels"])]
    for i, (kind_a, a, ba) in enumerate(boxes):
        out += [f"{kind_a} {a}: text outside its box" for t in ba["texts"] if not inside(t, ba["box"])]
        if not inside(ba["box"], geo["svg"]):
            out.append(f"{kind_a} {a}: outside the drawing")
        for kind_b, b, bb in boxes[i + 1 :]:
            if overlap(ba["box"], bb["box"]):
                out.append(f"{kind_a} {a} overlaps {kind_b} {b}")
    for k, path in enumerate(geo["paths"]):
        mine = endpoint_nodes(path["pts"], geo["nodes"])
        for kind, n, b in boxes:
            if (kind == "node" and n in mine) or (kind == "label" and n == path["own"]):
                continue
            if any(segment_hits_box(p, q, b["box"]) for p, q in zip(path["pts"], path["pts"][1:])):
                out.append(f"edge {k} crosses {kind} {n}")
    return out


@pytest.fixture(params=list(SIZES))
def page(request, browser):  # noqa: F811
    width, height = SIZES[request.param]
    ctx = browser.new_context(viewport={"width": width, "height": height})
    pg = ctx.new_page()
    pg.size_name = request.param
    pg.problems = []
    pg.on("dialog", lambda d: (pg.problems.append(f"dialog: {d.message}"), d.dismiss()))
    pg.on("pageerror", lambda e: pg.problems.append(f"page error: {e}"))
    pg.on("console", lambda m: m.type == "error" and pg.problems.append(f"console: {m.text}"))
    yield pg
    ctx.close()


@pytest.mark.parametrize("story_id", list(STORIES))
def test_graph_labels_do_not_overlap_and_lines_do_not_cross_them(
    server,
    page,
    shots,  # noqa: F811
    story_id,
):
    doc = STORIES[story_id]()
    page.goto(f"{server}/stories/{story_id}")
    geo = page.evaluate(GEOMETRY)
    n_edges = len(doc["edges"]) + sum(len(g) - 1 for g in doc["syndication_groups"])
    assert len(geo["nodes"]) == len(doc["articles"]) + len(doc["virtual"]) == SIZE_OF[story_id]
    assert len(geo["labels"]) == len(geo["paths"]) == n_edges
    found = problems(geo)
    assert not found, f"{len(found)} problems: {found[:12]}"
    assert geo["scale"] >= 0.8, f"the graph is shrunk to {geo['scale']:.2f}: its text is too small"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert page.locator("img").count() == 0 and page.locator("[onerror]").count() == 0
    assert not page.problems, page.problems
    wrap = page.locator(".graph-wrap")
    wrap.screenshot(path=str(shots / f"story-graph-{SIZE_OF[story_id]}-{page.size_name}.png"))
