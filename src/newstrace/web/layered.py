"""A layered (Sugiyama-style) drawing of a provenance graph, computed on the server.

Origins sit on top and derivatives below by generation. Every edge is cut into
one piece per rank it passes: node ranks hold the articles, and between two
node ranks a label rank holds each incoming edge's label just above its
target. Pieces that are neither node nor label are thin pass-through slots.
Because nothing in one rank overlaps and every line between two ranks runs in
the empty band between them, no line crosses a node or another edge's label,
and no two boxes overlap. A generation wider than ``Geometry.max_width``
wraps onto further rows, which its edges reach through pass-through slots.

Steps: break cycles (edges into an origin, then DFS back edges, are drawn
reversed), longest-path generations, rows, ranks, barycentre ordering (the
ordering with the fewest crossings is kept), then x by constrained least
squares per rank (pool-adjacent-violators), swept down and up. The output is
deterministic: every tie is broken by input order.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

from .textwidth import fit, text_width
from .timeline import short_time

OUTLET_PX, TIME_PX, LABEL_PX = 13, 11, 11  # font sizes, matched by style.css
LABEL_PAD = 18  # an edge label's width beyond its text (its rounded ends)
SWEEPS = 24  # barycentre sweeps, down and up
BIG = 600  # boxes and line pieces beyond which a drawing makes fewer sweeps
STRAIGHT = 14  # a line across a band bends (S-curve) only when it shifts more than this


@dataclass(frozen=True)
class Geometry:
    """Sizes in SVG user units (pixels when the graph is shown at its natural size)."""

    max_width: int = 1120  # a row wraps past this
    node_min_w: int = 120
    node_max_w: int = 230
    node_h: int = 46
    label_h: int = 20
    pass_w: int = 6  # a pass-through slot
    gap_node: int = 24  # between two nodes in a rank
    gap: int = 10  # between any other two neighbours in a rank
    band: int = 30  # between two ranks, where the lines run
    pad: int = 12
    text_pad: int = 10  # inside a node box, each side


DESKTOP = Geometry()
PHONE = Geometry(max_width=320, node_min_w=100, node_max_w=200, gap_node=14)


@dataclass
class _Obj:
    kind: str  # node | label | pass
    w: float
    h: float = 0.0
    rank: int = 0
    x: float = 0.0  # centre
    y: float = 0.0  # top
    lines: tuple[str, str] = ("", "")  # a node's two lines of text, fitted to its box


def layout(
    nodes: list[dict], edges: list[dict], origins: Iterable[str], geo: Geometry = DESKTOP
) -> dict:
    """Return the drawing of ``nodes`` and ``edges`` (each with ``source`` and ``target``).

    Returns ``{"width", "height", "nodes", "edges"}``. Each node is its input
    dict with ``x, y, w, h`` (top-left box), ``line1, line2`` (fitted text),
    ``depth`` and ``origin``. Each edge is its input dict with an SVG path
    ``d``, its label's text ``label`` and box ``lx, ly`` (centre), ``lw, lh``.
    Edges whose ends are not both among ``nodes`` (or are one node) are left out.
    """
    origins = set(origins)
    ids = list(dict.fromkeys(n["id"] for n in nodes))
    by_id = {n["id"]: n for n in nodes}
    index = {i: k for k, i in enumerate(ids)}
    kept = [e for e in edges if e["source"] in index and e["target"] in index]
    kept = [e for e in kept if e["source"] != e["target"]]
    ups = _orient(ids, [(index[e["source"]], index[e["target"]]) for e in kept], origins, index)
    gen = _generations(len(ids), ups)
    objs = [_node_obj(by_id[i], i in origins, geo) for i in ids]
    texts = [edge_text(e) for e in kept]
    label_w = [text_width(t, LABEL_PX) + LABEL_PAD for t in texts]
    bundle = [
        (ups[k][0], e.get("kind"), ups[k][0] != index[e["source"]]) for k, e in enumerate(kept)
    ]
    g = _Graph(objs, ups, label_w, bundle, geo)
    chains = _chains(g, _label_ranks(g, _rows(g, gen)))
    ranks = _ranks(objs)
    _order(ranks, chains)
    _place_x(ranks, objs, chains, geo)
    height = _place_y(ranks, objs, geo)
    width = _normalise_x(objs, geo)
    return {
        "width": math.ceil(width),
        "height": math.ceil(height),
        "nodes": [_node_out(by_id[i], objs[k], gen[k], i in origins) for k, i in enumerate(ids)],
        "edges": [
            _edge_out(e, texts[k], objs, chains[k], ups[k][0] != index[e["source"]])
            for k, e in enumerate(kept)
        ],
    }


def edge_text(e: dict) -> str:
    """Return an edge's label: its kind and, when known, its confidence ("rewrite 0.47"): the one
    its sentence analysis measured when it has one (``compare``'s), else the corpus decision's."""
    kind = str(e.get("kind") or "").replace("_", " ")
    conf = (e.get("measured") or e).get("confidence")
    return f"{kind} {conf:.2f}" if isinstance(conf, (int, float)) else kind


# --- node boxes ---------------------------------------------------------------------


def _node_obj(n: dict, origin: bool, geo: Geometry) -> _Obj:
    room = geo.node_max_w - 2 * geo.text_pad
    lines = (fit(_name(n), room, OUTLET_PX), fit(_second_line(n, origin), room, TIME_PX))
    inner = max(text_width(lines[0], OUTLET_PX), text_width(lines[1], TIME_PX))
    w = min(max(inner + 2 * geo.text_pad, geo.node_min_w), geo.node_max_w)
    return _Obj("node", w=math.ceil(w), h=geo.node_h, lines=lines)


def _name(n: dict) -> str:
    return str(n.get("label") or n.get("outlet") or n.get("name") or n.get("title") or n["id"])


def _second_line(n: dict, origin: bool) -> str:
    if n.get("virtual"):
        return "one independent source"
    when = short_time(n.get("published"))
    return f"{when} · origin" if origin and when else ("origin" if origin else when)


def _node_out(n: dict, o: _Obj, depth: int, origin: bool) -> dict:
    left = o.x - o.w / 2
    return dict(
        n,
        x=round(left, 1),
        y=round(o.y, 1),
        w=o.w,
        h=o.h,
        line1=o.lines[0],
        line2=o.lines[1],
        depth=depth,
        origin=origin,
    )


# --- ranks --------------------------------------------------------------------------


def _orient(
    ids: list[str], pairs: list[tuple[int, int]], origins: set[str], index: dict
) -> list[tuple[int, int]]:
    """Return each edge as (upper, lower): edges into an origin and DFS back edges reversed."""
    ups = [(t, s) if ids[t] in origins and ids[s] not in origins else (s, t) for s, t in pairs]
    out: dict[int, list[int]] = {}
    for k, (s, _) in enumerate(ups):
        out.setdefault(s, []).append(k)
    state = [0] * len(ids)  # 0 new, 1 on the stack, 2 done
    starts = [index[i] for i in ids if i in origins] + list(range(len(ids)))
    for root in starts:
        if state[root]:
            continue
        stack = [(root, iter(out.get(root, [])))]
        state[root] = 1
        while stack:
            v, it = stack[-1]
            k = next(it, None)
            if k is None:
                state[v] = 2
                stack.pop()
                continue
            w = ups[k][1]
            if state[w] == 1:
                ups[k] = (w, v)  # closes a cycle: draw it upwards
            elif state[w] == 0:
                state[w] = 1
                stack.append((w, iter(out.get(w, []))))
    return ups


def _generations(n: int, ups: list[tuple[int, int]]) -> list[int]:
    """Return each node's longest distance from a node with no parent (Kahn's order)."""
    gen, indeg = [0] * n, [0] * n
    kids: dict[int, list[int]] = {}
    for s, t in ups:
        kids.setdefault(s, []).append(t)
        indeg[t] += 1
    ready = [v for v in range(n) if not indeg[v]]
    while ready:
        v = ready.pop(0)
        for t in kids.get(v, []):
            gen[t] = max(gen[t], gen[v] + 1)
            indeg[t] -= 1
            if not indeg[t]:
                ready.append(t)
    return gen


@dataclass
class _Graph:
    """What the steps share: boxes, edges (upper, lower), label widths and bundles."""

    objs: list[_Obj]
    ups: list[tuple[int, int]]
    label_w: list[float]
    bundle: list[tuple]  # edges of one bundle share their pass slots
    geo: Geometry

    def ins(self) -> dict[int, list[int]]:
        """Return each node's incoming edges (by index), in input order."""
        out: dict[int, list[int]] = {}
        for k, (_, t) in enumerate(self.ups):
            out.setdefault(t, []).append(k)
        return out


