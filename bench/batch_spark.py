"""Batch on Spark against the single-process pipeline: throughput and where the time goes.

Run: ``nice -n 10 python bench/batch_spark.py [--n 5000] [--master local[2]] [--provenance]``.
Both sides read the same JSON Lines file (written to a temporary directory)
in the same run: ``Corpus(workers=0).ingest`` (one process) and
``run_batch`` on ``--master``. The Spark side's seconds are split by stage
(read, prepare, candidates, cluster, provenance, write); session start-up is
reported apart. The stories of both are compared, so a fast wrong answer
shows. Articles are built by ``bench/throughput_e2e.corpus`` from the texts
in the shared data (read in place, never copied): ``NEWSTRACE_DATA``, else
``../shared/data``, else ``/work/shared/data``. Without the data it skips
with a message, and fails when ``CI=true``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def data_dir() -> Path | None:
    """Return the shared data directory, or None when it is absent."""
    for cand in (
        os.environ.get("NEWSTRACE_DATA"),
        ROOT.parent / "shared" / "data",
        "/work/shared/data",
    ):
        if cand and (Path(cand) / "ecbplus-dev.jsonl").exists():
            return Path(cand)
    return None


def write_jsonl(path: Path, articles) -> None:
    """Write Articles as JSON Lines (every field the local ingest reads back)."""
    with path.open("w", encoding="utf-8") as fh:
        for a in articles:
            row = {k: v for k, v in asdict(a).items() if v is not None and k != "source"}
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def local_run(src: Path, db: Path, settings, provenance: bool) -> tuple[float, dict]:
    """Return seconds and ``{story id: members}`` of one single-process ingest."""
    from newstrace import Corpus

    t0 = time.perf_counter()
    with Corpus(db, settings=settings, workers=0) as corpus:
        corpus.ingest([str(src)], provenance=provenance)
        seconds = time.perf_counter() - t0
        return seconds, _members(corpus.store)


def _members(store) -> dict:
    out, offset = {}, 0
    while True:
        page = store.list_stories(limit=1000, offset=offset)
        out.update((s["id"], sorted(store.get_story(s["id"])["articles"])) for s in page)
        if len(page) < 1000:
            return out
        offset += 1000


def spark_run(src: Path, out: Path, settings, master: str, partitions: int, provenance: bool):
    """Return (session start seconds, BatchReport, ``{story id: members}``) of one batch run."""
    from newstrace.batch import run_batch
    from newstrace.batch.session import get_session

    t0 = time.perf_counter()
    spark = get_session(master, conf={"spark.sql.shuffle.partitions": str(partitions),
                                      "spark.ui.showConsoleProgress": "false"})  # fmt: skip
    spark.sparkContext.setLogLevel("ERROR")
    start = time.perf_counter() - t0
    report = run_batch([str(src)], str(out), settings=settings, spark=spark, partitions=partitions,
                       provenance=provenance)  # fmt: skip
    members: dict = {}
    for row in spark.read.parquet(str(out / "story_members")).collect():
        members.setdefault(row.story_id, []).append(row.article_id)
    spark.stop()
    return start, report, {k: sorted(v) for k, v in members.items()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=5000, help="articles")
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--partitions", type=int, default=4)
    ap.add_argument(
        "--provenance", action="store_true", help="also trace provenance (slow: pair comparisons)"
    )
    args = ap.parse_args()
    data = data_dir()
    if data is None:
        print("batch_spark: shared data not found (set NEWSTRACE_DATA); skipped", file=sys.stderr)
        return 1 if os.environ.get("CI") == "true" else 0
    sys.path.insert(0, str(ROOT / "bench"))
    from throughput_e2e import corpus

    from newstrace.settings import DEFAULT

    settings = DEFAULT.with_(semantic="off")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "corpus.jsonl"
        write_jsonl(src, corpus(args.n, data))
        local_s, local = local_run(src, Path(tmp) / "local.db", settings, args.provenance)
        start, report, batch = spark_run(
            src, Path(tmp) / "out", settings, args.master, args.partitions, args.provenance
        )
    print(
        json.dumps(
            {
                "n": args.n,
                "master": args.master,
                "provenance": args.provenance,
                "local_seconds": round(local_s, 2),
                "local_per_s": round(args.n / local_s, 1),
                "spark_start_seconds": round(start, 2),
                "spark_seconds": round(report.seconds, 2),
                "spark_per_s": round(args.n / report.seconds, 1),
                "stages": report.as_dict()["stages"],
                "stories": len(local),
                "same_stories": local == batch,
            },
            indent=2,
        )
    )
    return 0 if local == batch else 2


if __name__ == "__main__":
    sys.exit(main())
