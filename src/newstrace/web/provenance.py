"""A story's provenance as plain data for the web: edge kinds, origins, a layout.

The pipeline's ``newstrace.story/2`` document is the source of truth; this
module names its edges in the web's vocabulary (``story_detail``) and draws
the graph in layers (``drawings``, by :mod:`.layered`) so templates only draw
what is computed here.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..stories import export as _export
from ..stories import view as _view
from .layered import DESKTOP, PHONE, layout

KINDS = ("verbatim", "rewrite", "credits", "common_source", "undetermined")
COPY_MIN = 0.9  # coverage both ways at which a derived edge is drawn as verbatim


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
    """Return a story edge with ``target``, a kind in :data:`KINDS` and ``measured`` (the verdict,
    coverage and confidence its sentence analysis measured, as ``compare`` gives them; None
    without an analysis: ``stories.view.measured``)."""
    langs = languages or {}
    translated = langs.get(e["source"]) != langs.get(e["derivative"])
    return dict(
        e,
        target=e["derivative"],
        pipeline_kind=e["kind"],
        kind=edge_kind(e, translated),
        measured=_view.measured(e),
    )


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
    """Return the story's syndicated copies as verbatim edges (``stories.export.copy_edges``)."""
    return [
        {**e, "target": e["derivative"], "kind": "verbatim", "pipeline_kind": "copy"}
        for e in _export.copy_edges(doc)
    ]


# --- drawing ------------------------------------------------------------------------


def drawings(nodes: list[dict], edges: list[dict], origins: Iterable[str]) -> dict:
    """Return the graph drawn twice: ``{"desktop": ..., "phone": ...}`` (see :func:`layout`).

    The phone drawing wraps its generations into narrower rows, so it reads
    at its natural size on a small screen; the page shows one or the other.
    """
    origins = list(origins)
    return {
        "desktop": layout(nodes, edges, origins, DESKTOP),
        "phone": layout(nodes, edges, origins, PHONE),
    }
