"""Insert deterministic batches into a store, printing a line after each commit.

Used by test_store_crash: ``python ingest_helper.py DB N_BATCHES BATCH_SIZE``.
Prints ``begin I`` before batch I and ``done I <statuses>`` after it commits.
"""

from __future__ import annotations

import sys

from newstrace.model import Article
from newstrace.store import StoredArticle, open_store


def batch(index: int, size: int) -> list[StoredArticle]:
    """Return batch ``index``: the same items on every run, ids unique across batches."""
    out = []
    for j in range(size):
        n = index * size + j
        text = f"Article {n}: the tide gauge at pier {n % 17} read {n % 5} metres. " * 20
        art = Article(text=text, id=f"crash-{n}", title=f"Tide report {n}", outlet="Pier Post")
        out.append(
            StoredArticle(
                art,
                exact_hash=f"h{n}",
                signature=n.to_bytes(8, "big") * 128,
                bands=[(b, (n * 1_000_003 + b) % 2**64) for b in range(32)],
            )
        )
    return out


def main(path: str, n_batches: int, size: int) -> None:
    with open_store(path) as store:
        for i in range(n_batches):
            print(f"begin {i}", flush=True)
            statuses = store.add_articles(batch(i, size))
            print(f"done {i} {','.join(sorted(set(statuses)))}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
