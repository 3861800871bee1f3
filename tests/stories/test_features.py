"""The event vector: keys from names used mid-sentence, columns summed where hashes collide."""

from __future__ import annotations

from newstrace.model import Article
from newstrace.stories import event_vector
from newstrace.stories.features import _column, _merged


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
