"""Quality of ``newstrace.compare`` on the hand-labelled real pairs (realpairs-dev).

Run:  python bench/quality_realpairs.py [--data DIR] [--semantic auto|off|on] [--json] [--write]
      python bench/quality_realpairs.py --cv paraphrase_min=0.28,0.34,0.40 [--cv-metric
      alignment_accuracy]
      python bench/quality_realpairs.py --cv newstrace.pairwise.align_path.BACK_COST=0,0.05,0.1

Each pair's two articles are read from ``articles.jsonl`` the way a user's
JSON Lines would give them (outlet, title, url, date as metadata) and compared
with the public ``newstrace.compare``; a second run gives the bare texts only
(no metadata), as a user without headers would. Scored per pair and in total,
in the labels' orientation (A = the labelled source or fuller text; results of
``compare`` are mapped back through ``swapped``):

- alignment accuracy: per B content sentence (each occurrence of a labelled
  ``b`` substring), the set of A sentences linked to it equals the labelled set
  (``[]`` = new material);
- omission precision / recall / F1 over A sentences (an A sentence is predicted
  omitted when it is content and no B sentence is linked to it);
- drift precision and recall for severity ``meaning``: a predicted change
  matches a labelled one when every span it carries overlaps the labelled
  substring on the same side; one matching only an ``acceptable`` entry counts
  neither way; the others are false meaning changes (listed, so they can be read);
- verdict accuracy (``relation``) and direction accuracy (``a`` or
  ``common_source`` against ``direction.source`` mapped back to the labels).

Any exception from ``compare`` is a hard failure (exit 1), never a dropped pair.
A labelled substring the scorer cannot find is a label/scorer error (exit 2).
Without the data the script skips with a message (exit 0), or fails under CI=true.
``run(data_dir)`` returns ``{"markdown", "metrics"}`` for bench/quality.py.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import math
import os
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DOC = REPO / "docs" / "quality.md"
SUBDIR = "realpairs-dev"
SECTION = "## Real pairs (realpairs-dev)"
PREFIX = "realpairs"
VARIANTS = ("metadata", "textonly")


class ScorerError(Exception):
    """A label the scorer cannot place in the compared documents."""


class CompareFailed(Exception):
    """``compare`` raised on a benchmark pair (never a dropped pair)."""


# ---------------------------------------------------------------- data


def data_dir(given: Path | None = None) -> Path:
    """Return the dev data folder: ``given``, $NEWSTRACE_DATA, ../shared/data, then
    /work/shared/data.

    The first that exists wins; when none does, the first candidate is
    returned so the caller's "not found" message names it.
    """
    env = os.environ.get("NEWSTRACE_DATA")
    candidates = (
        [given]
        if given
        else [Path(env)]
        if env
        else [REPO.parent / "shared" / "data", Path("/work/shared/data")]
    )
    for path in candidates:
        if path.is_dir():
            return path
    return candidates[0]


def load_pairs(data: Path) -> list[tuple[dict, dict, dict]]:
    """Return (label, A record, B record) of each labelled pair, sorted by pair id.

    Raises ScorerError when a labelled url is not in articles.jsonl.
    """
    folder = data / SUBDIR
    records = {}
    with (folder / "articles.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                rec = json.loads(line)
                records[rec["url"]] = rec
    out = []
    for path in sorted(folder.glob("dev-*.json")):
        label = json.loads(path.read_text(encoding="utf-8"))
        label.setdefault("id", path.stem)
        try:
            out.append((label, records[label["a_url"]], records[label["b_url"]]))
        except KeyError as exc:
            raise ScorerError(f"{path.name}: url {exc} not in articles.jsonl") from None
    return out


def to_article(record: dict, source: str):
    """Return the Article a user's JSON Lines record gives (text plus outlet, title, url, date)."""
    from newstrace.ingest.jsonfmt import record_to_article

    return record_to_article(
        {k: record[k] for k in ("url", "title", "date", "outlet", "text") if k in record}, source
    )


# ---------------------------------------------------------------- placing labels


