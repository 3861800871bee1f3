"""Flat rows of stories, articles and provenance edges, for pandas, Gephi or a spreadsheet.

Pure functions over ``newstrace.story`` documents (listing entries and story
documents); ``newstrace.report.tables`` writes the rows as CSV, JSON Lines
or Parquet. Every row of one kind has the same columns, in ``COLUMNS`` order.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

COLUMNS = {
    "stories": (
        "story_id",
        "title",
        "n_articles",
        "n_outlets",
        "independent_sources",
        "origin",
        "origin_outlet",
        "first_published",
        "last_published",
        "outlets",
        "languages",
    ),
    "articles": (
        "article_id",
        "story_id",
        "name",
        "outlet",
        "title",
        "url",
        "published",
        "language",
        "role",
    ),
    # Gephi reads "Source" and "Target" as the edge's ends; the derivative is the target.
    "edges": (
        "story_id",
        "Source",
        "Target",
        "kind",
        "verdict",
        "confidence",
        "coverage",
        "same_story_score",
        "evidence_kinds",
    ),
}
KINDS = tuple(COLUMNS)


def story_rows(summaries: Iterable[Mapping]) -> Iterator[dict]:
    """Yield one row per story listing entry (lists are joined with ``; ``)."""
    for s in summaries:
        yield {
            "story_id": s["id"],
            "title": s.get("title"),
            "n_articles": s.get("n_articles"),
            "n_outlets": s.get("n_outlets"),
            "independent_sources": s.get("independent_sources"),
            "origin": s.get("origin"),
            "origin_outlet": s.get("origin_outlet"),
            "first_published": s.get("first_published"),
            "last_published": s.get("last_published"),
            "outlets": "; ".join(s.get("outlets") or []),
            "languages": "; ".join(s.get("languages") or []),
        }


def article_rows(story: Mapping) -> Iterator[dict]:
    """Yield one row per article of a story document, with its role in the story."""
    for a in story.get("articles", []):
        yield {
            "article_id": a["id"],
            "story_id": story["id"],
            "name": a.get("name") or a.get("outlet") or a["id"],
            **{k: a.get(k) for k in ("outlet", "title", "url", "published", "language", "role")},
        }


def copy_edges(story: Mapping) -> list[dict]:
    """Return a verbatim edge from each syndication group's first member to each of its copies.

    A story document keeps syndicated copies as groups, not edges; a graph (the web drawing,
    an edge export for Gephi) needs them as edges, or the copies float unconnected.
    """
    return [
        {
            "source": g[0],
            "derivative": c,
            "kind": "copy",
            "verdict": "wholly_derived",
            "confidence": 1.0,
            "coverage": 1.0,
            "evidence": [
                {"kind": "copy", "side": None, "weight": 1.0, "text": "same text (syndicated copy)"}
            ],
        }
        for g in story.get("syndication_groups", [])
        for c in g[1:]
    ]


def edge_rows(story: Mapping) -> Iterator[dict]:
    """Yield one row per provenance edge of a story document (source to derivative, with its
    decision), then one ``copy`` row per syndicated copy."""
    for e in [*story.get("edges", []), *copy_edges(story)]:
        kinds = sorted({ev["kind"] for ev in e.get("evidence", []) if ev.get("weight", 1) > 0})
        yield {
            "story_id": story["id"],
            "Source": e["source"],
            "Target": e["derivative"],
            "kind": e["kind"],
            "verdict": e.get("verdict"),
            "confidence": e.get("confidence"),
            "coverage": e.get("coverage"),
            "same_story_score": e.get("same_story_score"),
            "evidence_kinds": "; ".join(kinds),
        }
