"""Honest figures for anything fitted on a dev set: choose on the training folds, score the held-out
one.

Use it for every threshold or option chosen on the benchmark data, and report
``cv`` next to ``in_sample``::

    from cv import cross_validate, leave_one_out

    result = cross_validate(
        units=pairs,                              # e.g. the 10 real pairs, or ECB+ topics
        candidates=[0.30, 0.34, 0.40],            # parameter values, in order of preference
        evaluate=lambda t, pair: counts(t, pair),  # per-unit statistics for one value
        summarize=f1_of_summed_counts,            # statistics of many units -> score (higher is
        better)
        folds=leave_one_out(len(pairs)),          # or k_fold(len(units), 5, seed=0)
    )
    result["in_sample"], result["cv"], result["chosen"]

``evaluate`` is called once per (candidate, unit) and cached, so an expensive
compare runs once per value. The held-out statistics of every fold are pooled
and summarized once, so pooled measures (precision over all pairs) stay
pooled. Ties go to the earlier candidate.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from typing import Any


def leave_one_out(n: int) -> list[list[int]]:
    """Return the held-out index lists of leave-one-out over ``n`` units."""
    return [[i] for i in range(n)]


def k_fold(n: int, k: int = 5, seed: int = 0) -> list[list[int]]:
    """Return ``k`` held-out index lists covering ``range(n)`` once each, shuffled with ``seed``.

    Raises ValueError when ``k`` is not between 2 and ``n``.
    """
    if not 2 <= k <= n:
        raise ValueError(f"k must be between 2 and the number of units ({n}), got {k}")
    order = list(range(n))
    random.Random(seed).shuffle(order)
    return [sorted(order[i::k]) for i in range(k)]


def cross_validate(
    units: Sequence[Any],
    candidates: Sequence[Any],
    evaluate: Callable[[Any, Any], Any],
    summarize: Callable[[list], float],
    folds: list[list[int]],
) -> dict:
    """Return in-sample and cross-validated scores of choosing a candidate on the data.

    Keys: ``in_sample`` (best candidate and its score on all units),
    ``per_candidate`` (score of each value on all units), ``cv`` (the pooled
    held-out score when each fold's value is chosen on the other folds) and
    ``chosen`` (the value each fold chose). Raises ValueError on no candidates
    or folds that do not cover every unit once.
    """
    if not candidates:
        raise ValueError("no candidate values")
    if sorted(i for fold in folds for i in fold) != list(range(len(units))):
        raise ValueError("folds must cover every unit exactly once")
    stats = [[evaluate(c, u) for u in units] for c in candidates]

    def best(indices: list[int]) -> int:
        scores = [summarize([stats[ci][i] for i in indices]) for ci in range(len(candidates))]
        return max(range(len(candidates)), key=lambda ci: (_num(scores[ci]), -ci))

    everything = list(range(len(units)))
    per = {repr(c): summarize(stats[ci]) for ci, c in enumerate(candidates)}
    top = best(everything)
    held, chosen = [], []
    for fold in folds:
        inside = set(fold)
        ci = best([i for i in everything if i not in inside])
        chosen.append(candidates[ci])
        held += [stats[ci][i] for i in fold]
    return {
        "in_sample": (candidates[top], summarize(stats[top])),
        "per_candidate": per,
        "cv": summarize(held),
        "chosen": chosen,
    }


def _num(x: float) -> float:
    return float("-inf") if math.isnan(x) else x  # nan never wins
