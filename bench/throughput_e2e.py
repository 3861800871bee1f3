"""End-to-end corpus throughput: articles -> store -> stories (lexical, no provenance).

Run: ``python bench/throughput_e2e.py [--n 10000 100000]``. Each size runs in
its own process so peak memory (``resource.getrusage`` maxrss, the larger of the
main process and its preparing worker) and CPU seconds (both) are its own.
Articles are built from the texts in ``../shared/data`` (read in place, never
copied): every real text, then generated derivatives of them: syndicated
copies (same text plus a footer), near duplicates (a word changed per
sentence) and rewrites (sentences dropped and reordered, a new sentence).
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

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
FOOTER = "This article was generated from an automated news agency feed without modifications to text."


def base_texts(data: Path) -> list[str]:
    """Return the real article texts of the shared data (ECB+ and SemEval-2022)."""
    out = [json.loads(x)["text"] for x in (data / "ecbplus-dev.jsonl").open()]
    for line in (data / "semeval22-dev.jsonl").open():
        row = json.loads(line)
        out += [row["text1"], row["text2"]]
    return [t for t in out if len(t.split()) >= 30]


def derive(text: str, rng: random.Random) -> str:
    """Return a syndicated copy, a near duplicate or a rewrite of ``text``."""
    sents = [s for s in text.replace("\n", " ").split(". ") if s]
    kind = rng.random()
    if kind < 0.4:
        return f"{text}\n\n{FOOTER}"
    if kind < 0.7:
        words = text.split()
        for _ in range(max(1, len(words) // 25)):
            words[rng.randrange(len(words))] = rng.choice(["reportedly", "officials", "on Monday", "several"])
        return " ".join(words)
    kept = [s for s in sents if rng.random() > 0.3] or sents[:1]
    rng.shuffle(kept)
    return ". ".join(kept + [f"Analysts expect further updates from {rng.choice(['the ministry', 'the police', 'the club'])}"])


def corpus(n: int, data: Path, seed: int = 7) -> list:
    """Return ``n`` Articles: the real texts first, then derivatives of random ones."""
    from newstrace.model import Article

    rng = random.Random(seed)
    texts = base_texts(data)
    out = [Article(text=t, id=f"r{k}", outlet=f"outlet{k % 50}") for k, t in enumerate(texts[:n])]
    while len(out) < n:
        k = len(out)
        out.append(Article(text=derive(rng.choice(texts), rng), id=f"d{k}", outlet=f"outlet{k % 50}"))
    return out


def measure(n: int, data: Path) -> dict:
    """Ingest ``n`` generated articles into a fresh store; return rate and peak memory."""
    from newstrace import Corpus
    from newstrace.settings import DEFAULT

    articles = corpus(n, data)
    cpu0 = _cpu()
    with tempfile.TemporaryDirectory() as tmp, Corpus(Path(tmp) / "b.db", DEFAULT.with_(semantic="off")) as c:
        t0 = time.perf_counter()
        report = c.ingest_articles(articles, provenance=False)
        seconds = time.perf_counter() - t0
        stories = report.stories
    cpu = _cpu() - cpu0
    rss_mb = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) / 1024
    return {"n": n, "seconds": round(seconds, 2), "articles_per_s": round(n / seconds),
            "cpu_seconds": round(cpu, 1), "stories": stories, "peak_rss_mb": round(rss_mb)}  # fmt: skip


def _cpu() -> float:
    """Return user + system CPU seconds of this process and its finished children (the workers)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def markdown(rows: list[dict]) -> str:
    """Return the results as a markdown table."""
    lines = ["| articles | seconds | articles/s | CPU seconds | stories | peak RSS (MB) |",
             "|---:|---:|---:|---:|---:|---:|"]
    lines += [f"| {r['n']:,} | {r['seconds']} | {r['articles_per_s']:,} | {r['cpu_seconds']} | {r['stories']:,} "
              f"| {r['peak_rss_mb']:,} |" for r in rows]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a child process measures one size
    ap.add_argument("--data", type=Path, default=DATA)
    args = ap.parse_args()
    if not (args.data / "ecbplus-dev.jsonl").exists():
        print(f"Skipped: {args.data} has no ecbplus-dev.jsonl")
        return
    if args.one:
        print(json.dumps(measure(args.one, args.data)))
        return
    rows = []
    for n in args.n:
        out = subprocess.run([sys.executable, __file__, "--one", str(n), "--data", str(args.data)],
                             capture_output=True, text=True, check=True)  # fmt: skip
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(json.dumps(rows[-1]), file=sys.stderr)
    print(markdown(rows))


if __name__ == "__main__":
    main()
