"""Run the drift detectors over every aligned sentence pair of a comparison."""

from __future__ import annotations

from dataclasses import replace

from ..changes import sentence_changes
from ..model import Alignment, Change, Document, Span


def _locate(span: Span | None, parts: list[tuple[int, int, int]]) -> Span | None:
    """Map a span inside joined source sentences to the sentence it falls in."""
    if span is None:
        return None
    for index, offset, length in parts:
        if offset <= span.start <= offset + length:
            start = span.start - offset
            return Span(index, start, min(length, max(start, span.end - offset)))
    return span


def pair_changes(a: Document, b: Document, a_idx: tuple[int, ...], b_i: int) -> list[Change]:
    """Return the changes from A sentences ``a_idx`` (joined) to B sentence ``b_i``."""
    parts, offset, texts = [], 0, []
    for i in a_idx:
        text = a.sentences[i].text
        parts.append((i, offset, len(text)))
        texts.append(text)
        offset += len(text) + 1
    joined, b_text = " ".join(texts), b.sentences[b_i].text
    found = sentence_changes(joined, b_text, a.language, b.language, a_idx[0], b_i)
    return [replace(c, a_span=_locate(c.a_span, parts)) for c in found]


def document_changes(a: Document, b: Document, alignment: Alignment) -> tuple[Change, ...]:
    """Return the drift of every aligned pair, meaning-changing first, then in B order."""
    out = []
    for link in alignment.links:
        if link.a:
            out.extend(pair_changes(a, b, link.a, link.b))
    key = lambda c: (c.severity != "meaning", c.b_span.sentence if c.b_span else -1, c.type)
    return tuple(sorted(out, key=key))
