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
from collections import Counter
from dataclasses import dataclass, field
from itertools import repeat

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
_SENTENCE = re.compile(r"(?<=[.!?:])\s+|\n+")
_PART_SCALE = 1 / math.sqrt(3)


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


def _counts(tokens: list[str]) -> tuple[Counter, Counter]:
    """Return casefolded counts of all tokens and of capitalized words and numbers."""
    names = [t for t in tokens if t[0].isupper() or t[0].isdigit()]
    return Counter(map(str.casefold, tokens)), Counter(map(str.casefold, names))


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
    part: str, counts: dict[str, int], weight: dict[str, float], power: float
) -> tuple[list[int], list[float]]:
    """Return the columns and values of the MAX_TERMS heaviest words, ``sqrt(tf) * weight**power``,
    L2-normalized (and scaled by ``_PART_SCALE``)."""
    sqrt = math.sqrt
    # Heaviest first, equal values in word order: (-value, word) tuples sort in C, no key calls.
    if power == 1.0:  # x ** 1.0 is x exactly: no pow call per word
        scored = [
            (-(sqrt(tf) * weight[w]), w) for w, tf in counts.items() if weight[w] >= MIN_WEIGHT
        ]
    else:
        scored = [
            (-(sqrt(tf) * weight[w] ** power), w)
            for w, tf in counts.items()
            if weight[w] >= MIN_WEIGHT
        ]
    top = sorted(scored)[:MAX_TERMS]
    norm = math.sqrt(sum([v * v for v, _ in top]))
    if not norm:
        return [], []
    memo = _columns[part]
    cols = [memo[w] if w in memo else _column(part, w) for _, w in top]
    return cols, [-v / norm * _PART_SCALE for v, _ in top]


def event_vector(
    article: Article, text: str | None = None, language: str | None = None
) -> EventVector:
    """Return the event vector of ``article`` (``text``: its content text, if already computed)."""
    text = content_text(article.text) if text is None else text
    table = weight_table(language or article.language or "en")
    body, body_names = _counts(_WORD.findall(text))
    _, lead_names = _counts(_WORD.findall(f"{article.title or ''}\n{text[:LEAD_CHARS]}"))
    words = body.keys() | lead_names.keys()
    weight = dict(zip(words, map(table.get, words, repeat(MAX_WEIGHT))))
    cols: list[int] = []
    vals: list[float] = []
    for part, counts, power in (("w", body, 1.5), ("e", body_names, 1.0), ("l", lead_names, 1.0)):
        c, v = _hashed(part, counts, weight, power)
        cols += c
        vals += v
    cols, vals = _merged(cols, vals)
    named = _mid_sentence_capitals(f"{article.title or ''}\n{text}")
    candidates = {w: n for w, n in (lead_names + body_names).items() if w in named}
    return EventVector(cols, vals, _keys(candidates, weight))


def _merged(cols: list[int], vals: list[float]) -> tuple[np.ndarray, np.ndarray]:
    """Return sorted unique columns and their values, summed in order where columns repeat.

    A rare hash collision adds, never drops.
    """
    c = np.array(cols, np.int64)
    v = np.array(vals, np.float64)
    order = np.argsort(c, kind="stable")
    c, v = c[order], v[order]
    if c.size < 2 or bool(np.all(c[1:] != c[:-1])):
        return c.astype(np.uint32), v.astype(np.float32)
    starts = np.flatnonzero(np.concatenate(([True], c[1:] != c[:-1])))
    sums = np.array([sum(v[a:b].tolist(), 0.0) for a, b in zip(starts, [*starts[1:], c.size])])
    return c[starts].astype(np.uint32), sums.astype(np.float32)


def _mid_sentence_capitals(text: str) -> set[str]:
    """Return the casefolded words capitalized somewhere other than at a sentence start (names)."""
    found = set()
    for sentence in _SENTENCE.split(text):
        found.update([w for w in _WORD.findall(sentence)[1:] if w[0].isupper()])
    return set(map(str.casefold, found))


def _keys(names: dict[str, int], weight: dict[str, float]) -> np.ndarray:
    """Return the hashed keys of the rarest names (lead counted twice, so it ranks first)."""
    # Numbers are left out: "2013" or "10" would join unrelated events. A key must
    # also be rare in English: "Monday" or "Analysts" quoted in a German text are
    # no names, and they would make every such text a candidate of every other.
    english = weight_table("en")
    rare = [
        (w, n)
        for w, n in names.items()
        if not w.isdigit()
        and weight[w] >= MIN_KEY_WEIGHT
        and term_weight(w, english) >= MIN_KEY_WEIGHT
    ]
    ranked = sorted(rare, key=lambda kv: (-weight[kv[0]], -kv[1], kv[0]))
    hashed = [_column("k", w) for w, _ in ranked[:MAX_KEYS]]
    return np.unique(np.array(hashed, np.uint32))
