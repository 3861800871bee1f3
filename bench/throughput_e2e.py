"""End-to-end corpus throughput: articles -> store -> stories (-> provenance), against datasketch.

Run: ``python bench/throughput_e2e.py [--n 10000 100000] [--kind copies families]
[--engines datasketch clustering provenance]``. Each (kind, size, engine) runs in
its own process, one after the other in the same run, so peak memory
(``resource.getrusage`` maxrss, the larger of the main process and its preparing
worker) and CPU seconds (both) are its own. Times exclude imports and building
the corpus; they include the store writes.

Engines:

- ``datasketch``: datasketch MinHash + MinHashLSH alone (word 3-gram shingles,
  128 permutations, 32 bands of 4 rows, each text queried then inserted): it
  only finds near-duplicate candidates;
- ``clustering``: ``Corpus.ingest_articles(provenance=False)``: stories only;
- ``provenance``: ``Corpus.ingest_articles()`` with default settings (semantic
  ``auto``; the ``[multilingual]`` extra is used when installed): stories with
  their provenance graphs and independent-source counts.

Corpus kinds, generated at run time from the texts in the shared data (read in
place, never copied; ``NEWSTRACE_DATA``, else ``../shared/data``, else
``/work/shared/data``):

- ``copies``: every real text, then generated derivatives of them: syndicated
  copies (same text plus a footer, 40%), near duplicates (a word changed per 25,
  30%) and rewrites (sentences dropped and reordered, a new sentence, 30%);
- ``families``: near-duplicate families with almost no exact copies: each
  family is a real text and 1 to 5 more versions of it; every article is the
  text with random word edits (about 4% of words replaced, dropped or
  inserted), and 30% get an extra passage (two sentences of another real text)
  appended.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOOTER = (
    "This article was generated from an automated news agency feed without modifications to text."
)
ENGINES = ("datasketch", "clustering", "provenance")
KINDS = ("copies", "families")


def data_dir() -> Path | None:
    """Return the shared data folder (NEWSTRACE_DATA, ../shared/data, /work/shared/data), or
    None."""
    env = os.environ.get("NEWSTRACE_DATA")
    for p in ([Path(env)] if env else []) + [
        ROOT.parent / "shared" / "data",
        Path("/work/shared/data"),
    ]:
        if (p / "ecbplus-dev.jsonl").exists():
            return p
    return None


def base_texts(data: Path) -> list[str]:
    """Return the real article texts of the shared data (ECB+ and SemEval-2022)."""
    out = [json.loads(x)["text"] for x in (data / "ecbplus-dev.jsonl").open()]
    for line in (data / "semeval22-dev.jsonl").open():
        row = json.loads(line)
        out += [row["text1"], row["text2"]]
    return [t for t in out if len(t.split()) >= 30]


def derive(text: str, rng: random.Random) -> str:
    """Return a syndicated copy, a near duplicate or a rewrite of ``text`` (the ``copies`` kind)."""
    sents = [s for s in text.replace("\n", " ").split(". ") if s]
    kind = rng.random()
    if kind < 0.4:
        return f"{text}\n\n{FOOTER}"
    if kind < 0.7:
        words = text.split()
        for _ in range(max(1, len(words) // 25)):
            words[rng.randrange(len(words))] = rng.choice(
                ["reportedly", "officials", "on Monday", "several"]
            )
        return " ".join(words)
    kept = [s for s in sents if rng.random() > 0.3] or sents[:1]
    rng.shuffle(kept)
    return ". ".join(
        kept
        + [
            (
                "Analysts expect further updates from "
                f"{rng.choice(['the ministry', 'the police', 'the club'])}"
            )
        ]
    )


def edit_words(text: str, rng: random.Random, vocab: list[str], rate: float = 0.04) -> str:
    """Return ``text`` with about ``rate`` of its words replaced, dropped or inserted (line breaks
    kept)."""
    lines = []
    for line in text.split("\n"):
        w = line.split(" ")
        for _ in range(round(rate * len(w))):
            i, op = rng.randrange(len(w)), rng.random()
            if op < 0.4:
                w[i] = rng.choice(vocab)
            elif op < 0.7 and len(w) > 1:
                del w[i]
            else:
                w.insert(i, rng.choice(vocab))
        lines.append(" ".join(w))
    return "\n".join(lines)


def passage(texts: list[str], rng: random.Random) -> str:
    """Return two sentences of a random real text (an extra passage)."""
    sents = [s for s in rng.choice(texts).replace("\n", " ").split(". ") if len(s.split()) > 4]
    start = rng.randrange(max(1, len(sents) - 1)) if sents else 0
    return ". ".join(sents[start : start + 2]) + "."


def corpus(n: int, data: Path, kind: str = "copies", seed: int = 7) -> list:
    """Return ``n`` Articles of corpus ``kind`` (see the module docstring)."""
    return list(iter_corpus(n, data, kind, seed))


def iter_corpus(n: int, data: Path, kind: str = "copies", seed: int = 7) -> Iterator:
    """Yield the Articles of :func:`corpus` one by one (a million need not fit in memory)."""
    from newstrace.model import Article

    rng = random.Random(seed)
    texts = base_texts(data)
    if kind == "copies":
        k = 0
        for t in texts[:n]:
            yield Article(text=t, id=f"r{k}", outlet=f"outlet{k % 50}")
            k += 1
        while k < n:
            yield Article(text=derive(rng.choice(texts), rng), id=f"d{k}", outlet=f"outlet{k % 50}")
            k += 1
        return
    vocab = sorted({w for t in texts[:300] for w in t.split() if w.isalpha()})
    k = 0
    while k < n:
        family = rng.choice(texts)
        for _ in range(min(n - k, 1 + rng.randint(1, 5))):
            text = edit_words(family, rng, vocab)
            if rng.random() < 0.3:
                text += "\n\n" + passage(texts, rng)
            yield Article(text=text, id=f"f{k}", outlet=f"outlet{k % 50}",
                          published=f"2025-{1 + k % 12:02d}-{1 + k % 28:02d}")  # fmt: skip
            k += 1


class Timed:
    """Wrap an iterator and add up the wall and CPU seconds spent producing its items.

    The corpus engines ingest the generated articles as they are made (so a million need not be
    held in memory); the time spent generating them is subtracted from the engine's figures.
    """

    def __init__(self, items: Iterator) -> None:
        self.items, self.wall, self.cpu = items, 0.0, 0.0

    def __iter__(self) -> Iterator:
        while True:
            w, c = time.perf_counter(), time.process_time()
            try:
                item = next(self.items)
            except StopIteration:
                return
            finally:
                self.wall += time.perf_counter() - w
                self.cpu += time.process_time() - c
            yield item


def run_datasketch(articles: list) -> dict:
    """Sign and index every text with datasketch; return candidate pairs found."""
    from datasketch import MinHash, MinHashLSH

    from newstrace.fingerprint import shingles

    t0 = time.perf_counter()
    sh = [[s.encode("utf-8") for s in shingles(a.text, 3)] for a in articles]
    sigs = MinHash.bulk(sh, num_perm=128, seed=1)
    lsh = MinHashLSH(num_perm=128, params=(32, 4))
    pairs = 0
    for i, m in enumerate(sigs):
        if sh[i]:
            pairs += len(lsh.query(m))
            lsh.insert(i, m)
    return {"seconds": time.perf_counter() - t0, "result": f"{pairs:,} candidate pairs"}


def run_corpus(articles: Timed, provenance: bool) -> dict:
    """Ingest into a fresh store; with ``provenance``, default settings (semantic auto).

    ``seconds`` leaves out the time spent generating the articles (see :class:`Timed`)."""
    from newstrace import Corpus
    from newstrace.settings import DEFAULT

    settings = DEFAULT if provenance else DEFAULT.with_(semantic="off")
    with tempfile.TemporaryDirectory() as tmp, Corpus(Path(tmp) / "b.db", settings) as c:
        t0 = time.perf_counter()
        report = c.ingest_articles(articles, provenance=provenance)
        seconds = time.perf_counter() - t0 - articles.wall
        result = f"{report.stories:,} stories"
        if provenance:
            top = c.stories(limit=1000)["stories"]
            multi = [s for s in top if (s["n_articles"] or 0) > 1]
            result += f", {report.compared:,} pair relations"
            result += (
                f", {sum(s['independent_sources'] or 0 for s in multi):,} "
                f"sources in the {len(multi)} largest"
            )
    return {"seconds": seconds, "result": result}


def measure(kind: str, n: int, engine: str, data: Path) -> dict:
    """Run one engine on one corpus in this process; return rate, CPU and peak memory."""
    if engine == "datasketch":
        articles = corpus(n, data, kind)
        cpu0 = _cpu()
        out = run_datasketch(articles)
        cpu = _cpu() - cpu0
    else:  # generated while ingesting, the generating time left out
        articles = Timed(iter_corpus(n, data, kind))
        cpu0 = _cpu()
        out = run_corpus(articles, engine == "provenance")
        cpu = _cpu() - cpu0 - articles.cpu
    # ru_maxrss: the process's own peak, and the largest peak of its finished children (the
    # preparing worker); their sum bounds the two processes' peak together from above
    main_mb, worker_mb = (
        resource.getrusage(who).ru_maxrss / 1024
        for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    rss_mb = max(main_mb, worker_mb)
    return {
        "kind": kind,
        "n": n,
        "engine": engine,
        "seconds": round(out["seconds"], 2),
        "articles_per_s": round(n / out["seconds"]),
        "cpu_seconds": round(cpu, 1),
        "result": out["result"],
        "peak_rss_mb": round(rss_mb),
        "peak_rss_main_mb": round(main_mb),
        "peak_rss_worker_mb": round(worker_mb),
        "multilingual": _multilingual(),
    }


def _multilingual() -> bool:
    from newstrace.semantic import available

    return available()


def _cpu() -> float:
    """Return user + system CPU seconds of this process and its finished children (the workers)."""
    own, kids = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def markdown(rows: list[dict]) -> str:
    """Return the results as a markdown table, with each engine's rate against datasketch's."""
    base = {(r["kind"], r["n"]): r["articles_per_s"] for r in rows if r["engine"] == "datasketch"}
    lines = [
        (
            "| corpus | articles | engine | seconds | articles/s | "
            "vs datasketch | CPU seconds | peak RSS (MB) | result |"
        ),
        "|---|---:|---|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        ref = base.get((r["kind"], r["n"]))
        ratio = f"{r['articles_per_s'] / ref:.2f}x" if ref else "–"
        lines.append(
            f"| {r['kind']} | {r['n']:,} | {r['engine']} | "
            f"{r['seconds']} | {r['articles_per_s']:,} | {ratio} "
            f"| {r['cpu_seconds']} | {r['peak_rss_mb']:,} | {r['result']} |"
        )
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--kind", nargs="+", choices=KINDS, default=list(KINDS))
    ap.add_argument("--engines", nargs="+", choices=ENGINES, default=list(ENGINES))
    ap.add_argument(
        "--one", nargs=3, help=argparse.SUPPRESS
    )  # a child process measures (kind, n, engine)
    args = ap.parse_args()
    data = data_dir()
    if data is None:
        if os.environ.get("CI") == "true":
            sys.exit("the shared data (ecbplus-dev.jsonl) is missing; set NEWSTRACE_DATA")
        print("Skipped: no shared data found (set NEWSTRACE_DATA, or put it in ../shared/data)")
        return
    if args.one:
        print(json.dumps(measure(args.one[0], int(args.one[1]), args.one[2], data)))
        return
    rows = []
    for kind in args.kind:
        for n in args.n:
            for engine in args.engines:
                out = subprocess.run([sys.executable, __file__, "--one", kind, str(n), engine],
                                     capture_output=True, text=True, check=True)  # fmt: skip
                rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
                print(json.dumps(rows[-1]), file=sys.stderr)
    print(markdown(rows))


if __name__ == "__main__":
    main()