def _rows(g: _Graph, gen: list[int]) -> list[int]:
    """Return each node's row: its generation's, or a later one when that row is full.

    A generation is sorted by its parents' places (copies of one source, then
    that source's other kinds, stay together) and cut into rows no wider than
    ``max_width``, counting the pass slots that lines to later rows need.
    """
    ins, geo = g.ins(), g.geo
    slot, room = geo.pass_w + geo.gap, geo.max_width - 2 * geo.pad
    kind_order = {k: n for n, k in enumerate(("verbatim", "common_source", "rewrite"))}
    parents = {s for s, _ in g.ups}
    row, pos, next_row = [0] * len(gen), [0.0] * len(gen), 0

    def key(v: int) -> tuple:
        # Near its parents; articles that others took from last, just above what took from
        # them, so the lines to the next generation stay short (leaves share a line: a bus).
        ks = ins.get(v, [])
        kinds = [kind_order.get(g.bundle[k][1], 9) for k in ks]
        mean = _mean([pos[g.ups[k][0]] for k in ks], v)
        return (v in parents, mean, min(kinds, default=9), v)

    for level in sorted(set(gen)):
        members = sorted((v for v in range(len(gen)) if gen[v] == level), key=key)
        passing = {g.bundle[k] for k, (s, t) in enumerate(g.ups) if gen[s] < level < gen[t]}
        while members:
            take, used = 0, 0.0
            for n, v in enumerate(members):
                need = _footprint(g, v, ins) + (geo.gap_node if n else 0)
                later = {g.bundle[k] for u in members[n + 1 :] for k in ins.get(u, [])}
                if n and used + need + slot * len(passing | later) > room:
                    break
                take, used = n + 1, used + need
            for n, v in enumerate(members[:take]):
                row[v], pos[v] = next_row, n - (take - 1) / 2
            members, next_row = members[take:], next_row + 1
    return row


