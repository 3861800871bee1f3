"""Text cleanup: Unicode and whitespace normalization, paragraphs."""

from __future__ import annotations

import re
import unicodedata

_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_PARA_BREAK = re.compile(r"\n\s*\n+")
_WORD = re.compile(r"\w+", re.UNICODE)


def clean_text(text: str) -> str:
    """Return ``text`` in NFC with one space between words and paragraphs kept.

    Line endings become ``\\n``; paragraphs are separated by one blank line;
    single line breaks inside a paragraph become spaces.
    """
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _CONTROL.sub("", _INVISIBLE.sub("", text))
    paras = (_SPACES.sub(" ", p.replace("\n", " ")).strip() for p in _PARA_BREAK.split(text))
    return "\n\n".join(p for p in paras if p)


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
