"""JSON output: shape, every field from the Comparison, stability, read-back, JSON Schema."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newstrace.errors import MalformedInput
from newstrace.model import A_LABELS, B_LABELS, Direction, Evidence
from newstrace.report.jsonout import SCHEMA, comparison_from_dict, comparison_to_dict, to_json

from .conftest import make_comparison

SCHEMA_FILE = Path(__file__).parents[2] / "docs" / "comparison.schema.json"
TOP_KEYS = {
    "schema",
    "mode",
    "a",
    "b",
    "same_story",
    "same_story_score",
    "verdict",
    "derivative",
    "swapped",
    "direction",
    "coverage",
    "sentences",
    "boilerplate",
    "omissions",
    "additions",
    "drift_source",
    "drift",
}


def test_top_level_keys_and_version(comparison):
    d = comparison_to_dict(comparison)
    assert set(d) == TOP_KEYS
    assert d["schema"] == SCHEMA == "newstrace.comparison/2"


def test_document_metadata(comparison):
    d = comparison_to_dict(comparison)
    assert d["a"] == {
        "id": "hw-2024-0312-flood",
        "outlet": "Harbor Wire",
        "url": "https://harborwire.example/varna-floods",
        "title": "Varna floods force up to 300 families from homes",
        "published": "2024-03-12T08:15:00Z",
        "language": "en",
        "byline": None,
        "source": "a.txt",
    }
    assert d["b"]["byline"] == "Staff reporter" and d["b"]["outlet"] == "Daily Post"


def test_verdict_scores_and_coverage(comparison):
    d = comparison_to_dict(comparison)
    assert (d["same_story"], d["same_story_score"], d["verdict"]) == (
        True,
        0.93,
        "partially_derived",
    )
    assert d["coverage"] == {"b_from_a": 0.71, "a_in_b": 0.67}
    assert d["mode"] == "lexical" and d["drift_source"] == "a"


@pytest.mark.parametrize(
    "source, derivative", [("a", "b"), ("b", "a"), ("common_source", None), (None, None)]
)
def test_derivative_is_the_other_side_of_the_source(comparison, source, derivative):
    c = replace(comparison, direction=Direction(source, 0.5))
    d = comparison_to_dict(c)
    assert d["derivative"] == derivative and d["direction"]["source"] == source


def test_direction_evidence(comparison):
    ev = comparison_to_dict(comparison)["direction"]["evidence"]
    assert [e["kind"] for e in ev] == ["footer", "timestamp", "containment", "attribution"]
    assert ev[0] == {
        "kind": "footer",
        "side": "a",
        "about": "b",
        "text": "Originally published by Harbor Wire.",
        "weight": 0.6,
    }
    assert ev[3]["side"] is None


def test_sentences_carry_labels_links_and_paragraphs(comparison):
    s = comparison_to_dict(comparison)["sentences"]
    assert [x["label"] for x in s["a"]] == list(comparison.alignment.a_labels)
    assert [x["label"] for x in s["b"]] == [lk.label for lk in comparison.alignment.links]
    assert s["a"][4]["to"] == [4] and s["a"][5]["to"] == [4] and s["a"][6]["to"] == []
    assert s["b"][4]["from"] == [4, 5] and s["b"][4]["score"] == 0.46
    assert s["b"][3] == {
        "i": 3,
        "text": comparison.b.sentences[3].text,
        "label": "verbatim",
        "paragraph": 1,
        "from": [3],
        "score": 1.0,
    }
    assert {x["label"] for x in s["a"]} <= set(A_LABELS)
    assert {x["label"] for x in s["b"]} == set(B_LABELS)


def test_boilerplate_omissions_additions(comparison):
    d = comparison_to_dict(comparison)
    assert [(x["side"], x["i"], x["rule"]) for x in d["boilerplate"]] == [
        ("a", 8, "reporting_credit"),
        ("b", 7, "developing_story"),
        ("b", 8, "syndication_footer"),
    ]
    assert d["omissions"][0] == {"a": [7], "salience": 0.82, "why": "numbers, money, a caveat"}
    assert d["additions"][1] == {"b": [6], "kind": "claim", "credits": "Valley Herald"}


def test_drift_spans_and_texts(comparison):
    drift = comparison_to_dict(comparison)["drift"]
    first = drift[0]
    assert first["type"] == "qualifier" and first["direction"] == "strengthened"
    i, start, end = first["a_span"]
    assert comparison.a.sentences[i].text[start:end] == first["a_text"] == "up to 300"
    i, start, end = first["b_span"]
    assert comparison.b.sentences[i].text[start:end] == first["b_text"] == "more than 300"
    removed = next(x for x in drift if x["type"] == "attribution")
    assert removed["b_span"] is None and removed["b_text"] == ""


def test_to_json_is_stable_sorted_and_keeps_unicode(comparison):
    text = to_json(comparison)
    assert text == to_json(make_comparison())
    assert "\u201cup to 300\u201d" in text  # not \\u escapes
    assert json.loads(text) == comparison_to_dict(comparison)
    assert text.splitlines()[1] == '  "a": {'  # sorted keys, indent 2


def test_read_back_is_a_fixed_point(comparison):
    d = comparison_to_dict(comparison)
    back = comparison_from_dict(json.loads(to_json(comparison)))
    assert comparison_to_dict(back) == d
    assert back.drift == comparison.drift and back.direction == comparison.direction
    assert back.alignment == comparison.alignment


def test_read_back_refuses_other_schema(comparison):
    d = comparison_to_dict(comparison) | {"schema": "newstrace.comparison/0"}
    with pytest.raises(MalformedInput, match="comparison/0"):
        comparison_from_dict(d)


@settings(max_examples=30, deadline=None)
@given(
    drift=st.booleans(),
    n_om=st.integers(0, 2),
    n_add=st.integers(0, 2),
    source=st.sampled_from(["a", "b", "common_source", None]),
)
def test_read_back_fixed_point_on_variants(drift, n_om, n_add, source):
    c = make_comparison(drift=drift)
    c = replace(
        c,
        omissions=c.omissions[:n_om],
        additions=c.additions[:n_add],
        direction=replace(c.direction, source=source),
    )
    d = comparison_to_dict(c)
    assert comparison_to_dict(comparison_from_dict(d)) == d


def test_output_matches_json_schema_file(comparison):
    import jsonschema  # in the [test] extra: a missing one is a failure, not a skip

    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(json.loads(to_json(comparison)))


def test_schema_file_requires_every_emitted_key(comparison):
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert set(schema["required"]) == TOP_KEYS == set(schema["properties"])


def _common_source(comparison):
    return replace(
        comparison,
        direction=Direction(
            "common_source",
            0.4,
            (
                Evidence(
                    "only_in",
                    "common_source",
                    "only in B (30% of its content): a quote from the mayor",
                    0.4,
                    "b",
                ),
                Evidence(
                    "only_in", None, "only in A (20% of its content): the budget figure", 0.0, "a"
                ),
                Evidence("no_credit", "common_source", "neither credits the other", 0.35),
            ),
        ),
    )


def test_common_source_validates_and_reads_back(comparison):
    jsonschema = pytest.importorskip("jsonschema")
    d = json.loads(to_json(_common_source(comparison)))
    jsonschema.Draft202012Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))).validate(d)
    assert d["direction"]["source"] == "common_source" and d["derivative"] is None
    assert {e["about"] for e in d["direction"]["evidence"] if e["kind"] == "only_in"} == {"a", "b"}
    assert comparison_from_dict(d).direction == _common_source(comparison).direction


def test_version_1_reads_back(comparison):
    d = comparison_to_dict(comparison)
    d["schema"] = "newstrace.comparison/1"
    for e in d["direction"]["evidence"]:
        del e["about"]  # version 1 had no "about"
    back = comparison_from_dict(d)
    assert back.direction.source == "a" and all(e.about is None for e in back.direction.evidence)


def test_schema_leaves_room_for_a_drift_confidence(comparison):
    jsonschema = pytest.importorskip("jsonschema")
    d = json.loads(to_json(comparison))
    assert d["drift"], "the fixture has drift"
    d["drift"][0]["confidence"] = 0.8
    jsonschema.Draft202012Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))).validate(d)
    d["drift"][0]["confidence"] = 1.5
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(
            json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
        ).validate(d)
