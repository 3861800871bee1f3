"""Time ``compare`` on two 1,000-word articles (lexical mode), in one process.

    python bench/speed.py [--data ../shared/data] [--runs 200] [--write]
    python bench/speed.py --semantic auto [--cold]   # with the [multilingual] extra

``--semantic auto`` picks the embedders as ``newstrace.compare`` does (within
one language: the paraphrase pass only); ``--cold`` empties the sentence
vector cache before every run, so each run embeds its sentences afresh.

The source is built from real article text in ``../shared/data`` (ECB+) when
present, else from the bundled fictional corpus; the derivative drops a fifth
of the sentences, rewords a third, swaps two paragraphs and adds sentences
from another article, so every alignment path is exercised.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from newstrace.model import Article
from newstrace.normalize import normalize
from newstrace.pairwise import compare_documents
from newstrace.settings import Settings

WORDS = 1000


def _texts(data: Path) -> list[str]:
    path = data / "ecbplus-dev.jsonl"
    if path.exists():
        with path.open(encoding="utf-8") as fh:
            return [json.loads(line)["text"] for line in fh if line.strip()]
    from importlib import resources

    corpus = Path(str(resources.files("newstrace.examples") / "corpus"))
    return [p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.txt"))]


def _take_words(texts: list[str], start: int, n: int) -> list[str]:
    """Return sentences (one per line) from ``texts`` from ``start`` on, until n words."""
    out, count = [], 0
    for text in texts[start:] + texts[:start]:
        for para in text.split("\n"):
            if len(para.split()) < 5:
                continue
            out.append(para.strip())
            count += len(para.split())
            if count >= n:
                return out
    return out


def _reword(sentence: str, rnd: random.Random) -> str:
    words = sentence.split()
    for _ in range(max(1, len(words) // 6)):
        i = rnd.randrange(len(words))
        words[i] = rnd.choice(["reportedly", "officials", "new", "several", "local", "more"])
    return " ".join(words)


def make_pair(texts: list[str], seed: int = 1, start: int = 3) -> tuple[Article, Article]:
    """Return a ~1,000-word source (text from ``texts[start:]``) and a derivative of about the
    same size."""
    rnd = random.Random(seed)
    paras = _take_words(texts, start, WORDS)
    derived = [p if rnd.random() > 0.33 else _reword(p, rnd) for p in paras if rnd.random() > 0.2]
    if len(derived) > 4:
        derived[1], derived[3] = derived[3], derived[1]
    derived += _take_words(texts, start + 37, 200)
    return (
        Article(text="\n\n".join(paras), id="src", outlet="Source Wire", language="en"),
        Article(text="\n\n".join(derived), id="drv", outlet="Copy Daily", language="en"),
    )


def time_compare(
    a: Article,
    b: Article,
    runs: int,
    semantic: str = "off",
    cold: bool = False,
    pairs: list[tuple[Article, Article]] | None = None,
) -> dict:
    """Return median and p90 milliseconds of normalize+compare and of each part.

    Every run compares ``a`` with ``b``, or, with ``pairs``, run k compares ``pairs[k]``
    (texts this process has not seen: no sentence-level cache holds them).
    """
    from newstrace.semantic import choose_embedder, paraphrase_embedder

    settings = Settings(semantic=semantic)
    embedder = choose_embedder(settings, "en", "en")
    paraphraser = paraphrase_embedder(settings, "en", "en")
    compare_documents(
        normalize(a), normalize(b), settings, embedder, paraphraser
    )  # warm caches (word lists, regexes)
    total, norm, align, story, drift = [], [], [], [], []
    for k in range(runs):
        if pairs is not None:
            a, b = pairs[k]
        for model in {id(m): m for m in (embedder, paraphraser) if m is not None and cold}.values():
            model._cache.clear()
        t0 = time.perf_counter()
        da, db = normalize(a), normalize(b)
        t1 = time.perf_counter()
        c = compare_documents(da, db, settings, embedder, paraphraser)
        t2 = time.perf_counter()
        total.append((t2 - t0) * 1e3)
        norm.append((t1 - t0) * 1e3)
        align.append(c.timings["align_ms"])
        story.append(c.timings["story_ms"])
        drift.append(c.timings["drift_ms"])
    q = lambda xs: (statistics.median(xs), sorted(xs)[int(len(xs) * 0.9)])
    return {
        "total": q(total),
        "normalize": q(norm),
        "align+verdict": q(align),
        "same-story score": q(story),
        "drift": q(drift),
        "compare_only": q([t - n for t, n in zip(total, norm)]),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--write", action="store_true", help="write the table into docs/benchmarks.md")
    ap.add_argument("--semantic", choices=("off", "auto", "on"), default="off")
    ap.add_argument(
        "--cold", action="store_true", help="empty the sentence vector cache before each run"
    )
    ap.add_argument(
        "--fresh",
        action="store_true",
        help="compare a pair of other texts in every run (nothing sentence-level is cached)",
    )
    args = ap.parse_args()
    texts = _texts(args.data)
    a, b = make_pair(texts)
    pairs = None
    if args.fresh and len(texts) < 90 + 3 * args.runs:
        sys.exit(
            f"--fresh needs {90 + 3 * args.runs} texts (the shared data's ECB+), not {len(texts)}"
        )
    if args.fresh:  # run k: a pair built from texts 50 + 3k on, none of them the warm-up's
        pairs = [make_pair(texts, seed=k + 2, start=50 + 3 * k) for k in range(args.runs)]
    res = time_compare(a, b, args.runs, args.semantic, args.cold, pairs)
    words = (len(a.text.split()), len(b.text.split()))
    if pairs:
        words = tuple(round(statistics.mean(len(p[i].text.split()) for p in pairs)) for i in (0, 1))
    mode = "lexical mode" if args.semantic == "off" else f"semantic={args.semantic}"
    cold = " (cold vector cache)" if args.cold else ""
    cold += ", a pair of other texts every run" if args.fresh else ""
    bundled = not (args.data / "ecbplus-dev.jsonl").exists()
    text_from = "the bundled corpus" if bundled else "ECB+ in ../shared/data"
    lines = [
        (
            f"Two articles of {words[0]} and {words[1]} words, {mode}{cold}, "
            f"{args.runs} runs in one process (text from {text_from})."
        ),
        "",
        "| stage | median ms | p90 ms |",
        "|---|---:|---:|",
    ] + [f"| {k} | {v[0]:.2f} | {v[1]:.2f} |" for k, v in res.items()]
    table = "\n".join(lines)
    print(table)
    if args.write:
        write_section(
            ROOT / "docs" / "benchmarks.md", "Compare speed", "python bench/speed.py --write", table
        )


LATEST = "### Latest run of `bench/speed.py --write`"


def write_section(path: Path, heading: str, command: str, body: str) -> None:
    """Write ``body`` as the latest-run subsection of the ``## heading`` section of ``path``.

    Only that subsection is replaced (or inserted first in the section); the rest of the
    section, the history of earlier measurements, is kept.
    """
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    block = f"{LATEST}\n\nCommand: `{command}` ({time.strftime('%Y-%m-%d')})\n\n{body}\n"
    start = text.find(f"## {heading}\n")
    if start < 0:
        text = text.rstrip("\n") + f"\n\n## {heading}\n\n" + block
    else:
        section_end = text.find("\n## ", start + 1)
        section_end = len(text) if section_end < 0 else section_end + 1
        at = text.find(LATEST + "\n", start, section_end)
        if at < 0:  # first in the section, after its heading line
            at = text.index("\n", start) + 1
            text = text[:at] + "\n" + block + text[at:]
        else:
            nxt = [i for i in (text.find("\n### ", at + 1), text.find("\n## ", at + 1)) if i >= 0]
            end = min(nxt) + 1 if nxt else len(text)
            text = text[:at] + block + "\n" + text[end:]
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
