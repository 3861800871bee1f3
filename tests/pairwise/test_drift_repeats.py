"""Document drift when B says one A sentence twice, and on date lines (fictional articles)."""

from __future__ import annotations

from newstrace.model import Alignment, Article, Link
from newstrace.normalize import normalize
from newstrace.pairwise.drift_pass import _repeats, document_changes


def _doc(text: str):
    return normalize(Article(text=text, id=text[:12]))


def _alignment(a, b, links: dict[int, tuple[tuple[int, ...], float]]) -> Alignment:
    out = tuple(
        Link(s.i, links[s.i][0], "paraphrase", links[s.i][1])
        if s.i in links
        else Link(s.i, (), "new", 0.0)
        for s in b.sentences
    )
    kept = {i for v, _ in links.values() for i in v}
    return Alignment(out, tuple("kept" if s.i in kept else "omitted" for s in a.sentences))


def _meaning(changes):
    return sorted((c.type, c.direction) for c in changes if c.severity == "meaning")


A = (
    "The ferry Dunmore Star ran aground near Tarsk on Sunday. "
    "A crew member gave a statement to the inquiry, but its findings were not yet known."
)
B = (
    "The ferry Dunmore Star ran aground near Tarsk on Sunday. "
    "A crew member gave a statement to the inquiry, but its findings are not yet known. "
    "The inspector said a crew member gave a statement, and the findings were not yet known."
)


def test_a_sentence_said_twice_is_not_a_negation_added():
    a, b = _doc(A), _doc(B)
    links = {0: ((0,), 0.95), 1: ((1,), 0.9), 2: ((1,), 0.7)}
    assert _repeats(a, b, (1,), (1, 2))
    assert _meaning(document_changes(a, b, _alignment(a, b, links))) == []


def test_a_split_sentence_is_still_read_whole():
    a = _doc(
        "The ferry Dunmore Star ran aground near Tarsk on Sunday, and it did not carry "
        "passengers at the time."
    )
    b = _doc(
        "The ferry Dunmore Star ran aground near Tarsk on Sunday. "
        "It carried passengers at the time."
    )
    assert not _repeats(a, b, (0,), (0, 1))
    found = document_changes(a, b, _alignment(a, b, {0: ((0,), 0.9), 1: ((0,), 0.6)}))
    assert ("negation", "removed") in _meaning(found)


QUOTE = (
    '"I am proud to lead the harbour board for a second term," Ilse Brandt said, adding that '
    "the work on the pier was far from done."
)
AGAIN = '"I am proud to lead the harbour board for a second term," Brandt said in a statement.'
LOOSER = '"I am so proud to lead the board again," Brandt said.'


def test_a_change_in_a_looser_restatement_is_shown_not_flagged():
    a = _doc(QUOTE)
    alone = _doc(LOOSER)
    flagged = document_changes(a, alone, _alignment(a, alone, {0: ((0,), 0.56)}))
    assert ("quote", "changed") in _meaning(flagged)  # said once, the change is flagged
    both = _doc(f"{AGAIN} {LOOSER}")
    found = document_changes(a, both, _alignment(a, both, {0: ((0,), 0.85), 1: ((0,), 0.56)}))
    assert _meaning(found) == []  # beside the quote word for word, it is shown, not flagged
    assert any(c.type == "quote" and c.severity == "cosmetic" for c in found)


def test_figures_of_a_date_line_are_no_meaning_change():
    # Scraped with its tokens spaced out ("10: 00"), so no clock time is read in it.
    a = _doc("Dunmore ferry inquiry opens\n\n26 September 2031, 10: 00 (GMT+05: 00)")
    b = _doc("Dunmore ferry inquiry opens\n\n4 October 2031, 18: 07 (GMT+05: 00)")
    found = document_changes(a, b, _alignment(a, b, {0: ((0,), 0.95), 1: ((1,), 0.5)}))
    assert found and _meaning(found) == []


def test_a_restatement_that_negates_the_sentence_is_still_flagged():
    # The deck restates the A sentence; the body says it again with "not": B says two things,
    # and the negation is a meaning change even in the looser of the two restatements.
    a = _doc(
        "Once the Korrin mill closes in 2027, its remaining orders will be moved to the "
        "Halden plant and the Vesk works for finishing."
    )
    b = _doc(
        "After the Korrin mill closes, its orders will be moved to Halden and Vesk. "
        "The owner said that when the Korrin mill closes in 2027, the remaining orders "
        "will not be moved to the Halden plant and the Vesk works for finishing."
    )
    links = {0: ((0,), 0.8), 1: ((0,), 0.7)}
    assert _repeats(a, b, (0,), (0, 1))
    assert ("negation", "added") in _meaning(document_changes(a, b, _alignment(a, b, links)))
