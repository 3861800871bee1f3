"""salience, classify_addition, invert, claim strength and language fallback."""

from __future__ import annotations

from newstrace.changes import classify_addition, invert, salience, sentence_changes, strength_shift


def test_facts_outrank_colour():
    fact, why = salience(
        "Police charged John Smith with fraud on Monday, seizing $3m in cash.", "en"
    )
    colour, colour_why = salience("The evening light settled softly over the quiet harbour.", "en")
    assert fact > colour and 0 <= colour <= fact <= 1
    assert "numbers" in why and "legal facts" in why and colour_why == "colour or background"


def test_addition_kinds_and_credits():
    assert (
        classify_addition("The Daily Courier writes about this, citing sources.", "en")[0]
        == "framing"
    )
    assert classify_addition("Read more: our coverage of the floods.", "en") == ("framing", None)
    assert classify_addition("According to Reuters, the deal is worth $5bn.", "en") == (
        "claim",
        "Reuters",
    )
    assert (
        classify_addition("The mayor also announced a new tram line for the east side.", "en")[0]
        == "claim"
    )


def test_invert_swaps_sides_and_explanation():
    (change,) = sentence_changes("The minister may resign.", "The minister will resign.")
    back = invert(change)
    assert (
        back.direction == "weakened"
        and back.a_span == change.b_span
        and back.b_text == change.a_text
    )
    assert back.explanation.startswith("certainty: stated as certain")


def test_unknown_language_falls_back_to_english():
    changes = sentence_changes("Up to 30 boats sank.", "More than 30 boats sank.", "xx", "xx")
    assert [(c.type, c.direction) for c in changes] == [("qualifier", "strengthened")]


def test_output_is_sorted_by_derivative_span():
    changes = sentence_changes(
        "Up to 200 jobs could go, officials said.", "More than 200 jobs will go."
    )
    starts = [c.b_span.start if c.b_span else -1 for c in changes]
    assert starts == sorted(starts)


def test_strength_shift():
    assert (
        strength_shift(
            "Coffee is associated with lower risk of stroke.", "Coffee cuts stroke risk."
        )
        == "strengthened"
    )
    assert strength_shift("Coffee cuts stroke risk.", "Coffee may cut stroke risk.") == "weakened"
    assert strength_shift("Coffee cuts stroke risk.", "Coffee reduces stroke risk.") == "same"


def test_claim_strength_scale():
    from newstrace.changes import claim_strength

    assert claim_strength("Taking the drug reduces pain.") == 3
    assert claim_strength("Taking the drug may reduce pain.") == 2
    assert claim_strength("Taking the drug is linked to less pain.") == 1
    assert claim_strength("Taking the drug had no effect on pain.") == 0


def test_first_cue_is_the_main_claim():
    from newstrace.changes import claim_strength

    # The correlational predicate governs the causal-looking noun after it.
    assert claim_strength("Therapy was associated with large improvements in mood.") == 1
    assert claim_strength("Therapy improves mood and is linked to better sleep.") == 3


def test_negator_right_before_a_cue_means_no_relationship():
    from newstrace.changes import claim_strength

    assert claim_strength("The target may not have improved patient care.") == 0
    assert claim_strength("Surgeons can open two arteries without increasing heart damage.") == 0
    # A negation elsewhere in the sentence does not cancel the claim.
    assert claim_strength("Protein and not sugar activates the cells that keep us awake.") == 3


def test_attribution_span_stays_inside_its_sentence():
    a = (
        "It is unclear whether lorries caused the damage after 2019. "
        "People familiar with the inspection said engineers may need weeks."
    )
    (attr,) = [
        c
        for c in sentence_changes(a, "Lorries caused the damage, and engineers will need weeks.")
        if c.type == "attribution"
    ]
    assert attr.a_text == "People familiar with the inspection said"


def test_clause_the_derivative_did_not_take_is_not_a_change():
    a = (
        "The council voted 9 to 4 to approve the terminal, "
        "ending a debate that had lasted almost two years."
    )
    assert sentence_changes(a, "The vote ended a debate that had lasted almost two years.") == []
