"""Digest of a store's stories after adding a corpus in batches: compare two codes' outputs.

Run with each code on its own path, e.g.
``PYTHONPATH=<old>/src python bench/store_digest.py /tmp/a.db copies 4000 5`` and the same
with ``PYTHONPATH=src`` to another path, then compare the printed digests. The corpus
(``copies`` or ``families`` of bench/store_corpus.py, or ``example``: the bundled example
corpus, file by file) is shuffled with a fixed seed and added in ``batches`` ingests, each
in its own ``Corpus``. The digest covers every story row (id, members hash, counts, dates,
title, sources, origin, payload, search text; not ``seq``), every membership and every facet.
"""

from __future__ import annotations

import hashlib
import json
import random
import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import store_corpus

_ROWS = (
    "SELECT id, members_hash, n_articles, n_outlets, first_published, last_published, title,"
    " n_sources, origin_id, payload, search_text FROM stories ORDER BY id"
)


def digest(db: str) -> str:
    """Return a short digest of the story rows, memberships and facets of the store at ``db``."""
    c = sqlite3.connect(db)
    rows = c.execute(_ROWS).fetchall()
    m = c.execute("SELECT article_id, story_id FROM story_members ORDER BY 1").fetchall()
    f = c.execute("SELECT kind, value, story_id FROM story_facets ORDER BY 1, 2, 3").fetchall()
    c.close()
    return hashlib.sha1(json.dumps([rows, m, f]).encode()).hexdigest()[:12]


def main() -> None:
    from importlib import resources

    from newstrace import Corpus
    from newstrace.settings import DEFAULT

    db, kind, n, batches = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    settings = DEFAULT.with_(semantic="off")
    if kind == "example":
        files = sorted(str(p) for p in (resources.files("newstrace.examples") / "corpus").iterdir())
        random.Random(n).shuffle(files)
        for k in range(batches):
            with Corpus(db, settings) as c:
                c.ingest(files[k::batches])
    else:
        texts = store_corpus.base_texts(store_corpus.data_dir())
        arts = store_corpus.articles(kind, n, texts)
        random.Random(3).shuffle(arts)
        size = -(-len(arts) // batches)
        for k in range(0, len(arts), size):
            with Corpus(db, settings) as c:
                c.ingest_articles(arts[k : k + size], provenance=False)
    print(json.dumps({"kind": kind, "n": n, "batches": batches, "digest": digest(db)}))


if __name__ == "__main__":
    main()
