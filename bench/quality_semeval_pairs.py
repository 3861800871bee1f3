"""Meaning flags on real news pairs of one language (SemEval-2022 Task 8): a precision probe.

Run: ``python bench/quality_semeval_pairs.py [--data DIR] [--show]``.

SemEval-2022 Task 8 (``semeval22-dev.jsonl``) pairs real news articles,
mostly from different outlets, rated for how alike their stories are (overall
1 = very similar to 4 = very dissimilar). Every same-language pair is compared
lexically. The pairs carry no drift labels, so this counts what a
fact-checker would be shown rather than a precision: on a pair called
``not_derived`` every ``meaning`` flag is false by construction; the flags on
pairs called derived are listed by ``--show`` to be read one by one (many of
these pairs are two editions of a recurring report, or share only a
site's boilerplate).

Without the data it skips with a message (exit 0), or fails under CI=true.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from quality_ecb_pairs import count_flags, markdown, show

ROOT = Path(__file__).resolve().parents[1]
FILE = "semeval22-dev.jsonl"


def data_dir(given: Path | None = None) -> Path | None:
    """Return the folder holding the SemEval file (``given``, $NEWSTRACE_DATA, ../shared/data)."""
    env = os.environ.get("NEWSTRACE_DATA")
    for p in [given, Path(env) if env else None, ROOT.parent / "shared" / "data"]:
        if p is not None and (p / FILE).exists():
            return p
    return None


def same_language_pairs(data: Path):
    """Yield (pair id and language, text 1, text 2) of every same-language pair."""
    with (data / FILE).open(encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            if r["lang1"] == r["lang2"]:
                yield (
                    f"{r['pair_id']} {r['lang1']} overall={r['overall']:.1f}",
                    r["text1"],
                    r["text2"],
                )


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path)
    ap.add_argument("--show", action="store_true", help="list every meaning flag in context")
    args = ap.parse_args(argv)
    data = data_dir(args.data)
    if data is None:
        msg = f"{FILE} not found: put the dev data in ../shared/data (or NEWSTRACE_DATA)"
        if os.environ.get("CI") == "true":
            print(f"CI=true: {msg}", file=sys.stderr)
            return 1
        print(f"Skipped: {msg}")
        return 0
    result = count_flags(same_language_pairs(data))
    print(markdown(result))
    if args.show:
        show(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