def _footprint(g: _Graph, v: int, ins: dict) -> float:
    """Return the width a node needs: its box, or its widest incoming label and the lines
    of its other incoming edges beside it (labels may stack, see :func:`_label_ranks`)."""
    labels = [g.label_w[k] for k in ins.get(v, [])]
    slot = g.geo.pass_w + g.geo.gap
    return max(g.objs[v].w, max(labels, default=0) + slot * max(len(labels) - 1, 0))


def _mean(values: list[float], default: float) -> float:
    return sum(values) / len(values) if values else default


def _label_ranks(g: _Graph, row: list[int]) -> list[int]:
    """Set each node's rank and return each edge's label rank.

    Above every row sit as many label ranks as its widest stack of incoming
    labels needs to fit in ``max_width``: a node with several sources gets
    its labels side by side when they fit, else one above the other.
    """
    ins = g.ins()
    by_row: dict[int, list[int]] = {}
    for v in range(len(row)):
        by_row.setdefault(row[v], []).append(v)
    label_rank, rank = [0] * len(g.ups), 0
    for r in sorted(by_row):
        edges = [k for v in by_row[r] for k in ins.get(v, [])]
        passing = {g.bundle[k] for k, (s, t) in enumerate(g.ups) if row[s] < r < row[t]}
        depth = _stack_depth(g, by_row[r], ins, len(passing)) if edges else 0
        for v in by_row[r]:
            for n, k in enumerate(ins.get(v, [])):
                label_rank[k] = rank + n % depth
        rank += depth
        for v in by_row[r]:
            g.objs[v].rank = rank
        rank += 1
    return label_rank


