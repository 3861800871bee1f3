"""Provenance graphs: syndication groups, edges, roots and the independent-source count."""

from __future__ import annotations

from newstrace.model import Article
from newstrace.stories import build_provenance


def _art(i: str, hour: int, outlet: str) -> Article:
    return Article(text="x", id=i, outlet=outlet, published=f"2025-01-01T{hour:02d}:00:00+00:00")


def _rel(a, b, source="a", verdict="partially_derived", credits=None, cov=(0.6, 0.4)):
    return {
        "a": a,
        "b": b,
        "source": source,
        "verdict": verdict,
        "credits": credits,
        "confidence": 0.8,
        "same_story_score": 0.7,
        "evidence": [],
        "coverage": {"b_from_a": cov[0], "a_in_b": cov[1]},
    }


ARTS = [_art("w", 7, "Wire"), _art("c", 8, "Copy"), _art("r", 9, "Rewrite"), _art("x", 10, "Other")]


def test_copies_and_rewrites_are_one_source():
    rels = [_rel("w", "c", verdict="wholly_derived", cov=(1.0, 0.98)), _rel("w", "r")]
    prov = build_provenance(ARTS[:3], rels)
    assert prov["independent_sources"] == 1 and prov["origin"] == "w"
    assert prov["syndication_groups"] == [["w", "c"]]
    assert prov["roles"] == {"w": "origin", "c": "copy", "r": "derivative"}


def test_same_content_hash_is_a_syndication_group():
    prov = build_provenance(ARTS[:2], [], {"w": "h1", "c": "h1"})
    assert prov["independent_sources"] == 1 and prov["roles"]["c"] == "copy"


def test_independent_reporting_counts_separately():
    prov = build_provenance(ARTS, [_rel("w", "r")])
    assert prov["independent_sources"] == 3  # w (with r), c, x
    assert prov["roles"]["x"] == "independent"


def test_credit_without_copying_is_not_independent():
    rel = _rel("w", "x", source=None, verdict="not_derived", credits="a", cov=(0.0, 0.0))
    prov = build_provenance([ARTS[0], ARTS[3]], [rel])
    assert prov["independent_sources"] == 1
    assert prov["edges"][0]["kind"] == "credits" and prov["roles"]["x"] == "derivative"


def test_undetermined_pair_counts_once():
    prov = build_provenance([ARTS[0], ARTS[2]], [_rel("w", "r", source=None)])
    assert prov["independent_sources"] == 1
    assert prov["edges"][0]["kind"] == "undetermined"
    assert prov["roots"] == [["w", "r"]] and prov["roles"]["r"] == "undetermined"


def test_cycle_still_has_a_root():
    rels = [_rel("w", "r"), _rel("r", "x"), _rel("x", "w")]
    prov = build_provenance([ARTS[0], ARTS[2], ARTS[3]], rels)
    assert prov["independent_sources"] == 1 and prov["origin"] == "w"


def test_overlap_between_two_rewrites_of_one_source_is_no_edge():
    # r and x both rewrite w; their own comparison finds r -> x only through w.
    rels = [
        _rel("w", "r", cov=(0.9, 0.6)),
        _rel("w", "x", cov=(0.8, 0.5)),
        _rel("r", "x", cov=(0.7, 0.6)),
    ]
    prov = build_provenance([ARTS[0], ARTS[2], ARTS[3]], rels)
    assert [(e["source"], e["derivative"]) for e in prov["edges"]] == [("w", "r"), ("w", "x")]
    assert prov["independent_sources"] == 1


def test_an_undetermined_pair_of_two_rewrites_of_one_source_is_no_edge():
    # r and x both take from w; their own comparison could not tell which took from the other,
    # and each takes more from w than from the other: they overlap only through w.
    rels = [
        _rel("w", "r", cov=(0.9, 0.6)),
        _rel("w", "x", cov=(0.7, 0.5)),
        _rel("r", "x", source=None, cov=(0.6, 0.55)),
    ]
    prov = build_provenance([ARTS[0], ARTS[2], ARTS[3]], rels)
    assert [(e["source"], e["derivative"], e["kind"]) for e in prov["edges"]] == [
        ("w", "r", "derived"),
        ("w", "x", "derived"),
    ]
    assert prov["independent_sources"] == 1
    assert prov["roles"] == {"w": "origin", "r": "derivative", "x": "derivative"}


def test_an_undetermined_pair_keeps_its_edge_when_one_reading_adds_material():
    # x holds more of r than of w (by more than the margin): r's own material may have reached x,
    # or x's reached r; the direction is open and the edge stays.
    rels = [
        _rel("w", "r", cov=(0.9, 0.6)),
        _rel("w", "x", cov=(0.4, 0.3)),
        _rel("r", "x", source=None, cov=(0.8, 0.55)),
    ]
    prov = build_provenance([ARTS[0], ARTS[2], ARTS[3]], rels)
    assert ("r", "x", "undetermined") in [
        (e["source"], e["derivative"], e["kind"]) for e in prov["edges"]
    ]
    assert prov["independent_sources"] == 1


def test_rewrite_that_adds_its_own_material_keeps_its_edge():
    # x takes much more from r than r took from w: r's additions reached x.
    rels = [
        _rel("w", "r", cov=(0.9, 0.6)),
        _rel("w", "x", cov=(0.4, 0.3)),
        _rel("r", "x", cov=(0.8, 0.6)),
    ]
    prov = build_provenance([ARTS[0], ARTS[2], ARTS[3]], rels)
    assert ("r", "x") in [(e["source"], e["derivative"]) for e in prov["edges"]]


def test_a_translation_edge_that_a_credited_ancestor_explains_is_dropped():
    # x (another language) credits w; the translation screen also relates it to r, w's rewrite.
    translated = dict(_rel("r", "x", cov=(0.67, 0.67)), mode="multilingual")
    credit = _rel("w", "x", source=None, verdict="not_derived", credits="a", cov=(0.0, 0.0))
    prov = build_provenance([ARTS[0], ARTS[2], ARTS[3]], [_rel("w", "r"), credit, translated])
    edges = [(e["source"], e["derivative"], e["kind"]) for e in prov["edges"]]
    assert edges == [("w", "r", "derived"), ("w", "x", "credits")]
    assert prov["independent_sources"] == 1 and prov["roles"]["x"] == "derivative"


def test_a_measured_copy_of_a_rewrite_keeps_its_edge_beside_a_credit():
    # x credits w but its text (80% of it, measured by shingles) is r's rewrite.
    credit = _rel("w", "x", source=None, verdict="not_derived", credits="a", cov=(0.0, 0.0))
    rels = [_rel("w", "r"), credit, _rel("r", "x", cov=(0.8, 0.7))]
    prov = build_provenance([ARTS[0], ARTS[2], ARTS[3]], rels)
    assert ("r", "x", "derived") in [
        (e["source"], e["derivative"], e["kind"]) for e in prov["edges"]
    ]
