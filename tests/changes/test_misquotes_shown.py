"""A misquote in a long quotation is shown by the words that changed, not by the whole quote."""

from __future__ import annotations

from newstrace.changes import sentence_changes

LONG_A = (
    'The mayor said: "The new harbour bridge will give families in the north faster trips to '
    'school, enabling them to reach the centre in ten minutes."'
)
LONG_B = (
    'The mayor said: "The new harbour bridge will give families in the north faster trips to '
    'school, allowing them to reach the centre in ten minutes."'
)


def _quotes(a: str, b: str) -> list:
    return [c for c in sentence_changes(a, b) if c.type == "quote"]


def test_a_long_quote_shows_the_changed_words_and_marks_only_them():
    [c] = _quotes(LONG_A, LONG_B)
    assert c.severity == "meaning"
    assert (
        c.explanation
        == "quote, words changed: 'school, enabling them' became 'school, allowing them'"
    )
    assert LONG_A[c.a_span.start : c.a_span.end] == c.a_text == "school, enabling them"
    assert LONG_B[c.b_span.start : c.b_span.end] == c.b_text == "school, allowing them"


def test_words_dropped_from_a_long_quote_show_the_place_they_left():
    b = LONG_B.replace("allowing", "enabling").replace(" in ten minutes", "")
    [c] = _quotes(LONG_A, b)
    assert c.explanation == "quote, words changed: 'centre in ten minutes' became 'centre'"


def test_two_changed_places_are_counted():
    b = LONG_B.replace("faster", "quicker")
    [c] = _quotes(LONG_A, b)
    assert c.explanation.startswith("quote, words changed (and 1 more place(s)): 'north faster")


def test_a_short_quote_is_shown_whole():
    [c] = _quotes('She said: "The plan is dead."', 'She said: "The plan is over."')
    assert c.explanation == "quote: 'The plan is dead.' became 'The plan is over.'"