def _stack_depth(g: _Graph, members: list[int], ins: dict, passing: int) -> int:
    """Return the fewest label ranks in which the labels into ``members`` fit the width,
    beside ``passing`` lines to later rows."""
    slot = g.geo.pass_w + g.geo.gap
    most = max(len(ins.get(v, [])) for v in members)
    for depth in range(1, most + 1):
        widest = 0.0
        for level in range(depth):
            here = [k for v in members for n, k in enumerate(ins.get(v, [])) if n % depth == level]
            others = sum(len(ins.get(v, [])) for v in members) - len(here) + passing
            widest = max(widest, sum(g.label_w[k] + g.geo.gap for k in here) + slot * others)
        if widest <= g.geo.max_width - 2 * g.geo.pad:
            return depth
    return most


def _chains(g: _Graph, label_rank: list[int]) -> list[list[int]]:
    """Add each edge's pieces (pass slots and its label) to ``g.objs``; return their ids.

    Edges of one bundle (same upper end, kind and direction) share their pass
    slots, so they run as one line, like a bus, until each turns to its label.
    """
    objs, chains, shared = g.objs, [], {}
    for k, (s, t) in enumerate(g.ups):
        chain = []
        for r in range(objs[s].rank + 1, objs[t].rank):
            if r == label_rank[k]:
                objs.append(_Obj("label", g.label_w[k], g.geo.label_h, rank=r))
                chain.append(len(objs) - 1)
                continue
            if (g.bundle[k], r) not in shared:
                objs.append(_Obj("pass", g.geo.pass_w, rank=r))
                shared[g.bundle[k], r] = len(objs) - 1
            chain.append(shared[g.bundle[k], r])
        chains.append([s, *chain, t])
    return chains


def _ranks(objs: list[_Obj]) -> list[list[int]]:
    """Return the objects of each rank, nodes in row order and pieces in edge order."""
    top = max((o.rank for o in objs), default=0)
    ranks: list[list[int]] = [[] for _ in range(top + 1)]
    for v, o in enumerate(objs):
        ranks[o.rank].append(v)
    return ranks


# --- ordering -----------------------------------------------------------------------


def _order(ranks: list[list[int]], chains: list[list[int]]) -> None:
    """Reorder each rank in place by barycentre sweeps; keep the order with fewest crossings."""
    up, down = _neighbours(chains)
    for r in range(1, len(ranks)):
        _sort_rank(ranks, r, up, ranks[r - 1])
    best, best_x = [list(r) for r in ranks], _crossings(ranks, down)
    for sweep in range(_sweeps(SWEEPS, ranks)):
        seq = range(1, len(ranks)) if sweep % 2 == 0 else range(len(ranks) - 2, -1, -1)
        for r in seq:
            nb, ref = (up, ranks[r - 1]) if sweep % 2 == 0 else (down, ranks[r + 1])
            _sort_rank(ranks, r, nb, ref)
        x = _crossings(ranks, down)
        if x < best_x:
            best, best_x = [list(r) for r in ranks], x
    ranks[:] = best


