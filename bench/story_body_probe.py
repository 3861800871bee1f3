"""Probe: how much of the multilingual same-story quality the long head/body texts buy.

    python bench/story_body_probe.py [--pairs 160] [--jobs 2] [--seed 1]

For a seeded random sample of SemEval-2022 dev pairs, embeds each head and
body at several lengths (whole sentences within a character budget, as
``similarity.head``), and reports, per variant, the CPU seconds of its
embeddings and the |r| of ``story_score``'s curve refitted on (lexical mean,
cosine): in-sample and 2-fold cross-validated (3 splits), as in
``bench/quality.py``'s "Fit of the score curve" (no coverage floor). The
lexical-only curve is the "no embedding" row. Nothing here changes a setting.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

# (name, head chars, body chars); the first is what similarity.py uses
VARIANTS = (
    ("head 600 / body 2000 (now)", 600, 2000),
    ("head 600 / body 1000", 600, 1000),
    ("head 600 / head 600", 600, 600),
    ("head 300 / body 600", 300, 600),
    ("head 300 / head 300", 300, 300),
)
_MODEL: dict = {}


def _pair(r: dict) -> dict:
    from newstrace.model import Article
    from newstrace.normalize import normalize
    from newstrace.pairwise import similarity as sim
    from newstrace.semantic import E5Embedder

    if "m" not in _MODEL:
        _MODEL["m"] = E5Embedder(num_threads=1)._model
    model = _MODEL["m"]
    da = normalize(Article(text=r["text1"], language=r["lang1"]))
    db = normalize(Article(text=r["text2"], language=r["lang2"]))
    mean = float(np.mean(np.sqrt(np.clip(sim.lexical_signals(da, db), 0, None))))
    vec, cpu = {}, {}
    for chars in sorted({c for _n, h, b in VARIANTS for c in (h, b)}):
        texts = [sim.head(da, chars), sim.head(db, chars)]
        t0 = time.process_time()
        vec[chars] = np.asarray(model.passage(texts), dtype=np.float32)
        cpu[chars] = time.process_time() - t0
    out = {"mean": mean, "overall": r["overall"], "langs": f"{r['lang1']}-{r['lang2']}"}
    for name, h, b in VARIANTS:
        ha, hb = vec[h]
        ba, bb = vec[b]
        out[name] = float((ha @ bb + ba @ hb) / 2)
        out[name + " cpu"] = cpu[h] + (cpu[b] if b != h else 0.0)
    return out


def _fit_rows(x: np.ndarray, y: np.ndarray) -> tuple[float, list[float]]:
    from quality import _logistic, _logistic_fit, pearson

    t = (y <= 2.5).astype(float)
    w = _logistic_fit(x, t)
    ins = -pearson(_logistic(x, w), y)
    cv = []
    for seed in range(3):
        idx = np.random.default_rng(seed).permutation(len(y))
        folds, out = (idx[::2], idx[1::2]), np.zeros(len(y))
        for k in range(2):
            out[folds[k]] = _logistic(x[folds[k]], _logistic_fit(x[folds[1 - k]], t[folds[1 - k]]))
        cv.append(-pearson(out, y))
    return ins, cv


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--pairs", type=int, default=160)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--dump", type=Path, help="write the per-pair cosines here (JSON Lines)")
    args = ap.parse_args()
    with (args.data / "semeval22-dev.jsonl").open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    pick = np.random.default_rng(args.seed).permutation(len(rows))[: args.pairs]
    rows = [rows[k] for k in sorted(pick)]
    if args.jobs > 1:
        import multiprocessing as mp

        with mp.get_context("fork").Pool(args.jobs) as pool:
            res = pool.map(_pair, rows, chunksize=2)
    else:
        res = [_pair(r) for r in rows]
    if args.dump:
        args.dump.write_text("".join(json.dumps(x) + "\n" for x in res), encoding="utf-8")
    y = np.array([x["overall"] for x in res], float)
    means = np.array([x["mean"] for x in res])[:, None]
    cross = sum(x["langs"].split("-")[0] != x["langs"].split("-")[1] for x in res)
    print(
        f"{len(res)} SemEval dev pairs (seed {args.seed}; {cross} cross-language), "
        "curve refitted per variant, no coverage floor.\n"
    )
    print("| cosine | CPU s per pair (median) | in-sample \\|r\\| | 2-fold CV \\|r\\| (3 splits) |")
    print("|---|---:|---:|---|")
    ins, cv = _fit_rows(means, y)
    print(f"| none (lexical curve) | 0 | {ins:.3f} | {' / '.join(f'{v:.3f}' for v in cv)} |")
    for name, _h, _b in VARIANTS:
        x = np.column_stack([means[:, 0], [r[name] for r in res]])
        ins, cv = _fit_rows(x, y)
        cpu = float(np.median([r[name + " cpu"] for r in res]))
        print(f"| {name} | {cpu:.2f} | {ins:.3f} | {' / '.join(f'{v:.3f}' for v in cv)} |")


if __name__ == "__main__":
    main()
