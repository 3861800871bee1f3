"""Which parts of a sentence the other side actually used.

A derivative often takes one clause of a source sentence (or of several
source sentences joined by the aligner). What sits in a clause it never took
is an omission, not a change of meaning, so changes whose span lies there
are dropped. Same-language pairs only: across languages words cannot be
matched, so every clause counts as used.
"""

from __future__ import annotations

import re

from ..model import Change
from .lexicon import load

KEPT_SHARE = 0.5  # share of a clause's content words the other side must hold
_REACH = 3  # content words each side of a change that tell whether its context was taken
_MIN_WORDS = 2  # fewer content words than this: judge the whole sentence instead
_SENTENCE = re.compile(r"(?<=[.!?])[\"”’]?\s+(?=[A-Z\"“‘(])")
_CLAUSE = re.compile(r"[,;:]\s+|\s[-–—]\s|(?<=[.!?])[\"”’]?\s+(?=[A-Z\"“‘(])")
_WORD = re.compile(r"\w+")
_STEM = 5


def _bounds(pattern: re.Pattern, text: str, at: int) -> tuple[int, int]:
    start, end = 0, len(text)
    for m in pattern.finditer(text):
        if m.end() <= at:
            start = m.end()
        elif m.start() >= at:
            end = m.start()
            break
    return start, end


_THOUSANDS = re.compile(r"(?<=\d)[,.\u00a0\u202f](?=\d{3}(?!\d))")


def _words(text: str, lang: str) -> list[str]:
    stop = load(lang).stopwords
    text = _THOUSANDS.sub("", text)  # "500,000" and "500,000t" share the word "500000"
    words = (w.lower() for w in _WORD.findall(text))
    return [w[:_STEM] for w in words if (len(w) >= 4 or w.isdigit()) and w not in stop]


def _content(text: str, lang: str) -> set[str]:
    return set(_words(text, lang))


def _kept(text: str, start: int, end: int, other: set[str], lang: str) -> bool:
    """Return whether the words around ``text[start:end]`` (its clause, nearest first) show up in
    ``other``."""
    for pattern in (_CLAUSE, _SENTENCE):
        lo, hi = _bounds(pattern, text, start)
        words = set(
            _words(text[lo:start], lang)[-_REACH:] + _words(text[end : max(hi, end)], lang)[:_REACH]
        )
        if len(words) >= _MIN_WORDS:
            return len(words & other) >= KEPT_SHARE * len(words)
    return True


def used_only(changes: list[Change], a: str, b: str, lang_a: str, lang_b: str) -> list[Change]:
    """Return ``changes`` without those whose span sits in a clause the other side did not use."""
    if lang_a != lang_b or not changes:
        return changes
    words_a, words_b = _content(a, lang_a), _content(b, lang_b)
    return [
        c
        for c in changes
        if (c.a_span is None or _kept(a, c.a_span.start, c.a_span.end, words_b, lang_a))
        and (c.b_span is None or _kept(b, c.b_span.start, c.b_span.end, words_a, lang_b))
    ]
