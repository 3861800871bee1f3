"""Across languages: was the clause a change sits in translated at all?

A translation often keeps one clause of a source sentence and drops the rest.
A negation, hedge or figure in a dropped clause is then an omission, not a
change of meaning ("we will not reopen it until it is safe" left out is not
"'not' became affirmative"). Within one language ``changes.usage`` checks
this by shared words; across languages words cannot be matched, so the other
side's sentence is embedded against the sentence with and without the clause:
when it is closer to the sentence without it, the clause was not taken.

Only changes that sit on one side (a removal or an addition) and in a clause
that is not the whole sentence are checked; credits are left alone, since
dropping the credit clause is itself the change. A change found not taken
stays listed, as cosmetic.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..model import Alignment, Change, Document

WHOLE = 0.8  # a clause this share of its sentence's length is the sentence: nothing to tell
_CREDITS = frozenset({"attribution", "third_source", "speaker", "quote"})
# Clause breaks: a comma, semicolon or colon (with the quote it may close) before a space, a
# dash between spaces, a closing quote before a space ("... safe," Mayor X said).
_BREAK = re.compile(
    r"[,;:][\"'\u201d\u2019\u00bb\u201c]?\s+|\s[-\u2013\u2014]\s|[\"\u201d\u00bb]\s+"
)


def clause_around(text: str, at: int) -> tuple[int, int]:
    """Return the ``[start, end)`` of the clause of ``text`` that holds offset ``at``."""
    start, end = 0, len(text)
    for m in _BREAK.finditer(text):
        if m.end() <= at:
            start = m.end()
        elif m.start() >= at:
            end = m.start()
            break
    return start, end


def without(text: str, start: int, end: int) -> str:
    """Return ``text`` without ``text[start:end]`` and the break before it (or, for the first
    clause, after it)."""
    head, tail = text[:start].rstrip(" ,;:-\u2013\u2014"), text[end:]
    return (head + tail if head else tail.lstrip(" ,;:-\u2013\u2014")).strip()


def _linked(alignment: Alignment, side: str, index: int) -> list[int]:
    """Return the sentences of the other side aligned with sentence ``index`` of ``side``."""
    if side == "a":
        return sorted({link.b for link in alignment.links if index in link.a})
    return sorted({i for link in alignment.links if link.b == index for i in link.a})


def _probe(c: Change, a: Document, b: Document, alignment: Alignment):
    """Return (sentence, the sentence without the change's clause, the other side's text), or
    None when the change cannot be checked this way."""
    if c.severity != "meaning" or c.type in _CREDITS or (c.a_span is None) == (c.b_span is None):
        return None
    side, span = ("a", c.a_span) if c.a_span is not None else ("b", c.b_span)
    doc, other = (a, b) if side == "a" else (b, a)
    text = doc.sentences[span.sentence].text
    lo, hi = clause_around(text, span.start)
    if hi - lo >= WHOLE * len(text) or span.end > hi:
        return None
    linked = _linked(alignment, side, span.sentence)
    if not linked:
        return None
    rest = without(text, lo, hi)
    return text, rest, " ".join(other.sentences[i].text for i in linked)


def taken_across(
    drift: tuple[Change, ...], a: Document, b: Document, alignment: Alignment, embedder
) -> tuple[Change, ...]:
    """Return ``drift`` with the one-sided meaning changes whose clause the other language's
    sentence did not take made cosmetic (see the module docstring).

    Same-language pairs, or no embedder: ``drift`` unchanged.
    """
    if embedder is None or a.language == b.language:
        return drift
    probes = {k: p for k, c in enumerate(drift) if (p := _probe(c, a, b, alignment))}
    if not probes:
        return drift
    texts = sorted({t for p in probes.values() for t in p})
    vec = dict(zip(texts, embedder.embed(texts)))
    dropped = {
        k
        for k, (whole, rest, other) in probes.items()
        if float(vec[other] @ vec[rest]) > float(vec[other] @ vec[whole])
    }
    return tuple(
        replace(c, severity="cosmetic") if k in dropped else c for k, c in enumerate(drift)
    )
