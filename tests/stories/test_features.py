"""The event vector's word counts: the fast path (whole-text regexes) equals the general path."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from newstrace.model import Article
from newstrace.stories import event_vector
from newstrace.stories.features import (
    _WORD,
    LEAD_CHARS,
    _counts,
    _event_counts,
    _fast_patterns,
    _mid_sentence_capitals,
)

TEXTS = [
    "The Harbour Board of Port Elan met on Monday. Mayor Ines Varga said: Repairs start in May.",
    "Straße und Fußweg in Kleinbrück bleiben gesperrt. Bürgermeister Jörg Maaß nannte 12 Gründe.",
    "İzmir'de yeni köprü açıldı. Vali İsmail Demir, 3 milyon lira harcandığını söyledi.",
    "Мэр Петрович открыл мост. Петрович сказал: «Мост выдержит 40 тонн».",
    "Flood warning \U0001f30a issued. The River Authority of Dunmore said levels rose 2 m.",
    "\n\nAfter a pause... Officials in Vale County. \n  Residents of Vale County left early.",
    "ABC. DEF ghi: Jkl MNO?  pqr Stu!\nVwx 99 Yz",
    "",
]


def _general(title: str, text: str) -> tuple[dict, dict, dict, set[str]]:
    body, body_names = _counts(_WORD.findall(text))
    _, lead_names = _counts(_WORD.findall(f"{title}\n{text[:LEAD_CHARS]}"))
    return body, body_names, lead_names, _mid_sentence_capitals(f"{title}\n{text}")


def _same(title: str, text: str) -> None:
    fast = _event_counts(title, text)
    general = _general(title, text)
    assert [dict(Counter(x)) if isinstance(x, dict) else x for x in fast] == [
        dict(x) if isinstance(x, dict) else x for x in general
    ]


def test_fast_counts_equal_the_general_counts_on_fixed_texts():
    for text in TEXTS:
        for title in ("", "Bridge Reopens In Port Elan", "İstanbul Köprüsü"):
            _same(title, text)


def test_texts_the_fast_path_cannot_read_take_the_general_path():
    _names, slow = _fast_patterns()
    assert slow.search("İzmir")  # casefolds to i + a combining dot, which is no word character
    assert slow.search("wave \U0001f30a")  # beyond the Basic Multilingual Plane
    assert not slow.search("Straße Петрович Αθήνα")  # ß -> ss stays one word


ALPHABET = st.sampled_from(list("aAbBzZ09 .!?:;,\n\t-_'ßẞİıΣσςПпÉéǅ\u0301\u00a0") + ["\U0001d400"])


@settings(max_examples=300, deadline=None)
@given(st.text(ALPHABET, max_size=60), st.text(ALPHABET, max_size=12))
def test_fast_counts_equal_the_general_counts(text, title):
    _same(title, text)


def test_event_vector_keys_are_names_used_mid_sentence():
    text = "Officials said the bridge opened. The engineer Quillfeather checked it twice."
    named = event_vector(Article(text=text, id="a"), text, "en")
    opener = event_vector(Article(text="Quillfeather spoke. It opened.", id="b"), None, "en")
    assert named.keys.size == 1
    assert opener.keys.size == 0  # only ever the first word of a sentence: no name evidence
