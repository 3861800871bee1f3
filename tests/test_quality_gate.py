"""The quality gate fails when it should, on a small lexical slice of the shared dev data.

The full benchmark runs in CI as ``python bench/quality.py --check``; the slice
(``--slice``) makes an ordinary test run fail as soon as quality falls. The
mutation tests break compare the way the issue did (direction decision off,
number drift off, every cross-language compare raising) and assert that the
gate says so. The mutations act on compare's public output, so they keep
working whatever the pair engine looks like inside.
"""

from __future__ import annotations

import dataclasses
import importlib
import importlib.util
import json
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

import cv  # bench/ modules, found through the path entry above
import quality_realpairs

DATA = quality_realpairs.data_dir()
NEEDED = (
    "semeval22-dev.jsonl",
    "ecbplus-dev.jsonl",
    "insciout-dev.jsonl",
    "realpairs-dev/articles.jsonl",
)
needs_data = pytest.mark.skipif(
    not all((DATA / f).is_file() for f in NEEDED),
    reason=f"dev data not found in {DATA} (set NEWSTRACE_DATA); the quality gate needs it",
)
FAST = (
    "semeval",
    "realpairs",
    "insciout",
    "drift",
)  # the slice without ECB+, which no mutation touches


def _bench():
    spec = importlib.util.spec_from_file_location("_bench_quality", REPO / "bench" / "quality.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _slice_gate() -> dict:
    return json.loads((REPO / "bench" / "gate.json").read_text(encoding="utf-8"))["slice"]


# ---------------------------------------------------------------- mutations


def _replace_everywhere(monkeypatch, original, replacement) -> None:
    """Point every newstrace module's name for ``original`` at ``replacement``."""
    for name, module in list(sys.modules.items()):
        if name.startswith("newstrace") and module is not None:
            for attr, value in list(vars(module).items()):
                if value is original:
                    monkeypatch.setattr(module, attr, replacement)


def _wrap_compare(monkeypatch, after=None, before=None) -> None:
    for name in (
        "newstrace.api",
        "newstrace.pairwise",
        "newstrace.pairwise.drift_pass",
        "newstrace.changes",
    ):
        importlib.import_module(name)
    from newstrace.pairwise import compare_documents as original

    def mutated(a, b, *args, **kwargs):
        if before:
            before(a, b)
        c = original(a, b, *args, **kwargs)
        return after(c) if after else c

    _replace_everywhere(monkeypatch, original, mutated)


def no_direction(monkeypatch) -> None:
    """The direction decision disabled: every comparison says "undetermined"."""
    from newstrace.model import Direction

    _wrap_compare(
        monkeypatch,
        after=lambda c: dataclasses.replace(
            c, direction=Direction(None, 0.0, c.direction.evidence), swapped=False
        ),
    )


def no_number_drift(monkeypatch) -> None:
    """Number drift disabled: no change of type "number", in compare or in the sentence
    detectors."""
    _wrap_compare(
        monkeypatch,
        after=lambda c: dataclasses.replace(
            c, drift=tuple(ch for ch in c.drift if ch.type != "number")
        ),
    )
    from newstrace import changes

    original = changes.sentence_changes

    def without_numbers(*args, **kwargs):
        return [ch for ch in original(*args, **kwargs) if ch.type != "number"]

    _replace_everywhere(monkeypatch, original, without_numbers)


def cross_language_raises(monkeypatch) -> None:
    """Every cross-language compare raises."""

    def boom(a, b):
        if a.language != b.language:
            raise RuntimeError(f"mutation: cross-language compare {a.language}-{b.language}")

    _wrap_compare(monkeypatch, before=boom)


MUTATIONS = {
    "direction decision disabled": (no_direction, "realpairs_copies_direction_accuracy:"),
    "number drift disabled": (no_number_drift, "number_recall:"),
    "every cross-language compare raising": (cross_language_raises, "compare raised on"),
}


# ---------------------------------------------------------------- the gate on real data


@needs_data
def test_quality_slice_meets_pinned_minimums():
    bench = _bench()
    metrics = bench.run_slice(DATA)
    assert bench.gate_failures(metrics, _slice_gate()) == [], metrics


@pytest.fixture(scope="module")
def clean_fast_failures():
    bench = _bench()
    return bench.gate_failures(bench.run_slice(DATA, FAST), _slice_gate())


@needs_data
@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_gate_fails_on_each_mutation_of_the_issue(monkeypatch, clean_fast_failures, name):
    mutate, expected = MUTATIONS[name]
    assert not any(f.startswith(expected) for f in clean_fast_failures), clean_fast_failures
    mutate(monkeypatch)
    bench = _bench()  # fresh ERRORS
    failures = bench.gate_failures(bench.run_slice(DATA, FAST), _slice_gate())
    assert any(f.startswith(expected) for f in failures), failures


@needs_data
def test_check_exits_nonzero_when_a_compare_raises(monkeypatch, capsys):
    cross_language_raises(monkeypatch)
    bench = _bench()
    monkeypatch.setattr(bench, "SLICE_PARTS", ("semeval",))  # the part with cross-language pairs
    assert bench.main(["--slice", "--check", "--data", str(DATA)]) == 1
    out = capsys.readouterr().out
    assert "quality gate FAILED" in out and "compare raised on" in out


@needs_data
def test_realpairs_scorer_fails_instead_of_dropping_a_pair(monkeypatch, capsys):
    import newstrace

    original = newstrace.compare
    calls = []

    def flaky(a, b, settings=None):
        calls.append(1)
        if len(calls) == 3:
            raise ValueError("mutation: third pair")
        return original(a, b, settings)

    monkeypatch.setattr(newstrace, "compare", flaky)
    assert quality_realpairs.main(["--data", str(DATA)]) == 1
    assert "compare raised" in capsys.readouterr().err


# ---------------------------------------------------------------- without data, under CI


def test_bench_skips_clearly_without_data(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    bench = _bench()
    assert bench.main(["--data", str(tmp_path / "absent"), "--check"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("skipped:") and "gate not checked" in out


def test_bench_fails_without_data_under_ci(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("CI", "true")
    assert _bench().main(["--data", str(tmp_path / "absent"), "--check"]) == 1
    assert "quality gate FAILED" in capsys.readouterr().out
    assert quality_realpairs.main(["--data", str(tmp_path / "absent")]) == 1


@needs_data
def test_bench_fails_without_the_multilingual_extra_under_ci(capsys, monkeypatch):
    import newstrace.semantic

    monkeypatch.setenv("CI", "true")
    monkeypatch.setattr(newstrace.semantic, "available", lambda: False)
    assert _bench().main(["--data", str(DATA), "--check", "--modes", "lexical,multilingual"]) == 1
    assert "[multilingual] extra is not installed" in capsys.readouterr().out


# ---------------------------------------------------------------- pieces


def test_check_reports_low_and_missing_metrics():
    bench = _bench()
    failures = bench.check({"a": 0.5, "b": 0.9}, {"a": 0.6, "b": 0.8, "c": 0.1, "slice": {}})
    assert failures == ["a: 0.5000 < minimum 0.6", "c: missing (minimum 0.1)"]


def test_gate_reports_maximums_and_errors():
    bench = _bench()
    gate = {"a": 0.1, "maximums": {"false": 1.0, "gone": 2.0}}
    assert bench.gate_failures({"a": 0.2, "false": 1.5}, gate) == [
        "false: 1.5000 > maximum 1.0",
        "gone: missing (maximum 2.0)",
    ]
    bench.ERRORS.append("semeval x: RuntimeError: boom")
    assert bench.gate_failures({"a": 0.2, "false": 0.5, "gone": 0.0}, gate)[-1].startswith(
        "compare raised on 1 "
    )


def test_cross_validation_chooses_on_training_folds_only():
    # Units are (x, label); a threshold t predicts label x >= t. Only the unit (5, False) tells the
    # two thresholds apart, so the fold that holds it out ties, keeps the earlier one and misses it.
    units = [(1, False), (2, False), (6, True), (7, True), (9, True), (5, False)]

    def evaluate(t, unit):
        return (unit[0] >= t) == unit[1]

    res = cv.cross_validate(
        units, [3, 6], evaluate, lambda oks: sum(oks) / len(oks), cv.leave_one_out(len(units))
    )
    assert res["in_sample"] == (6, 1.0)
    assert res["per_candidate"] == {"3": 5 / 6, "6": 1.0}
    assert res["chosen"] == [6, 6, 6, 6, 6, 3] and res["cv"] == 5 / 6
    overfit = [(1, False), (4, True), (5, False), (8, True)]
    res = cv.cross_validate(
        overfit, [3, 5, 6], evaluate, lambda oks: sum(oks) / len(oks), cv.leave_one_out(4)
    )
    assert res["in_sample"][1] == 0.75 and res["cv"] < res["in_sample"][1]


def test_k_fold_covers_each_unit_once_and_checks_its_arguments():
    folds = cv.k_fold(11, 5, seed=3)
    assert sorted(i for f in folds for i in f) == list(range(11)) and len(folds) == 5
    assert folds == cv.k_fold(11, 5, seed=3)
    with pytest.raises(ValueError):
        cv.k_fold(3, 5)
    with pytest.raises(ValueError):
        cv.cross_validate([1, 2], [0], lambda c, u: u, sum, [[0]])


def test_orient_maps_a_swapped_comparison_back_to_the_given_order():
    import newstrace
    from newstrace.model import Article

    paras = [
        "The council of Varrow voted on Monday to close the old tram depot by 2028.",
        "The depot, built in 1911, employs 140 people and houses 22 trams.",
        "Mayor Ilse Brandt said the site would become housing.",
        "Unions said they would fight the plan in court.",
        "A consultation opens next month and runs for six weeks.",
    ]
    original = Article(
        text="\n\n".join(paras), id="o", outlet="varrowpost.example", published="2026-03-02"
    )
    copy = Article(
        text="\n\n".join(paras[:3]), id="c", outlet="copydesk.example", published="2026-03-03"
    )
    c = newstrace.compare(copy, original)  # the copy given first: compare puts the original first
    assert c.swapped and c.direction.source == "a"
    o = quality_realpairs.orient(c)
    assert o.a is c.b and o.b is c.a and o.source == "b"
    assert o.links and all(o.a.sentences[i].text == o.b.sentences[j].text for i, j in o.links)


def test_drift_scoring_counts_real_acceptable_and_false_changes():
    from newstrace.model import Article
    from newstrace.normalize import normalize

    a = normalize(
        Article(text="The plant is expected to help cut costs. It opened in 2019 with 40 staff.")
    )
    b = normalize(Article(text="The plant will help cut costs. It opened in 2019 with 40 workers."))

    def at(doc, word):
        start = doc.text.index(word)
        return (start, start + len(word))

    changes = [
        (
            "certainty",
            "meaning",
            at(a, "expected to"),
            at(b, "will"),
            "expected to",
            "will",
        ),  # the real one
        ("entity", "meaning", at(a, "staff"), at(b, "workers"), "staff", "workers"),  # acceptable
        ("number", "meaning", None, at(b, "2019"), "", "2019"),  # false
        ("number", "cosmetic", None, at(b, "40"), "", "40"),  # cosmetic: not scored
    ]
    o = quality_realpairs.Oriented(a, b, set(), changes, None, "wholly_derived", False)
    label = {
        "id": "fictional",
        "drift": [{"type": "certainty", "a": "expected to help", "b": "will help"}],
        "acceptable": [{"type": "entity", "a": "40 staff", "b": "40 workers"}],
    }
    got = quality_realpairs.score_drift(o, label)
    assert (got["tp"], got["neutral"], got["fp"], got["found"], got["labelled"]) == (1, 1, 1, 1, 1)
    assert got["false"] == [{"pair": "fictional", "type": "number", "a": "", "b": "2019"}]


def test_splice_replaces_sections_and_keeps_the_rest():
    bench = _bench()
    doc = (
        "# Quality\n\nProduced by x.\n\n## Alpha\n\nold alpha\n\n## Beta\n\nbeta stays\n\n"
        "## All metrics\n\n| metric | value |\n|---|---:|\n| a_f1 | 0.5 |\n| n | 3 |\n"
    )
    assert bench.doc_metrics(doc) == {"a_f1": 0.5, "n": 3}
    out = bench.splice(
        doc,
        [("Alpha", "new alpha\n"), ("Gamma", "## Gamma\n\nadded\n")],
        {"a_f1": 0.6, "n": 3},
        "alpha by y",
    )
    assert "new alpha" in out and "old alpha" not in out and "beta stays" in out
    assert (
        out.index("## Alpha")
        < out.index("## Beta")
        < out.index("## Gamma")
        < out.index("## All metrics")
    )
    assert "Re-measured since: alpha by y" in out and bench.doc_metrics(out) == {
        "a_f1": 0.6,
        "n": 3,
    }


def test_a_full_write_keeps_the_hand_written_sections():
    """A full ``--write`` regenerates every measured section; sections written by hand (what was
    read, tried and dropped) stay, in their order, before the metrics table."""
    old = (
        "# Quality\n\nold head\n\n## Real pairs (realpairs-dev)\n\nold table\n\n"
        "## What session 8 found\n\nread by hand\n\n## Tried and dropped\n\nnotes\n\n"
        "## All metrics\n\n| metric | value |\n|---|---:|\n| a | 1 |\n"
    )
    fresh = (
        "# Quality\n\nnew head\n\n## Real pairs (realpairs-dev)\n\nnew table\n\n"
        "## All metrics\n\n| metric | value |\n|---|---:|\n| a | 2 |\n"
    )
    quality = _bench()
    out = quality.keep_hand_sections(fresh, old)
    headings = [line for line in out.splitlines() if line.startswith("## ")]
    assert headings == [
        "## Real pairs (realpairs-dev)",
        "## What session 8 found",
        "## Tried and dropped",
        "## All metrics",
    ]
    assert "new table" in out and "old table" not in out and "read by hand" in out
    assert out.endswith("| a | 2 |\n") and quality.keep_hand_sections(fresh, "") == fresh
