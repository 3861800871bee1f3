"""Fit the same-language paraphrase threshold (``semantic_pass.SAME_LANGUAGE_MIN``) from data.

    python bench/calibrate_paraphrase.py [--data ../shared/data] [--unrelated 40]

Needs the [multilingual] extra. Three sources of evidence:

- the real pairs (``realpairs-dev``): every decision the pass makes, i.e. each
  B sentence the lexical path leaves new and its gap candidates, labelled by
  the hand alignment (a candidate that is one of the B sentence's A sources
  is a paraphrase, any other is a non-match);
- every labelled paraphrase link of the real pairs (its cosine, whether or
  not the lexical path found it);
- unrelated same-language sentences: SemEval-2022 pairs rated dissimilar
  (overall >= 3.5) and ECB+ articles of one topic but another event (hard
  negatives), each B sentence against a gap-sized window of A sentences.

The threshold is the one of best F1 for the labelled paraphrase links
against the near non-matches of the real pairs (A sentences within two of a
B sentence's place that are not its sources), among those that keep
unrelated window matches at or below 1%; the gap decisions the pass would
make at it are counted too. Because it is fitted on the ten real pairs, the figure is also reported
leave-one-pair-out (the threshold refitted on nine pairs, scored on the tenth).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from newstrace.model import Article
from newstrace.normalize import normalize
from newstrace.pairwise.align import align_lexical
from newstrace.pairwise.semantic_pass import candidate_cosines, gap_candidates
from newstrace.settings import Settings

GRID = [round(0.80 + 0.005 * k, 3) for k in range(37)]  # 0.800 .. 0.980
UNRELATED_MAX = 0.01
WINDOW = 3  # A sentences per B sentence for unrelated text: about a gap


def data_dir(arg: Path | None) -> Path | None:
    """Return the data folder (argument, NEWSTRACE_DATA, ../shared/data, /work/shared/data), or
    None."""
    for cand in (
        arg,
        os.environ.get("NEWSTRACE_DATA"),
        ROOT.parent / "shared" / "data",
        Path("/work/shared/data"),
    ):
        if cand and (Path(cand) / "realpairs-dev").is_dir():
            return Path(cand)
    return None


def _find(doc, sub: str) -> int | None:
    return next((s.i for s in doc.sentences if sub in s.text), None)


def real_pairs(data: Path) -> list[dict]:
    """Return each labelled pair as {id, a, b (Documents), gold: B index -> set of A indices,
    kinds}."""
    folder = data / "realpairs-dev"
    arts = {}
    for line in (folder / "articles.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            r = json.loads(line)
            arts[r["url"]] = r
    out = []
    for path in sorted(folder.glob("dev-*.json")):
        lab = json.loads(path.read_text(encoding="utf-8"))
        docs = []
        for url in (lab["a_url"], lab["b_url"]):
            r = arts[url]
            docs.append(
                normalize(
                    Article(
                        text=r["text"],
                        id=url,
                        title=r.get("title"),
                        outlet=r.get("outlet"),
                        language="en",
                    )
                )
            )
        a, b = docs
        gold, kinds = {}, {}
        for e in lab["alignment"]:
            bi = _find(b, e["b"])
            if bi is not None:
                gold[bi] = {i for i in (_find(a, s) for s in e["a"]) if i is not None}
                kinds[bi] = e["kind"]
        out.append({"id": lab["id"], "a": a, "b": b, "gold": gold, "kinds": kinds})
    return out


def gap_decisions(pair: dict, embedder) -> list[tuple[float, bool, bool]]:
    """Return (best cosine, best is a source, some candidate is a source) per gap decision of
    ``pair``."""
    a, b = pair["a"], pair["b"]
    lexical = align_lexical(a, b, Settings(semantic="off"))
    out = []
    for bi, scored in candidate_cosines(a, b, gap_candidates(a, lexical), embedder).items():
        gold = pair["gold"].get(bi, set())
        sim, ai = max(scored, key=lambda t: (t[0], -t[1]))
        out.append((sim, ai in gold, any(i in gold for _s, i in scored)))
    return out


def paraphrase_cosines(pair: dict, embedder) -> list[float]:
    """Return the cosine of every labelled paraphrase link (B sentence against each of its A
    sources)."""
    a, b = pair["a"], pair["b"]
    links = [
        (bi, ai)
        for bi, src in pair["gold"].items()
        if pair["kinds"][bi] == "paraphrase"
        for ai in src
    ]
    if not links:
        return []
    vecs = embedder.embed(
        [b.sentences[bi].text for bi, _ in links] + [a.sentences[ai].text for _, ai in links]
    )
    n = len(links)
    return [float(vecs[k] @ vecs[n + k]) for k in range(n)]


def near_non_matches(pair: dict, embedder, reach: int = 2) -> list[float]:
    """Return cosines of B sentences against nearby A sentences that are not their sources.

    "Nearby" is within ``reach`` sentences of the B sentence's own sources (or
    of its place in A when it is new): the sentences the order-aware gap pass
    sees, and the hardest non-matches, since they report the same story.
    """
    a, b = pair["a"], pair["b"]
    n_a = len(a.sentences)
    todo = []
    for bi, src in pair["gold"].items():
        centre = sorted(src) or [round(bi * (n_a - 1) / max(1, len(b.sentences) - 1))]
        near = {i for c in centre for i in range(c - reach, c + reach + 1) if 0 <= i < n_a} - src
        todo += [(bi, ai) for ai in sorted(near) if a.sentences[ai].boilerplate is None]
    if not todo:
        return []
    vecs = embedder.embed(
        [b.sentences[bi].text for bi, _ in todo] + [a.sentences[ai].text for _, ai in todo]
    )
    n = len(todo)
    return [float(vecs[k] @ vecs[n + k]) for k in range(n)]


def _window_max(a_texts: list[str], b_texts: list[str], embedder) -> list[float]:
    if not a_texts or not b_texts:
        return []
    va, vb = embedder.embed(a_texts), embedder.embed(b_texts)
    sims = vb @ va.T
    out = []
    for j in range(len(b_texts)):
        centre = round(j * (len(a_texts) - 1) / max(1, len(b_texts) - 1))
        lo = max(0, centre - WINDOW // 2)
        out.append(float(sims[j, lo : lo + WINDOW].max()))
    return out


def _sentences(text: str, lang: str, n: int = 10) -> list[str]:
    return [s.text for s in normalize(Article(text=text, language=lang)).content][:n]


def unrelated(data: Path, limit: int, embedder) -> dict[str, list[float]]:
    """Return window-max cosines of unrelated same-language text: SemEval dissimilar and ECB+
    other-event pairs."""
    rnd = random.Random(7)
    rows = [
        json.loads(x)
        for x in (data / "semeval22-dev.jsonl").read_text(encoding="utf-8").splitlines()
        if x.strip()
    ]
    sem = [r for r in rows if r["lang1"] == r["lang2"] and r["overall"] >= 3.5]
    rnd.shuffle(sem)
    out = {"semeval": [], "ecb": []}
    for r in sem[:limit]:
        lang = r["lang1"]
        out["semeval"] += _window_max(
            _sentences(r["text1"], lang), _sentences(r["text2"], lang), embedder
        )
    docs = [
        json.loads(x)
        for x in (data / "ecbplus-dev.jsonl").read_text(encoding="utf-8").splitlines()
        if x.strip()
    ]
    by_topic: dict = {}
    for d in docs:
        by_topic.setdefault(d["topic"], {}).setdefault(d["event"], []).append(d)
    pairs = []
    for events in by_topic.values():
        ev = sorted(events)
        if len(ev) >= 2:
            pairs.append((events[ev[0]][0], events[ev[1]][0]))
    rnd.shuffle(pairs)
    for x, y in pairs[:limit]:
        out["ecb"] += _window_max(
            _sentences(x["text"], "en"), _sentences(y["text"], "en"), embedder
        )
    return out


def score(decisions, t: float) -> tuple[int, int, int]:
    """Return (right, wrong, missed) gap decisions at threshold ``t``."""
    right = sum(1 for s, ok, _any in decisions if s >= t and ok)
    wrong = sum(1 for s, ok, _any in decisions if s >= t and not ok)
    missed = sum(1 for s, ok, anyok in decisions if anyok and not (s >= t and ok))
    return right, wrong, missed


def f1(pos: list[float], neg: list[float], t: float) -> float:
    """Return the F1 of "cosine >= t" for labelled paraphrases ``pos`` against non-matches
    ``neg``."""
    tp = sum(p >= t for p in pos)
    fp = sum(x >= t for x in neg)
    return 2 * tp / (2 * tp + fp + (len(pos) - tp)) if pos else 0.0


def fit(pos: list[float], neg: list[float], unrelated_all: list[float]) -> float:
    """Return the grid threshold of best F1 (paraphrases against near non-matches), unrelated
    matches <= 1%.

    Ties go to the higher threshold: a false alignment hides an addition and an omission.
    """
    allowed = [
        t for t in GRID if sum(u >= t for u in unrelated_all) <= UNRELATED_MAX * len(unrelated_all)
    ]
    return max(allowed, key=lambda t: (round(f1(pos, neg, t), 6), t))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=None)
    ap.add_argument(
        "--unrelated", type=int, default=40, help="SemEval and ECB+ pairs of unrelated text, each"
    )
    args = ap.parse_args()
    data = data_dir(args.data)
    if data is None:
        if os.environ.get("CI") == "true":
            sys.exit("calibrate_paraphrase: data folder missing in CI")
        print("calibrate_paraphrase: no realpairs-dev data found (set NEWSTRACE_DATA); skipped")
        return
    from newstrace.semantic import E5Embedder

    emb = E5Embedder()
    pairs = real_pairs(data)
    per_pair = {
        p["id"]: {
            "gap": gap_decisions(p, emb),
            "pos": paraphrase_cosines(p, emb),
            "neg": near_non_matches(p, emb),
        }
        for p in pairs
    }
    unrel = unrelated(data, args.unrelated, emb)
    unrel_all = unrel["semeval"] + unrel["ecb"]
    report(per_pair, unrel, unrel_all)


def _pool(per_pair: dict, key: str, skip: str | None = None) -> list:
    return [x for k, v in per_pair.items() if k != skip for x in v[key]]


def report(per_pair: dict, unrel: dict, unrel_all: list[float]) -> None:
    """Print the fitted threshold, its in-sample and leave-one-pair-out figures, and the
    distributions."""
    pos, neg, gap = _pool(per_pair, "pos"), _pool(per_pair, "neg"), _pool(per_pair, "gap")
    t = fit(pos, neg, unrel_all)
    print(
        f"real pairs: {len(pos)} labelled paraphrase links, "
        f"{len(neg)} near non-matches, {len(gap)} gap decisions"
    )
    print(
        f"fitted threshold {t}: in-sample F1 {f1(pos, neg, t):.3f}; "
        f"gap decisions right/wrong/missed {score(gap, t)}"
    )
    tp = fp = fn = 0
    lopo_gap = [0, 0, 0]
    for held, v in per_pair.items():
        th = fit(_pool(per_pair, "pos", held), _pool(per_pair, "neg", held), unrel_all)
        h_tp = sum(p >= th for p in v["pos"])
        tp, fn, fp = tp + h_tp, fn + len(v["pos"]) - h_tp, fp + sum(x >= th for x in v["neg"])
        lopo_gap = [x + y for x, y in zip(lopo_gap, score(v["gap"], th))]
        print(f"  leave out {held}: threshold {th}")
    print(
        f"leave-one-pair-out: F1 {2 * tp / (2 * tp + fp + fn) if tp else 0.0:.3f} (tp "
        f"{tp}, fp {fp}, fn {fn}); gap decisions right/wrong/missed {tuple(lopo_gap)}"
    )
    for name, vals in [("paraphrase links", pos), ("near non-matches", neg)] + list(unrel.items()):
        vals = sorted(vals)
        print(
            f"{name}: n {len(vals)}, median {_q(vals, 0.5):.3f}, "
            f"99th percentile {_q(vals, 0.99):.3f}, "
            f"at or above {t}: {sum(x >= t for x in vals)}"
        )


def _q(vals: list[float], f: float) -> float:
    return vals[int(f * (len(vals) - 1))] if vals else float("nan")


if __name__ == "__main__":
    main()
