"""Sentence splitting with syntok, keeping character offsets."""

from __future__ import annotations

import re

from syntok import segmenter

from .text import paragraphs

# A terminal mark followed by a space or a letter ("season.Giroud"), or a closing
# bracket followed by a space (syntok ends a dateline such as "PARIS (AP) - "
# there): only then can a paragraph hold more than one sentence, since cleaned
# text has no line breaks inside a paragraph.
_INNER_TERMINAL = re.compile(r"[.!?…;][\"'”’»)\]]*(?:\s|[^\W\d_])|[)\]]\s")


def split_sentences(text: str) -> list[tuple[int, int, int]]:
    """Return ``(start, end, paragraph_index)`` for each sentence of cleaned ``text``.

    Offsets index into ``text``. A paragraph with no inner terminal mark is
    one sentence as it stands, which spares syntok (the slowest step of a
    compare) most of a news article's short paragraphs.
    """
    out = []
    for p_index, (p_off, para) in enumerate(paragraphs(text)):
        if not para.strip():
            continue
        if not _INNER_TERMINAL.search(para):
            out.append((p_off, p_off + len(para), p_index))
            continue
        for seg in segmenter.analyze(para):
            for sent in seg:
                if sent:
                    out.append(
                        (
                            p_off + sent[0].offset,
                            p_off + sent[-1].offset + len(sent[-1].value),
                            p_index,
                        )
                    )
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
