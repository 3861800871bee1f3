"""A story's provenance as plain data: edges, origins, source count, and a layout.

The pipeline stores derivation edges and origins with each story; this
module reads them in one shape (``story_detail``) and places the graph in
layers (``layout``) so templates only draw what is computed here.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

KINDS = ("verbatim", "rewrite", "credits", "undetermined")
_ENDS = (("source", "target"), ("from", "to"), ("src", "dst"), ("a", "b"))

# Layout geometry, in SVG user units.
NODE_W, NODE_H = 176, 50
GAP_X, GAP_Y = 24, 64
PAD = 12


def story_detail(story: dict, articles: list[dict], cached: Mapping[tuple, dict]) -> dict:
    """Return ``story`` plus ``articles``, ``edges``, ``origins``, ``n_sources`` and ``summary``.

    Edges come from the story's own ``edges`` when the pipeline stored them,
    else from the store's pair results (``cached``, keyed ``(a_id, b_id)``).
    """
    ids = [a["id"] for a in articles]
    raw = story.get("edges")
    edges = [_edge(e) for e in raw] if isinstance(raw, list) else _edges_from_pairs(cached)
    edges = [e for e in edges if e and e["source"] in ids and e["target"] in ids]
    origins = _origins(story, ids, edges)
    n_sources = story.get("n_sources")
    n_sources = n_sources if isinstance(n_sources, int) else len(origins)
    out = {k: v for k, v in story.items() if k not in ("edges", "origins", "articles")}
    out.update(articles=articles, edges=edges, origins=origins, n_sources=n_sources,
               summary=sources_sentence(n_sources, len(articles)))
    return out


def sources_sentence(n_sources: int, n_articles: int) -> str:
    """Return e.g. "1 independent source behind 6 articles"."""
    src = "independent source" if n_sources == 1 else "independent sources"
    arts = "article" if n_articles == 1 else "articles"
    return f"{n_sources} {src} behind {n_articles} {arts}"


def _edge(e: Any) -> dict | None:
    """Return one stored edge in the web shape, or None when it names no ends."""
    if not isinstance(e, dict):
        return None
    for s, t in _ENDS:
        if isinstance(e.get(s), str) and isinstance(e.get(t), str):
            return _shape(e[s], e[t], e)
    return None


def _edges_from_pairs(cached: Mapping[tuple, dict]) -> list[dict]:
    """Return derivation edges from cached pair results (``not_derived`` pairs dropped)."""
    out = []
    for (a_id, b_id), p in sorted(cached.items()):
        if not isinstance(p, dict) or p.get("verdict") == "not_derived":
            continue
        src = (p.get("direction") or {}).get("source") if isinstance(p.get("direction"), dict) \
            else p.get("source")
        source, target = (b_id, a_id) if src in ("b", b_id) else (a_id, b_id)
        out.append(_shape(source, target, p, determined=src is not None))
    return out


def _shape(source: str, target: str, p: dict, determined: bool = True) -> dict:
    direction = p.get("direction") if isinstance(p.get("direction"), dict) else {}
    evidence = p.get("evidence", direction.get("evidence", []))
    return {"source": source, "target": target,
            "kind": edge_kind(p, determined),
            "verdict": p.get("verdict"),
            "confidence": _num(p.get("confidence", direction.get("confidence"))),
            "coverage": _num(p.get("coverage_b_from_a", (p.get("coverage") or {}).get("b_from_a")
                                   if isinstance(p.get("coverage"), dict) else p.get("coverage"))),
            "evidence": [ev for ev in evidence if isinstance(ev, dict)] if isinstance(
                evidence, list) else []}


def edge_kind(p: dict, determined: bool = True) -> str:
    """Return verbatim | rewrite | credits | undetermined for one edge payload."""
    kind = p.get("kind")
    if kind in KINDS:
        return kind
    if not determined:
        return "undetermined"
    evidence = p.get("evidence") or (p.get("direction") or {}).get("evidence") or []
    if any(isinstance(e, dict) and e.get("kind") == "attribution" for e in evidence):
        return "credits"
    return "verbatim" if p.get("verdict") == "wholly_derived" else "rewrite"


def _num(v: Any) -> float | None:
    return round(float(v), 4) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def _origins(story: dict, ids: list[str], edges: list[dict]) -> list[str]:
    """Return the stored origins, else the articles that derive from nothing determined."""
    given = story.get("origins")
    if isinstance(given, list) and given:
        return [i for i in given if i in ids]
    if isinstance(story.get("origin"), str) and story["origin"] in ids and not edges:
        return [story["origin"]]
    derived = {e["target"] for e in edges if e["kind"] != "undetermined"}
    return [i for i in ids if i not in derived]


# --- layered layout ---------------------------------------------------------------


def layout(articles: list[dict], edges: list[dict], origins: Iterable[str]) -> dict:
    """Place nodes in layers (origins on top) and route edges between them.

    Returns ``{"width", "height", "nodes": [...], "edges": [...]}`` where each
    node has ``x, y, w, h`` and its article fields, and each edge has
    ``x1, y1, x2, y2`` and a label point ``lx, ly``.
    """
    ids = [a["id"] for a in articles]
    depth = _depths(ids, edges, set(origins))
    layers: dict[int, list[str]] = {}
    order = {i: n for n, i in enumerate(ids)}  # articles come oldest first
    for i in sorted(ids, key=lambda i: (depth[i], order[i])):
        layers.setdefault(depth[i], []).append(i)
    widest = max((len(v) for v in layers.values()), default=1)
    width = PAD * 2 + widest * NODE_W + (widest - 1) * GAP_X
    pos = _positions(layers, width)
    by_id = {a["id"]: a for a in articles}
    nodes = [dict(by_id[i], x=x, y=y, w=NODE_W, h=NODE_H, depth=depth[i],
                  origin=i in set(origins)) for i, (x, y) in pos.items()]
    routed = [_route(e, pos) for e in edges if e["source"] in pos and e["target"] in pos]
    height = PAD * 2 + len(layers) * NODE_H + max(len(layers) - 1, 0) * GAP_Y
    return {"width": width, "height": height, "nodes": nodes, "edges": routed}


def _depths(ids: list[str], edges: list[dict], origins: set[str]) -> dict[str, int]:
    """Return each node's longest distance from a root, ignoring edges that close a cycle."""
    parents: dict[str, list[str]] = {i: [] for i in ids}
    for e in edges:
        if e["target"] not in origins:  # an origin stays on top whatever points at it
            parents[e["target"]].append(e["source"])
    depth: dict[str, int] = {}
    for i in ids:
        _depth(i, parents, depth, set())
    return depth


def _depth(i: str, parents: dict, depth: dict, path: set) -> int:
    if i in depth:
        return depth[i]
    path.add(i)
    ups = [_depth(p, parents, depth, path) for p in parents[i] if p not in path]
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
    """Return ``e`` with a straight line from the source's bottom to the target's top."""
    (sx, sy), (tx, ty) = pos[e["source"]], pos[e["target"]]
    x1, y1 = sx + NODE_W // 2, sy + NODE_H
    x2, y2 = tx + NODE_W // 2, ty
    if ty <= sy:  # same or higher layer: leave from the side, arrive at the side
        x1, y1 = (sx + NODE_W, sy + NODE_H // 2) if tx > sx else (sx, sy + NODE_H // 2)
        x2, y2 = (tx, ty + NODE_H // 2) if tx > sx else (tx + NODE_W, ty + NODE_H // 2)
    return dict(e, x1=x1, y1=y1, x2=x2, y2=y2, lx=(x1 + x2) // 2, ly=(y1 + y2) // 2)
