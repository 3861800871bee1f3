"""InSciOut through ``newstrace.compare``: does the drift a user reads say exaggerates / downplays /
same?

Run:  python bench/quality_insciout.py [--data DIR] [--json]

Each of the 100 InSciOut dev pairs becomes two short articles: A the paper's
abstract conclusion (the source), B the press release's conclusion. Both go
through the public ``compare``; the certainty and causality changes it reports
(``strengthened`` / ``weakened``, read from A to B, flipped back when compare
swapped the two) vote, and the sign of the vote is the label.

The mapping used for the headline figure was fixed before measuring: changes
of severity ``meaning`` of types certainty and causality. The other mappings
(certainty only; cosmetic changes too) are measured as well, and choosing
among them on the data is cross-validated with bench/cv.py (5-fold, three
seeds): the in-sample best next to its held-out figure.
Any exception from compare fails the run (exit 1).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cv import k_fold

FILE = "insciout-dev.jsonl"
LABEL = {"same": "same", "exaggerates": "strengthened", "downplays": "weakened"}
CLASSES = ("strengthened", "same", "weakened")
# (types, severities): the first is the mapping fixed before measuring.
MAPPINGS = (
    (("certainty", "causality"), ("meaning",)),
    (("certainty",), ("meaning",)),
    (("certainty", "causality"), ("meaning", "cosmetic")),
    (("certainty",), ("meaning", "cosmetic")),
)
SEEDS = (0, 1, 2)


class CompareFailed(Exception):
    """``compare`` raised on an InSciOut pair."""


def pair_changes(row: dict, settings) -> list[tuple[str, str, str | None]]:
    """Return (type, severity, direction A->B) of each change compare reports for one pair."""
    import newstrace

    try:
        c = newstrace.compare(row["abstract_conclusion"], row["press_release_conclusion"], settings)
    except Exception as exc:  # any crash on a benchmark pair fails the benchmark
        raise CompareFailed(
            f"insciout {row.get('original_file_id')}: {type(exc).__name__}: {exc}"
        ) from exc
    flip = {"strengthened": "weakened", "weakened": "strengthened"}
    return [
        (ch.type, ch.severity, flip.get(ch.direction, ch.direction) if c.swapped else ch.direction)
        for ch in c.drift
    ]


def label_of(changes: list, mapping: tuple) -> str:
    """Return strengthened / weakened / same from the net vote of the changes ``mapping`` counts."""
    types, severities = mapping
    vote = sum(
        (d == "strengthened") - (d == "weakened")
        for t, sev, d in changes
        if t in types and sev in severities
    )
    return "strengthened" if vote > 0 else "weakened" if vote < 0 else "same"


def macro_f1(pairs: list[tuple[str, str]]) -> float:
    """Return the mean F1 over CLASSES of (gold, predicted) pairs."""
    scores = []
    for c in CLASSES:
        tp = sum(g == c and p == c for g, p in pairs)
        fp = sum(g != c and p == c for g, p in pairs)
        fn = sum(g == c and p != c for g, p in pairs)
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(scores) / len(scores)


class _CueSupport:
    """Swap ``strength``'s cues for those a fold's training pairs support (see
    :func:`cue_support_cv`)."""

    def __init__(self, rows: list[dict]):
        from newstrace.changes import lexicon, strength

        self.lexicon, self.strength = lexicon, strength
        self.cues = lexicon.load("en").data["strength"]
        self.original, self.make = strength._cues, strength._Cues
        texts = [(r["abstract_conclusion"], r["press_release_conclusion"]) for r in rows]
        self.kinds = ("none", "correlational", "causal", "modal", "negators")
        self.fires = {
            (k, c): {
                i
                for i, pair in enumerate(texts)
                if any(lexicon.compile_list([c]).search(t) for t in pair)
            }
            for k in self.kinds
            for c in self.cues.get(k, [])
        }
        self.n = len(rows)

    def run(self, held: list[int], fn):
        """Return ``fn()`` with only the cues that fire on a pair outside ``held``."""
        lexicon, strength = self.lexicon, self.strength
        train = set(range(self.n)) - set(held)
        kept = {
            k: [c for c in self.cues.get(k, []) if self.fires[k, c] & train] for k in self.kinds
        }
        negator = (
            re.compile(lexicon.alternation(kept["negators"]) + r"\s*\Z", re.IGNORECASE)
            if kept["negators"]
            else strength._NEVER
        )
        restricted = self.make(*(lexicon.compile_list(kept[k]) for k in self.kinds[:4]), negator)
        strength._cues = lambda lang: restricted
        strength.claim_strength.cache_clear()
        try:
            return fn()
        finally:
            strength._cues = self.original
            strength.claim_strength.cache_clear()


def cue_support_cv(rows: list[dict], seeds=SEEDS) -> dict | None:
    """Return in-sample and held-out macro-F1 of ``strength_shift`` when each fold keeps only
    supported cues.

    The strength cues were tuned by hand on these pairs, which no fold can
    redo. As a stand-in, a fold keeps a cue only when it matches a text of its
    training pairs, so a cue added for one pair is gone when that pair is held
    out (leave-one-out) or its fold is (5-fold). A cue that fires elsewhere too
    stays, so this still flatters the cues. Returns None when the strength
    module's internals it swaps are not there (it reads ``strength._cues``).
    """
    from newstrace.changes import strength

    try:
        sup = _CueSupport(rows)
    except (AttributeError, KeyError):
        return None
    texts = [(r["abstract_conclusion"], r["press_release_conclusion"]) for r in rows]
    gold = [LABEL[r["exaggeration_label"]] for r in rows]

    def predict(held: list[int]) -> list[tuple[str, str]]:
        return sup.run(held, lambda: [(gold[i], strength.strength_shift(*texts[i])) for i in held])

    in_sample = macro_f1([(g, strength.strength_shift(*t)) for g, t in zip(gold, texts)])
    loo = macro_f1([x for i in range(len(rows)) for x in predict([i])])
    folds = [
        macro_f1([x for fold in k_fold(len(rows), 5, seed) for x in predict(fold)])
        for seed in seeds
    ]
    single = sum(len(v) == 1 for v in sup.fires.values())
    return {
        "in_sample": in_sample,
        "loo": loo,
        "kfold": folds,
        "cues": len(sup.fires),
        "cues_one_pair": single,
        "cues_unused": sum(not v for v in sup.fires.values()),
    }


def compare_cv(rows: list[dict], settings, seeds=SEEDS) -> dict | None:
    """Return held-out macro-F1 through ``compare`` with cue support per fold, and the mapping
    chosen on training pairs.

    ``loo``: leave-one-pair-out, each mapping fixed (no choice), keyed by
    mapping name. ``nested``: 5-fold per seed, where each fold restricts the
    cues to its training pairs, runs compare on all pairs with them, chooses
    the mapping on its training pairs and scores it on the held-out fold.
    """
    try:
        sup = _CueSupport(rows)
    except (AttributeError, KeyError):
        return None
    gold = [LABEL[r["exaggeration_label"]] for r in rows]
    loo_changes = [
        sup.run([i], lambda i=i: pair_changes(rows[i], settings)) for i in range(len(rows))
    ]
    loo = {
        _name(m): macro_f1([(g, label_of(ch, m)) for g, ch in zip(gold, loo_changes)])
        for m in MAPPINGS
    }
    nested = []
    for seed in seeds:
        held_pairs = []
        for fold in k_fold(len(rows), 5, seed):
            changes = sup.run(fold, lambda: [pair_changes(r, settings) for r in rows])
            train = [i for i in range(len(rows)) if i not in set(fold)]
            best = max(
                MAPPINGS,
                key=lambda m: (
                    macro_f1([(gold[i], label_of(changes[i], m)) for i in train]),
                    -MAPPINGS.index(m),
                ),
            )
            held_pairs += [(gold[i], label_of(changes[i], best)) for i in fold]
        nested.append(macro_f1(held_pairs))
    return {"loo": loo, "nested": nested}


def _name(mapping: tuple) -> str:
    return "+".join(mapping[0]) + " (" + "+".join(mapping[1]) + ")"


def run(data: Path, limit: int | None = None) -> dict:
    """Return {"markdown", "metrics"} (raises CompareFailed)."""
    from newstrace.settings import Settings

    rows = [
        json.loads(line)
        for line in (data / FILE).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ][:limit]
    settings = Settings()
    units = [(LABEL[r["exaggeration_label"]], pair_changes(r, settings)) for r in rows]

    def evaluate(mapping, unit):
        return unit[0], label_of(unit[1], mapping)

    fixed = [evaluate(MAPPINGS[0], u) for u in units]
    confusion = {g: Counter(p for gg, p in fixed if gg == g) for g in CLASSES}
    per = {_name(m): macro_f1([evaluate(m, u) for u in units]) for m in MAPPINGS}
    best = max(MAPPINGS, key=lambda m: (per[_name(m)], -MAPPINGS.index(m)))
    ccv = compare_cv(rows, settings)
    metrics = {
        "insciout_compare_macro_f1": round(macro_f1(fixed), 4),
        "insciout_compare_best_in_sample_macro_f1": round(per[_name(best)], 4),
        "insciout_compare_pairs": len(units),
    }
    lines = [
        (
            f"Each of the {len(units)} InSciOut pairs as two short "
            "articles (A the abstract's conclusion, B the press "
            "release's) through `newstrace.compare`; the strengthened "
            "/ weakened certainty and causality changes it "
            "reports vote (flipped back when compare swapped the "
            "two). Gold: exaggerates = strengthened, downplays "
            "= weakened."
        ),
        "",
        (
            f"In-sample, mapping fixed before measuring ({_name(MAPPINGS[0])}): macro-F1 "
            f"**{metrics['insciout_compare_macro_f1']:.3f}**. "
            "The claim-strength cues of `newstrace.changes` were "
            "tuned by hand on these same 100 pairs, so this is "
            "not an unseen-data figure; the cross-validated "
            "figures are below it."
        ),
        "",
        "| gold \\ predicted | " + " | ".join(CLASSES) + " |",
        "|---|---|---|---|",
        *[
            f"| {g} | " + " | ".join(str(confusion[g].get(p, 0)) for p in CLASSES) + " |"
            for g in CLASSES
        ],
        "",
    ]
    if ccv is None:
        lines.append(
            "Cross-validation through compare: not measured (the strength module changed)."
        )
    else:
        nested = sum(ccv["nested"]) / len(ccv["nested"])
        metrics.update(
            {
                "insciout_compare_cv_macro_f1": round(nested, 4),
                "insciout_compare_loo_macro_f1": round(ccv["loo"][_name(MAPPINGS[0])], 4),
            }
        )
        lines += [
            "| mapping | in-sample macro-F1 | leave-one-pair-out, cue support |",
            "|---|---:|---:|",
            *[
                f"| {_name(m)} | {per[_name(m)]:.3f} | {ccv['loo'][_name(m)]:.3f} |"
                for m in MAPPINGS
            ],
            "",
            (
                "Cross-validated (the target's figure): each fold "
                "keeps only the strength cues that match a text "
                "of its training pairs (see `strength_shift` "
                "below), runs compare with them, chooses the mapping "
                "on its training pairs and scores the held-out pairs. 5-fold, seeds "
                f"{', '.join(map(str, SEEDS))}: "
                f"{' / '.join(f'{x:.3f}' for x in ccv['nested'])}, mean "
                f"**{nested:.3f}**; in-sample best mapping {_name(best)} {per[_name(best)]:.3f}. "
                "Leave-one-pair-out with the fixed mapping: "
                f"**{ccv['loo'][_name(MAPPINGS[0])]:.3f}**."
            ),
            "",
        ]
    sup = cue_support_cv(rows)
    if sup is None:
        lines.append(
            "Cue-support cross-validation of `strength_shift`: "
            "not measured (the strength module changed)."
        )
    else:
        metrics.update(
            {
                "insciout_strength_shift_in_sample_macro_f1": round(sup["in_sample"], 4),
                "insciout_strength_shift_loo_macro_f1": round(sup["loo"], 4),
                "insciout_strength_shift_cv_macro_f1": round(
                    sum(sup["kfold"]) / len(sup["kfold"]), 4
                ),
            }
        )
        kfold = " / ".join(f"{x:.3f}" for x in sup["kfold"])
        lines += [
            (
                "`strength_shift` alone (the document-level certainty "
                "shift, not through compare): in-sample macro-F1 "
                f"{sup['in_sample']:.3f}. Its {sup['cues']} strength cues "
                "were tuned by hand on these pairs; no fold can redo "
                "that, so as a stand-in each fold keeps only the "
                "cues that match a text of its training pairs "
                f"({sup['cues_one_pair']} cues match a single pair, "
                f"{sup['cues_unused']} match none): leave-one-pair-out "
                f"**{sup['loo']:.3f}**, 5-fold {kfold} (seeds "
                f"{', '.join(map(str, SEEDS))}). This still flatters the cues "
                "(a cue tuned on several of these pairs survives "
                "every fold); the issue measured about 0.50 on unseen "
                "InSciOut pairs."
            ),
            "",
        ]
    return {"markdown": "\n".join(lines), "metrics": metrics}


def main(argv=None) -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from quality_realpairs import data_dir

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--data",
        type=Path,
        default=None,
        help="dev data folder (default $NEWSTRACE_DATA, ../shared/data)",
    )
    ap.add_argument("--json", action="store_true", help="print the metrics as JSON")
    args = ap.parse_args(argv)
    data = data_dir(args.data)
    if not (data / FILE).is_file():
        print(f"skipped: {data / FILE} not found")
        return 1 if __import__("os").environ.get("CI") == "true" else 0
    try:
        result = run(data)
    except CompareFailed as exc:
        print(f"quality_insciout FAILED: compare raised on {exc}", file=sys.stderr)
        return 1
    print(json.dumps(result["metrics"], indent=2) if args.json else result["markdown"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
