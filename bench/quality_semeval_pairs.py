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
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from quality_ecb_pairs import count_flags, find_data, markdown, missing, rates, report

FILE = "semeval22-dev.jsonl"


def data_dir(given: Path | None = None) -> Path | None:
    """Return the folder holding the SemEval file (``given``, $NEWSTRACE_DATA, ../shared/data)."""
    return find_data(FILE, given)


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


def run(data: Path) -> dict:
    """Return ``{"metrics", "markdown"}`` for bench/quality.py (the gate caps the flags per pair
    of either kind: none is labelled, so the cap on derived pairs is a regression guard)."""
    result = count_flags(same_language_pairs(data))
    intro = (
        "Command: `python bench/quality_semeval_pairs.py [--show]` (lexical). Every "
        "same-language SemEval-2022 pair (real articles, mostly of different outlets) is "
        "compared. No drift labels: on a pair called `not_derived` every `meaning` flag is "
        "false by construction; the flags on pairs called derived were read one by one "
        "(docs/quality.md, the SemEval probe) and most left ones are doubtful, so their rate is "
        "capped as a regression guard.\n\n"
    )
    return {"metrics": rates(result, "semeval"), "markdown": intro + markdown(result) + "\n"}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path)
    ap.add_argument("--show", action="store_true", help="list every meaning flag in context")
    args = ap.parse_args(argv)
    data = data_dir(args.data)
    if data is None:
        return missing(FILE)
    return report(count_flags(same_language_pairs(data)), args.show)


if __name__ == "__main__":
    sys.exit(main())
