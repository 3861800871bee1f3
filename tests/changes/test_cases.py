"""Every labelled drift case: the meaning changes found equal the labels exactly."""

from __future__ import annotations

import json
import pathlib
from collections import Counter

import pytest

from newstrace.changes import sentence_changes

CASES = [
    json.loads(line)
    for line in (pathlib.Path(__file__).parent.parent / "data" / "drift_cases.jsonl")
    .read_text("utf-8")
    .splitlines()
    if line.strip()
]


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case(case):
    changes = sentence_changes(case["a"], case["b"], case["lang_a"], case["lang_b"])
    meaning = Counter((c.type, c.direction) for c in changes if c.severity == "meaning")
    want = Counter(
        (e["type"], e["direction"])
        for e in case["expect"]
        if e.get("severity", "meaning") == "meaning"
    )
    cosmetic = {(c.type, c.direction) for c in changes if c.severity == "cosmetic"}
    want_cosmetic = {
        (e["type"], e["direction"]) for e in case["expect"] if e.get("severity") == "cosmetic"
    }
    assert meaning == want, [c.explanation for c in changes]
    assert want_cosmetic <= cosmetic, [c.explanation for c in changes]


def test_case_set_is_big_enough():
    english = [c for c in CASES if c["lang_a"] == c["lang_b"] == "en"]
    assert len(english) >= 80 and len(CASES) - len(english) >= 20
