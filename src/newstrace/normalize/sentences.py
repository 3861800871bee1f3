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
    return _extend_to_gaps(text, _join_after_titles(text, out))


# Titles syntok takes for a sentence end ("said Lt. Gregg Hastings" would become two sentences);
# the ones it knows (Mr., Dr., Gen., Capt., Col., Sen., ...) are not listed.
_TITLE_END = re.compile(
    r"(?<![\w.])(?:Lt|Lieut|Sgt|Cpl|Pte|Pvt|Det|Insp|Supt|Const|Cmdr|Cdr|Maj|Rev|Hon|Gov|Rep|"
    r"Cllr|Atty)\.$"
)


def _join_after_titles(text: str, spans: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Join a sentence ending in a title abbreviation to the next one when that one starts with a
    capital in the same paragraph (the name the title belongs to)."""
    out: list[tuple[int, int, int]] = []
    for s, e, p in spans:
        if out and out[-1][2] == p and text[s : s + 1].isupper():
            ps, pe, _ = out[-1]
            if _TITLE_END.search(text[ps:pe]):
                out[-1] = (ps, e, p)
                continue
        out.append((s, e, p))
    return out


# Where a sentence may end inside a short stretch of text (a sentence the aligner joined, a
# claim, an attribution): a terminal mark, perhaps a closing quote, space, then a capital of any
# script or an opening quote or bracket. ``word``: a digit or three letters before the mark, which
# rules out most abbreviations ("Mr. Smith"); ``letter`` is checked for case in Python, since
# ``re`` has no class for capitals beyond ASCII.
_BREAK = re.compile(
    r"(?P<word>\d|[^\W\d_]{3})?[.!?][\"”’»]?(?P<gap>\s+)(?=[\"“‘«„(]|(?P<letter>[^\W\d_]))"
)


def sentence_breaks(
    text: str, pos: int = 0, endpos: int | None = None, *, after_word: bool = False
) -> list[tuple[int, int]]:
    """Return the (start, end) of the space between sentences of ``text[pos:endpos]``.

    A break is a terminal mark (and any closing quote) followed by space and a
    capital letter of any script (Latin, Cyrillic, Greek, ...) or an opening
    quote or bracket. With ``after_word``, the mark must follow a digit or three
    letters. For short texts only: whole documents go through
    :func:`split_sentences`.
    """
    found = _BREAK.finditer(text, pos, len(text) if endpos is None else endpos)
    return [
        m.span("gap")
        for m in found
        if (
            m.group("letter") is None
            or m.group("letter")[0].isupper()
            or m.group("letter").istitle()
        )
        and (m.group("word") or not after_word)
    ]


def split_at_breaks(text: str) -> list[str]:
    """Return ``text`` cut at each :func:`sentence_breaks` gap (the gaps left out)."""
    out, start = [], 0
    for s, e in sentence_breaks(text):
        out.append(text[start:s])
        start = e
    out.append(text[start:])
    return out


def _extend_to_gaps(text: str, spans: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Stretch each sentence end over trailing closing quotes/brackets syntok left out."""
    out = []
    for k, (s, e, p) in enumerate(spans):
        limit = spans[k + 1][0] if k + 1 < len(spans) else len(text)
        while e < limit and text[e] in "\"'”’»)]":
            e += 1
        out.append((s, e, p))
    return out