def _find_all(text: str, needle: str) -> list[tuple[int, int]]:
    """Return every (start, end) of ``needle`` in ``text``, tolerant of whitespace and cleaning."""
    from newstrace.ingest.clean import clean_line

    for form in (needle, clean_line(needle)):
        hits = [(m.start(), m.start() + len(form)) for m in re.finditer(re.escape(form), text)]
        if hits:
            return hits
    words = clean_line(needle).split()
    pattern = r"\s+".join(re.escape(w) for w in words)
    return [(m.start(), m.end()) for m in re.finditer(pattern, text)] if words else []


def _sentence_at(doc, start: int, end: int) -> int:
    """Return the index of the sentence of ``doc`` that overlaps [start, end) most."""
    best, best_overlap = -1, -1
    for s in doc.sentences:
        overlap = min(end, s.end) - max(start, s.start)
        if overlap > best_overlap:
            best, best_overlap = s.i, overlap
    return best


def place(doc, needle: str, where: str) -> list[tuple[int, int, int]]:
    """Return (sentence, start, end) of each occurrence of ``needle`` in ``doc``; ScorerError if
    none."""
    hits = _find_all(doc.text, needle)
    if not hits:
        raise ScorerError(f"{where}: labelled text not found: {needle!r}")
    return [(_sentence_at(doc, s, e), s, e) for s, e in hits]


# ---------------------------------------------------------------- orientation


@dataclass
class Oriented:
    """A Comparison read in the labels' orientation (A = labelled A)."""

    a: object
    b: object
    links: set  # (A sentence, B sentence)
    changes: list  # (type, severity, A range or None, B range or None, A text, B text)
    source: str | None  # "a" | "b" | "common_source" | None, in label terms
    verdict: str
    swapped: bool
    extra: dict = field(default_factory=dict)


def _range(doc, span) -> tuple[int, int] | None:
    if span is None or not 0 <= span.sentence < len(doc.sentences):
        return None
    base = doc.sentences[span.sentence].start
    return (base + span.start, base + max(span.end, span.start + 1))


def orient(c) -> Oriented:
    """Return ``c`` (a Comparison) mapped back to the order the pair was given in."""
    links = {(i, link.b) for link in c.alignment.links for i in link.a}
    changes = [
        (ch.type, ch.severity, _range(c.a, ch.a_span), _range(c.b, ch.b_span), ch.a_text, ch.b_text)
        for ch in c.drift
    ]
    src = c.direction.source
    if not c.swapped:
        return Oriented(c.a, c.b, links, changes, src, c.verdict, False)
    flip = {"a": "b", "b": "a"}
    links = {(j, i) for i, j in links}
    changes = [(t, sev, rb, ra, tb, ta) for t, sev, ra, rb, ta, tb in changes]
    return Oriented(c.b, c.a, links, changes, flip.get(src, src), c.verdict, True)


# ---------------------------------------------------------------- scoring one pair


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else float("nan")
    r = tp / (tp + fn) if tp + fn else float("nan")
    f = 2 * p * r / (p + r) if tp and p + r else (0.0 if tp + fp + fn else float("nan"))
    return p, r, f


def score_alignment(o: Oriented, label: dict) -> dict:
    """Return {correct, total, wrong[]} of B content sentences whose linked A set is the labelled
    one."""
    pid, correct, wrong, total = label["id"], 0, [], 0
    for entry in label["alignment"]:
        gold = {s for sub in entry["a"] for s, _x, _y in place(o.a, sub, f"{pid} alignment a")[:1]}
        for b_sent, _s, _e in place(o.b, entry["b"], f"{pid} alignment b"):
            total += 1
            got = {i for i, j in o.links if j == b_sent}
            if got == gold:
                correct += 1
            else:
                wrong.append(
                    {
                        "b": o.b.sentences[b_sent].text,
                        "gold_a": sorted(gold),
                        "predicted_a": sorted(got),
                    }
                )
    return {"correct": correct, "total": total, "wrong": wrong}


def score_omissions(o: Oriented, label: dict) -> dict:
    """Return tp/fp/fn of omitted A sentences (content sentences with no link) against the
    labels."""
    gold = {
        s
        for sub in label["a_omitted"]
        for s, _x, _y in place(o.a, sub, f"{label['id']} a_omitted")[:1]
    }
    used = {i for i, _j in o.links}
    pred = {s.i for s in o.a.sentences if s.boilerplate is None and s.i not in used}
    return {"tp": len(pred & gold), "fp": len(pred - gold), "fn": len(gold - pred)}


