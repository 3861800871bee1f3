"""Language identification: the sample's pieces vote, so a Title Case headline does not decide."""

from __future__ import annotations

import pytest

from newstrace.normalize import language
from newstrace.normalize.language import detect_language

# Written for this test: a scraped page whose first line is a Title Case headline.
HEADLINE = "Harbor Town Lineman Arrested On Suspicion Of Drunk Driving On Feb. 04, 2031 "
BODY = (
    "A defensive lineman for the Harbor Town Gulls was arrested early on Sunday on suspicion of "
    "drunken driving, the team's second such arrest in less than a month. He was pulled over "
    "for speeding on a freeway outside the city centre, the highway patrol said, and he was "
    "booked into the county jail before being released on bail later in the morning. The team "
    "said it was aware of the arrest and was gathering more information about what happened. "
    "A blood sample was taken for a test, but the results were not yet known on Monday. "
)


def test_a_title_case_headline_does_not_outvote_the_body():
    text = "http://example.org/2031/02/04/lineman-arrested/ " + HEADLINE + BODY
    # The headline read alone is what the model gets wrong; the whole page is English.
    assert detect_language(text) == "en"


@pytest.mark.parametrize(
    "text, lang",
    [
        (BODY, "en"),
        (
            (
                "Der Stadtrat hat am Montag den neuen Hafenplan gebilligt, teilte die Verwaltung "
                "mit. Die Arbeiten am Kai sollen im Frühjahr beginnen, sagte ein Sprecher."
            ),
            "de",
        ),
        ("short", "und"),
    ],
)
def test_plain_texts_keep_their_language(text, lang):
    assert detect_language(text) == lang


def test_pieces_cover_the_sample_at_spaces():
    sample = " ".join(f"word{i}" for i in range(400))
    pieces = language._pieces(sample)
    assert " ".join(pieces) == sample
    assert all(len(p) >= language._PIECE_CHARS for p in pieces)
    assert len(pieces) > 1
    assert language._pieces("one two") == ["one two"]
