"""PostgreSQL against SQLite: insert and read rates of the store, side by side in one run.

Run: python bench/store_pg.py [--articles 20000] [--batch 500] [--reads 2000]
     [--ingest 3000] [--pg postgresql://postgres@127.0.0.1:5432/test]

Both stores get the same synthetic items (bench/store_insert.py: 3,000-byte
text, 1,032-byte signature, 32 random band keys each) in the same batches, then
the same reads: single articles by id, batches of 50 by id, band-candidate
lookups (32 keys, as the pipeline asks), and story pages after one
replace_stories of stories of 4 articles. The PostgreSQL store runs in a new
schema that is dropped afterwards. ``--ingest N`` also times the whole corpus
engine (``Corpus.ingest_articles`` without provenance: prepare, store, link
the story graph, re-cluster) on N generated fictional reports, three per
event, into each store, and checks that both give the same stories.
Prints one Markdown table.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from store_insert import make_batch

from newstrace import Corpus
from newstrace.model import Article
from newstrace.pipeline import prepare
from newstrace.store import open_store

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"


def _rate(n: int, fn) -> float:
    t0 = time.perf_counter()
    fn()
    return n / (time.perf_counter() - t0)


def measure(target: str, batches: list, reads: int, rng: random.Random) -> dict:
    """Return the rates (per second) of one store at ``target`` over the same work."""
    n = sum(len(b) for b in batches)
    ids = [f"art-{rng.randrange(n)}" for _ in range(reads)]
    keys = [list(b.bands) for b in rng.sample([it for b in batches for it in b], min(reads, n))]
    assign = {f"art-{i}": f"s{i // 4}" for i in range(n)}
    with open_store(target) as store:
        out = {"insert": _rate(n, lambda: [store.add_articles(b) for b in batches])}
        out["get_article"] = _rate(reads, lambda: [store.get_article(i) for i in ids])
        groups = [ids[k : k + 50] for k in range(0, len(ids), 50)]
        out["articles_by_ids_50"] = _rate(
            len(groups), lambda: [store.articles_by_ids(g) for g in groups]
        )
        out["band_candidates"] = _rate(len(keys), lambda: [store.band_candidates(k) for k in keys])
        out["replace_stories"] = _rate(n, lambda: store.replace_stories(assign, []))
        pages = [(rng.choice(("size", "recent")), rng.randrange(0, 200)) for _ in range(200)]
        out["list_stories_page"] = _rate(
            len(pages), lambda: [store.list_stories(limit=50, offset=o, sort=s) for s, o in pages]
        )
        out["recheck"] = store.count_articles() == n
    return out


SYLLABLES = ("ka", "lo", "mer", "vin", "tas", "dru", "pel", "sor", "qui", "ban")


def _name(k: int) -> str:
    return "".join(SYLLABLES[int(c)] for c in str(k)).capitalize()


def fictional(n: int) -> list[Article]:
    """Return ``n`` made-up reports, three per event; every seventh repeats its event's first
    text."""
    out = []
    for k in range(n):
        e = k // 3
        text = (
            f"The {_name(e)}port harbour board approved a new pier for {_name(e + 7)}ville on "
            f"Monday, engineer {_name(e + 3)} {_name(e + 5)}son said. Work on the {_name(e + 11)} "
            f"quay starts in spring. Report {k if k % 7 else e}."
        )
        out.append(
            Article(
                id=f"a{k}",
                text=text,
                title=f"{_name(e)}port pier",
                outlet=f"Outlet {k % 5}",
                published=f"2025-04-{1 + e % 28:02d}T08:00:00Z",
            )
        )
    return out


def ingest_rate(target: str, articles: list[Article]) -> tuple[float, dict]:
    """Return (articles/s of one ingest into ``target``, its stories as {id: sorted members})."""
    with Corpus(target, workers=0) as corpus:
        t0 = time.perf_counter()
        corpus.ingest_articles(articles, provenance=False)
        rate = len(articles) / (time.perf_counter() - t0)
        store = corpus.store
        stories = {
            r["id"]: sorted(store.get_story(r["id"])["articles"])
            for o in range(0, store.count_stories(), 1000)
            for r in store.list_stories(limit=1000, offset=o)
        }
    return rate, stories


def drop_schema(admin_url: str, schema: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--articles", type=int, default=20_000)
    p.add_argument("--batch", type=int, default=500)
    p.add_argument("--reads", type=int, default=2_000)
    p.add_argument(
        "--ingest", type=int, default=0, help="also time a corpus ingest of this many articles"
    )
    p.add_argument("--pg", default=os.environ.get("NEWSTRACE_PG", DEFAULT_PG))
    args = p.parse_args()
    batches = [
        make_batch(s, min(args.batch, args.articles - s), 3000, random.Random(s))
        for s in range(0, args.articles, args.batch)
    ]
    schema = f"nt_bench_{uuid.uuid4().hex[:10]}"
    results = {}
    with tempfile.TemporaryDirectory() as d:
        results["SQLite"] = measure(os.path.join(d, "b.db"), batches, args.reads, random.Random(7))
    try:
        results["PostgreSQL"] = measure(
            f"{args.pg}?schema={schema}", batches, args.reads, random.Random(7)
        )
        if args.ingest:
            articles = fictional(args.ingest)
            prepare(fictional(30))  # load the language and word tables before either store is timed
            with tempfile.TemporaryDirectory() as d:
                lite_rate, lite = ingest_rate(os.path.join(d, "i.db"), articles)
            pg_rate, pg = ingest_rate(f"{args.pg}?schema={schema}_i", articles)
            assert pg == lite, "PostgreSQL and SQLite gave different stories"
            results["SQLite"]["ingest"], results["PostgreSQL"]["ingest"] = lite_rate, pg_rate
    finally:
        drop_schema(args.pg, schema)
        drop_schema(args.pg, f"{schema}_i")
    print(f"{args.articles} articles in batches of {args.batch}, {args.reads} reads of each kind\n")
    rows = [
        ("insert", "articles/s"),
        ("get_article", "reads/s"),
        ("articles_by_ids_50", "batches/s"),
        ("band_candidates", "lookups/s"),
        ("replace_stories", "articles/s"),
        ("list_stories_page", "pages/s"),
    ] + ([("ingest", "articles/s")] if args.ingest else [])
    print("| operation | unit | SQLite | PostgreSQL | PostgreSQL / SQLite |")
    print("|---|---|---:|---:|---:|")
    for key, unit in rows:
        lite, pg = results["SQLite"][key], results["PostgreSQL"][key]
        print(f"| {key} | {unit} | {lite:,.0f} | {pg:,.0f} | {pg / lite:.2f} |")
    assert all(r["recheck"] for r in results.values()), "a store lost articles"


if __name__ == "__main__":
    main()
