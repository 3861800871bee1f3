"""Changes anchored by their own words in a loose rewrite: a figure in the same phrase, a predicate
negated (fictional sentences)."""

from __future__ import annotations

from newstrace.changes import sentence_changes
from newstrace.changes.grounding import counted

A = (
    "More than 50 firefighters tackled the blaze which began on the roof of the old bakery in "
    "Northfield, and residents nearby were evacuated as a precaution."
)


def _numbers(a: str, b: str) -> list[tuple[str, str, str]]:
    return [
        (c.severity, c.a_text, c.b_text)
        for c in sentence_changes(a, b, "en", "en", 0, 0, min_confidence=0)
        if c.type == "number" and c.direction == "changed"
    ]


def test_counted_word_after_a_figure():
    assert counted("23 pirates were held", 2) == "pirat"
    assert counted("a 66-year-old woman", 4) == "year"
    assert counted("a 270 MW turbine", 9) == "turbi"
    assert counted("it rose 5.", 8) is None


def test_a_changed_figure_counting_the_same_thing_is_meaning_in_a_loose_rewrite():
    # Only "More than ... firefighters" and the place are shared: the clause was reworded.
    b = "More than 100 firefighters with ten engines fought the fire that gutted the bakery."
    assert ("meaning", "50", "100") in _numbers(A, b)


def test_a_figure_counting_something_else_gets_no_such_anchor():
    b = "More than 100 residents with ten engines fought the fire that gutted the bakery."
    assert ("meaning", "50", "100") not in _numbers(A, b)


def test_a_margin_and_a_count_of_the_same_thing_are_not_one_figure():
    # "by only 2 votes" is a margin, "with 167 votes" a count: the word before differs, so the
    # loose rewrite gets no anchor (the same construction as the firefighters above otherwise).
    a = "The harbour plan, which began as a petition in the old town, won by only 2 votes."
    b = "After a bitter debate about the new quay, the harbour plan won with 167 votes in favour."
    assert ("meaning", "2", "167") not in _numbers(a, b)


def test_a_predicate_negated_in_a_loose_rewrite_is_meaning():
    a = "The driver was charged with speeding, leaving the scene and careless driving on Monday."
    b = "Tomas Reyl, 41, was not charged with careless driving or leaving the scene, police said."
    negations = [
        (c.severity, c.direction)
        for c in sentence_changes(a, b, "en", "en", 0, 0, min_confidence=0)
        if c.type == "negation"
    ]
    assert negations == [("meaning", "added")]
    # the same "not" before a predicate A does not state gets no such anchor
    other = "Tomas Reyl, 41, was not driving carelessly or leaving the scene, police said."
    assert ("meaning", "added") not in [
        (c.severity, c.direction)
        for c in sentence_changes(a, other, "en", "en", 0, 0, min_confidence=0)
        if c.type == "negation"
    ]
