"""Store at scale: one big ingest, opening the store, and adding 1,000 articles to it against an
empty store.

Run: ``python bench/store_scale.py --n 10000 100000 [1000000]``. Each size runs
in its own process: articles are generated as a stream (never all in memory),
copy-heavy from the real texts (bench/store_corpus.py, ``copies``), without
provenance, into a fresh SQLite store in ``--dir`` (default: a temporary
directory). Then, on the store of ``n`` articles:

- **open**: ``Corpus(db)`` plus the first page of stories, in a new process;
- **+1,000 new**: 1,000 articles of stories the store has not seen (the last
  ``HELD_OUT`` real texts, kept out of the big ingest, and derivatives of
  them), added to the big store and, in another process, to an empty store;
- **+1,000 follow-ups**: 1,000 derivatives of texts the store already holds
  (they reach existing stories), added to the big store and to an empty store.

Peak RSS is the larger of the ingesting process and its preparing worker
(``ru_maxrss``); CPU seconds are both. Prints markdown tables.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import store_corpus

HELD_OUT = 200
ADD = 1000


def _cpu() -> float:
    own, kids = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _rss_mb() -> int:
    return (
        max(
            resource.getrusage(w).ru_maxrss
            for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
        )
        // 1024
    )


def stream(n: int, texts: list[str], seed: int = 7, prefix: str = ""):
    """Yield ``n`` copy-heavy Articles lazily (the same as ``store_corpus.articles("copies",
    ...)``)."""
    from newstrace.model import Article

    rng = random.Random(seed)
    for k, t in enumerate(texts[:n]):
        yield Article(text=t, id=f"{prefix}r{k}", outlet=f"outlet{k % 50}")
    for k in range(min(n, len(texts)), n):
        yield Article(
            text=store_corpus._copy_heavy(rng.choice(texts), rng),
            id=f"{prefix}d{k}",
            outlet=f"outlet{k % 50}",
        )


def build(db: str, n: int, texts: list[str]) -> dict:
    """Ingest ``n`` articles into a fresh store at ``db``; return time, rate, CPU, stories, peak
    RSS."""
    from newstrace import Corpus
    from newstrace.settings import DEFAULT

    t0, c0 = time.perf_counter(), _cpu()
    last = [t0]

    def progress(stage: str, done: int, total) -> None:
        if stage == "ingest" and time.perf_counter() - last[0] > 60:
            last[0] = time.perf_counter()
            print(
                json.dumps({"at": done, "seconds": round(last[0] - t0), "rss_mb": _rss_mb()}),
                file=sys.stderr,
                flush=True,
            )

    with Corpus(db, DEFAULT.with_(semantic="off")) as c:
        report = c.ingest_articles(stream(n, texts), provenance=False, progress=progress)
    sec = time.perf_counter() - t0
    return {
        "n": n,
        "seconds": round(sec, 1),
        "articles_per_s": round(n / sec),
        "cpu_seconds": round(_cpu() - c0, 1),
        "stories": report.stories,
        "peak_rss_mb": _rss_mb(),
    }


def add(db: str, kind: str, texts: list[str], held: list[str]) -> dict:
    """Add 1,000 articles of ``kind`` ("new" or "follow") to the store at ``db``; return seconds and
    CPU."""
    from newstrace import Corpus
    from newstrace.settings import DEFAULT

    if kind == "new":
        arts = list(stream(ADD, held, seed=11, prefix="new-"))
    else:
        arts = list(stream(ADD + len(texts), texts, seed=13, prefix="fol-"))[len(texts) :]
    t0, c0 = time.perf_counter(), _cpu()
    with Corpus(db, DEFAULT.with_(semantic="off")) as c:
        report = c.ingest_articles(arts, provenance=False)
    return {
        "seconds": round(time.perf_counter() - t0, 2),
        "cpu_seconds": round(_cpu() - c0, 2),
        "new": report.new,
        "stories": report.stories,
    }


def open_time(db: str) -> dict:
    """Return the seconds to open the corpus at ``db`` and read its first page of stories."""
    from newstrace import Corpus  # the import is not part of opening a store

    t0 = time.perf_counter()
    with Corpus(db) as c:
        opened = time.perf_counter() - t0
        page = c.stories(limit=20)
    return {
        "open_s": round(opened, 3),
        "open_and_list_s": round(time.perf_counter() - t0, 3),
        "total": page["total"],
    }


def _child(*args: str) -> dict:
    # The child's progress lines (stderr) go straight to ours.
    out = subprocess.run(
        [sys.executable, __file__, "--child", *args], stdout=subprocess.PIPE, text=True, check=False
    )
    if out.returncode:
        sys.exit(f"child {args} failed with exit code {out.returncode}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def child(args: list[str], data: Path) -> dict:
    texts = store_corpus.base_texts(data)
    body, held = texts[:-HELD_OUT], texts[-HELD_OUT:]
    what, db = args[0], args[1]
    if what == "build":
        return build(db, int(args[2]), body)
    if what == "open":
        return open_time(db)
    return add(db, args[2], body, held)


def measure(n: int, workdir: Path) -> dict:
    """Build a store of ``n`` and measure open and the two 1,000-article additions against empty
    stores."""
    big = str(workdir / f"store-{n}.db")
    row = _child("build", big, str(n))
    print(json.dumps(row), file=sys.stderr, flush=True)
    row.update(_child("open", big))
    for kind in ("new", "follow"):
        empty = str(workdir / f"empty-{n}-{kind}.db")
        row[f"{kind}_empty"] = _child("add", empty, kind)
        row[f"{kind}_big"] = _child("add", big, kind)
        print(json.dumps(row), file=sys.stderr, flush=True)
    return row


def tables(rows: list[dict]) -> str:
    """Return the ingest table and the incremental table, in markdown."""
    out = [
        "| articles | seconds | articles/s | CPU seconds | stories | peak RSS (MB) |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    out += [
        f"| {r['n']:,} | {r['seconds']} | {r['articles_per_s']:,} "
        f"| {r['cpu_seconds']} | {r['stories']:,} "
        f"| {r['peak_rss_mb']:,} |"
        for r in rows
    ]
    head = (
        "| store | open (s) | open + first page (s) | +1,000 new: empty / store (s) | ratio "
        "| +1,000 follow-ups: empty / store (s) | ratio |"
    )
    out += ["", head, "|---:|---:|---:|---|---:|---|---:|"]
    for r in rows:
        ne, nb, fe, fb = (
            r[k]["seconds"] for k in ("new_empty", "new_big", "follow_empty", "follow_big")
        )
        out.append(
            f"| {r['n']:,} | {r['open_s']} | {r['open_and_list_s']} | {ne} / {nb} | {nb / ne:.2f} "
            f"| {fe} / {fb} | {fb / fe:.2f} |"
        )
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument(
        "--dir", type=Path, help="keep the stores here (default: a temporary directory)"
    )
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    data = store_corpus.data_dir()
    if data is None:
        print("Skipped: no shared data (set NEWSTRACE_DATA)")
        return
    if args.child:
        print(json.dumps(child(args.child, data)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        workdir = args.dir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        rows = [measure(n, workdir) for n in args.n]
    print(tables(rows))


if __name__ == "__main__":
    main()
