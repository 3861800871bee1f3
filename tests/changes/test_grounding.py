"""Grounded drift: word alignment, confidence, and the document context of a change.

Fictional articles; alignments are written by hand so these tests do not
depend on the sentence aligner.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newstrace.changes import FLOOR, MEANING_MIN, sentence_changes
from newstrace.changes.wordalign import align_words
from newstrace.model import Alignment, Article, Link
from newstrace.normalize import normalize
from newstrace.pairwise.drift_pass import document_changes


def _doc(text: str):
    return normalize(Article(text=text, id=text[:12]))


def _alignment(a, b, links: dict[int, tuple[int, ...]]) -> Alignment:
    out = tuple(
        Link(s.i, links.get(s.i, ()), "paraphrase" if links.get(s.i) else "new", 0.9)
        for s in b.sentences
    )
    kept = {i for v in links.values() for i in v}
    return Alignment(out, tuple("kept" if s.i in kept else "omitted" for s in a.sentences))


def _meaning(changes):
    return sorted((c.type, c.direction) for c in changes if c.severity == "meaning")


def test_slots_of_a_replacement_and_a_cut():
    a, b = "Officials expect the bridge to reopen in May.", "Officials say the bridge will reopen."
    wa = align_words(a, b)
    expect = wa.slot("a", a.index("expect"), a.index("expect") + 6)
    assert expect.kind == "replace" and wa.other_text("a", expect, b) == "say"
    may = wa.slot("a", a.index("in May"), a.index("in May") + 6)
    assert may.kind == "delete" and may.anchored
    assert wa.slot("a", 0, 9).kind == "equal"


def test_moved_words_are_paired():
    a, b = (
        "Ownership rises from 38% to 48% this year.",
        "Ownership rises to 48% from 38% this year.",
    )
    wa = align_words(a, b)
    s38 = wa.slot("a", a.index("38"), a.index("38") + 2)
    assert s38.kind in ("equal", "moved")
    assert sentence_changes(a, b) == []


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(
        [
            "The plan aims to cut costs by up to 40%.",
            "Police said 300 people were hurt on 3 May.",
            "Imports of a key part from the firm were banned.",
            "The mill closed because of the drought.",
        ]
    ),
    st.sampled_from(
        [
            "The plan would cut costs by 40%.",
            "Police say about 300 people were hurt in May.",
            "Imports from the firm were banned.",
            "The mill closed during the drought.",
        ]
    ),
)
def test_confidence_decides_severity(a, b):
    every = sentence_changes(a, b, min_confidence=0)
    for c in every:
        assert 0 <= c.confidence <= 1
        assert c.severity != "meaning" or c.confidence >= MEANING_MIN
    kept = sentence_changes(a, b)
    assert kept == [c for c in every if c.confidence >= FLOOR]


def test_figure_moved_to_another_sentence_is_no_change():
    a = _doc("The council approved the plan on Monday. The plan costs $4m and creates 50 jobs.")
    b = _doc("The council approved the $4m plan on Monday. It creates 50 jobs.")
    found = document_changes(a, b, _alignment(a, b, {0: (0,), 1: (1,)}))
    # Not even a cosmetic candidate: "$4m" is in the source, one sentence later.
    assert not [c for c in found if c.type == "number"], found


def test_figure_dropped_everywhere_is_kept_as_a_candidate():
    a = _doc("The council approved the plan on Monday. The plan costs $4m and creates 50 jobs.")
    b = _doc("The council approved the plan on Monday. It creates jobs.")
    every = document_changes(a, b, _alignment(a, b, {0: (0,), 1: (1,)}), min_confidence=0)
    assert ("number", "removed") in {(c.type, c.direction) for c in every}


def test_speaker_credited_in_the_next_sentence_still_owns_the_claim():
    a = _doc(
        "The dam will hold until spring, said Mara Kell, the chief engineer. Repairs start in June."
    )
    b = _doc(
        "The dam will hold until spring. Mara Kell, the "
        "chief engineer, gave the estimate on Friday. "
        "Repairs start in June."
    )
    found = document_changes(a, b, _alignment(a, b, {0: (0,), 2: (1,)}))
    assert not [c for c in found if c.type == "attribution" and c.severity == "meaning"], found
    alone = document_changes(a, b, _alignment(a, b, {0: (0,), 2: (1,)}), min_confidence=0)
    assert [c for c in alone if c.type == "attribution"], (
        "the candidate exists, the context lowers it"
    )


def test_quote_kept_in_quotation_marks_is_still_someone_s_words():
    a = _doc("“The dam will hold until spring,” said Mara Kell. Repairs start in June.")
    b = _doc("“The dam will hold until spring.” Repairs start in June.")
    found = document_changes(a, b, _alignment(a, b, {0: (0,), 1: (1,)}))
    assert not [c for c in found if c.type == "attribution" and c.severity == "meaning"], found


def test_claim_stripped_of_its_source_everywhere_is_a_meaning_change():
    a = _doc(
        "The dam will hold until spring, people familiar "
        "with the survey said. Repairs start in June."
    )
    b = _doc("The dam will hold until spring. Repairs start in June.")
    found = document_changes(a, b, _alignment(a, b, {0: (0,), 1: (1,)}))
    assert ("attribution", "removed") in _meaning(found)


def test_unpaired_sentence_restating_a_bounded_figure():
    a = _doc(
        "The plant opened in Tarsk on Monday. It will "
        "cut emissions by more than 200,000 tonnes a year."
    )
    b = _doc(
        "The plant opened in Tarsk on Monday. Its owners put the saving at 200,000t of carbon."
    )
    found = document_changes(a, b, _alignment(a, b, {0: (0,)}))
    assert {("qualifier", "weakened"), ("qualifier", "vaguer")} <= set(_meaning(found)), found


def test_unpaired_sentence_with_a_bare_count_is_not_compared():
    # "200,000 homes" is not "200,000 tonnes": only figures with one named unit anchor a comparison.
    a = _doc(
        "The plant opened on Monday. It will cut emissions by more than 200,000 tonnes a year."
    )
    b = _doc("The plant opened on Monday. It can power 200,000 homes.")
    assert _meaning(document_changes(a, b, _alignment(a, b, {0: (0,)}))) == []


def test_pronoun_standing_for_a_name_is_no_change():
    changes = sentence_changes(
        "Mr Ruiz said the port would reopen next week.",
        "The latter said the port would reopen next week.",
        min_confidence=0,
    )
    assert not [c for c in changes if c.severity == "meaning"]
    assert not [c for c in changes if c.type == "entity" and c.confidence >= MEANING_MIN]


def test_source_credited_elsewhere_in_the_derivative_is_weaker():
    a = _doc(
        "Norvik Energy will drill two wells in 2026, Norvik Energy said. The field opened in 1998. "
        "Output fell last year. The licence runs to 2040."
    )
    b = _doc(
        "According to Norvik Energy, output fell last year. "
        "The field opened in 1998. The licence runs to 2040. "
        "Two wells will be drilled in 2026."
    )
    links = {0: (2,), 1: (1,), 2: (3,), 3: (0,)}
    found = document_changes(a, b, _alignment(a, b, links))
    assert not [c for c in found if c.type == "attribution" and c.severity == "meaning"], found
    every = document_changes(a, b, _alignment(a, b, links), min_confidence=0)
    assert [c for c in every if c.type == "attribution" and c.direction == "removed"]


def test_every_candidate_on_request_through_compare():
    from newstrace import compare
    from newstrace.settings import Settings

    a = "The council approved the plan on Monday. The plan costs $4m and creates 50 jobs."
    b = "The council approved the $4m plan on Monday. It creates 50 jobs."
    default = compare(a, b).drift
    every = compare(a, b, Settings().with_(drift_min_confidence=0)).drift
    assert set(default) <= set(every)
    assert [c for c in every if c.confidence < FLOOR]  # the moved "$4m", kept only on request
