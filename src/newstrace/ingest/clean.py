"""Unicode and whitespace normalization of article text.

The result is NFC, uses ``\\n`` line endings, has no control or invisible
characters, no runs of spaces, no spaces at line ends, and paragraphs
separated by exactly one blank line.
"""

from __future__ import annotations

import re
import unicodedata

# Invisible characters that only break matching. ZWJ/ZWNJ (U+200C/D) are kept
# on purpose: they change spelling in Persian and Indic scripts and in emoji.
_DROP = (
    "\u00ad\u200b\u2060\ufeff\u180e\u200e\u200f"
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_SPACES = (
    "\t\v\f\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
)
_NEWLINES = "\u0085\u2028\u2029"


def _table() -> dict[int, str | None]:
    table: dict[int, str | None] = {c: None for c in range(32) if c not in (9, 10, 11, 12, 13)}
    table.update({c: None for c in range(0x7F, 0xA0) if c != 0x85})
    table.update({ord(c): None for c in _DROP})
    table.update({ord(c): " " for c in _SPACES})
    table.update({ord(c): "\n" for c in _NEWLINES})
    return table


_TABLE = _table()
# One scan finds whether the (slow, per-character) translation has anything to do.
_TRANSLATED = re.compile("[" + re.escape("".join(map(chr, sorted(_TABLE)))) + "]")
_RUN_SPACES = re.compile(r" {2,}")
_EDGE_SPACES = re.compile(r" *\n *")
_BLANK_LINES = re.compile(r"\n{3,}")


def clean_text(text: str) -> str:
    """Return ``text`` NFC-normalized with whitespace and line endings normalized."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _TRANSLATED.search(text):
        text = text.translate(_TABLE)
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    # Each rewrite runs only when its pattern can match (a substring test is far cheaper).
    if "  " in text:
        text = _RUN_SPACES.sub(" ", text)
    if " \n" in text or "\n " in text:
        text = _EDGE_SPACES.sub("\n", text)
    if "\n\n\n" in text:
        text = _BLANK_LINES.sub("\n\n", text)
    return text.strip()


def clean_line(text: str) -> str:
    """Return ``text`` cleaned and folded onto one line (for titles, bylines)."""
    return " ".join(clean_text(text).split())
