"""The ``newstrace.story/2`` documents: a story summary and a story's derivation tree.

Pure functions from articles, store summaries and a provenance graph to
JSON-safe dicts; every face (CLI table, JSON, web) renders these.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..model import Article
from .provenance import chronological_key

SCHEMA = "newstrace.story/2"
_KIND_RANK = {"derived": 0, "common_source": 1, "credits": 2, "undetermined": 3}


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
    if "member_share" in rel:  # an edge from an absent common source
        return float(rel["member_share"])
    side = "b_from_a" if rel["b"] == edge["derivative"] else "a_in_b"
    return float(rel["coverage"][side])


def _pair_key(rel: Mapping) -> tuple:
    return tuple(sorted(rel.get("pair") or (rel["a"], rel["b"])))


def _edge_doc(e: Mapping, analyses: Mapping[tuple, Mapping] | None = None) -> dict:
    """Return one edge of the document: the decision (from evidence) and, when given, its analysis.

    ``analysis`` is the pair's sentence-level comparison: ``{a, b, verdict,
    source, coverage, alignment[], n_sentences}``, read from ``a`` to ``b``;
    ``omissions``, ``additions`` and ``drift`` are copied up when the analysis
    reads from this edge's source to its derivative.
    """
    rel = e["relation"]
    doc = {
        "source": e["source"],
        "derivative": e["derivative"],
        "kind": e["kind"],
        "verdict": rel["verdict"],
        "confidence": rel["confidence"],
        "coverage": _coverage(e),
        "same_story_score": rel["same_story_score"],
        "evidence": rel["evidence"],
        "decided_by": rel.get("mode", "evidence"),
        "omissions": rel.get("omissions", []),
        "additions": rel.get("additions", []),
        "drift": rel.get("drift", []),
        "analysis": None,
    }
    if e["kind"] == "common_source":
        doc["pair"] = list(rel["pair"])
    found = (analyses or {}).get(_pair_key(rel))
    if found:
        doc["analysis"] = {
            k: found[k]
            for k in (
                "a",
                "b",
                "verdict",
                "source",
                "confidence",
                "coverage",
                "alignment",
                "n_sentences",
                "mode",
            )
        }
        forward = found["a"] == e["source"] or (
            e["kind"] == "common_source" and found["b"] == e["derivative"]
        )
        reads = (
            (found["omissions"], found["additions"], found["drift"])
            if forward
            else ([], [], found["drift"])
        )
        doc["omissions"], doc["additions"], doc["drift"] = reads
    return doc


def measured(edge: Mapping) -> dict | None:
    """Return ``{verdict, coverage, confidence}`` as the edge's analysis measured them, or None.

    The analysis is the pair's sentence-level comparison, the one ``compare`` shows: its verdict,
    the share of the derivative taken from the source, and the direction's confidence. The edge's
    own ``verdict``, ``coverage`` and ``confidence`` are the corpus decision's, from cheap evidence
    (shingle containment, sentence anchors, names kept across languages). None when the edge has
    no analysis or the analysis does not read from the edge's source to its derivative (a common
    source's edge shows the comparison of two of its members).
    """
    found = edge.get("analysis")
    if not found or edge["kind"] == "common_source" or found["a"] != edge["source"]:
        return None
    return {
        "verdict": found["verdict"],
        "coverage": float(found["coverage"]["b_from_a"]),
        "confidence": found["confidence"],
    }


def virtual_ref(v: Mapping) -> dict:
    """Return the article-shaped description of an absent common source."""
    return {
        "id": v["id"],
        "outlet": None,
        "url": None,
        "title": v["label"],
        "published": None,
        "language": None,
        "virtual": True,
        "label": v["label"],
        "members": list(v["members"]),
    }


def story_document(story: Mapping, articles: Sequence[Article], prov: Mapping,
                   analyses: Mapping[tuple, Mapping] | None = None) -> dict:  # fmt: skip
    """Return the full ``newstrace.story/2`` document of one story.

    ``tree`` nests each article under its main source (roots at the top,
    an absent common source as a node of its own); the complete edge list,
    with evidence and each pair's analysis, is in ``edges``.
    """
    virtual = {v["id"]: v for v in prov.get("virtual", [])}
    by_id = {a.id: a for a in articles}
    parents = _parents(prov["edges"])
    group_of = {i: g[0] for g in prov["syndication_groups"] for i in g}
    children: dict[str | None, list[str]] = {}
    for vid in virtual:
        children.setdefault(None, []).append(vid)
    for a in articles:
        if group_of.get(a.id, a.id) != a.id:
            continue  # copies are listed under their group's representative
        parent = parents.get(a.id)
        children.setdefault(parent["source"] if parent else None, []).append(a.id)

    placed: set[str] = set()

    def node(i: str, seen: frozenset) -> dict:
        placed.add(i)
        ref = virtual_ref(virtual[i]) if i in virtual else article_ref(by_id[i])
        out = {
            "article": ref,
            "role": prov["roles"][i],
            "copies": [
                article_ref(by_id[c])
                for g in prov["syndication_groups"]
                if g[0] == i
                for c in g[1:]
            ],
            "edge": _edge_doc(parents[i], analyses) if i in parents else None,
        }
        out["children"] = [node(c, seen | {i}) for c in children.get(i, []) if c not in seen]
        return out

    top = sorted(children.get(None, []), key=lambda i: _start(i, virtual, by_id))
    tree = [node(i, frozenset()) for i in top]
    for i in (x for xs in children.values() for x in xs):  # a cycle has no top: show it anyway
        if i not in placed:
            tree.append(node(i, frozenset()))
    return {
        "schema": SCHEMA,
        "kind": "story",
        **summary(story),
        "independent_sources": prov["independent_sources"],
        "origin": prov["origin"],
        "roots": prov["roots"],
        "syndication_groups": prov["syndication_groups"],
        "articles": [dict(article_ref(a), role=prov["roles"][a.id]) for a in articles],
        "virtual": [virtual_ref(v) for v in virtual.values()],
        "edges": [_edge_doc(e, analyses) for e in prov["edges"]],
        "tree": tree,
    }


def _start(i: str, virtual: Mapping, by_id: Mapping) -> tuple:
    """Sort key of a top node: an absent source sits where its earliest member starts."""
    if i in virtual:
        return chronological_key(by_id[virtual[i]["members"][0]])[:-1] + ("",)
    return chronological_key(by_id[i])
