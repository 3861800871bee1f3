"""Word alignment of two aligned sentences: which words of B replaced which words of A.

An edit script over normalized tokens (``difflib.SequenceMatcher`` on word
keys, junk heuristics off): runs of equal words are anchors, and what lies
between two anchors on one side fills the same slot as what lies between the
same anchors on the other. A change is grounded when its two spans sit in
one slot, or when a dropped (added) span sits between kept words.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cached_property, lru_cache

# Numerals keep their separators ("500,000", "1.2"); words keep inner apostrophes.
_TOKEN = re.compile(r"\d+(?:[.,\u00a0\u202f]\d+)*|\w+(?:['’]\w+)*|[^\w\s]")
_STEM = 6  # words this long or longer match on their first _STEM letters ("increased"/"increases")
_PUNCT = re.compile(r"[^\w]+\Z")


@dataclass(frozen=True)
class Tok:
    """One token: its matching key and its character span in the sentence."""

    key: str
    start: int
    end: int


_THOUSANDS = re.compile(r"[,\u00a0\u202f](?=\d{3}(?!\d))")


def _key(word: str) -> str:
    if word[0].isdigit():
        return _THOUSANDS.sub("", word)  # "500,000" is "500000"; "2,5" stays
    word = word.lower()
    if "’" in word:
        word = word.replace("’", "'")
    return word[:_STEM]


@lru_cache(maxsize=8192)
def tokens(text: str) -> tuple[Tok, ...]:
    """Return the tokens of ``text`` with their keys and offsets."""
    return tuple(Tok(_key(m.group()), m.start(), m.end()) for m in _TOKEN.finditer(text))


@dataclass(frozen=True)
class Slot:
    """Where a span of one side sits in the edit script.

    ``kind``: equal (the words were kept), replace (other words fill the same
    slot), delete (nothing fills it on the other side) or mixed (the span
    crosses several operations). ``other`` is the token range [lo, hi) of the
    slot on the other side; ``anchored`` says whether kept words surround it.
    ``size`` is the number of tokens of the operation(s) on this side.
    """

    kind: str
    other: tuple[int, int]
    anchored: bool
    size: int
    own: tuple[int, int] = (0, 0)


@dataclass(frozen=True)
class WordAlignment:
    """The edit script between the tokens of sentence ``a`` and sentence ``b``.

    ``moves`` pairs the content words (figures, rare words) that occur once in
    the unmatched parts of each side: kept words the rewrite moved elsewhere
    in the sentence ("to 48% from 38%"), which an edit script cannot see.
    """

    a: tuple[Tok, ...]
    b: tuple[Tok, ...]
    ops: tuple[tuple[str, int, int, int, int], ...]
    moves: tuple[tuple[int, int], ...] = ()

    @property
    def kept(self) -> float:
        """Share of the shorter side's tokens that are kept verbatim."""
        equal = sum(i2 - i1 for tag, i1, i2, _, _ in self.ops if tag == "equal")
        return equal / max(1, min(len(self.a), len(self.b)))

    def slot(self, side: str, start: int, end: int) -> Slot | None:
        """Return the Slot of the character span [start, end) on ``side`` ("a" or "b"), or None."""
        lo, hi = self.tok_range(side, start, end)
        if lo >= hi:
            return None
        ops = self._views[side]
        at = [k for k, op in enumerate(ops) if op[1] < hi and lo < op[2]]
        hit = [ops[k] for k in at]
        kinds = {op[0] for op in hit}
        kind = kinds.pop() if len(kinds) == 1 else "mixed"
        other = (min(op[3] for op in hit), max(op[4] for op in hit))
        moved = [
            o
            for m, o in (self.moves if side == "a" else ((j, i) for i, j in self.moves))
            if lo <= m < hi
        ]
        if moved and kind != "equal":
            kind, other = "moved", (min(moved), max(moved) + 1)
        first, last = at[0], at[-1]
        before = first == 0 or ops[first - 1][0] == "equal" and self._content(ops[first - 1], side)
        # The closing full stop kept on both sides anchors the end of the sentence.
        after = (
            last == len(ops) - 1
            or ops[last + 1][0] == "equal"
            and (last + 2 == len(ops) or self._content(ops[last + 1], side))
        )
        size = sum(op[2] - op[1] for op in hit)
        return Slot(kind, other, bool(before and after), size, (hit[0][1], hit[-1][2]))

    @cached_property
    def _views(self) -> dict:
        return {side: [self._view(op, side) for op in self.ops] for side in ("a", "b")}

    @cached_property
    def _bounds(self) -> dict:
        return {
            side: ([t.start for t in toks], [t.end for t in toks])
            for side, toks in (("a", self.a), ("b", self.b))
        }

    def tok_range(self, side: str, start: int, end: int) -> tuple[int, int]:
        """Return the token range [lo, hi) of ``side`` that the characters [start, end) touch."""
        starts, ends = self._bounds[side]
        return bisect_right(ends, start), bisect_left(starts, max(end, start + 1))

    def keys(self, side: str, rng: tuple[int, int]) -> list[str]:
        """Return the token keys of ``side`` in the token range ``rng``."""
        toks = self.a if side == "a" else self.b
        return [t.key for t in toks[rng[0] : rng[1]]]

    def other_text(self, side: str, slot: Slot, text: str) -> str:
        """Return the text of the other side (``text``) that fills ``slot``."""
        toks = self.b if side == "a" else self.a
        lo, hi = slot.other
        return text[toks[lo].start : toks[hi - 1].end] if lo < hi else ""

    def _view(self, op, side: str):
        tag, i1, i2, j1, j2 = op
        if side == "a":
            return (tag, i1, i2, j1, j2)
        return ({"delete": "insert", "insert": "delete"}.get(tag, tag), j1, j2, i1, i2)

    def _content(self, op, side: str) -> bool:
        # An anchor must hold a word, not only a comma.
        toks = self.a if side == "a" else self.b
        return any(not _PUNCT.match(t.key) for t in toks[op[1] : op[2]])


