"""A learned claim-strength model for InSciOut, fitted only inside each fold: does it beat the cues?

Run:  python bench/insciout_learned.py [--data DIR] [--json]

The shipped claim-strength cues (``changes/strength.py``, lexicon ``strength``) were tuned by
hand on the 100 InSciOut dev pairs. This experiment asks whether a principled alternative
carries over better: a ridge regression of the experts' 0-3 strength of each text over a
few interpretable features, fitted on the training pairs of each fold (both texts of each
pair, with their expert strengths), with the shift margin chosen on the same training pairs,
and scored on the held-out pairs (label: strengthened / same / weakened from the difference
of the predicted strengths).

Feature sets:

- ``literature``: cue classes written for this experiment from the linguistics and
  science-communication literature, not from these pairs: hedges and boosters (Hyland 1998,
  *Hedging in Scientific Research Articles*), the correlational / conditional causal /
  direct causal scale and its typical wordings (Sumner et al. 2014, BMJ 349:g7015;
  Adams et al. 2017, J. Exp. Psychol.: Applied 23(1); Yu, Li and Wang 2019, "Detecting
  causal language use in science findings", EMNLP). Read as the shipped rule reads a
  claim: the first relationship cue of the first sentence that has one, whether it is
  causal or correlational, a hedge shortly before it, a negator right before it.
- ``rule``: the shipped rule's level of the text (one-hot 0-3), with only the cues that
  match a text of the fold's training pairs (the cue-support stand-in of
  bench/quality_insciout.py), so the model can re-weigh the rule's levels.
- ``rule+literature``: both.

Figures: in-sample (fitted and scored on all 100 pairs), 5-fold (seeds 0, 1, 2) and
leave-one-pair-out; next to them the rule alone under the same cue support.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cv import k_fold, leave_one_out

FILE = "insciout-dev.jsonl"
LABEL = {"downplays": 0, "same": 1, "exaggerates": 2}
SEEDS = (0, 1, 2)
RIDGE = 1.0  # fixed before measuring; the per-fold choice is the margin only
MARGINS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8)
HEDGE_REACH, NEGATOR_REACH = 40, 30  # characters before the cue, as in changes/strength.py

CUES = {
    "hedge": r"\b(may|might|could|can|possibly|potentially|perhaps|likely|unlikely|appears? to|"
    r"seems? to|suggests?|suggested|suggesting|indicates?|indicated|probably|plausibl\w*|"
    r"putative\w*)\b",
    "correlational": r"\b(associat\w*|link(s|ed)? (to|with)|link between|correlat\w*|related to|"
    r"relationship between|relation(ship)? (to|with)|predict\w*|more likely|less likely|"
    r"higher risk|lower risk|odds|risk of)\b",
    "causal": r"\b(caus\w*|lead(s|ing)? to|led to|result(s|ed|ing)? in|increas\w*|reduc\w*|"
    r"decreas\w*|improv\w*|prevent\w*|protect\w*|boost\w*|cuts?|raises?|lower(s|ed)?|"
    r"trigger\w*|effective\w*|efficac\w*|benefi\w*|harm\w*|due to|because|effect of|impact\w*|"
    r"saving|saves?|halv\w*|doubl\w*|worsen\w*|help(s|ed)?)\b",
    "negator": r"\b(no|not|without|neither|nor|none|lack of|fail(s|ed)? to)\b|n't\b",
    "booster": r"\b(shows?|showed|shown|demonstrat\w*|prov(e|es|ed|en)|clearly|confirm\w*|"
    r"establish\w*|definitely|will|must|certainly)\b",
}
_P = {k: re.compile(v, re.IGNORECASE) for k, v in CUES.items()}
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def literature_features(text: str) -> list[float]:
    """Return [causal first, correlational first, hedged, negated, no cue, hedge, booster]."""
    for s in _SENTENCE.split(text.strip()):
        causal, corr = _P["causal"].search(s), _P["correlational"].search(s)
        if causal or corr:
            break
    else:
        return [0, 0, 0, 0, 1, float(bool(_P["hedge"].search(text))), 0]
    first_causal = bool(causal) and (not corr or causal.start() < corr.start())
    at = (causal if first_causal else corr).start()
    return [
        float(first_causal),
        float(not first_causal),
        float(bool(_P["hedge"].search(s[max(0, at - HEDGE_REACH) : at]))),
        float(bool(_P["negator"].search(s[max(0, at - NEGATOR_REACH) : at]))),
        0.0,
        float(bool(_P["hedge"].search(s))),
        float(bool(_P["booster"].search(s))),
    ]


def macro_f1(gold: np.ndarray, pred: np.ndarray) -> float:
    scores = []
    for c in range(3):
        tp = int(((gold == c) & (pred == c)).sum())
        fp = int(((gold != c) & (pred == c)).sum())
        fn = int(((gold == c) & (pred != c)).sum())
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return float(np.mean(scores))


def _ridge(x: np.ndarray, t: np.ndarray) -> np.ndarray:
    x1 = np.c_[np.ones(len(x)), x]
    reg = RIDGE * np.eye(x1.shape[1])
    reg[0, 0] = 0.0  # the intercept is not shrunk
    return np.linalg.solve(x1.T @ x1 + reg, x1.T @ t)


def _label(diff: np.ndarray, margin: float) -> np.ndarray:
    return np.where(diff > margin, 2, np.where(diff < -margin, 0, 1))


class Experiment:
    def __init__(self, rows: list[dict]):
        from quality_insciout import _CueSupport

        from newstrace.changes import strength

        self.rows, self.strength, self.support = rows, strength, _CueSupport(rows)
        self.y = np.array([LABEL[r["exaggeration_label"]] for r in rows])
        self.sa = np.array([r["abstract_strength"] for r in rows], float)
        self.sb = np.array([r["press_release_strength"] for r in rows], float)
        self.lit = [
            np.array([literature_features(r[k]) for r in rows])
            for k in ("abstract_conclusion", "press_release_conclusion")
        ]
        self._rule: dict[tuple, tuple] = {}

    def rule_levels(self, held: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """Return one-hot rule levels of (abstracts, press releases) under the fold's cue
        support."""
        key = tuple(held)
        if key not in self._rule:

            def levels():
                return [
                    [int(self.strength.claim_strength(r[k])) for r in self.rows]
                    for k in ("abstract_conclusion", "press_release_conclusion")
                ]

            la, lb = self.support.run(held, levels)
            self._rule[key] = (np.eye(4)[la], np.eye(4)[lb])
        return self._rule[key]

    def features(self, kind: str, held: list[int]) -> tuple[np.ndarray, np.ndarray]:
        if kind == "literature":
            return self.lit[0], self.lit[1]
        ra, rb = self.rule_levels(held)
        if kind == "rule":
            return ra, rb
        return np.c_[ra, self.lit[0]], np.c_[rb, self.lit[1]]

    def predict(self, kind: str, held: list[int], train: list[int]) -> np.ndarray:
        xa, xb = self.features(kind, held)
        w = _ridge(np.r_[xa[train], xb[train]], np.r_[self.sa[train], self.sb[train]])

        def diff(idx):
            return np.c_[np.ones(len(idx)), xb[idx]] @ w - np.c_[np.ones(len(idx)), xa[idx]] @ w

        d_train = diff(train)
        margin = max(
            MARGINS, key=lambda m: (macro_f1(self.y[train], _label(d_train, m)), -m)
        )  # ties: the larger margin
        return _label(diff(held), margin)

    def rule_alone(self, held: list[int]) -> np.ndarray:
        """Return the shipped rule's labels of ``held`` (strength_shift's margin 0.5)."""
        ra, rb = self.rule_levels(held)
        diff = rb[held].argmax(1) - ra[held].argmax(1)
        return _label(diff.astype(float), 0.5)

    def score(self, kind: str, folds: list[list[int]]) -> float:
        pred = np.zeros(len(self.rows), int)
        everything = set(range(len(self.rows)))
        for fold in folds:
            train = sorted(everything - set(fold))
            pred[fold] = (
                self.rule_alone(fold) if kind == "rule alone" else self.predict(kind, fold, train)
            )
        return macro_f1(self.y, pred)

    def in_sample(self, kind: str) -> float:
        """Return the macro-F1 when fitted (and, for the rule, its cues kept) on all pairs."""
        everything = list(range(len(self.rows)))
        if kind == "rule alone":
            ra, rb = self.rule_levels([])
            return macro_f1(self.y, _label((rb.argmax(1) - ra.argmax(1)).astype(float), 0.5))
        xa, xb = self.features(kind, [])
        w = _ridge(np.r_[xa, xb], np.r_[self.sa, self.sb])
        d = np.c_[np.ones(len(xb)), xb] @ w - np.c_[np.ones(len(xa)), xa] @ w
        margin = max(MARGINS, key=lambda m: (macro_f1(self.y[everything], _label(d, m)), -m))
        return macro_f1(self.y, _label(d, margin))


KINDS = ("rule alone", "literature", "rule", "rule+literature")


def run(data: Path) -> dict:
    rows = [
        json.loads(line)
        for line in (data / FILE).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    ex = Experiment(rows)
    out = {}
    for kind in KINDS:
        out[kind] = {
            "in_sample": round(ex.in_sample(kind), 3),
            "kfold": [round(ex.score(kind, k_fold(len(rows), 5, s)), 3) for s in SEEDS],
            "loo": round(ex.score(kind, leave_one_out(len(rows))), 3),
        }
    return out


def markdown(res: dict) -> str:
    lines = [
        "| model | in-sample macro-F1 | 5-fold (seeds 0, 1, 2) | mean | leave-one-pair-out |",
        "|---|---:|---:|---:|---:|",
    ]
    for kind, r in res.items():
        mean = sum(r["kfold"]) / len(r["kfold"])
        folds = " / ".join(f"{x:.3f}" for x in r["kfold"])
        lines.append(f"| {kind} | {r['in_sample']:.3f} | {folds} | {mean:.3f} | {r['loo']:.3f} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    from quality_realpairs import data_dir

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=None, help="dev data folder")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args(argv)
    data = data_dir(args.data)
    if not (data / FILE).is_file():
        print(f"skipped: {data / FILE} not found")
        return 0
    res = run(data)
    print(json.dumps(res, indent=2) if args.json else markdown(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
