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
    found = [replace(c, a_span=_locate(c.a_span, parts)) for c in sentence_changes(joined, b_text, a.language, b.language, a_idx[0], b_i)]
    if len(a_idx) > 1:
        # A merged sentence can change each source differently ("may need" became
        # "will need" in the second); the detectors drop clauses the other side lacks.
        for i, text in zip(a_idx, texts):
            found += sentence_changes(text, b_text, a.language, b.language, i, b_i)
    return _unique(found)


def _unique(changes: list[Change]) -> list[Change]:
    """Return ``changes`` without repeats of the same type, direction and spans."""
    seen, out = set(), []
    for c in changes:
        key = (c.type, c.direction, c.a_span, c.b_span)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out


def document_changes(a: Document, b: Document, alignment: Alignment) -> tuple[Change, ...]:
    """Return the drift of every aligned pair, meaning-changing first, then in B order."""
    out = []
    for link in alignment.links:
        if link.a:
            out.extend(pair_changes(a, b, link.a, link.b))
    key = lambda c: (c.severity != "meaning", c.b_span.sentence if c.b_span else -1, c.type)
    return tuple(sorted(out, key=key))
