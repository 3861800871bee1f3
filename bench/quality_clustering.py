"""Event clustering quality on ECB+: BCubed and pairwise P/R/F1 of stories against ``event``.

Run: ``python bench/quality_clustering.py [DATA_DIR]`` (default ``../shared/data``).
The data is read in place and never copied; without it the benchmark skips.
Articles go through the real corpus engine (``newstrace.Corpus``, lexical,
no provenance) in a temporary store, in file order.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
FILE = "ecbplus-dev.jsonl"


def bcubed(pred: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    """Return BCubed precision, recall and F1 of the ``pred`` clustering against ``gold``."""
    pc, gc = defaultdict(set), defaultdict(set)
    for i in gold:
        pc[pred[i]].add(i)
        gc[gold[i]].add(i)
    p = sum(len(pc[pred[i]] & gc[gold[i]]) / len(pc[pred[i]]) for i in gold) / len(gold)
    r = sum(len(pc[pred[i]] & gc[gold[i]]) / len(gc[gold[i]]) for i in gold) / len(gold)
    return p, r, 2 * p * r / (p + r)


def pairwise(pred: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    """Return pairwise precision, recall and F1 (pairs put together vs pairs that belong
    together)."""
    ids = sorted(gold)
    tp = fp = fn = 0
    for a, b in combinations(ids, 2):
        same_p, same_g = pred[a] == pred[b], gold[a] == gold[b]
        tp += same_p and same_g
        fp += same_p and not same_g
        fn += same_g and not same_p
    p, r = tp / (tp + fp) if tp + fp else 0.0, tp / (tp + fn) if tp + fn else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def cluster(rows: list[dict]) -> dict[str, str]:
    """Return article id -> story id from the corpus engine."""
    from newstrace import Corpus
    from newstrace.model import Article
    from newstrace.settings import DEFAULT

    articles = [Article(text=r["text"], id=r["id"], language="en") for r in rows]
    with (
        tempfile.TemporaryDirectory() as tmp,
        Corpus(Path(tmp) / "ecb.db", DEFAULT.with_(semantic="off")) as c,
    ):
        c.ingest_articles(articles, provenance=False)
        return {a.id: c.store.article_info(a.id)["story_id"] for a in articles}


def run(data_dir: str | Path = DATA) -> dict:
    """Return ``{"markdown", "metrics": {"ecb_bcubed_f1", "ecb_pairwise_f1", ...}}``, or a skip
    note."""
    path = Path(data_dir) / FILE
    if not path.exists():
        return {"markdown": f"Skipped: {path} not found.", "metrics": {}, "skipped": True}
    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    gold = {r["id"]: r["event"] for r in rows}
    t0 = time.perf_counter()
    pred = cluster(rows)
    seconds = time.perf_counter() - t0
    b, p = bcubed(pred, gold), pairwise(pred, gold)
    metrics = {"ecb_bcubed_p": b[0], "ecb_bcubed_r": b[1], "ecb_bcubed_f1": b[2],
               "ecb_pairwise_p": p[0], "ecb_pairwise_r": p[1], "ecb_pairwise_f1": p[2]}  # fmt: skip
    md = "\n".join(
        [
            (
                f"ECB+ dev ({len(rows)} articles, {len(set(gold.values()))} "
                f"events), lexical, {seconds:.1f}s:"
            ),
            "",
            "| measure | precision | recall | F1 |",
            "|---|---|---|---|",
            f"| BCubed | {b[0]:.3f} | {b[1]:.3f} | {b[2]:.3f} |",
            f"| pairwise | {p[0]:.3f} | {p[1]:.3f} | {p[2]:.3f} |",
            f"| stories found | {len(set(pred.values()))} | | |",
        ]
    )
    return {"markdown": md, "metrics": {k: round(v, 4) for k, v in metrics.items()}}


if __name__ == "__main__":
    result = run(sys.argv[1] if len(sys.argv) > 1 else DATA)
    print(result["markdown"])
