"""The provenance graph as drawn in headless Chromium: no label overlaps, no line crosses one.

Stories of 6 and 20 fictional articles (tests/web/graph_stories.py) are served
through the real story page; the test reads every node box, edge label and
edge line from the browser (getBoundingClientRect, getPointAtLength) at
desktop and phone width and checks the geometry. Screenshots of the graph go
to ``docs/screenshots/story-graph-{6,20}-{desktop,phone}.png`` with
``NEWSTRACE_SCREENSHOTS=1``, else to a temp dir.
"""

from __future__ import annotations

import os
import threading
import time

import pytest

from .graph_geometry import GEOMETRY, problems, segment_hits_box
from .graph_stories import story6, story20
from .test_browser import ARGS, CHROMIUM, SIZES, browser, free_port, shots  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Debian chromium"),
]

STORIES = {"graph-six": story6, "graph-twenty": story20}
SIZE_OF = {"graph-six": 6, "graph-twenty": 20}


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


def test_segment_hits_box_helper():
    box = [0, 0, 10, 10]
    assert segment_hits_box((-5, 5), (15, 5), box)  # straight through
    assert segment_hits_box((5, 5), (6, 6), box)  # wholly inside
    assert not segment_hits_box((-5, -5), (-1, 20), box)  # beside it
    assert not segment_hits_box((-5, 4), (4, -5), box, shrink=1.0)  # clips only a corner
    assert not segment_hits_box((5, -10), (5, 0), box)  # ends on its edge


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
