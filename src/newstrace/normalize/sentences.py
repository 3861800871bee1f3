"""Sentence splitting with syntok, keeping character offsets."""

from __future__ import annotations

from syntok import segmenter


def split_sentences(text: str) -> list[tuple[int, int, int]]:
    """Return ``(start, end, paragraph_index)`` for each sentence of cleaned ``text``.

    ``segmenter.analyze`` keeps token offsets into ``text`` (``process``
    rewrites contractions) and splits paragraphs at blank lines, as
    ``clean_text`` leaves them.
    """
    out = []
    for p_index, para in enumerate(segmenter.analyze(text)):
        for sent in para:
            if sent:
                out.append((sent[0].offset, sent[-1].offset + len(sent[-1].value), p_index))
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
