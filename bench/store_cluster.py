"""Clustering alone (``ingest --no-provenance``) against datasketch MinHash + LSH, side by side.

Run: ``python bench/store_cluster.py [--n 5000] [--runs 3] [--kinds copies families]``.
For each corpus kind (see bench/store_corpus.py) and run, the two engines run
one after the other, each in a fresh process on the same articles:

- newstrace: ``Corpus.ingest_articles(provenance=False)`` into a new SQLite
  store: normalize, fingerprint, store, link and cluster into stories;
- datasketch: 3-word shingles (newstrace's tokenizer), ``MinHash.bulk`` with
  128 permutations, ``MinHashLSH`` with 32 bands of 4 rows, query then insert
  each document: candidate pairs only.

Time is wall time of that work inside the process (imports and corpus
building excluded); CPU seconds include the ingest's preparing worker.
Prints a markdown table with medians over the runs.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import store_corpus


def _cpu() -> float:
    own, kids = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def run_newstrace(arts: list) -> dict:
    """Ingest ``arts`` into a fresh store without provenance; return seconds, CPU and stories."""
    from newstrace import Corpus
    from newstrace.settings import DEFAULT

    with (
        tempfile.TemporaryDirectory() as d,
        Corpus(Path(d) / "c.db", DEFAULT.with_(semantic="off")) as c,
    ):
        t0, c0 = time.perf_counter(), _cpu()
        report = c.ingest_articles(arts, provenance=False)
        return {"seconds": time.perf_counter() - t0, "cpu": _cpu() - c0, "stories": report.stories}


def run_datasketch(arts: list) -> dict:
    """Sign ``arts`` with datasketch and find LSH candidates; return seconds, CPU and pairs."""
    from datasketch import MinHash, MinHashLSH

    from newstrace.fingerprint import shingles

    t0, c0 = time.perf_counter(), _cpu()
    sh = [[s.encode("utf-8") for s in shingles(a.text, 3)] for a in arts]
    sigs = MinHash.bulk(sh, num_perm=128, seed=1)
    lsh = MinHashLSH(num_perm=128, params=(32, 4))
    pairs = 0
    for i, m in enumerate(sigs):
        if sh[i]:
            pairs += len(lsh.query(m))
            lsh.insert(i, m)
    return {"seconds": time.perf_counter() - t0, "cpu": _cpu() - c0, "pairs": pairs}


def one(engine: str, kind: str, n: int, data: Path) -> dict:
    arts = store_corpus.articles(kind, n, store_corpus.base_texts(data))
    return (run_newstrace if engine == "newstrace" else run_datasketch)(arts)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=5000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--kinds", nargs="+", default=["copies", "families"])
    ap.add_argument("--one", nargs=2, help=argparse.SUPPRESS)  # a child: ENGINE KIND
    args = ap.parse_args()
    data = store_corpus.data_dir()
    if data is None:
        print("Skipped: no shared data (set NEWSTRACE_DATA)")
        return
    if args.one:
        print(json.dumps(one(*args.one, args.n, data)))
        return
    lines = [
        "| corpus | articles | engine | seconds | articles/s | CPU s | ratio |",
        "|---|---:|---|---:|---:|---:|---:|",
    ]
    for kind in args.kinds:
        res: dict[str, list[dict]] = {"newstrace": [], "datasketch": []}
        for _ in range(args.runs):
            for engine, runs in res.items():
                cmd = [sys.executable, __file__, "--n", str(args.n), "--one", engine, kind]
                out = subprocess.run(cmd, capture_output=True, text=True, check=True)
                runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
                print(kind, engine, runs[-1], file=sys.stderr)
        sec = {e: statistics.median(r["seconds"] for r in rs) for e, rs in res.items()}
        for engine, rs in res.items():
            cpu = statistics.median(r["cpu"] for r in rs)
            ratio = f"{sec['datasketch'] / sec[engine]:.2f}x" if engine == "newstrace" else ""
            lines.append(
                f"| {kind} | {args.n:,} | {engine} | "
                f"{sec[engine]:.2f} | {args.n / sec[engine]:,.0f} "
                f"| {cpu:.1f} | {ratio} |"
            )
    print("\n".join(lines))


if __name__ == "__main__":
    main()
