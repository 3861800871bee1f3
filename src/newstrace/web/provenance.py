"""A story's provenance as plain data for the web: edge kinds, origins, a layout.

The pipeline's ``newstrace.story/2`` document is the source of truth; this
module names its edges in the web's vocabulary (``story_detail``) and places
the graph in layers (``layout``) so templates only draw what is computed here.
"""

from __future__ import annotations

from collections.abc import Iterable

KINDS = ("verbatim", "rewrite", "credits", "common_source", "undetermined")
COPY_MIN = 0.9  # coverage both ways at which a derived edge is drawn as verbatim

# Layout geometry, in SVG user units.
NODE_W, NODE_H = 176, 50
GAP_X, GAP_Y = 24, 70
PAD = 12
SIDE = 110  # room at each side for edges that skip a layer
LABEL_W, LABEL_H = 84, 20


def story_detail(doc: dict) -> dict:
    """Return a ``newstrace.story/2`` document with web fields added.

    Adds ``origins`` (one article per independent source, earliest first),
    ``n_sources``, ``summary`` ("1 independent source behind 6 articles"),
    ``kind`` on every edge in the web vocabulary and ``target`` (= derivative),
    and one verbatim edge per syndicated copy.
    """
    roots = doc.get("roots") or []
    origins = [m[0] for m in roots if m] or ([doc["origin"]] if doc.get("origin") else [])
    n_sources = doc.get("independent_sources")
    n_sources = n_sources if isinstance(n_sources, int) else len(origins)
    lang = {a["id"]: a.get("language") for a in doc.get("articles", [])}
    edges = [web_edge(e, lang) for e in doc.get("edges", [])] + copy_edges(doc)
    virtual = [dict(v, outlet=v["label"]) for v in doc.get("virtual", [])]
    return dict(
        doc,
        edges=edges,
        origins=origins,
        n_sources=n_sources,
        nodes=virtual + list(doc.get("articles", [])),
        summary=sources_sentence(n_sources, len(doc.get("articles", []))),
    )


def sources_sentence(n_sources: int, n_articles: int) -> str:
    """Return e.g. "1 independent source behind 6 articles"."""
    src = "independent source" if n_sources == 1 else "independent sources"
    arts = "article" if n_articles == 1 else "articles"
    return f"{n_sources} {src} behind {n_articles} {arts}"


def web_edge(e: dict, languages: dict | None = None) -> dict:
    """Return a story edge with ``target`` and a kind in :data:`KINDS`."""
    langs = languages or {}
    translated = langs.get(e["source"]) != langs.get(e["derivative"])
    return dict(e, target=e["derivative"], pipeline_kind=e["kind"], kind=edge_kind(e, translated))


def edge_kind(e: dict, translated: bool = False) -> str:
    """Return verbatim | rewrite | credits | undetermined for one story edge.

    A derivation that names its source ("X reports") is "credits"; one in
    the same language that is wholly derived, covers nearly all of the
    derivative and changes no meaning is "verbatim"; any other is "rewrite"
    (a translation always is).
    """
    if e["kind"] in ("credits", "undetermined", "common_source"):
        return e["kind"]
    if any(ev.get("kind") == "attribution" for ev in e.get("evidence") or []):
        return "credits"
    cov = e.get("coverage")
    meaning = any(d.get("severity") == "meaning" for d in e.get("drift") or [])
    if (
        not translated
        and not meaning
        and e.get("verdict") == "wholly_derived"
        and isinstance(cov, (int, float))
        and cov >= COPY_MIN
    ):
        return "verbatim"
    return "rewrite"


def copy_edges(doc: dict) -> list[dict]:
    """Return a verbatim edge from each syndication group's first member to each copy."""
    return [
        {
            "source": g[0],
            "derivative": c,
            "target": c,
            "kind": "verbatim",
            "pipeline_kind": "copy",
            "verdict": "wholly_derived",
            "confidence": 1.0,
            "coverage": 1.0,
            "evidence": [
                {"kind": "copy", "side": None, "weight": 1.0, "text": "same text (syndicated copy)"}
            ],
        }
        for g in doc.get("syndication_groups", [])
        for c in g[1:]
    ]


# --- layered layout ---------------------------------------------------------------