def _overlaps(r: tuple[int, int] | None, ranges: list[tuple[int, int]] | None) -> bool:
    if r is None or ranges is None:
        return True  # a side the change (or the label) does not name constrains nothing
    return any(r[0] < e and s < r[1] for s, e in ranges)


def _label_ranges(o: Oriented, entry: dict, where: str) -> tuple[list | None, list | None]:
    ra = [(s, e) for _i, s, e in place(o.a, entry["a"], where)] if entry.get("a") else None
    rb = [(s, e) for _i, s, e in place(o.b, entry["b"], where)] if entry.get("b") else None
    return ra, rb


def matches(change: tuple, ranges: tuple[list | None, list | None]) -> bool:
    """True when every span ``change`` carries overlaps the labelled substring of its side."""
    _t, _sev, ra, rb, _ta, _tb = change
    if ra is None and rb is None:
        return False
    return _overlaps(ra, ranges[0]) and _overlaps(rb, ranges[1])


def score_drift(o: Oriented, label: dict) -> dict:
    """Return tp/fp/neutral meaning changes, labelled changes found, and the false ones
    (readable)."""
    pid = label["id"]
    real = [_label_ranges(o, e, f"{pid} drift") for e in label.get("drift", [])]
    ok = [_label_ranges(o, e, f"{pid} acceptable") for e in label.get("acceptable", [])]
    found, tp, neutral, false = set(), 0, 0, []
    for ch in o.changes:
        if ch[1] != "meaning":
            continue
        hits = [k for k, r in enumerate(real) if matches(ch, r)]
        if hits:
            tp += 1
            found.update(hits)
        elif any(matches(ch, r) for r in ok):
            neutral += 1
        else:
            false.append({"pair": pid, "type": ch[0], "a": ch[4], "b": ch[5]})
    return {
        "tp": tp,
        "fp": len(false),
        "neutral": neutral,
        "found": len(found),
        "labelled": len(real),
        "missed": [e for k, e in enumerate(label.get("drift", [])) if k not in found],
        "false": false,
    }


def direction_ok(o: Oriented, label: dict) -> bool:
    """True when the predicted source (in label terms) is the labelled direction."""
    return o.source == label["direction"]


def score_pair(label: dict, rec_a: dict, rec_b: dict, variant: str, settings) -> dict:
    """Return the scores of one pair in one variant ("metadata" or "textonly").

    Raises CompareFailed when ``compare`` raises, ScorerError when a label cannot be placed.
    """
    import newstrace

    if variant == "metadata":
        a, b = (
            to_article(rec_a, f"articles.jsonl#{label['id']}:a"),
            to_article(rec_b, f"articles.jsonl#{label['id']}:b"),
        )
    else:
        a, b = rec_a["text"], rec_b["text"]
    t0 = time.perf_counter()
    try:
        c = newstrace.compare(a, b, settings)
    except Exception as exc:  # any crash on a benchmark pair fails the benchmark
        raise CompareFailed(f"{label['id']} ({variant}): {type(exc).__name__}: {exc}") from exc
    ms = (time.perf_counter() - t0) * 1e3
    o = orient(c)
    return {
        "pair": label["id"],
        "variant": variant,
        "ms": round(ms, 1),
        "gold_relation": label["relation"],
        "verdict": o.verdict,
        "verdict_ok": o.verdict == label["relation"],
        "gold_direction": label["direction"],
        "direction": o.source,
        "direction_ok": direction_ok(o, label),
        "swapped": o.swapped,
        "alignment": score_alignment(o, label),
        "omission": score_omissions(o, label),
        "drift": score_drift(o, label),
    }


# ---------------------------------------------------------------- totals


