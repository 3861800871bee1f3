"""Per-article features for story clustering: content hash and an event vector.

The event vector is what "same real-world event" is judged on, so it favours
what tells two events of one kind apart: rare words, names and numbers, and
the title and lead. It is the concatenation of three L2-normalized parts,
each scaled by 1/sqrt(3), so the dot product of two vectors is the mean of
three cosines:

- ``w``: every word of the text that is not common, ``sqrt(tf) * weight**1.5``;
- ``e``: capitalized words and numbers (names, places, figures), ``sqrt(tf) * weight``;
- ``l``: the same for the title and the first ``LEAD_CHARS`` of the text.

Word weights come from the static ``wordfreq`` lists (``normalize.weights``),
never from the corpus, so a pair's score depends on the pair alone: that is
what makes stories independent of the order articles arrive in. Features are
hashed into ``DIM`` columns (xxh64 of ``part:word``).
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from itertools import repeat
from operator import itemgetter, mul, neg, truediv

import numpy as np
import xxhash

from ..fingerprint import content_text, exact_hash
from ..model import Article
from ..normalize.weights import MAX_WEIGHT, term_weight, weight_table
from .evidence import fold

DIM = 1 << 20
LEAD_CHARS = 400
MIN_WEIGHT = 2.0  # below this a word is too common to say anything about the event
MAX_TERMS = 64  # per part; the tail of a long article adds noise, not evidence
MAX_KEYS = 12  # rarest names and numbers, used only to find candidate pairs
MIN_KEY_WEIGHT = 4.0  # a key must be rarer than "Tuesday" or "President"
_WORD = re.compile(r"\w+")
# A sentence piece starts after whitespace that follows sentence punctuation, or after newlines
# (the pieces of ``re.split(r"(?<=[.!?:])\s+|\n+", text)``). Scanned from after a text's first
# word, this finds the first word of every later piece: a separator's start, the non-words after
# it (a piece without words adds none: the gap runs on into the next piece) and the next word.
# It starts with a character set, which the regex engine skips to quickly. The word may be
# empty, at the end only: requiring one would rescan a trailing run of separators from each of
# its starts, quadratic in its length.
_PIECE_FIRST = re.compile(r"[.!?:\n](?:(?<=\n)|\s)\W*(\w*)")
_PART_SCALE = 1 / math.sqrt(3)
_VALUE = itemgetter(0)  # of a (-value, word) pair


@dataclass(frozen=True)
class EventVector:
    """A sparse, L2-normalized vector: sorted column indices and float32 values."""

    cols: np.ndarray  # uint32, sorted, unique
    vals: np.ndarray  # float32
    keys: np.ndarray = field(
        default_factory=lambda: np.zeros(0, np.uint32)
    )  # candidate keys: hashed rarest names and numbers

    def dot(self, other: EventVector) -> float:
        """Return the dot product (the mean of the three part cosines), in [0, 1]."""
        common, ia, ib = np.intersect1d(
            self.cols, other.cols, assume_unique=True, return_indices=True
        )
        return (
            float(np.dot(self.vals[ia].astype(np.float64), other.vals[ib])) if common.size else 0.0
        )


def content_hash(text: str) -> str:
    """Return the exact hash of the content: syndicated copies with different footers share it."""
    return exact_hash(content_text(text))


def _tokens(text: str) -> tuple[list[str], list[str]]:
    """Return the words of ``text`` and those of its first ``LEAD_CHARS`` characters (the lead).

    The text is read once: its words are the lead's and the rest's, the two halves of a word
    across the cut joined.
    """
    lead = _WORD.findall(text, 0, LEAD_CHARS)
    rest = _WORD.findall(text, LEAD_CHARS)
    if rest and _WORD.fullmatch(text, LEAD_CHARS - 1, LEAD_CHARS + 1):  # a word on either side
        return [*lead[:-1], lead[-1] + rest[0], *rest[1:]], lead
    return lead + rest, lead


def _names(tokens: list[str]) -> list[str]:
    """Return the capitalized words and numbers of ``tokens``, as written."""
    return [t for t in tokens if t[0].isupper() or t[0].isdigit()]


_MEMO_MAX = 200_000  # hashed columns kept per part and process
_columns: dict[str, dict[str, int]] = {"w": {}, "e": {}, "l": {}, "k": {}}


def _column(part: str, word: str) -> int:
    """Return the hashed column of ``word`` in ``part`` (names and keys folded); memoized."""
    memo = _columns[part]
    col = memo.get(word)
    if col is None:
        # Names are hashed folded across scripts, so a translation's Петрович meets Petrović.
        key = word if part == "w" else fold(word)
        col = xxhash.xxh64_intdigest(f"{part}:{key}".encode()) % DIM
        if len(memo) >= _MEMO_MAX:
            memo.clear()
        memo[word] = col
    return col


def _hashed(
    part: str, counts: dict[str, int], table: dict[str, float], power: float
) -> tuple[list[int], list[float]]:
    """Return the columns and values of the MAX_TERMS heaviest words, ``sqrt(tf) * weight**power``,
    L2-normalized (and scaled by ``_PART_SCALE``), heaviest first; ``table``: the word weights.

    Of equal values at the cut the first words in word order are kept.
    """
    sqrt = math.sqrt
    weights = map(table.get, counts, repeat(MAX_WEIGHT))  # one look-up a word, in C
    if power == 1.0:  # x ** 1.0 is x exactly: no pow call per word
        scored = [
            (-(sqrt(tf) * x), w)
            for w, tf, x in zip(counts, counts.values(), weights)
            if x >= MIN_WEIGHT
        ]
    else:
        scored = [
            (-(sqrt(tf) * x**power), w)
            for w, tf, x in zip(counts, counts.values(), weights)
            if x >= MIN_WEIGHT
        ]
    if not scored:
        return [], []
    # Sorted on the values alone, which compares floats only; words are compared only where
    # equal values straddle the cut, to choose the ones kept. Elsewhere the order of equal
    # values changes nothing: the same words get the same values, the norm sums the same
    # squares in the same order, and so does _merged a colliding column's values.
    top = sorted(scored, key=_VALUE)
    if len(top) > MAX_TERMS and top[MAX_TERMS][0] == top[MAX_TERMS - 1][0]:
        cut = top[MAX_TERMS - 1][0]
        lo, hi = bisect_left(top, cut, key=_VALUE), bisect_right(top, cut, key=_VALUE)
        top[lo:hi] = sorted(top[lo:hi])
    negated, heaviest = zip(*top[:MAX_TERMS])
    norm = math.sqrt(sum(map(mul, negated, negated)))  # the squares summed heaviest first
    memo = _columns[part]
    cols = list(map(memo.get, heaviest))
    if None in cols:  # a word not hashed yet in this process
        cols = [_column(part, w) if c is None else c for c, w in zip(cols, heaviest)]
    return cols, list(map(mul, map(truediv, map(neg, negated), repeat(norm)), repeat(_PART_SCALE)))


def event_vector(
    article: Article, text: str | None = None, language: str | None = None
) -> EventVector:
    """Return the event vector of ``article`` (``text``: its content text, if already computed)."""
    text = content_text(article.text) if text is None else text
    table = weight_table(language or article.language or "en")
    title = article.title or ""
    tokens, lead = _tokens(text)
    names = _names(tokens)
    title_names = _names(_WORD.findall(title))
    # The lead is the title and the first LEAD_CHARS of the text (no word spans the newline
    # between them), the names the title's and the text's.
    lead_names = Counter(map(str.casefold, title_names + _names(lead)))
    body = Counter(map(str.casefold, tokens))
    body_names = Counter(map(str.casefold, names))
    cols: list[int] = []
    vals: list[float] = []
    for part, counts, power in (("w", body, 1.5), ("e", body_names, 1.0), ("l", lead_names, 1.0)):
        c, v = _hashed(part, counts, table, power)
        cols += c
        vals += v
    cols, vals = _merged(cols, vals)
    capitals = body_names.copy()
    capitals.update(map(str.casefold, title_names))
    named = _mid_sentence_capitals(f"{title}\n{text}", capitals)
    return EventVector(cols, vals, _keys(named, lead_names, body_names, table))


def _merged(cols: list[int], vals: list[float]) -> tuple[np.ndarray, np.ndarray]:
    """Return sorted unique columns and their values, summed in order where columns repeat.

    A rare hash collision adds, never drops.
    """
    if len(set(cols)) == len(cols):  # the common case: no collision, nothing to sum
        c = np.array(cols, np.uint32)
        order = c.argsort()  # the method: np.argsort's dispatch costs more than the sort
        return c[order], np.array(vals, np.float32)[order]
    c = np.array(cols, np.int64)
    v = np.array(vals, np.float64)
    order = np.argsort(c, kind="stable")
    c, v = c[order], v[order]
    starts = np.flatnonzero(np.concatenate(([True], c[1:] != c[:-1])))
    sums = np.array([sum(v[a:b].tolist(), 0.0) for a, b in zip(starts, [*starts[1:], c.size])])
    return c[starts].astype(np.uint32), sums.astype(np.float32)


def _mid_sentence_capitals(text: str, capitals: dict[str, int]) -> set[str]:
    """Return the casefolded words capitalized somewhere other than at a sentence start (names).

    ``capitals``: the casefolded counts of the capitalized words of ``text`` (numbers among them
    are left out). A word is a name when it is capitalized more often than it opens a sentence
    piece: one regex pass over the text, not one per sentence.
    """
    first = _WORD.search(text)
    if first is None:
        return set()
    openers = [first[0], *_PIECE_FIRST.findall(text, first.end())]
    opening = Counter(map(str.casefold, [w for w in openers if w[:1].isupper()]))
    # A casefolded number still starts with its digit, a casefolded capital never does.
    return {w for w, n in capitals.items() if n > opening.get(w, 0) and not w[0].isdigit()}


def _keys(
    names: set[str], lead: dict[str, int], body: dict[str, int], table: dict[str, float]
) -> np.ndarray:
    """Return the hashed keys of the rarest names (lead counted twice, so it ranks first)."""
    # Numbers are left out: "2013" or "10" would join unrelated events. A key must
    # also be rare in English: "Monday" or "Analysts" quoted in a German text are
    # no names, and they would make every such text a candidate of every other.
    english = weight_table("en")
    rare = [
        w
        for w in names
        if not w.isdigit()
        and term_weight(w, table) >= MIN_KEY_WEIGHT
        and term_weight(w, english) >= MIN_KEY_WEIGHT
    ]
    # Rarest first, then most used, then in word order: tuples sort in C, no key calls.
    ranked = sorted([(-term_weight(w, table), -(lead.get(w, 0) + body.get(w, 0)), w) for w in rare])
    hashed = {_column("k", w) for _, _, w in ranked[:MAX_KEYS]}
    return np.array(sorted(hashed), np.uint32)