def _moves(ta, tb, ops, junk: frozenset) -> tuple[tuple[int, int], ...]:
    """Pair the content words left unmatched on both sides that occur there exactly once."""
    left_a = [i for t, i1, i2, _, _ in ops if t != "equal" for i in range(i1, i2)]
    left_b = [j for t, _, _, j1, j2 in ops if t != "equal" for j in range(j1, j2)]
    count_a = Counter(ta[i].key for i in left_a)
    count_b = Counter(tb[j].key for j in left_b)
    where_b = {tb[j].key: j for j in left_b}
    return tuple(
        (i, where_b[ta[i].key])
        for i in left_a
        if count_a[ta[i].key] == 1
        and count_b.get(ta[i].key) == 1
        and ta[i].key not in junk
        and len(ta[i].key) > 2
        and not _PUNCT.match(ta[i].key)
    )


@lru_cache(maxsize=4096)
def align_words(a: str, b: str, junk: frozenset = frozenset()) -> WordAlignment:
    """Return the word alignment of sentence ``a`` against sentence ``b``.

    ``junk`` words (stopwords, lower-cased) and punctuation never anchor a
    match on their own, though they extend one. Symmetric: aligning ``b``
    against ``a`` gives the same slots seen from the other side (the matcher
    always runs in one canonical order).
    """
    ta, tb = tokens(a), tokens(b)
    if b < a:
        flip = align_words(b, a, junk)
        swap = {"delete": "insert", "insert": "delete"}
        ops = tuple((swap.get(t, t), j1, j2, i1, i2) for t, i1, i2, j1, j2 in flip.ops)
        return WordAlignment(ta, tb, ops, tuple((j, i) for i, j in flip.moves))
    is_junk = lambda k: k in junk or bool(_PUNCT.match(k))
    # The closing mark is matched by hand: a junk token never starts a match on its own.
    end = int(bool(ta and tb and ta[-1].key == tb[-1].key and _PUNCT.match(ta[-1].key)))
    ka, kb = [t.key for t in ta][: len(ta) - end], [t.key for t in tb][: len(tb) - end]
    ops = list(SequenceMatcher(is_junk, ka, kb, autojunk=False).get_opcodes()) if ka or kb else []
    if end:
        ops.append(("equal", len(ka), len(ta), len(kb), len(tb)))
    ops = tuple(ops)
    return WordAlignment(ta, tb, ops, _moves(ta, tb, ops, junk))
