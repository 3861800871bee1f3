"""Synthetic corpora from the real texts in the shared data, for the store benchmarks.

Read in place (never copied): ``$NEWSTRACE_DATA``, else ``../shared/data`` from
the repository root, else ``/work/shared/data``. Two kinds:

- ``copies``: copy-heavy, as bench/throughput_e2e.py makes them: the real
  texts, then 40% syndicated copies (same text plus a footer), 30% near
  duplicates (a word changed in 25) and 30% rewrites (sentences dropped and
  shuffled, a sentence added);
- ``families``: near-duplicate families with almost no exact copies: each
  real text gets ``family`` variants with random word edits (one word in
  20), 30% of them with a passage of another text appended.
"""

from __future__ import annotations

import json
import os
import random
import sys
from pathlib import Path

FOOTER = (
    "This article was generated from an automated news agency feed without modifications to text."
)
FILLERS = ("reportedly", "officials", "on Monday", "several", "later", "again", "nearly")


def data_dir() -> Path | None:
    """Return the shared data directory, or None (exit 1 when CI=true) when it is absent."""
    env = os.environ.get("NEWSTRACE_DATA")
    repo = Path(__file__).resolve().parents[1]
    for d in ([Path(env)] if env else []) + [
        repo.parent / "shared" / "data",
        Path("/work/shared/data"),
    ]:
        if (d / "ecbplus-dev.jsonl").exists():
            return d
    if os.environ.get("CI") == "true":
        sys.exit("shared data not found (set NEWSTRACE_DATA); CI needs it")
    return None


def base_texts(data: Path) -> list[str]:
    """Return the real article texts of the shared data (ECB+ and SemEval-2022), 30 words or
    more."""
    out = [json.loads(x)["text"] for x in (data / "ecbplus-dev.jsonl").open()]
    for line in (data / "semeval22-dev.jsonl").open():
        row = json.loads(line)
        out += [row["text1"], row["text2"]]
    return [t for t in out if len(t.split()) >= 30]


def _edit(text: str, every: int, rng: random.Random) -> str:
    words = text.split()
    for _ in range(max(1, len(words) // every)):
        words[rng.randrange(len(words))] = rng.choice(FILLERS)
    return " ".join(words)


def _copy_heavy(text: str, rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.4:
        return f"{text}\n\n{FOOTER}"
    if kind < 0.7:
        return _edit(text, 25, rng)
    sents = [s for s in text.replace("\n", " ").split(". ") if s]
    kept = [s for s in sents if rng.random() > 0.3] or sents[:1]
    rng.shuffle(kept)
    return ". ".join(
        kept
        + [f"Analysts expect further updates from {rng.choice(['the ministry', 'the police'])}"]
    )


def articles(
    kind: str, n: int, texts: list[str], seed: int = 7, prefix: str = "", family: int = 5
) -> list:
    """Return ``n`` Articles of corpus ``kind`` ("copies" or "families") built from ``texts``."""
    from newstrace.model import Article

    rng = random.Random(seed)
    out = []
    if kind == "copies":
        out = [
            Article(text=t, id=f"{prefix}r{k}", outlet=f"outlet{k % 50}")
            for k, t in enumerate(texts[:n])
        ]
        while len(out) < n:
            k = len(out)
            out.append(
                Article(
                    text=_copy_heavy(rng.choice(texts), rng),
                    id=f"{prefix}d{k}",
                    outlet=f"outlet{k % 50}",
                )
            )
        return out
    if kind != "families":
        raise ValueError(f"kind must be 'copies' or 'families', got {kind!r}")
    while len(out) < n:
        base = texts[(len(out) // family) % len(texts)]
        body = _edit(base, 20, rng)
        if rng.random() < 0.3:
            other = rng.choice(texts).split("\n\n")
            body += "\n\n" + other[rng.randrange(len(other))]
        k = len(out)
        out.append(Article(text=body, id=f"{prefix}v{k}", outlet=f"outlet{k % 50}"))
    return out