def layout(articles: list[dict], edges: list[dict], origins: Iterable[str]) -> dict:
    """Place nodes in layers (origins on top) and route edges between them.

    Returns ``{"width", "height", "nodes": [...], "edges": [...]}`` where each
    node has ``x, y, w, h`` and its article fields, and each edge has an SVG
    path ``d`` and a label point ``lx, ly``.
    """
    ids = [a["id"] for a in articles]
    origins = set(origins)
    depth = _depths(ids, edges, origins)
    layers: dict[int, list[str]] = {}
    order = {i: n for n, i in enumerate(ids)}  # articles come oldest first
    for i in sorted(ids, key=lambda i: (depth[i], order[i])):
        layers.setdefault(depth[i], []).append(i)
    widest = max((len(v) for v in layers.values()), default=1)
    # Edges that skip a layer bend around it, so leave room at the sides.
    side = (
        SIDE
        if any(
            abs(depth[e["source"]] - depth[e["target"]]) > 1
            for e in edges
            if e["source"] in depth and e["target"] in depth
        )
        else 0
    )
    width = 2 * (PAD + side) + widest * NODE_W + (widest - 1) * GAP_X
    pos = _positions(layers, width)
    by_id = {a["id"]: a for a in articles}
    nodes = [
        dict(by_id[i], x=x, y=y, w=NODE_W, h=NODE_H, depth=depth[i], origin=i in origins)
        for i, (x, y) in pos.items()
    ]
    routed = [_route(e, pos) for e in edges if e["source"] in pos and e["target"] in pos]
    _spread_labels(routed)
    height = PAD * 2 + len(layers) * NODE_H + max(len(layers) - 1, 0) * GAP_Y
    return {"width": width, "height": height, "nodes": nodes, "edges": routed}


def _depths(ids: list[str], edges: list[dict], origins: set[str]) -> dict[str, int]:
    """Return each node's longest distance from a root, ignoring edges that close a cycle."""
    parents: dict[str, list[str]] = {i: [] for i in ids}
    for e in edges:
        if e["target"] in parents and e["target"] not in origins:  # origins stay on top
            parents[e["target"]].append(e["source"])
    depth: dict[str, int] = {}
    for i in ids:
        _depth(i, parents, depth, set())
    return depth


def _depth(i: str, parents: dict, depth: dict, path: set) -> int:
    if i in depth:
        return depth[i]
    path.add(i)
    ups = [_depth(p, parents, depth, path) for p in parents[i] if p in parents and p not in path]
    path.discard(i)
    depth[i] = 1 + max(ups) if ups else 0
    return depth[i]


def _positions(layers: dict[int, list[str]], width: int) -> dict[str, tuple[int, int]]:
    """Centre each layer horizontally; layers stack top to bottom."""
    pos = {}
    for row, depth in enumerate(sorted(layers)):
        ids = layers[depth]
        span = len(ids) * NODE_W + (len(ids) - 1) * GAP_X
        x0 = (width - span) // 2
        for n, i in enumerate(ids):
            pos[i] = (x0 + n * (NODE_W + GAP_X), PAD + row * (NODE_H + GAP_Y))
    return pos


def _route(e: dict, pos: dict) -> dict:
    """Return ``e`` with an SVG path ``d`` and its label point ``lx, ly``.

    Down one layer: an S-curve from the source's bottom to the target's top.
    Down several: a curve bulging past the side of the layers in between, so
    it never runs under a node. Sideways or up (a cycle): a straight line.
    """
    (sx, sy), (tx, ty) = pos[e["source"]], pos[e["target"]]
    x1, y1, x2, y2 = sx + NODE_W // 2, sy + NODE_H, tx + NODE_W // 2, ty
    if ty <= sy:
        x1, y1, x2, y2 = sx + NODE_W // 2, sy + NODE_H // 2, tx + NODE_W // 2, ty + NODE_H // 2
        return dict(e, d=f"M{x1},{y1} L{x2},{y2}", lx=(x1 + x2) // 2, ly=(y1 + y2) // 2)
    between = [x for x, y in pos.values() if sy < y < ty]
    if not between:
        mid = (y1 + y2) // 2
        return dict(e, d=f"M{x1},{y1} C{x1},{mid} {x2},{mid} {x2},{y2}", lx=(x1 + x2) // 2, ly=mid)
    right = x2 >= x1
    bulge = max(between) + NODE_W + LABEL_W // 2 + 8 if right else min(between) - LABEL_W // 2 - 8
    cx = round((bulge - (x1 + x2) / 8) / 0.75)  # the cubic's midpoint lands on ``bulge``
    return dict(
        e,
        d=f"M{x1},{y1} C{cx},{y1 + GAP_Y} {cx},{y2 - GAP_Y} {x2},{y2}",
        lx=bulge,
        ly=(y1 + y2) // 2,
    )


def _spread_labels(edges: list[dict]) -> None:
    """Move a label down while it would cover an earlier one."""
    placed: list[tuple[int, int]] = []
    for e in sorted(edges, key=lambda e: (e["ly"], e["lx"])):
        while any(abs(e["lx"] - x) < LABEL_W and abs(e["ly"] - y) < LABEL_H + 2 for x, y in placed):
            e["ly"] += LABEL_H + 4
        placed.append((e["lx"], e["ly"]))
