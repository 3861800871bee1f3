"""The event vector: keys from names used mid-sentence, columns summed where hashes collide."""

from __future__ import annotations

import random
import re
from collections import Counter

import pytest

from newstrace.model import Article
from newstrace.stories import event_vector
from newstrace.stories.features import (
    LEAD_CHARS,
    MAX_TERMS,
    _column,
    _hashed,
    _merged,
    _mid_sentence_capitals,
    _names,
    _tokens,
)

_WORD = re.compile(r"\w+")


def names_in(text: str) -> set[str]:
    """Return the names of ``text`` as event_vector finds them."""
    return _mid_sentence_capitals(text, Counter(map(str.casefold, _names(_WORD.findall(text)))))


def names_by_splitting(text: str) -> set[str]:
    """Return the names of ``text`` read piece by piece: the definition the one pass keeps."""
    found = set()
    for piece in re.split(r"(?<=[.!?:])\s+|\n+", text):
        found.update(w for w in _WORD.findall(piece)[1:] if w[0].isupper())
    return set(map(str.casefold, found))


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Quillfeather spoke. It opened.", set()),  # capitalized only where a sentence starts
        ("Quillfeather spoke. The engineer Quillfeather left.", {"quillfeather"}),
        ("Varga spoke. VARGA left.", set()),  # counted casefolded: both open a sentence
        ("Varga spoke. They met VARGA.", {"varga"}),
        ("\nVarga spoke.\nVarga left.", set()),  # a leading newline: an empty first piece
        ("\nVarga spoke. Then Varga left.", {"varga"}),
        ('"Harbour works," Varga said. "Quays" open.', {"varga"}),  # quotes before first words
        ("Varga spoke. ... Bridge opens.", set()),  # a piece of no words: the next one opens
        ("Varga spoke.\n\n\n", set()),
        ("Talks ended at 3.Varga left.", {"varga"}),  # no whitespace after the stop: no new piece
        ("Officials said: Varga leaves.", set()),  # a colon ends a piece too
        ("Officials said:Varga leaves.", {"varga"}),
        ("In 2013 Varga met 3M and 10th Fleet.", {"varga", "fleet"}),  # numbers are no names
        ("Émile spoke. Then Émile left.", {"émile"}),
        ("Harbour Bridge Opens\nHarbour crews worked.", {"bridge", "opens"}),  # a title line
        ("", set()),
        ("...!?", set()),
    ],
)
def test_names_are_words_capitalized_after_the_start_of_their_sentence(text, names):
    assert names_in(text) == names
    assert names_by_splitting(text) == names


def test_names_read_in_one_pass_are_those_read_piece_by_piece():
    rng = random.Random(3)
    parts = ["Varga", "varga", "É", "x", "1", ".", "!", ":", " ", "\n", '"', "\u00a0", "_"]
    for _ in range(3000):
        text = "".join(rng.choice(parts) for _ in range(rng.randint(0, 30)))
        assert names_in(text) == names_by_splitting(text), text


@pytest.mark.parametrize(
    "text",
    [
        "a" * (LEAD_CHARS - 1) + "bc d",  # a word across the cut
        "a" * (LEAD_CHARS - 1) + " bc d",
        "a" * LEAD_CHARS + " b",
        "a" * LEAD_CHARS,
        "short text",
        "",
    ],
)
def test_the_lead_and_body_words_are_those_of_reading_each(text):
    assert _tokens(text) == (_WORD.findall(text), _WORD.findall(text[:LEAD_CHARS]))


def test_equal_values_at_the_cut_keep_the_first_words_in_word_order():
    counts = {f"w{i:03d}": 1 for i in reversed(range(MAX_TERMS + 36))}  # all of one weight
    cols, vals = _hashed("w", counts, {}, 1.5)
    assert sorted(cols) == sorted(_column("w", f"w{i:03d}") for i in range(MAX_TERMS))
    assert len(set(vals)) == 1


def test_event_vector_keys_are_names_used_mid_sentence():
    text = "Officials said the bridge opened. The engineer Quillfeather checked it twice."
    named = event_vector(Article(text=text, id="a"), text, "en")
    opener = event_vector(Article(text="Quillfeather spoke. It opened.", id="b"), None, "en")
    assert named.keys.size == 1
    assert opener.keys.size == 0  # only ever the first word of a sentence: no name evidence


def test_names_meet_across_scripts_and_the_memo_changes_nothing():
    assert _column("e", "петрович") == _column("e", "petrovic")
    assert _column("w", "петрович") != _column("w", "petrovic")  # plain words are not folded
    first = _column("l", "varga")
    assert _column("l", "varga") == first


def test_repeated_columns_are_summed_in_order():
    cols, vals = _merged([7, 3, 7, 5], [0.25, 0.5, 0.125, 1.0])
    assert cols.tolist() == [3, 5, 7]
    assert vals.tolist() == [0.5, 1.0, 0.375]


def test_the_vector_is_unit_length_and_sorted():
    text = "Mayor Ines Varga of Port Elan opened the Harbour Bridge. Varga said it cost 4 million."
    v = event_vector(Article(text=text, id="c", title="Harbour Bridge Opens"), text, "en")
    assert (v.cols[1:] > v.cols[:-1]).all()
    assert abs(float(v.dot(v)) - 1.0) < 1e-5
