"""Quality gate on a small slice of the shared dev data (lexical mode, a few seconds).

The full benchmark runs in CI as ``python bench/quality.py --check``; this
slice makes an ordinary test run fail as soon as same-story quality falls.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DATA = REPO.parent / "shared" / "data"


def _bench():
    spec = importlib.util.spec_from_file_location("_bench_quality", REPO / "bench" / "quality.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(
    not (DATA / "semeval22-dev.jsonl").is_file() or not (DATA / "ecbplus-dev.jsonl").is_file(),
    reason="../shared/data not found (SemEval-2022 and ECB+ dev files); the quality gate needs it",
)
def test_quality_slice_meets_pinned_minimums():
    bench = _bench()
    minimums = json.loads((REPO / "bench" / "gate.json").read_text(encoding="utf-8"))["slice"]
    metrics = bench.run_slice(DATA)
    assert bench.check(metrics, minimums) == [], metrics


def test_check_reports_low_and_missing_metrics():
    bench = _bench()
    failures = bench.check({"a": 0.5, "b": 0.9}, {"a": 0.6, "b": 0.8, "c": 0.1, "slice": {}})
    assert failures == ["a: 0.5000 < minimum 0.6", "c: missing (minimum 0.1)"]


def test_bench_skips_clearly_without_data(tmp_path, capsys):
    bench = _bench()
    assert bench.main(["--data", str(tmp_path / "absent"), "--check"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("skipped:") and "gate not checked" in out
