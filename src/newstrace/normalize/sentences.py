"""Sentence splitting with syntok, keeping character offsets."""

from __future__ import annotations

from syntok import segmenter

from .text import paragraphs


def split_sentences(text: str) -> list[tuple[int, int, int]]:
    """Return ``(start, end, paragraph_index)`` for each sentence of cleaned ``text``.

    Offsets index into ``text``; syntok's token offsets are relative to the
    paragraph string it was given, so they are shifted by the paragraph offset.
    """
    out = []
    for p_index, (p_off, para) in enumerate(paragraphs(text)):
        for seg in segmenter.process(para):
            for sent in seg:
                tokens = list(sent)
                if not tokens:
                    continue
                start = tokens[0].offset
                end = tokens[-1].offset + len(tokens[-1].value)
                out.append((p_off + start, p_off + end, p_index))
    return _extend_to_gaps(text, out)


def _extend_to_gaps(text: str, spans: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Stretch each sentence end over trailing closing quotes/brackets syntok left out."""
    out = []
    for k, (s, e, p) in enumerate(spans):
        limit = spans[k + 1][0] if k + 1 < len(spans) else len(text)
        while e < limit and text[e] in "\"'”’»)]":
            e += 1
        out.append((s, e, p))
    return out
