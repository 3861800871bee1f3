"""The batch job's output tables: Parquet schemas and rows, one function per table."""

from __future__ import annotations

import json

TABLES = ("articles", "story_members", "stories", "edges", "failures")


def schemas() -> dict:
    """Return the Spark schema of every output table (see docs/batch.md)."""
    from pyspark.sql.types import (
        ArrayType,
        BinaryType,
        DoubleType,
        IntegerType,
        LongType,
        StringType,
        StructField,
        StructType,
    )

    def table(*cols):
        return StructType([StructField(n, t, nullable) for n, t, nullable in cols])

    s, i, l = StringType(), IntegerType(), LongType()
    return {
        "articles": table(
            ("id", s, False),
            ("source", s, True),
            ("url", s, True),
            ("outlet", s, True),
            ("title", s, True),
            ("published", s, True),
            ("language", s, True),
            ("byline", s, True),
            ("text", s, False),
            ("exact_hash", s, False),
            ("n_words", i, False),
            ("signature", BinaryType(), False),
            ("bands", ArrayType(l, False), False),
        ),
        "story_members": table(("article_id", s, False), ("story_id", s, False)),
        "stories": table(
            ("id", s, False),
            ("n_articles", i, False),
            ("origin", s, True),
            ("n_sources", i, True),
            ("origin_outlet", s, True),
            ("title", s, True),
        ),
        "edges": table(
            ("story_id", s, False),
            ("a", s, False),
            ("b", s, False),
            ("source", s, True),
            ("verdict", s, True),
            ("confidence", DoubleType(), True),
            ("payload", s, False),
        ),
        "failures": table(
            ("source", s, False), ("offset", l, True), ("error", s, False), ("item", s, False)
        ),
    }


def article_row(p) -> tuple:
    """Return the ``articles`` row of one prepared article."""
    a, item = p.item.article, p.item
    return (
        a.id,
        a.source,
        a.url,
        a.outlet,
        a.title,
        a.published,
        item.language,
        a.byline,
        a.text,
        item.exact_hash,
        item.n_words,
        bytes(item.signature),
        [k for _, k in item.bands],
    )


def story_row(row: dict, size: int) -> tuple:
    """Return the ``stories`` row of one story dict (as ``Corpus.update_stories`` builds it)."""
    return (
        row["id"],
        size,
        row.get("origin"),
        row.get("n_sources"),
        row.get("origin_outlet"),
        row.get("title"),
    )


def edge_row(story_id: str, rel: dict) -> tuple:
    """Return the ``edges`` row of one pair relation; ``payload`` is the whole relation as JSON."""
    return (story_id, rel["a"], rel["b"], rel.get("source"), rel.get("verdict"),
            float(rel.get("confidence") or 0.0), json.dumps(rel, sort_keys=True))  # fmt: skip


def failure_row(f: dict) -> tuple:
    """Return the ``failures`` row of one failure dict."""
    return (f["source"], f["offset"], f["error"], f["item"])
