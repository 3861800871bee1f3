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
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

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


def _key(word: str) -> str:
    word = word.casefold().replace("’", "'")
    if word[:1].isdigit():
        return re.sub(r"[,\u00a0\u202f](?=\d{3}(?!\d))", "", word)  # "500,000" is "500000"; "2,5" stays
    return word[:_STEM] if len(word) > _STEM else word


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


@dataclass(frozen=True)
class WordAlignment:
    """The edit script between the tokens of sentence ``a`` and sentence ``b``."""

    a: tuple[Tok, ...]
    b: tuple[Tok, ...]
    ops: tuple[tuple[str, int, int, int, int], ...]

    @property
    def kept(self) -> float:
        """Share of the shorter side's tokens that are kept verbatim."""
        equal = sum(i2 - i1 for tag, i1, i2, _, _ in self.ops if tag == "equal")
        return equal / max(1, min(len(self.a), len(self.b)))

    def slot(self, side: str, start: int, end: int) -> Slot | None:
        """Return the Slot of the character span [start, end) on ``side`` ("a" or "b"), or None."""
        toks = self.a if side == "a" else self.b
        lo, hi = _tok_range(toks, start, end)
        if lo >= hi:
            return None
        ops = [self._view(op, side) for op in self.ops]
        at = [k for k, op in enumerate(ops) if op[1] < hi and lo < op[2]]
        hit = [ops[k] for k in at]
        kinds = {op[0] for op in hit}
        kind = kinds.pop() if len(kinds) == 1 else "mixed"
        other = (min(op[3] for op in hit), max(op[4] for op in hit))
        first, last = at[0], at[-1]
        before = first == 0 or ops[first - 1][0] == "equal" and self._content(ops[first - 1], side)
        # The closing full stop kept on both sides anchors the end of the sentence.
        after = last == len(ops) - 1 or ops[last + 1][0] == "equal" and (
            last + 2 == len(ops) or self._content(ops[last + 1], side))
        size = sum(op[2] - op[1] for op in hit)
        return Slot(kind, other, bool(before and after), size)

    def other_text(self, side: str, slot: Slot, text: str) -> str:
        """Return the text of the other side (``text``) that fills ``slot``."""
        toks = self.b if side == "a" else self.a
        lo, hi = slot.other
        return text[toks[lo].start:toks[hi - 1].end] if lo < hi else ""

    def _view(self, op, side: str):
        tag, i1, i2, j1, j2 = op
        if side == "a":
            return (tag, i1, i2, j1, j2)
        return ({"delete": "insert", "insert": "delete"}.get(tag, tag), j1, j2, i1, i2)

    def _content(self, op, side: str) -> bool:
        # An anchor must hold a word, not only a comma.
        toks = self.a if side == "a" else self.b
        return any(not _PUNCT.match(t.key) for t in toks[op[1]:op[2]])


def _tok_range(toks: tuple[Tok, ...], start: int, end: int) -> tuple[int, int]:
    starts = [t.start for t in toks]
    ends = [t.end for t in toks]
    return bisect_right(ends, start), bisect_left(starts, max(end, start + 1))


@lru_cache(maxsize=4096)
def align_words(a: str, b: str) -> WordAlignment:
    """Return the word alignment of sentence ``a`` against sentence ``b``.

    Symmetric: aligning ``b`` against ``a`` gives the same slots seen from the
    other side (the matcher always runs in one canonical order).
    """
    ta, tb = tokens(a), tokens(b)
    if b < a:
        flip = align_words(b, a)
        swap = {"delete": "insert", "insert": "delete"}
        return WordAlignment(ta, tb, tuple((swap.get(t, t), j1, j2, i1, i2) for t, i1, i2, j1, j2 in flip.ops))
    matcher = SequenceMatcher(None, [t.key for t in ta], [t.key for t in tb], autojunk=False)
    return WordAlignment(ta, tb, tuple(matcher.get_opcodes()))
