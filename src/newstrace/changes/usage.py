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
from ..normalize.sentences import sentence_breaks
from .grounding import anchored
from .lexicon import load

KEPT_SHARE = 0.5  # share of a clause's content words the other side must hold
_REACH = 3  # content words each side of a change that tell whether its context was taken
_MIN_WORDS = 2  # fewer content words than this: judge the whole sentence instead
_CLAUSE_MARK = re.compile(r"[,;:]\s+|\s[-–—]\s")
_WORD = re.compile(r"\w+")
_STEM = 5


def _clause_gaps(text: str) -> list[tuple[int, int]]:
    return sorted([m.span() for m in _CLAUSE_MARK.finditer(text)] + sentence_breaks(text))


def _bounds(gaps: list[tuple[int, int]], text: str, at: int) -> tuple[int, int]:
    start, end = 0, len(text)
    for g_start, g_end in gaps:
        if g_end <= at:
            start = g_end
        elif g_start >= at:
            end = g_start
            break
    return start, end


_THOUSANDS = re.compile(r"(?<=\d)[,.\u00a0\u202f](?=\d{3}(?!\d))")


def _words(text: str, lang: str) -> list[str]:
    stop = load(lang).stopwords
    text = _THOUSANDS.sub("", text)  # "500,000" and "500,000t" share the word "500000"
    words = map(str.lower, _WORD.findall(text))
    return [w[:_STEM] for w in words if (len(w) >= 4 or w.isdigit()) and w not in stop]


def _content(text: str, lang: str) -> set[str]:
    return set(_words(text, lang))


def _kept(
    text: str, start: int, end: int, other: set[str], lang: str, gaps_of: dict | None = None
) -> bool:
    """Return whether the words around ``text[start:end]`` (its clause, nearest first) show up in
    ``other``.

    ``gaps_of`` keeps the clause and sentence gaps of ``text`` for the next change in it.
    """
    gaps_of = {} if gaps_of is None else gaps_of
    for gaps in (_clause_gaps, sentence_breaks):
        key = (gaps, text)
        if key not in gaps_of:
            gaps_of[key] = gaps(text)
        lo, hi = _bounds(gaps_of[key], text, start)
        words = set(
            _words(text[lo:start], lang)[-_REACH:] + _words(text[end : max(hi, end)], lang)[:_REACH]
        )
        if len(words) >= _MIN_WORDS:
            return len(words & other) >= KEPT_SHARE * len(words)
    return True


def used_only(changes: list[Change], a: str, b: str, lang_a: str, lang_b: str) -> list[Change]:
    """Return ``changes`` without those whose span sits in a clause the other side did not use.

    A change whose own words show that both sides state the same thing (``grounding.anchored``: a
    figure in the same phrase, "50 firefighters" against "100 firefighters"; a predicate negated,
    "was charged" against "was not charged") was taken, however its clause was reworded.
    """
    if lang_a != lang_b or not changes:
        return changes
    words_a, words_b = _content(a, lang_a), _content(b, lang_b)
    gaps: dict = {}
    return [
        c
        for c in changes
        if anchored(c, a, b)
        or (
            (c.a_span is None or _kept(a, c.a_span.start, c.a_span.end, words_b, lang_a, gaps))
            and (c.b_span is None or _kept(b, c.b_span.start, c.b_span.end, words_a, lang_b, gaps))
        )
    ]
