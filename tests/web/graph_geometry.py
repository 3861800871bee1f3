"""Geometry of the drawn provenance graph, read from the browser, and the checks on it.

Shared by the browser tests: ``GEOMETRY`` (for ``page.evaluate``) returns the
shown drawing's node boxes, edge label boxes and sampled edge lines in CSS
pixels, and :func:`problems` lists every overlap and every line through a box.
"""

from __future__ import annotations

from itertools import pairwise

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
        out += [
            f"{kind_a} {a}: text outside its box" for t in ba["texts"] if not inside(t, ba["box"])
        ]
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
            if any(segment_hits_box(p, q, b["box"]) for p, q in pairwise(path["pts"])):
                out.append(f"edge {k} crosses {kind} {n}")
    return out
