"""salience, classify_addition, invert, claim strength and language fallback."""

from __future__ import annotations

from newstrace.changes import classify_addition, invert, salience, sentence_changes, strength_shift


def test_facts_outrank_colour():
    fact, why = salience("Police charged John Smith with fraud on Monday, seizing $3m in cash.", "en")
    colour, colour_why = salience("The evening light settled softly over the quiet harbour.", "en")
    assert fact > colour and 0 <= colour <= fact <= 1
    assert "numbers" in why and "legal facts" in why and colour_why == "colour or background"


def test_addition_kinds_and_credits():
    assert classify_addition("The Daily Courier writes about this, citing sources.", "en")[0] == "framing"
    assert classify_addition("Read more: our coverage of the floods.", "en") == ("framing", None)
    assert classify_addition("According to Reuters, the deal is worth $5bn.", "en") == ("claim", "Reuters")
    assert classify_addition("The mayor also announced a new tram line for the east side.", "en")[0] == "claim"


def test_invert_swaps_sides_and_explanation():
    (change,) = sentence_changes("The minister may resign.", "The minister will resign.")
    back = invert(change)
    assert back.direction == "weakened" and back.a_span == change.b_span and back.b_text == change.a_text
    assert back.explanation.startswith("certainty: stated as certain")


def test_unknown_language_falls_back_to_english():
    changes = sentence_changes("Up to 30 boats sank.", "More than 30 boats sank.", "xx", "xx")
    assert [(c.type, c.direction) for c in changes] == [("qualifier", "strengthened")]


def test_output_is_sorted_by_derivative_span():
    changes = sentence_changes("Up to 200 jobs could go, officials said.", "More than 200 jobs will go.")
    starts = [c.b_span.start if c.b_span else -1 for c in changes]
    assert starts == sorted(starts)


def test_strength_shift():
    assert strength_shift("Coffee is associated with lower risk of stroke.", "Coffee cuts stroke risk.") == "strengthened"
    assert strength_shift("Coffee cuts stroke risk.", "Coffee may cut stroke risk.") == "weakened"
    assert strength_shift("Coffee cuts stroke risk.", "Coffee reduces stroke risk.") == "same"
