"""Claim-strength changes through compare: short texts whose one claim was paraphrased, not
aligned."""

from __future__ import annotations

import newstrace
from newstrace.changes.base import Ctx
from newstrace.changes.strength import compare_strength, sentence_claim, topic_overlap

STUDY = "Regular tea drinking was associated with lower blood pressure in older adults."
PRESS = "Drinking tea every day lowers your blood pressure, say researchers in Velmora."
OTHER = "The ferry timetable for the winter season starts on Monday."
OTHER_CLAIM = "Ferry delays were linked to the winter storms, the harbour office said."


def _claims(comparison):
    flip = {"strengthened": "weakened", "weakened": "strengthened"}
    return [
        (c.severity, flip.get(c.direction, c.direction) if comparison.swapped else c.direction)
        for c in comparison.drift
        if c.explanation.startswith("claim strength")
    ]


def test_sentence_claim_gives_the_cue_and_its_hedge():
    claim = sentence_claim("Green tea may reduce blood pressure in adults.")
    assert claim.strength == 2 and claim.cue.text == "reduce" and claim.hedge.text == "may"
    assert sentence_claim("Green tea reduces blood pressure.").strength == 3
    assert sentence_claim("Green tea was linked to lower blood pressure.").strength == 1
    assert sentence_claim("The tea was served at noon.") is None


def test_compare_reports_a_correlation_turned_into_a_cause():
    c = newstrace.compare(STUDY, PRESS)
    assert ("meaning", "strengthened") in _claims(c)
    change = next(ch for ch in c.drift if ch.explanation.startswith("claim strength"))
    assert change.type == "certainty" and 0.5 <= change.confidence <= 1
    assert "correlational" in change.explanation and "direct causal" in change.explanation


def test_compare_reports_a_cause_softened_to_a_possibility():
    c = newstrace.compare(
        "Daily walks reduce back pain in office workers.",
        "Walking daily might reduce back pain for some office staff, researchers in Velmora think.",
    )
    # Aligned here, so the sentence-level hedge change reports it, and the claim pass adds no second
    # flag.
    ways = [(ch.severity, ch.direction) for ch in c.drift if ch.type == "certainty"]
    assert ways == [("meaning", "weakened")] and not c.swapped


def test_same_strength_reports_nothing():
    c = newstrace.compare(
        "Daily walks reduce back pain in office workers.",
        "Walking every day reduces back pain among people who work in offices.",
    )
    assert _claims(c) == []


def test_unrelated_short_texts_are_never_a_meaning_change():
    ctx = Ctx(0, 0, "en", "en")
    stop = newstrace.changes.lexicon.load("en").stopwords
    (change,) = compare_strength(OTHER_CLAIM, PRESS, ctx, stop)
    assert change.confidence < 0.5
    assert all(sev != "meaning" for sev, _ in _claims(newstrace.compare(OTHER_CLAIM, PRESS)))


def test_a_side_with_no_claim_is_no_claim_change():
    # A news event verb ("charged with killing") against a sentence with no claim cue is an
    # event, not a causal claim made stronger.
    ctx = Ctx(0, 0, "en", "en")
    stop = newstrace.changes.lexicon.load("en").stopwords
    news = "A woman charged with killing two shop workers in Velmora was released on Friday."
    plain = "A woman arrested over two deaths at a Velmora shop was released on Friday."
    assert compare_strength(plain, news, ctx, stop) == []
    assert compare_strength(OTHER, PRESS, ctx, stop) == []
    assert _claims(newstrace.compare(plain, news)) == []


def test_long_articles_get_no_document_claim_change():
    filler = " ".join(
        f"The harbour office listed {n} new berths for the season." for n in range(3, 9)
    )
    c = newstrace.compare(STUDY + " " + filler, PRESS + " " + filler)
    assert _claims(c) == []


def test_topic_overlap_counts_content_words_of_the_shorter_side():
    stop = newstrace.changes.lexicon.load("en").stopwords
    assert topic_overlap(STUDY, PRESS, stop) >= 0.25
    assert topic_overlap(OTHER, PRESS, stop) == 0.0


def test_an_aligned_hedge_change_is_not_reported_twice():
    c = newstrace.compare(
        "The new vaccine may reduce infections in children under five.",
        "The new vaccine reduces infections in children under five.",
    )
    ways = [ch.direction for ch in c.drift if ch.type == "certainty"]
    assert ways.count("strengthened") == 1


def test_no_claim_change_where_a_side_has_no_strength_cues_of_its_own():
    c = newstrace.compare(
        PRESS, "Ежедневное чаепитие снижает давление у пожилых людей, сообщили учёные из Велморы."
    )
    assert c.b.language != "en" or c.a.language != "en"
    assert _claims(c) == []


def test_strength_cues_of_its_own():
    from newstrace.changes.strength import has_cues

    assert has_cues("en") and has_cues("en-GB") and has_cues("und")
    assert not has_cues("ru") and not has_cues(
        "fr"
    )  # fr has no lexicon: English cues would misread it
