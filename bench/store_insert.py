"""Measure SQLite store insert throughput: articles + signature + 32 band keys each.

Run: python bench/store_insert.py [--articles 100000] [--batch 1000] [--text-bytes 3000]
Synthetic articles (random text, 128x uint64 signature, 32 random 64-bit band keys).
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time

from newstrace.model import Article
from newstrace.store import StoredArticle, open_store


def make_batch(start: int, n: int, text_bytes: int, rng: random.Random) -> list[StoredArticle]:
    """Return ``n`` synthetic items with ids ``start..start+n``."""
    body = "lorem ipsum dolor sit amet " * (text_bytes // 27 + 1)
    out = []
    for i in range(start, start + n):
        art = Article(
            text=f"{i} {body[:text_bytes]}",
            id=f"art-{i}",
            title=f"Title {i}",
            outlet=f"outlet{i % 50}",
            published="2024-05-01T12:00:00Z",
        )
        bands = [(b, rng.getrandbits(64)) for b in range(32)]
        out.append(
            StoredArticle(
                art,
                exact_hash=f"{i:032x}",
                signature=rng.randbytes(1032),
                bands=bands,
                language="en",
                n_words=text_bytes // 6,
            )
        )
    return out


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--articles", type=int, default=100_000)
    p.add_argument("--batch", type=int, default=1000)
    p.add_argument("--text-bytes", type=int, default=3000)
    args = p.parse_args()
    rng = random.Random(1)
    batches = [
        make_batch(s, args.batch, args.text_bytes, rng) for s in range(0, args.articles, args.batch)
    ]
    with tempfile.TemporaryDirectory() as d, open_store(os.path.join(d, "b.db")) as store:
        t0, c0 = time.perf_counter(), time.process_time()
        for b in batches:
            store.add_articles(b)
        dt, cpu = time.perf_counter() - t0, time.process_time() - c0
        size = os.path.getsize(os.path.join(d, "b.db")) + os.path.getsize(
            os.path.join(d, "b.db-wal")
        )
        print(
            f"{args.articles} articles, batch {args.batch}, text {args.text_bytes} B: "
            f"{dt:.2f} s wall, {args.articles / dt:,.0f} articles/s "
            f"({args.articles / cpu:,.0f}/s per CPU-second), db+wal {size / 1e6:.0f} MB"
        )
        t0 = time.perf_counter()
        store.add_articles(batches[0])
        print(f"re-add of one known batch: {(time.perf_counter() - t0) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
