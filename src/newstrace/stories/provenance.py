"""The provenance graph of one story, from pair comparisons: pure functions over plain data.

Counting rules (docs/schema.md repeats them for users):

- **Syndication groups**: articles with the same content hash (the text
  without footers), or whose comparison finds one a verbatim copy of the
  other (wholly derived, each covering at least ``COPY_MIN`` of the other).
  A group counts once; its earliest member represents it.
- **Derivation edges** run source -> derivative when the comparison names a
  source and the verdict is wholly or partially derived. An edge between two
  rewrites of a common source is dropped when that source explains at least
  as much of the derivative (the rewrites only overlap through it).
- **Credit edges** run credited -> crediting when an article credits the
  other's outlet ("Northgate Wire reports ..."), even when it shares no
  words with it: reporting that credits another outlet is not independent.
- **Common source**: a pair that shares material while each holds material
  the other lacks (``source == "common_source"``, two rewrites of one press
  release). Articles joined by such pairs get one virtual node, "source not
  in the corpus", with an edge into each; the virtual node is one root.
- **Undetermined edges**: a derived pair whose direction the evidence could
  not decide. Neither is independent of the other, so the two count as one
  source; both are listed as possible origins.
- **Independent sources** = the number of roots: groups of articles (after
  joining syndication groups and undetermined pairs, and any cycle) that
  no edge points into. The origin is the earliest article among the roots.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..model import Article, Comparison
from ..unionfind import Groups

COMMON = "common_source"  # the direction of two rewrites of a source not in the corpus
ABSENT = "source not in the corpus"
COPY_MIN = 0.9  # mutual coverage at which a wholly derived article is a syndicated copy
DERIVED = ("wholly_derived", "partially_derived")
MAX_TEXT = 240  # characters of a sentence kept in a cached edge
SIBLING_MARGIN = 0.05  # an ancestor explaining this much less of a derivative still wins


def _clip(text: str) -> str:
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def relation(c: Comparison) -> dict:
    """Return the JSON-safe summary of a comparison that provenance and the story view need.

    ``a``/``b`` are article ids, source first when ``source`` is "a"; ``credits``
    names the side credited by the other ("a", "b" or None).
    """
    a, b = c.a, c.b
    credit = next((e.side for e in c.direction.evidence if e.kind == "attribution"), None)
    return {
        "a": a.article.id,
        "b": b.article.id,
        "source": c.direction.source,
        "confidence": round(c.direction.confidence, 3),
        "verdict": c.verdict,
        "same_story": c.same_story,
        "same_story_score": c.same_story_score,
        "coverage": {"b_from_a": c.coverage_b_from_a, "a_in_b": c.coverage_a_in_b},
        "credits": credit,
        "mode": c.mode,
        "evidence": [
            {"kind": e.kind, "side": e.side, "text": _clip(e.text), "weight": e.weight}
            for e in c.direction.evidence
        ],
        "omissions": [
            {
                "a": list(o.a),
                "salience": o.salience,
                "why": o.why,
                "text": _clip(" ".join(a.sentences[i].text for i in o.a)),
            }
            for o in c.omissions
        ],
        "additions": [
            {
                "b": list(x.b),
                "kind": x.kind,
                "credits": x.credits,
                "text": _clip(" ".join(b.sentences[i].text for i in x.b)),
            }
            for x in c.additions
        ],
        "drift": [
            {
                "type": d.type,
                "severity": d.severity,
                "direction": d.direction,
                "explanation": d.explanation,
                "a_text": _clip(d.a_text),
                "b_text": _clip(d.b_text),
            }
            for d in c.drift
        ],
    }


ANALYSIS_VERSION = 2  # bump when the cached analysis payload changes shape or what it reports
# 2: drift across languages leaves out changes in clauses a translation did not take


def analysis(c: Comparison) -> dict:
    """Return the sentence-level analysis of a pair, for a story edge: :func:`relation` plus the
    alignment.

    ``alignment`` has one entry per B sentence that came from A: ``{b, a, label, score, text}``.
    """
    out = relation(c)
    out["alignment"] = [
        {
            "b": link.b,
            "a": list(link.a),
            "label": link.label,
            "score": round(link.score, 3),
            "text": _clip(c.b.sentences[link.b].text),
        }
        for link in c.alignment.links
        if link.a
    ]
    out["n_sentences"] = {"a": len(c.a.content), "b": len(c.b.content)}
    out["version"] = ANALYSIS_VERSION
    return out


def chronological_key(article: Article) -> tuple:
    """Return a sort key: earliest publication first, unknown times last, then id.

    A bare date sorts after the times of that day: "2026-11-03" may be any time then.
    """
    p = article.published or ""
    return (not p, p + "T~" if len(p) == 10 else p, article.id)


def is_copy(rel: Mapping) -> bool:
    """Return True when the relation says one article is a verbatim copy of the other.

    A translation covering all of its source is a derivative, never a copy.
    """
    cov = rel["coverage"]
    translated = rel.get("mode") == "multilingual"
    return (
        not translated
        and rel["verdict"] == "wholly_derived"
        and min(cov["b_from_a"], cov["a_in_b"]) >= COPY_MIN
    )


def _edge(rel: Mapping) -> tuple[str, str, str] | None:
    """Return (source id, derivative id, kind) for a relation, or None when it is no edge."""
    ids = {"a": rel["a"], "b": rel["b"]}
    other = {"a": "b", "b": "a"}
    if (
        rel["source"] == COMMON and rel["verdict"] in DERIVED
    ):  # both from an absent source: no A->B edge
        a, b = sorted(ids.values())
        return a, b, COMMON
    if rel["source"] in ids and rel["verdict"] in DERIVED:
        return ids[rel["source"]], ids[other[rel["source"]]], "derived"
    if rel.get("credits"):
        return ids[rel["credits"]], ids[other[rel["credits"]]], "credits"
    if rel["verdict"] in DERIVED:
        a, b = sorted(ids.values())
        return a, b, "undetermined"
    return None


class _Groups(Groups):
    """Groups of article ids, each named by its earliest member."""

    def __init__(self, order: Mapping[str, tuple]) -> None:
        # ``order`` may gain virtual ids later; the groups keep the ids known now.
        super().__init__(order, key=order.__getitem__)
        self.order = order

    def members(self) -> dict[str, list[str]]:
        """Return ``{earliest member: members, earliest first}``, earliest group first."""
        return self.groups(key=self.order.__getitem__)


def _reach(graph: Mapping[str, set[str]], start: str) -> set[str]:
    seen, stack = {start}, [start]
    while stack:
        for y in graph.get(stack.pop(), ()):
            if y not in seen:
                seen.add(y)
                stack.append(y)
    return seen


def build(
    articles: Sequence[Article],
    relations: Sequence[Mapping],
    content_hash: Mapping[str, str] | None = None,
) -> dict:
    """Return the provenance graph of one story (see the module docstring).

    Keys: ``syndication_groups``, ``edges`` (source, derivative, kind, relation),
    ``roots`` (lists of article ids, one per independent source), ``origin``,
    ``independent_sources``, ``roles`` (id -> origin | copy | derivative |
    independent | undetermined).
    """
    order = {a.id: chronological_key(a) for a in articles}
    syn = _Groups(order)
    by_hash: dict[str, str] = {}
    for a in sorted(articles, key=chronological_key):
        h = (content_hash or {}).get(a.id)
        if h:
            syn.union(by_hash.setdefault(h, a.id), a.id)
    rels = [r for r in relations if r["a"] in order and r["b"] in order]
    for r in rels:
        if is_copy(r):
            syn.union(r["a"], r["b"])
    edges = _edges(rels, syn)
    pairs = [e for e in edges if e["kind"] == COMMON]
    edges = [e for e in edges if e["kind"] != COMMON]
    virtual, vedges = _virtual_sources(pairs, syn, order)
    for v in virtual:
        order[v["id"]] = order[v["members"][0]][:-1] + ("",)  # just before its earliest member
    out = _summary(order, syn, sorted(edges + vedges, key=lambda e: (e["source"], e["derivative"])))
    out["virtual"] = virtual
    return out


def _edges(rels: Sequence[Mapping], syn: _Groups) -> list[dict]:
    """Return the edges between different syndication groups, sorted for stable output."""
    out = []
    for r in rels:
        e = _edge(r)
        if e and syn.find(e[0]) != syn.find(e[1]):
            out.append({"source": e[0], "derivative": e[1], "kind": e[2], "relation": dict(r)})
    return sorted(_without_sibling_edges(out), key=lambda e: (e["source"], e["derivative"]))


def _virtual_sources(
    pairs: list[dict], syn: _Groups, order: Mapping[str, tuple]
) -> tuple[list[dict], list[dict]]:
    """Return the absent common sources and their edges.

    Articles linked by common-source pairs (each holds material the other
    lacks) form one group; the group gets one virtual node, "source not in
    the corpus", with an edge into each member. ``relations`` on an edge are
    the pair relations that put its derivative in the group.
    """
    groups = _Groups(
        {syn.find(i): order[syn.find(i)] for e in pairs for i in (e["source"], e["derivative"])}
    )
    for e in pairs:
        groups.union(syn.find(e["source"]), syn.find(e["derivative"]))
    virtual, edges = [], []
    for first, members in groups.members().items():
        if len(members) < 2:
            continue
        vid = "absent-" + first
        virtual.append({"id": vid, "label": ABSENT, "members": members})
        for m in members:
            rels = [
                e["relation"]
                for e in pairs
                if m in (syn.find(e["source"]), syn.find(e["derivative"]))
            ]
            edges.append(
                {
                    "source": vid,
                    "derivative": m,
                    "kind": COMMON,
                    "relation": _common_relation(m, rels),
                }
            )
    return virtual, edges


def _common_relation(member: str, rels: list[Mapping]) -> dict:
    """Return the relation-shaped summary of a member's edge from the absent source: its best
    pair."""
    best = max(rels, key=lambda r: (min(r["coverage"].values()), r["a"], r["b"]))
    side = "b_from_a" if best["b"] == member else "a_in_b"
    partner = best["a"] if best["b"] == member else best["b"]
    text = (
        f"shares {best['coverage'][side]:.0%} of its text with {partner}; each holds material "
        "the other lacks, so both rewrite a source that is not in the corpus"
    )
    ev = [{"kind": COMMON, "side": None, "text": text, "weight": best["confidence"]}] + list(
        best["evidence"]
    )
    return dict(best, evidence=ev, pair=[best["a"], best["b"]], member_share=best["coverage"][side])


def _share(edge: Mapping) -> float:
    """Return the share of the derivative's text that comes from the edge's source."""
    rel = edge["relation"]
    cov = rel["coverage"]
    side = rel["credits"] if edge["kind"] == "credits" else rel["source"]
    return cov["b_from_a"] if side == "a" else cov["a_in_b"]


def _explains(t: Mapping, e: Mapping, reach: Mapping[str, set[str]]) -> bool:
    """Return True when edge ``t`` (into the same derivative) explains derived edge ``e``.

    ``t`` comes from an ancestor of ``e``'s source (it reaches that source, which does
    not reach it back) and explains at least as much of the derivative. A credit edge
    also explains a translation edge whatever its share: the derivative names where it
    took from, and a translation's share is only estimated from the names it keeps.
    """
    ancestor, s = t["source"], e["source"]
    if ancestor == s or s not in reach.get(ancestor, ()) or ancestor in reach.get(s, ()):
        return False
    if t["kind"] == "credits" and e["relation"].get("mode") == "multilingual":
        return True
    return _share(t) >= _share(e) - SIBLING_MARGIN


def _oriented(e: Mapping, source: str) -> dict:
    """Return undetermined edge ``e`` read as a derived edge from its end ``source``."""
    rel = e["relation"]
    other = e["derivative"] if source == e["source"] else e["source"]
    side = "a" if rel["a"] == source else "b"
    return {
        "source": source,
        "derivative": other,
        "kind": "derived",
        "relation": {**rel, "source": side},
    }


def _without_sibling_edges(edges: list[dict]) -> list[dict]:
    """Drop derived and undetermined edges that shared ancestry explains.

    Two rewrites of one wire story overlap with each other, so their pair
    comparison finds a "derivation" between them. An edge s -> d is dropped
    when d also derives from, or credits, an ancestor t of s (see
    :func:`_explains`). An undetermined edge between x and y (a derived pair
    whose direction the evidence left open) is dropped when both readings are
    so explained: each of the two takes at least as much from an ancestor of
    the other as from the other itself, so what they share came through that
    ancestor. Credit edges are explicit and always kept.
    """
    graph: dict[str, set[str]] = {}
    for e in edges:
        if e["kind"] not in ("undetermined", COMMON):
            graph.setdefault(e["source"], set()).add(e["derivative"])
    reach = {x: _reach(graph, x) for x in graph}
    into: dict[str, list[dict]] = {}
    for e in edges:
        if e["kind"] in ("derived", "credits"):
            into.setdefault(e["derivative"], []).append(e)

    def explained(e: Mapping) -> bool:
        return any(_explains(t, e, reach) for t in into.get(e["derivative"], ()))

    drop = {
        (e["source"], e["derivative"])
        for e in edges
        if (e["kind"] == "derived" and explained(e))
        or (
            e["kind"] == "undetermined"
            and all(explained(_oriented(e, end)) for end in (e["source"], e["derivative"]))
        )
    }
    return [e for e in edges if (e["source"], e["derivative"]) not in drop]


def _summary(order: Mapping[str, tuple], syn: _Groups, edges: list[dict]) -> dict:
    fam = _Groups(order)  # syndication groups, undetermined pairs and cycles joined
    for i in syn:
        fam.union(i, syn.find(i))
    for e in edges:
        if e["kind"] == "undetermined":
            fam.union(e["source"], e["derivative"])
    graph = _family_graph(fam, edges)
    for x in list(graph):  # join cycles: families that reach each other are one source
        for y in _reach(graph, x):
            if x in _reach(graph, y) and fam.find(x) != fam.find(y):
                fam.union(x, y)
    graph = _family_graph(fam, edges)
    has_parent = {y for ys in graph.values() for y in ys}
    families = fam.members()
    roots = [m for r, m in families.items() if r not in has_parent]
    origin = min((m[0] for m in roots), key=order.__getitem__, default=None)
    groups = [m for m in syn.members().values() if len(m) > 1]
    return {
        "syndication_groups": groups,
        "edges": edges,
        "roots": roots,
        "origin": origin,
        "independent_sources": len(roots),
        "roles": _roles(order, syn, fam, has_parent, origin),
    }


def _family_graph(fam: _Groups, edges: list[dict]) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for e in edges:
        s, d = fam.find(e["source"]), fam.find(e["derivative"])
        if s != d and e["kind"] != "undetermined":
            graph.setdefault(s, set()).add(d)
    return graph


def _roles(order, syn: _Groups, fam: _Groups, has_parent: set[str], origin: str | None) -> dict:
    roles = {}
    for i in sorted(order, key=order.__getitem__):
        if i not in syn:
            roles[i] = "absent_source"  # a virtual node: the common source of rewrites
        elif syn.find(i) != i:
            roles[i] = "copy"
        elif fam.find(i) in has_parent:
            roles[i] = "derivative"
        elif i == origin:
            roles[i] = "origin"
        elif fam.find(i) != i:
            roles[i] = "undetermined"  # joined to an earlier article by an undecided edge
        else:
            roles[i] = "independent"
    return roles