def _sweeps(most: int, ranks: list[list[int]]) -> int:
    """Return how many sweeps to make: ``most`` for a story of usual size, fewer for a huge
    one, so that a page of hundreds of articles still draws in about a second."""
    size = sum(len(r) for r in ranks)
    return max(4, min(most, most * BIG // max(size, 1)))


def _neighbours(chains: list[list[int]]) -> tuple[dict, dict]:
    """Return each object's neighbours in the rank above and in the rank below."""
    up: dict[int, list[int]] = {}
    down: dict[int, list[int]] = {}
    for chain in chains:
        for a, b in pairwise(chain):
            down.setdefault(a, []).append(b)
            up.setdefault(b, []).append(a)
    return up, down


def _sort_rank(ranks: list[list[int]], r: int, nb: dict, ref: list[int]) -> None:
    at = {v: n for n, v in enumerate(ref)}
    here = {v: n for n, v in enumerate(ranks[r])}

    def key(v: int) -> tuple[float, int]:
        ps = [at[u] for u in nb.get(v, []) if u in at]
        # Without neighbours on that side, keep the place relative to the other rank's scale.
        scale = (len(ref) - 1) / max(len(ranks[r]) - 1, 1)
        return (_mean(ps, here[v] * scale), here[v])

    ranks[r].sort(key=key)


def _crossings(ranks: list[list[int]], down: dict) -> int:
    """Return how many pairs of lines cross between consecutive ranks."""
    total = 0
    for r in range(len(ranks) - 1):
        at = {v: n for n, v in enumerate(ranks[r + 1])}
        segs = sorted(
            (a, at[b]) for a, v in enumerate(ranks[r]) for b in down.get(v, []) if b in at
        )
        total += _inversions([b for _, b in segs], len(ranks[r + 1]))
    return total


def _inversions(values: list[int], size: int) -> int:
    """Return the pairs i < j with values[i] > values[j] (a Fenwick tree, n log n)."""
    tree, count = [0] * (size + 1), 0
    for seen, v in enumerate(values):
        i, below = v + 1, 0
        while i > 0:  # how many earlier values are <= v
            below += tree[i]
            i -= i & -i
        count += seen - below
        i = v + 1
        while i <= size:
            tree[i] += 1
            i += i & -i
    return count


# --- coordinates --------------------------------------------------------------------


def _sep(a: _Obj, b: _Obj, geo: Geometry) -> float:
    gap = geo.gap_node if a.kind == b.kind == "node" else geo.gap
    return (a.w + b.w) / 2 + gap


def _place_x(ranks: list[list[int]], objs: list[_Obj], chains: list, geo: Geometry) -> None:
    """Set each object's centre x: in rank order, never overlapping, lines short and straight.

    Minimises the sum over line segments of weight * (x difference)^2, one
    rank at a time (block coordinate descent; each step is exact), with every
    rank kept within ``max_width`` (or its own packed width, when wider).
    Segments between two edge pieces weigh most, so long edges run straight.
    """
    near: dict[int, list[tuple[int, float]]] = {}
    for chain in chains:
        for a, b in pairwise(chain):
            w = SEGMENT_WEIGHT[objs[a].kind != "node", objs[b].kind != "node"]
            near.setdefault(a, []).append((b, w))
            near.setdefault(b, []).append((a, w))
    room = geo.max_width - 2 * geo.pad
    for rank in ranks:
        offset = _offsets(rank, objs, geo)
        for v, o in zip(rank, offset):
            objs[v].x = o - offset[-1] / 2
        if rank:
            room = max(room, offset[-1] + (objs[rank[0]].w + objs[rank[-1]].w) / 2)
    for sweep in range(_sweeps(PLACE_SWEEPS, ranks)):
        for r in range(len(ranks)) if sweep % 2 == 0 else range(len(ranks) - 1, -1, -1):
            _settle(ranks[r], objs, near, room, geo)


SEGMENT_WEIGHT = {(False, False): 1.0, (False, True): 2.0, (True, False): 2.0, (True, True): 8.0}
PLACE_SWEEPS = 40
CENTRE_PULL = 0.2  # per 100 units of width: a box with no lines drifts to the middle


def _offsets(rank: list[int], objs: list[_Obj], geo: Geometry) -> list[float]:
    """Return each object's centre when the rank is packed tight from 0."""
    offset = [0.0]
    for a, b in pairwise(rank):
        offset.append(offset[-1] + _sep(objs[a], objs[b], geo))
    return offset


def _settle(rank: list[int], objs: list[_Obj], near: dict, room: float, geo: Geometry) -> None:
    """Move one rank's objects to their best x with the other ranks held still.

    Packed tight, a rank is one block; within [-room/2, room/2] its best place
    is the unbounded best clipped to the bounds (the order constraints chain
    every object to the first and last).
    """
    if not rank:
        return
    want, weight = [], []
    for v in rank:
        nb = near.get(v, [])
        total = sum(w for _, w in nb) + CENTRE_PULL * objs[v].w / 100
        want.append(sum(objs[u].x * w for u, w in nb) / total)
        weight.append(total)
    offset = _offsets(rank, objs, geo)
    low = -room / 2 + objs[rank[0]].w / 2
    high = room / 2 - objs[rank[-1]].w / 2 - offset[-1]
    xs = _isotonic([w - o for w, o in zip(want, offset)], weight)
    for v, x, o in zip(rank, xs, offset):
        objs[v].x = min(max(x, low), high) + o


def _isotonic(values: list[float], weights: list[float]) -> list[float]:
    """Return the non-decreasing sequence nearest ``values`` in weighted least squares."""
    blocks: list[list[float]] = []  # [mean, weight, count]
    for v, w in zip(values, weights):
        blocks.append([v, w, 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            m2, w2, c2 = blocks.pop()
            m1, w1, c1 = blocks.pop()
            blocks.append([(m1 * w1 + m2 * w2) / (w1 + w2), w1 + w2, c1 + c2])
    return [m for m, _, c in blocks for _ in range(int(c))]


def _place_y(ranks: list[list[int]], objs: list[_Obj], geo: Geometry) -> float:
    """Set each object's top y, rank by rank; return the drawing's height."""
    y = geo.pad
    for rank in ranks:
        if not rank:
            continue
        solid = [objs[v].h for v in rank if objs[v].kind != "pass"]
        h = max(solid) if solid else geo.label_h
        for v in rank:
            objs[v].y = y
            if objs[v].kind == "pass":
                objs[v].h = h
        y += h + geo.band
    return max(y - geo.band, geo.pad) + geo.pad


def _normalise_x(objs: list[_Obj], geo: Geometry) -> float:
    """Shift every object so the leftmost box starts at the padding; return the width."""
    left = min((o.x - o.w / 2 for o in objs), default=0.0)
    for o in objs:
        o.x = round(o.x - left + geo.pad, 1)
    return max((o.x + o.w / 2 for o in objs), default=0.0) + geo.pad


# --- edges --------------------------------------------------------------------------


def _edge_out(e: dict, text: str, objs: list[_Obj], chain: list[int], flipped: bool) -> dict:
    """Return ``e`` with its path ``d`` and label box; the path runs from source to target.

    ``flipped``: the edge is drawn upwards (it points at an origin or closes a cycle).
    """
    top, bottom = objs[chain[0]], objs[chain[-1]]
    pts = [(_port(objs, chain, 0), top.y + top.h)]
    for v in chain[1:-1]:
        o = objs[v]
        pts += [(o.x, o.y), (o.x, o.y + o.h)]
    pts.append((_port(objs, chain, -1), bottom.y))
    label = objs[next(v for v in chain[1:-1] if objs[v].kind == "label")]
    if flipped:
        pts.reverse()
    return dict(
        e,
        d=_path(pts),
        label=text,
        lx=label.x,
        ly=round(label.y + label.h / 2, 1),
        lw=round(label.w),
        lh=label.h,
    )


def _port(objs: list[_Obj], chain: list[int], end: int) -> float:
    """Return where an edge leaves (end 0) or enters (end -1) its node box."""
    node, nxt = objs[chain[end]], objs[chain[1 if end == 0 else -2]]
    half = node.w / 2 - 12
    return round(min(max(nxt.x, node.x - half), node.x + half), 1)


def _path(pts: list[tuple[float, float]]) -> str:
    """Return an SVG path: vertical runs inside ranks, S-curves across the bands."""
    out = [f"M{pts[0][0]:g},{pts[0][1]:g}"]
    for n in range(1, len(pts)):
        (x1, y1), (x2, y2) = pts[n - 1], pts[n]
        # Inside a piece the line runs straight down; across a band it bends only when it
        # shifts far, since a slight slant reads better than a small wiggle.
        if n % 2 == 0 or abs(x2 - x1) <= STRAIGHT:
            out.append(f"L{x2:g},{y2:g}")
        else:
            ym = round((y1 + y2) / 2, 1)
            out.append(f"C{x1:g},{ym:g} {x2:g},{ym:g} {x2:g},{y2:g}")
    return " ".join(out)
