"""The one splitter for short texts (normalize.sentences.sentence_breaks) and its users split
before a capital of any script, not only A-Z (issue 8 item 18)."""

import pytest

from newstrace.changes.strength import claim_strength
from newstrace.changes.usage import used_only
from newstrace.model import Change, Span
from newstrace.normalize.sentences import sentence_breaks, split_at_breaks


@pytest.mark.parametrize(
    "text, parts",
    [
        (
            "Мост на Садовой закрыли в среду. Ремонт начнётся в мае.",
            ["Мост на Садовой закрыли в среду.", "Ремонт начнётся в мае."],
        ),
        (
            "Міст закрили. Ремонт почнеться у травні. «Це надовго», сказав мер.",
            ["Міст закрили.", "Ремонт почнеться у травні.", "«Це надовго», сказав мер."],
        ),
        ("Η γέφυρα έκλεισε. Ο δήμαρχος μίλησε.", ["Η γέφυρα έκλεισε.", "Ο δήμαρχος μίλησε."]),
        (
            "Мост је затворен. Џон је рекао да ће трајати.",
            ["Мост је затворен.", "Џон је рекао да ће трајати."],
        ),
        ("Ёлку поставили. Ёж ушёл.", ["Ёлку поставили.", "Ёж ушёл."]),  # Ё is outside А-Я
        ('He said it was over." The mayor agreed.', ['He said it was over."', "The mayor agreed."]),
        (
            "The rate rose 3.5 percent. e.g. not here.",
            ["The rate rose 3.5 percent. e.g. not here."],
        ),
    ],
)
def test_split_at_breaks_splits_before_capitals_of_any_script(text, parts):
    assert split_at_breaks(text) == parts


def test_after_word_skips_abbreviations():
    text = "Dr. Ilse Varga left in 2019. Ο εκπρόσωπος said so."
    assert sentence_breaks(text) == [(3, 4), (28, 29)]
    assert sentence_breaks(text, after_word=True) == [(28, 29)]


def test_claim_strength_reads_the_first_claim_before_a_cyrillic_sentence():
    # The first sentence makes the claim; the next, in Russian, holds the English "no evidence"
    # cue. Read as one sentence (no break before "Д"), the whole text scored 0.
    text = "Coffee causes weight loss in mice. Для людей: no evidence yet."
    assert claim_strength(text, "en") == 3.0


def test_used_clause_stops_at_a_cyrillic_sentence_break():
    # B took the figure's sentence (with another figure), not the sentence before it. The
    # figure's context is that sentence alone; run on from the previous sentence it looked unused
    # and the real change was dropped.
    a = "Власти города закрыли старый мост. Ремонт обойдётся в 300 миллионов рублей."
    b = "Мэрия назвала сумму: 400 миллионов рублей."
    at, bt = a.index("300"), b.index("400")
    change = Change(
        "number",
        "meaning",
        "300 -> 400",
        "changed",
        a_span=Span(0, at, at + 3),
        b_span=Span(0, bt, bt + 3),
    )
    assert used_only([change], a, b, "ru", "ru") == [change]