def totals(rows: list[dict]) -> dict:
    """Return the summed figures of one variant's pair rows."""
    n = len(rows)
    al_c = sum(r["alignment"]["correct"] for r in rows)
    al_t = sum(r["alignment"]["total"] for r in rows)
    om = {k: sum(r["omission"][k] for r in rows) for k in ("tp", "fp", "fn")}
    dr = {k: sum(r["drift"][k] for r in rows) for k in ("tp", "fp", "neutral", "found", "labelled")}
    op, orec, of1 = _prf(om["tp"], om["fp"], om["fn"])
    dp = dr["tp"] / (dr["tp"] + dr["fp"]) if dr["tp"] + dr["fp"] else float("nan")
    drec = dr["found"] / dr["labelled"] if dr["labelled"] else float("nan")
    return {
        "pairs": n,
        "alignment_accuracy": al_c / al_t if al_t else float("nan"),
        "alignment_correct": al_c,
        "alignment_total": al_t,
        "omission_precision": op,
        "omission_recall": orec,
        "omission_f1": of1,
        "drift_precision": dp,
        "drift_recall": drec,
        "drift_tp": dr["tp"],
        "drift_found": dr["found"],
        "drift_labelled": dr["labelled"],
        "drift_neutral": dr["neutral"],
        "false_meaning": dr["fp"],
        "false_meaning_per_pair": dr["fp"] / n if n else float("nan"),
        "verdict_accuracy": sum(r["verdict_ok"] for r in rows) / n if n else float("nan"),
        "direction_accuracy": sum(r["direction_ok"] for r in rows) / n if n else float("nan"),
        "direction_correct": sum(r["direction_ok"] for r in rows),
        **{
            f"direction_accuracy_{k}": _share(
                [r["direction_ok"] for r in rows if r["gold_direction"] == g]
            )
            for k, g in (("known_source", "a"), ("common_source", "common_source"))
        },
        "direction_pairs_known_source": sum(r["gold_direction"] == "a" for r in rows),
        "ms_median": sorted(r["ms"] for r in rows)[n // 2] if n else float("nan"),
    }


def _share(oks: list) -> float:
    return sum(oks) / len(oks) if oks else float("nan")


def metrics_of(tot: dict) -> dict:
    """Return the flat gate metrics (``realpairs_*`` and ``realpairs_textonly_*``)."""
    out = {}
    for variant, t in tot.items():
        prefix = PREFIX if variant == "metadata" else f"{PREFIX}_{variant}"
        for key, value in t.items():
            if isinstance(value, float) and not math.isnan(value):
                value = round(value, 4)
            out[f"{prefix}_{key}"] = value
    return out


# ------------------------------------------------ constructed copies (direction regression)


def _next_day(iso: str | None) -> str | None:
    if not iso:
        return None
    return (_dt.date.fromisoformat(iso[:10]) + _dt.timedelta(days=1)).isoformat()


def copies(data: Path) -> list[tuple[str, dict, dict]]:
    """Return (kind, original record, copy record) for copies built from each real article.

    "condensed": the first 60% of the paragraphs, published a day later under
    another outlet; "credited": the whole text under another outlet with no
    date, ending in a line that credits the original's site. In both the
    original is the source, whatever order the two are given in.
    """
    from newstrace.ingest.meta import outlet_from_url

    out = []
    with (data / SUBDIR / "articles.jsonl").open(encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh if line.strip()]
    for rec in records:
        paras = [p for p in rec["text"].split("\n") if p.strip()]
        keep = paras[: max(1, round(len(paras) * 0.6))]
        site = outlet_from_url(rec["url"]) or rec["outlet"]
        base = {
            "title": rec["title"],
            "outlet": "copydesk.example",
            "url": "https://copydesk.example/" + rec["url"].rsplit("/", 2)[-2],
        }
        out.append(
            ("condensed", rec, {**base, "date": _next_day(rec["date"]), "text": "\n\n".join(keep)})
        )
        out.append(
            (
                "credited",
                rec,
                {**base, "text": rec["text"] + f"\n\nThis article first appeared on {site}."},
            )
        )
    return out


def score_copies(data: Path, settings) -> dict:
    """Return direction accuracy on the constructed copies, both argument orders; CompareFailed on a
    crash."""
    import newstrace

    rows = []
    for kind, orig, copy in copies(data):
        for first_is_orig in (True, False):
            x, y = (orig, copy) if first_is_orig else (copy, orig)
            where = f"copy {kind} of {orig['url']}"
            try:
                c = newstrace.compare(
                    to_article(x, where + ":1"), to_article(y, where + ":2"), settings
                )
            except Exception as exc:  # any crash on a benchmark pair fails the benchmark
                raise CompareFailed(f"{where}: {type(exc).__name__}: {exc}") from exc
            want = "a" if first_is_orig else "b"
            rows.append((kind, orient(c).source == want))
    kinds = sorted({k for k, _ok in rows})
    acc = {
        k: sum(ok for kk, ok in rows if kk == k) / sum(kk == k for kk, _ok in rows) for k in kinds
    }
    return {
        "pairs": len(rows),
        "direction_accuracy": sum(ok for _k, ok in rows) / len(rows),
        **{f"direction_accuracy_{k}": v for k, v in acc.items()},
    }


def copies_markdown(res: dict) -> str:
    """Return the constructed-copies paragraph."""
    kinds = ", ".join(
        f"{k.removeprefix('direction_accuracy_')} {v:.3f}"
        for k, v in sorted(res.items())
        if k.startswith("direction_accuracy_")
    )
    return (
        f"Direction on copies built from the {res['pairs'] // 4} "
        "real articles (a condensed copy published a day later, "
        'and a full copy ending "This article first '
        'appeared on <site>", each given in both orders; '
        f"{res['pairs']} compares): accuracy "
        f"{res['direction_accuracy']:.3f} ({kinds}). A regression check that "
        "clear evidence is read, not a measure of real-world direction.\n"
    )


# ---------------------------------------------------------------- direction rules, cross-validated


def rule_candidates() -> list:
    """Return the direction ``Rules`` variants to choose among, the defaults first (ties go there).

    A grid over the decision's thresholds: whether an essentially contained
    article stops the "no credit" hint of a common source (``contained_max``),
    that hint's weight, the own-material share that counts as substantial and
    the winning margin.
    """
    import itertools

    from newstrace.pairwise.direction import RULES, Rules

    grid = itertools.product(
        (None, 0.02, 0.05, 0.1),
        (True, False),
        (0.2, 0.35, 0.5),
        (0.1, 0.15, 0.2),
        (0.1, 0.15, 0.2),
    )
    out = [RULES]
    for contained, explained, no_credit, own_min, margin in grid:
        if contained is None and not explained:
            continue  # the same as contained=None
        r = Rules(
            contained_max=contained,
            contained_explained=explained,
            no_credit_weight=no_credit,
            own_share_min=own_min,
            decide_margin=margin,
        )
        if r != RULES:
            out.append(r)
    return out


def _rule_inputs(label: dict, rec_a: dict, rec_b: dict, variant: str, settings):
    """Return (signals A, signals B, overlap, cov, swapped) of one pair as compare oriented it."""
    import newstrace
    from newstrace.pairwise import direction as dirn
    from newstrace.pairwise import overlap_of

    if variant == "metadata":
        a, b = to_article(rec_a, f"{label['id']}:a"), to_article(rec_b, f"{label['id']}:b")
    else:
        a, b = rec_a["text"], rec_b["text"]
    try:
        c = newstrace.compare(a, b, settings)
    except Exception as exc:  # any crash on a benchmark pair fails the benchmark
        raise CompareFailed(f"{label['id']} ({variant}): {type(exc).__name__}: {exc}") from exc
    cov = (c.coverage_b_from_a, c.coverage_a_in_b)
    overlap = overlap_of(c.a, c.b, c.alignment, cov)
    return dirn.article_signals(c.a), dirn.article_signals(c.b), overlap, cov, c.swapped


def _rule_source(rules, inputs, settings) -> str | None:
    """Return the source ``rules`` give a pair, in the order it was given (as compare does)."""
    from newstrace.pairwise import direction as dirn

    sa, sb, overlap, cov, swapped = inputs
    src = dirn.decide_pair(sa, sb, overlap, rules).source
    if max(cov) < settings.partially_min:
        src = None
    return {"a": "b", "b": "a"}.get(src, src) if swapped else src


def cv_direction(data: Path, semantic: str = "auto", variant: str = "metadata") -> dict:
    """Return leave-one-pair-out and in-sample direction accuracy of choosing the direction Rules.

    compare runs once per pair; each candidate re-decides from the same
    signals and overlap. Keys as bench/cv.py's ``cross_validate`` plus
    ``default`` (accuracy of the shipped rules) and ``candidates``. Raises
    CompareFailed.
    """
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from cv import cross_validate, leave_one_out

    from newstrace.settings import Settings

    settings = Settings(semantic=semantic)
    pairs = load_pairs(data)
    inputs = {lab["id"]: _rule_inputs(lab, ra, rb, variant, settings) for lab, ra, rb in pairs}
    cands = rule_candidates()

    def evaluate(rules, pair):
        label = pair[0]
        return _rule_source(rules, inputs[label["id"]], settings) == label["direction"]

    def accuracy(flags):
        return sum(flags) / len(flags) if flags else float("nan")

    res = cross_validate(pairs, cands, evaluate, accuracy, leave_one_out(len(pairs)))
    res["default"] = res["per_candidate"][repr(cands[0])]
    res["candidates"] = len(cands)
    res["best_count"] = sum(v == res["in_sample"][1] for v in res["per_candidate"].values())
    per = list(zip(cands, res["per_candidate"].values()))
    for key, explained in (("contained_best", True), ("contained_any_best", False)):
        res[key] = max(
            (
                v
                for c, v in per
                if c.contained_max is not None and c.contained_explained == explained
            ),
            default=float("nan"),
        )
    res["folds_default"] = sum(c == cands[0] for c in res["chosen"])
    res["wrong"] = [
        lab["id"] for lab, _ra, _rb in pairs if not evaluate(cands[0], (lab, None, None))
    ]
    return res


def cv_direction_markdown(res: dict, variant: str) -> str:
    """Return the docs/quality.md line on the cross-validated direction rules of one variant."""
    return (
        f"| {variant} | {res['candidates']} | {res['default']:.3f} | {res['in_sample'][1]:.3f} "
        f"({res['best_count']} variants) | {res['cv']:.3f} | {res['folds_default']}/"
        f"{len(res['chosen'])} | {res['contained_best']:.3f} / {res['contained_any_best']:.3f} "
        f"| {', '.join(res['wrong']) or 'none'} |"
    )


CV_DIRECTION_HEAD = (
    "| variant | rule variants | shipped rules, in-sample | best in-sample | leave-one-pair-out "
    "| folds choosing the shipped rules | best with the contained rule (outer explained / any) "
    "| pairs wrong with the shipped rules |\n|---|---:|---:|---:|---:|---:|---:|---|"
)


# ---------------------------------------------------------------- report


def _f(x: float) -> str:
    return "n/a" if math.isnan(x) else f"{x:.3f}"


def markdown(rows: dict, tot: dict, command: str, semantic: str) -> str:
    """Return the docs/quality.md section for the real pairs."""
    meta, text = rows["metadata"], {r["pair"]: r for r in rows["textonly"]}
    lines = [
        SECTION,
        "",
        (
            f"Produced by `{command}` on {_dt.date.today().isoformat()} (semantic={semantic!r}). "
            f"{len(meta)} real pairs, hand-labelled "
            f"(`../shared/data/{SUBDIR}`, see its README); A is the labelled "
            "source or the fuller text. Each pair goes through "
            "the public `newstrace.compare`, once with the "
            "articles' metadata as JSON Lines gives it (outlet, "
            "title, url, date) and once as bare texts. "
            "These ten pairs are a development set: figures "
            "fitted on them need the leave-one-pair-out "
            "figure beside them (see the cross-validation section)."
        ),
        "",
        (
            "| pair | relation (gold / predicted) | direction "
            "gold | predicted (metadata / text only) "
            "| alignment | omission F1 | meaning changes: real "
            "/ acceptable / false | labelled changes found |"
        ),
        "|---|---|---|---|---:|---:|---:|---:|",
    ]
    for r in meta:
        t = text[r["pair"]]
        om = r["omission"]
        _p, _r, f1 = _prf(om["tp"], om["fp"], om["fn"])
        d = r["drift"]
        lines.append(
            f"| {r['pair']} | {r['gold_relation']} / "
            f"{r['verdict']}{_mark(r['verdict_ok'])} | {r['gold_direction']} "
            f"| {r['direction']}{_mark(r['direction_ok'])} "
            f"/ {t['direction']}{_mark(t['direction_ok'])} "
            f"| {r['alignment']['correct']}/{r['alignment']['total']} | {_f(f1)} "
            f"| {d['tp']} / {d['neutral']} / {d['fp']} | {d['found']}/{d['labelled']} |"
        )
    lines += ["", "| measure | with metadata | text only |", "|---|---:|---:|"]
    m, t = tot["metadata"], tot["textonly"]
    for key, name in (
        ("alignment_accuracy", "alignment accuracy (B content sentences)"),
        ("omission_f1", "omission F1 (A sentences)"),
        ("omission_precision", "omission precision"),
        ("omission_recall", "omission recall"),
        ("drift_precision", "drift precision (`meaning`)"),
        ("drift_recall", "drift recall (`meaning`)"),
        ("false_meaning_per_pair", "false meaning changes per pair"),
        ("verdict_accuracy", "verdict accuracy"),
        ("direction_accuracy", "direction accuracy"),
        ("ms_median", "compare, median ms per pair"),
    ):
        lines.append(f"| {name} | {_f(m[key])} | {_f(t[key])} |")
    lines += [
        "",
        (
            f"Counts with metadata: alignment {m['alignment_correct']}/{m['alignment_total']}, "
            f"meaning changes {m['drift_tp']} real, {m['drift_neutral']} "
            f"acceptable, {m['false_meaning']} false; "
            f"labelled changes found {m['drift_found']}/{m['drift_labelled']}; "
            f"direction {m['direction_correct']}/{m['pairs']} (pairs with a known source: "
            f"{_f(m['direction_accuracy_known_source'])} of "
            f"{m['direction_pairs_known_source']}; common-source pairs: "
            f"{_f(m['direction_accuracy_common_source'])}). Most "
            "pairs here have a common source, so a constant "
            '"common_source" would score the share of those; read direction per class.'
        ),
        "",
    ]
    false = [x for r in meta for x in r["drift"]["false"]]
    lines += [f"False meaning changes with metadata ({len(false)}):", ""]
    lines += [
        f"- {x['pair']}: {x['type']}: {_quote(x['a'])} became {_quote(x['b'])}" for x in false
    ] or ["- none"]
    missed = [(r["pair"], e) for r in meta for e in r["drift"]["missed"]]
    lines += ["", f"Labelled meaning changes missed with metadata ({len(missed)}):", ""]
    lines += [
        f"- {p}: {e['type']}: {_quote(e.get('a', ''))} became {_quote(e.get('b', ''))}"
        for p, e in missed
    ] or ["- none"]
    return "\n".join(lines) + "\n"


def _mark(ok: bool) -> str:
    return "" if ok else " ✗"


def _quote(s: str) -> str:
    return f"'{s}'" if s else "none"


def write_section(section: str, doc: Path = DOC, heading: str = SECTION) -> None:
    """Put ``section`` into ``doc``, replacing the previous section under ``heading`` (up to the
    next ``## ``), or after the last one when there is none."""
    old = doc.read_text(encoding="utf-8") if doc.is_file() else "# Quality\n"
    start = old.find(heading)
    if start < 0:
        new = old.rstrip() + "\n\n" + section
    else:
        nxt = old.find("\n## ", start + len(heading))
        new = old[:start] + section + (old[nxt + 1 :] if nxt >= 0 else "")
    doc.write_text(new if new.endswith("\n") else new + "\n", encoding="utf-8")


# ---------------------------------------------------------------- entry points


def measure(data: Path, semantic: str = "auto", limit: int | None = None) -> tuple[dict, dict]:
    """Return (rows per variant, totals per variant); raises CompareFailed or ScorerError."""
    from newstrace.settings import Settings

    settings = Settings(semantic=semantic)
    pairs = load_pairs(data)[:limit]
    rows = {v: [score_pair(lab, ra, rb, v, settings) for lab, ra, rb in pairs] for v in VARIANTS}
    return rows, {v: totals(r) for v, r in rows.items()}


def run(data: Path, semantic: str = "auto", limit: int | None = None) -> dict:
    """Return {"markdown", "metrics"} for bench/quality.py (raises CompareFailed or ScorerError)."""
    rows, tot = measure(data, semantic, limit)
    cmd = "python bench/quality_realpairs.py --write" + (
        "" if semantic == "auto" else f" --semantic {semantic}"
    )
    return {"markdown": markdown(rows, tot, cmd, semantic), "metrics": metrics_of(tot)}


def cv_setting(
    data: Path, name: str, values: list, metric: str = "alignment_accuracy", semantic: str = "auto"
) -> dict:
    """Return bench/cv.py's leave-one-pair-out result of choosing ``Settings.<name>`` among
    ``values``.

    A dotted ``name`` is a module constant instead (``newstrace.pairwise.align_path.BACK_COST``).

    ``metric`` is a key of :func:`totals` (higher is better; use a negated
    figure for counts such as false changes). Raises CompareFailed, ScorerError.
    """
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from cv import cross_validate, leave_one_out

    from newstrace.settings import Settings

    pairs = load_pairs(data)

    if "." not in name:

        def evaluate(value, pair):
            return score_pair(*pair, "metadata", Settings(semantic=semantic, **{name: value}))

    else:
        # A module constant ("newstrace.pairwise.align_path.BACK_COST"), set for each run.
        import importlib

        module_name, _dot, const = name.rpartition(".")
        module = importlib.import_module(module_name)
        if not hasattr(module, const):
            raise ScorerError(f"--cv: {module_name} has no {const}")

        def evaluate(value, pair):
            before = getattr(module, const)
            setattr(module, const, value)
            try:
                return score_pair(*pair, "metadata", Settings(semantic=semantic))
            finally:
                setattr(module, const, before)

    return cross_validate(
        pairs, values, evaluate, lambda rows: totals(rows)[metric], leave_one_out(len(pairs))
    )


def _cv_values(spec: str) -> tuple[str, list]:
    name, _eq, raw = spec.partition("=")
    return name, [json.loads(v) for v in raw.split(",") if v]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--data",
        type=Path,
        default=None,
        help="dev data folder (default $NEWSTRACE_DATA, ../shared/data)",
    )
    ap.add_argument(
        "--semantic",
        default="auto",
        choices=("auto", "off", "on"),
        help="Settings.semantic for compare",
    )
    ap.add_argument("--json", action="store_true", help="print per-pair rows and totals as JSON")
    ap.add_argument("--write", action="store_true", help="put the table into docs/quality.md")
    ap.add_argument(
        "--cv",
        metavar="NAME=V1,V2",
        help="leave-one-pair-out choice of a Settings field among values",
    )
    ap.add_argument(
        "--cv-metric", default="alignment_accuracy", help="totals key the --cv choice maximizes"
    )
    ap.add_argument(
        "--cv-direction",
        action="store_true",
        help="leave-one-pair-out choice among variants of the direction decision's thresholds",
    )
    args = ap.parse_args(argv)
    data = data_dir(args.data)
    if not (data / SUBDIR / "articles.jsonl").is_file():
        msg = f"{data / SUBDIR} not found; put the dev data in ../shared/data or set NEWSTRACE_DATA"
        if os.environ.get("CI") == "true":
            print(f"quality_realpairs FAILED: {msg} (CI=true needs it)")
            return 1
        print(f"skipped: {msg}")
        return 0
    try:
        if args.cv_direction:
            cmd = "python bench/quality_realpairs.py --cv-direction" + (
                "" if args.semantic == "auto" else f" --semantic {args.semantic}"
            )
            print(f"Produced by `{cmd}`.\n\n{CV_DIRECTION_HEAD}")
            for variant in VARIANTS:
                print(cv_direction_markdown(cv_direction(data, args.semantic, variant), variant))
            return 0
        if args.cv:
            name, values = _cv_values(args.cv)
            res = cv_setting(data, name, values, args.cv_metric, args.semantic)
            print(
                f"{name}: {args.cv_metric} per value on all "
                f"pairs {res['per_candidate']}; in-sample best "
                f"{res['in_sample'][0]} -> {res['in_sample'][1]:.4f}; "
                f"leave-one-pair-out {res['cv']:.4f} "
                f"(chosen per fold: {res['chosen']})"
            )
            return 0
        rows, tot = measure(data, args.semantic)
    except CompareFailed as exc:
        print(f"quality_realpairs FAILED: compare raised on {exc}", file=sys.stderr)
        return 1
    except ScorerError as exc:
        print(f"quality_realpairs: scorer error: {exc}", file=sys.stderr)
        return 2
    cmd = "python bench/quality_realpairs.py --write" + (
        "" if args.semantic == "auto" else f" --semantic {args.semantic}"
    )
    md = markdown(rows, tot, cmd, args.semantic)
    if args.json:
        print(
            json.dumps(
                {"pairs": rows, "totals": tot, "metrics": metrics_of(tot)},
                indent=2,
                ensure_ascii=False,
                default=str,
            )
        )
    else:
        print(md)
    if args.write:
        write_section(md)
        print(f"wrote {DOC.relative_to(REPO)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
