"""Building and inverting :class:`~newstrace.model.Change` records.

Every explanation reads ``"<what>: <source side> became <derivative side>"``
so that :func:`invert` can swap the two sides without knowing the detector.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Change, Span

_INVERSE = {
    "strengthened": "weakened",
    "weakened": "strengthened",
    "added": "removed",
    "removed": "added",
    "vaguer": "more_precise",
    "more_precise": "vaguer",
    "widened": "narrowed",
    "narrowed": "widened",
}
BECAME = " became "


@dataclass(frozen=True)
class Found:
    """A span found in one sentence (offsets into that sentence's text)."""

    start: int
    end: int
    text: str


def make(
    type_: str,
    direction: str | None,
    what: str,
    a_desc: str,
    b_desc: str,
    a: Found | None,
    b: Found | None,
    ctx: Ctx,
    severity: str = "meaning",
    confidence: float = 1.0,
) -> Change:
    """Return one Change with spans placed in the caller's sentence indices."""
    return Change(
        type=type_,
        severity=severity,
        explanation=f"{what}: {a_desc}{BECAME}{b_desc}",
        direction=direction,
        a_span=Span(ctx.a_index, a.start, a.end) if a else None,
        b_span=Span(ctx.b_index, b.start, b.end) if b else None,
        a_text=a.text if a else "",
        b_text=b.text if b else "",
        confidence=confidence,
    )


@dataclass(frozen=True)
class Ctx:
    """Where the pair sits: sentence indices and languages of both sides."""

    a_index: int = 0
    b_index: int = 0
    lang_a: str = "en"
    lang_b: str = "en"

    def swapped(self) -> Ctx:
        """Return the context with source and derivative exchanged."""
        return Ctx(self.b_index, self.a_index, self.lang_b, self.lang_a)


def invert(change: Change) -> Change:
    """Return ``change`` seen from the other side: spans, texts and direction swapped."""
    what, sep, rest = change.explanation.partition(": ")
    a_desc, mid, b_desc = rest.partition(BECAME)
    explanation = f"{what}{sep}{b_desc}{mid}{a_desc}" if mid else change.explanation
    return Change(
        type=change.type,
        severity=change.severity,
        explanation=explanation,
        direction=_INVERSE.get(change.direction, change.direction),
        a_span=change.b_span,
        b_span=change.a_span,
        a_text=change.b_text,
        b_text=change.a_text,
        confidence=change.confidence,
    )


def quoted(text: str) -> str:
    """Return ``text`` in single quotes for explanations."""
    return f"'{text}'"


_NAME_WORD = re.compile(r"[\w'’.-]+")
# Articles and particles that an abbreviation leaves out ("the", "of", "de").
_ARTICLES = frozenset("the a an der die das den el la le les los las il lo de of".split())  # noqa: SIM905


def _name_words(text: str) -> list[str]:
    return [w for w in _NAME_WORD.findall(text) if w.lower().strip(".") not in _ARTICLES]


def abbreviates(short: str, full: str) -> bool:
    """Return whether ``short`` is ``full`` written as its initials ("WH" for "the White House",
    "The U.N." for "The United Nations"): the capitals of two or more capitalised words."""
    words = _name_words(short)
    letters = words[0].replace(".", "") if len(words) == 1 else ""
    if len(letters) < 2 or not letters.isalpha() or not letters.isupper():
        return False
    caps = [w[0] for w in _name_words(full) if w[:1].isupper()]
    return len(caps) >= 2 and "".join(caps) == letters
