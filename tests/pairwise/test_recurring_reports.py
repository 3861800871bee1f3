"""Two editions of a recurring report, and a change said twice: no meaning drift (issue 10).

Fictional texts. A daily rate bulletin reuses yesterday's sentences with new
figures: every figure differs, none of it is drift. A rewrite that changes one
figure and keeps the others is drift.
"""

from newstrace import compare
from newstrace.changes.base import invert
from newstrace.model import Article
from newstrace.settings import DEFAULT

LEXICAL = DEFAULT.with_(semantic="off")

MONDAY = (
    "Dunmore Exchange bulletin. The Dunmore central bank set its reference rate at 1.1193 "
    "crowns (Friday: 1.1234) per florin. A florin thus cost 0.8934 crowns (0.8902). "
    "An ounce of Velmoran gold traded at 1529 florins in the afternoon. "
    "Traders at the Dunmore Exchange expect a quiet week."
)
TUESDAY = (
    "Dunmore Exchange bulletin. The Dunmore central bank set its reference rate at 1.1091 "
    "crowns (Monday: 1.1110) per florin. A florin thus cost 0.9016 crowns (0.9001). "
    "An ounce of Velmoran gold traded at 1553 florins in the afternoon. "
    "Traders at the Dunmore Exchange expect a quiet week."
)


def _meaning(c):
    return [ch for ch in c.drift if ch.severity == "meaning"]


def test_two_editions_of_a_rate_bulletin_have_no_meaning_drift():
    c = compare(Article(text=MONDAY, id="mon"), Article(text=TUESDAY, id="tue"), LEXICAL)
    figures = [ch for ch in c.drift if ch.type == "number"]
    assert len(figures) >= 3  # the changes stay listed ...
    assert _meaning(c) == []  # ... as cosmetic
    assert all("two editions" in ch.explanation for ch in figures)
    # the note sits in the explanation's "what" part, so the other side's view still reads right
    first = invert(figures[0])
    assert first.explanation.endswith(f"'{figures[0].b_text}' became '{figures[0].a_text}'")


def test_one_changed_figure_among_kept_ones_is_still_drift():
    b = MONDAY.replace("1529 florins", "1592 florins")
    c = compare(Article(text=MONDAY, id="a"), Article(text=b, id="b"), LEXICAL)
    changed = [ch for ch in _meaning(c) if ch.type == "number"]
    assert [(ch.a_text, ch.b_text) for ch in changed] == [("1529", "1592")]


def test_a_change_said_twice_in_one_sentence_is_reported_once():
    a = (
        "Harbour Lights Season 2 Episode 7 Recap: in harbour lights episode 7 the keeper "
        "Mara Quill finds the lost logbook on the pier at night. "
        "The logbook names the captain who sank the Velmora in the storm. "
        "Mara Quill takes it to the harbour master before dawn."
    )
    b = a.replace("Episode 7", "Episode 9").replace("episode 7", "episode 9")
    c = compare(Article(text=a, id="a"), Article(text=b, id="b"), LEXICAL)
    sevens = [ch for ch in c.drift if ch.type == "number" and ch.a_text == "7"]
    assert len(sevens) == 1
