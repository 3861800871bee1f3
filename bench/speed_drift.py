"""Speed of the drift stage: sentence_changes over 50 aligned sentence pairs.

Run: ``python bench/speed_drift.py``. Per-sentence caches are cleared before
every repeat, so each timing is a cold pass over a new article pair; compiled
lexicons stay loaded, as they do in a running process.
"""

from __future__ import annotations

import json
import pathlib
import statistics
import time

from newstrace.changes import (
    attribution,
    certainty,
    dates,
    entities,
    numbers,
    quotes,
    sentence_changes,
)

CASES = pathlib.Path(__file__).resolve().parent.parent / "tests" / "data" / "drift_cases.jsonl"
_CACHED = (
    numbers.find_quantities,
    dates.find_dates,
    certainty.certainty,
    attribution.find_source,
    attribution.find_sources,
    quotes.find_quotes,
    entities.find_entities,
)


def pairs(n: int = 50) -> list[tuple[str, str, str, str]]:
    """Return ``n`` (a, b, lang_a, lang_b) pairs: every labelled case changes something or is a
    rewrite."""
    rows = [json.loads(line) for line in CASES.read_text("utf-8").splitlines() if line.strip()]
    rows = [r for r in rows if r["a"] != r["b"]]
    return [(r["a"], r["b"], r["lang_a"], r["lang_b"]) for r in (rows * 2)[:n]]


def _clear() -> None:
    for fn in _CACHED:
        fn.cache_clear()


def time_drift(n: int = 50, repeats: int = 31) -> float:
    """Return the median milliseconds to run sentence_changes over ``n`` pairs, caches cold."""
    work = pairs(n)
    for a, b, la, lb in work:  # compile every language's lexicon once, as a process would
        sentence_changes(a, b, la, lb)
    times = []
    for _ in range(repeats):
        _clear()
        start = time.perf_counter()
        for i, (a, b, la, lb) in enumerate(work):
            sentence_changes(a, b, la, lb, i, i)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


if __name__ == "__main__":
    print(f"drift: median {time_drift():.2f} ms for 50 sentence pairs")
