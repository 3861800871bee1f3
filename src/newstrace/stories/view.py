"""The ``newstrace.story/1`` documents: a story summary and a story's derivation tree.

Pure functions from articles, store summaries and a provenance graph to
JSON-safe dicts; every face (CLI table, JSON, web) renders these.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..model import Article

SCHEMA = "newstrace.story/1"
_KIND_RANK = {"derived": 0, "credits": 1, "undetermined": 2}


def article_ref(a: Article) -> dict:
    """Return the short description of an article used in every story document."""
    return {"id": a.id, "name": a.name, "outlet": a.outlet, "url": a.url, "title": a.title,
            "published": a.published, "language": a.language}  # fmt: skip


def summary(story: Mapping) -> dict:
    """Return the listing entry of a stored story summary."""
    return {
        "id": story["id"],
        "title": story.get("title"),
        "n_articles": story.get("n_articles"),
        "n_outlets": story.get("n_outlets"),
        "outlets": story.get("outlets", []),
        "languages": story.get("languages", []),
        "independent_sources": story.get("n_sources"),
        "origin": story.get("origin"),
        "origin_outlet": story.get("origin_outlet"),
        "first_published": story.get("first_published"),
        "last_published": story.get("last_published"),
    }


def listing(stories: Sequence[Mapping], total: int) -> dict:
    """Return the ``stories`` document: one summary per story and the total count."""
    return {"schema": SCHEMA, "kind": "stories", "total": total,
            "stories": [summary(s) for s in stories]}  # fmt: skip


def _parents(edges: Sequence[Mapping]) -> dict[str, Mapping]:
    """Return each derivative's main incoming edge: derived before credits, most coverage first."""
    best: dict[str, Mapping] = {}
    for e in edges:
        key = (_KIND_RANK[e["kind"]], -_coverage(e), e["source"])
        cur = best.get(e["derivative"])
        if cur is None or key < (_KIND_RANK[cur["kind"]], -_coverage(cur), cur["source"]):
            best[e["derivative"]] = e
    return best


def _coverage(edge: Mapping) -> float:
    rel = edge["relation"]
    side = "b_from_a" if rel["b"] == edge["derivative"] else "a_in_b"
    return float(rel["coverage"][side])


def _edge_doc(e: Mapping) -> dict:
    rel = e["relation"]
    forward = rel["a"] == e["source"]  # relation stored source-first when the direction is known
    doc = {
        "source": e["source"], "derivative": e["derivative"], "kind": e["kind"],
        "verdict": rel["verdict"], "confidence": rel["confidence"],
        "coverage": _coverage(e), "same_story_score": rel["same_story_score"],
        "evidence": rel["evidence"],
    }  # fmt: skip
    if forward:  # omissions, additions and drift read from source to derivative
        doc.update(omissions=rel["omissions"], additions=rel["additions"], drift=rel["drift"])
    else:
        doc.update(omissions=[], additions=[], drift=[])
    return doc


def story_document(story: Mapping, articles: Sequence[Article], prov: Mapping) -> dict:
    """Return the full ``newstrace.story/1`` document of one story.

    ``tree`` nests each article under its main source (roots at the top); the
    complete edge list, with evidence, is in ``edges``.
    """
    by_id = {a.id: a for a in articles}
    parents = _parents(prov["edges"])
    group_of = {i: g[0] for g in prov["syndication_groups"] for i in g}
    children: dict[str | None, list[str]] = {}
    for a in articles:
        if group_of.get(a.id, a.id) != a.id:
            continue  # copies are listed under their group's representative
        parent = parents.get(a.id)
        children.setdefault(parent["source"] if parent else None, []).append(a.id)

    placed: set[str] = set()

    def node(i: str, seen: frozenset) -> dict:
        placed.add(i)
        out = {"article": article_ref(by_id[i]), "role": prov["roles"][i],
               "copies": [article_ref(by_id[c]) for g in prov["syndication_groups"] if g[0] == i for c in g[1:]],
               "edge": _edge_doc(parents[i]) if i in parents else None}  # fmt: skip
        out["children"] = [node(c, seen | {i}) for c in children.get(i, []) if c not in seen]
        return out

    tree = [node(i, frozenset()) for i in children.get(None, [])]
    for i in (x for xs in children.values() for x in xs):  # a cycle has no top: show it anyway
        if i not in placed:
            tree.append(node(i, frozenset()))
    return {
        "schema": SCHEMA, "kind": "story", **summary(story),
        "independent_sources": prov["independent_sources"],
        "origin": prov["origin"],
        "roots": prov["roots"],
        "syndication_groups": prov["syndication_groups"],
        "articles": [dict(article_ref(a), role=prov["roles"][a.id]) for a in articles],
        "edges": [_edge_doc(e) for e in prov["edges"]],
        "tree": tree,
    }
