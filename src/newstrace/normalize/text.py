"""Text cleanup: Unicode and whitespace normalization, paragraphs."""

from __future__ import annotations

import re

from ..ingest.clean import clean_text

_WORD = re.compile(r"\w+", re.UNICODE)
# A line ending like this closes a sentence (quotes and brackets may follow the mark).
_LINE_END = re.compile(r"[.!?:;\u2026\u3002\uff01\uff1f][\"'\u201d\u2019\u00bb)\]]*$")


def document_text(text: str) -> str:
    """Return ``text`` cleaned (see ``newstrace.ingest.clean.clean_text``) with one paragraph a
    line.

    Paragraphs are separated by one blank line and hold no line break. A text
    with no blank line whose lines mostly end a sentence (one paragraph per
    line) keeps each line as a paragraph; hard-wrapped lines are joined.
    """
    text = clean_text(text)
    if "\n\n" not in text and "\n" in text and lines_are_paragraphs(text.split("\n")):
        return "\n\n".join(line for line in text.split("\n") if line)
    return "\n\n".join(p.replace("\n", " ") for p in text.split("\n\n") if p)


def lines_are_paragraphs(lines: list[str]) -> bool:
    """Return True when half the non-final ``lines`` end a sentence, or lines are too long to be
    wrapped.

    Hard-wrapped text breaks lines at a width (rarely past 100 characters)
    wherever a word ends, so few of its lines end a sentence.
    """
    body = [line for line in lines[:-1] if line]
    if not body:
        return False
    ended = sum(1 for line in body if _LINE_END.search(line))
    lengths = sorted(len(line) for line in lines if line)
    return ended >= 0.5 * len(body) or lengths[len(lengths) // 2] > 100


def paragraphs(text: str) -> list[tuple[int, str]]:
    """Return ``(offset, paragraph)`` for each paragraph of cleaned ``text``."""
    out, pos = [], 0
    for para in text.split("\n\n"):
        out.append((pos, para))
        pos += len(para) + 2
    return out


def words(text: str) -> list[str]:
    """Return the casefolded word tokens of ``text`` (Unicode ``\\w+`` runs)."""
    return _WORD.findall(text.casefold())
