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
from functools import lru_cache
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
# The first word of each piece _SENTENCE.split gives (a piece without words adds none).
_FIRST = re.compile(r"(?:\A|(?<=[.!?:])\s+|\n+)\W*?(\w+)")
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


def _counts(tokens: list[str]) -> tuple[dict[str, int], dict[str, int]]:
    """Return casefolded counts of all tokens and of capitalized words and numbers."""
    names = [t for t in tokens if t[0].isupper() or t[0].isdigit()]
    return Counter(map(str.casefold, tokens)), Counter(map(str.casefold, names))


def _folded(raw: Counter) -> dict[str, int]:
    """Return the counts of ``raw`` spellings merged by casefold."""
    out: dict[str, int] = {}
    for w, n in raw.items():
        f = w.casefold()
        out[f] = out.get(f, 0) + n
    return out


@lru_cache(maxsize=1)
def _fast_patterns() -> tuple[re.Pattern, re.Pattern]:
    """Return (a name pattern, the characters that rule the fast path out).

    The name pattern finds every word (``\\w`` run) that starts with an
    uppercase letter or a digit, in C instead of a test per word. It knows the
    Basic Multilingual Plane only, and it is exact only where casefolding the
    whole text gives the casefolded words: so a text with a character beyond
    the BMP, or one whose casefold holds a character of the other word class
    (Turkish İ folds to i and a combining dot, which is no word character),
    takes the general path.
    """
    bmp = "".join(map(chr, range(0x10000)))
    starts = "".join(c for c in bmp if (c.isupper() or c.isdigit()) and _WORD.fullmatch(c))
    blocks = [bmp[lo : lo + 256] for lo in range(0, 0x10000, 256)]
    changed = "".join(b for b in blocks if b.casefold() != b)
    unsafe = [c for c in changed
              if any(bool(_WORD.fullmatch(f)) != bool(_WORD.fullmatch(c)) for f in c.casefold())]  # fmt: skip
    names = re.compile(r"(?<!\w)[" + re.escape(starts) + r"]\w*")
    slow = re.compile("[" + re.escape("".join(unsafe)) + "\U00010000-\U0010ffff]")
    return names, slow


def _event_counts(title: str, text: str) -> tuple[dict, dict, dict, set[str]]:
    """Return casefolded counts of the text's words, of its names and of the lead's names,
    and the names capitalized mid-sentence (see :func:`_mid_sentence_capitals`)."""
    names, slow = _fast_patterns()
    full = f"{title}\n{text}"
    lead = f"{title}\n{text[:LEAD_CHARS]}"
    if slow.search(full):
        tokens = _WORD.findall(text)
        body, body_names = _counts(tokens)
        _, lead_names = _counts(_WORD.findall(lead))
        return body, body_names, lead_names, _mid_sentence_capitals(full)
    raw_names = Counter(names.findall(text))
    raw_title = Counter(names.findall(title))
    body = Counter(_WORD.findall(text.casefold()))
    lead_names = _folded(Counter(names.findall(lead)))
    first = Counter(_FIRST.findall(full))
    raw_title.update(raw_names)
    named = {w.casefold() for w, n in raw_title.items()
             if w[0].isupper() and n > first.get(w, 0)}  # fmt: skip
    return body, _folded(raw_names), lead_names, named


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
) -> list[tuple[int, float]]:
    """Return (column, value) of the MAX_TERMS heaviest words, ``sqrt(tf) * weight**power``, L2-normalized."""
    sqrt = math.sqrt
    # Heaviest first, equal values in word order: (-value, word) tuples sort in C, no key calls.
    top = sorted([(-(sqrt(tf) * weight[w] ** power), w) for w, tf in counts.items()
                  if weight[w] >= MIN_WEIGHT])[:MAX_TERMS]  # fmt: skip
    norm = math.sqrt(sum(v * v for v, _ in top))
    if not norm:
        return []
    memo = _columns[part]
    return [(memo[w] if w in memo else _column(part, w), -v / norm * _PART_SCALE) for v, w in top]


def event_vector(
    article: Article, text: str | None = None, language: str | None = None
) -> EventVector:
    """Return the event vector of ``article`` (``text``: its content text, if already computed)."""
    text = content_text(article.text) if text is None else text
    table = weight_table(language or article.language or "en")
    body, body_names, lead_names, named = _event_counts(article.title or "", text)
    words = body.keys() | lead_names.keys()
    weight = dict(zip(words, map(table.get, words, repeat(MAX_WEIGHT))))
    merged: dict[int, float] = {}
    for part, counts, power in (("w", body, 1.5), ("e", body_names, 1.0), ("l", lead_names, 1.0)):
        for col, v in _hashed(part, counts, weight, power):
            merged[col] = merged.get(col, 0.0) + v  # a rare hash collision adds, never drops
    cols = np.array(sorted(merged), dtype=np.uint32)
    vals = np.array([merged[c] for c in cols.tolist()], dtype=np.float32)
    candidates = {w: lead_names.get(w, 0) + body_names.get(w, 0)
                  for w in lead_names.keys() | body_names.keys() if w in named}  # fmt: skip
    return EventVector(cols, vals, _keys(candidates, weight))


def _mid_sentence_capitals(text: str) -> set[str]:
    """Return the casefolded words capitalized somewhere other than at a sentence start (names)."""
    out = set()
    for sentence in _SENTENCE.split(text):
        out.update(w.casefold() for w in _WORD.findall(sentence)[1:] if w[0].isupper())
    return out


def _keys(names: dict[str, int], weight: dict[str, float]) -> np.ndarray:
    """Return the hashed keys of the rarest names (lead counted twice, so it ranks first)."""
    # Numbers are left out: "2013" or "10" would join unrelated events. A key must
    # also be rare in English: "Monday" or "Analysts" quoted in a German text are
    # no names, and they would make every such text a candidate of every other.
    english = weight_table("en")
    rare = [(w, n) for w, n in names.items()
            if not w.isdigit() and weight[w] >= MIN_KEY_WEIGHT
            and term_weight(w, english) >= MIN_KEY_WEIGHT]  # fmt: skip
    ranked = sorted(rare, key=lambda kv: (-weight[kv[0]], -kv[1], kv[0]))
    hashed = [_column("k", w) for w, _ in ranked[:MAX_KEYS]]
    return np.unique(np.array(hashed, np.uint32))
