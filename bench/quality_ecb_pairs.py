"""Meaning flags on independent reports of one event (ECB+ same-event pairs): a precision probe.

Run: ``python bench/quality_ecb_pairs.py [--data DIR] [--pairs 4] [--show]``.

ECB+ (``ecbplus-dev.jsonl``) holds several articles per real event, written by
different outlets. For each event, its first ``--pairs`` article pairs are
compared (lexical, as ``newstrace compare`` runs without the extra). The
articles were not labelled for drift, so this is no precision figure; it
counts what a fact-checker would be shown:

- meaning flags on pairs the verdict calls ``not_derived``: B took nothing
  from A, so every such flag is false by construction (two reports may differ,
  but neither changed what the other said);
- meaning flags on pairs called derived (partially or wholly): unlabelled,
  listed with ``--show`` so they can be read one by one.

Without the data it skips with a message (exit 0), or fails under CI=true.
"""

from __future__ import annotations

import argparse
import collections
import itertools
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def find_data(name: str, given: Path | None = None) -> Path | None:
    """Return the folder holding file ``name`` (``given``, $NEWSTRACE_DATA, ../shared/data)."""
    env = os.environ.get("NEWSTRACE_DATA")
    for p in [given, Path(env) if env else None, ROOT.parent / "shared" / "data"]:
        if p is not None and (p / name).exists():
            return p
    return None


def data_dir(given: Path | None = None) -> Path | None:
    """Return the folder holding ecbplus-dev.jsonl (``given``, $NEWSTRACE_DATA, ../shared/data)."""
    return find_data("ecbplus-dev.jsonl", given)


def missing(name: str) -> int:
    """Say that data file ``name`` is absent; return the exit code (1 under CI=true, else 0)."""
    msg = f"{name} not found: put the dev data in ../shared/data (or NEWSTRACE_DATA)"
    if os.environ.get("CI") == "true":
        print(f"CI=true: {msg}", file=sys.stderr)
        return 1
    print(f"Skipped: {msg}")
    return 0


def report(result: dict, shown: bool) -> int:
    """Print the counts of ``result`` (and every flag when ``shown``); return 0."""
    print(markdown(result))
    if shown:
        show(result)
    return 0


def _in_context(doc, span) -> str:
    if span is None:
        return ""
    text = doc.sentences[span.sentence].text
    return f"{text[: span.start]}[[{text[span.start : span.end]}]]{text[span.end :]}"


def event_pairs(data: Path, per_event: int = 4):
    """Yield (event, A record, B record): the first ``per_event`` pairs of each ECB+ event."""
    rows = [json.loads(x) for x in (data / "ecbplus-dev.jsonl").open(encoding="utf-8")]
    events = collections.defaultdict(list)
    for r in rows:
        events[r["event"]].append(r)
    for event in sorted(events):
        for a, b in list(itertools.combinations(events[event], 2))[:per_event]:
            yield event, a["text"], b["text"]


def count_flags(pairs) -> dict:
    """Compare each (name, A text, B text) lexically; return counts per verdict and the flags."""
    from newstrace import compare
    from newstrace.model import Article
    from newstrace.settings import DEFAULT

    settings = DEFAULT.with_(semantic="off")
    counts, flags, shown = collections.Counter(), collections.Counter(), []
    for name, a, b in pairs:
        c = compare(
            Article(text=a, id="a", outlet="Outlet A"),
            Article(text=b, id="b", outlet="Outlet B"),
            settings,
        )
        meaning = [ch for ch in c.drift if ch.severity == "meaning"]
        counts[c.verdict] += 1
        flags[c.verdict] += len(meaning)
        shown += [
            (name, c.verdict, ch, _in_context(c.a, ch.a_span), _in_context(c.b, ch.b_span))
            for ch in meaning
        ]
    return {"pairs": dict(counts), "flags": dict(flags), "shown": shown}


def probe(data: Path, per_event: int = 4) -> dict:
    """Compare the same-event pairs; return counts per verdict and the flags found."""
    return count_flags(event_pairs(data, per_event))


def show(result: dict) -> None:
    """Print every meaning flag of ``result`` in context."""
    for name, verdict, ch, a, b in result["shown"]:
        print(f"\n{name} ({verdict}) [{ch.type}, confidence {ch.confidence:.2f}]")
        print(f"  {ch.explanation}\n  A: {a[:300]}\n  B: {b[:300]}")


def rates(result: dict, prefix: str) -> dict:
    """Return the meaning flags per not-derived and per derived pair, as gate metrics."""
    n = result["pairs"].get("not_derived", 0)
    derived = sum(v for k, v in result["pairs"].items() if k != "not_derived")
    flagged = sum(v for k, v in result["flags"].items() if k != "not_derived")
    return {
        f"{prefix}_not_derived_meaning_per_pair": round(
            result["flags"].get("not_derived", 0) / n, 4
        )
        if n
        else float("nan"),
        f"{prefix}_derived_meaning_per_pair": round(flagged / derived, 4)
        if derived
        else float("nan"),
    }


def run(data: Path) -> dict:
    """Return ``{"metrics", "markdown"}`` for bench/quality.py (the gate caps the flags per
    not-derived pair)."""
    result = probe(data)
    metrics = rates(result, "ecb")
    intro = (
        "Command: `python bench/quality_ecb_pairs.py [--show]` (lexical). ECB+ has several "
        "articles per real event from different outlets; the first four pairs of each event are "
        "compared. They carry no drift labels, so this is a probe, not a precision figure: on a "
        "pair the verdict calls `not_derived` B took nothing from A, so every `meaning` flag there "
        "is false by construction (the gate caps them per pair); flags on pairs called derived "
        "are unlabelled and listed by `--show` to be read.\n\n"
    )
    return {"metrics": metrics, "markdown": intro + markdown(result) + "\n"}


def markdown(result: dict) -> str:
    """Return the counts as a markdown table."""
    lines = [
        "| verdict | pairs | meaning flags | per pair |",
        "|---|---:|---:|---:|",
    ]
    for verdict in ("not_derived", "partially_derived", "wholly_derived"):
        n, f = result["pairs"].get(verdict, 0), result["flags"].get(verdict, 0)
        lines.append(f"| {verdict} | {n} | {f} | {f / n if n else 0:.2f} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path)
    ap.add_argument("--pairs", type=int, default=4, help="pairs per event (default 4)")
    ap.add_argument("--show", action="store_true", help="list every meaning flag in context")
    args = ap.parse_args(argv)
    data = data_dir(args.data)
    if data is None:
        return missing("ecbplus-dev.jsonl")
    return report(probe(data, args.pairs), args.show)


if __name__ == "__main__":
    sys.exit(main())
