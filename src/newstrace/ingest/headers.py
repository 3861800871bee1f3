"""Plain text and Markdown articles: leading header lines, then the body.

A file may open with header lines such as::

    title: Storm hits the coast
    url: https://example.org/storm
    outlet: Daily Gull
    date: 2024-03-05
    author: Jane Roe

and also a bare ``date 2024-03-05`` line or a bare ISO date line. The header
ends at the first line that is not a header line; one blank line after it
is dropped. In Markdown, a ``# Title`` first line becomes the title.
"""

from __future__ import annotations

import re

from ..model import Article
from .markdown import markdown_title, markdown_to_text
from .meta import make_article

# Header key (lower case) -> Article field.
HEADER_KEYS = {
    "title": "title",
    "headline": "title",
    "url": "url",
    "link": "url",
    "outlet": "outlet",
    "source": "outlet",
    "site": "outlet",
    "date": "published",
    "published": "published",
    "author": "byline",
    "byline": "byline",
    "by": "byline",
    "language": "language",
    "lang": "language",
    "id": "id",
}
_KEYED = re.compile(r"^\s*([A-Za-z]+)\s*:\s*(.*?)\s*$")
_BARE_DATE = re.compile(
    r"^\s*(?:date\s+)?(\d{4}-\d{2}-\d{2}(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?)\s*$",
    re.IGNORECASE,
)


def split_headers(text: str) -> tuple[dict[str, str], str]:
    """Return (metadata from the leading header lines, the remaining body)."""
    meta: dict[str, str] = {}
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        field_value = _header_line(lines[i])
        if field_value is None:
            break
        meta.setdefault(*field_value)
        i += 1
    if meta and i < len(lines) and not lines[i].strip():
        i += 1
    return meta, "\n".join(lines[i:]) if meta else text


def _header_line(line: str) -> tuple[str, str] | None:
    bare = _BARE_DATE.match(line)
    if bare:
        return "published", bare.group(1)
    keyed = _KEYED.match(line)
    if keyed and keyed.group(1).lower() in HEADER_KEYS and keyed.group(2):
        return HEADER_KEYS[keyed.group(1).lower()], keyed.group(2)
    return None


def parse_plain(text: str, source: str | None = None, markdown: bool = False) -> Article:
    """Return the Article in a .txt (or, with ``markdown``, .md) file's decoded text.

    In Markdown the header lines may come before or after the ``# Title``.
    Raises EmptyInput when only header lines (or nothing) are left.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    meta, body = split_headers(text)
    if markdown:
        title, body = markdown_title(body)
        if title:
            more, body = split_headers(body.lstrip("\n"))
            meta = more | meta
            meta.setdefault("title", title)
        body = markdown_to_text(body)
    return make_article(body, source=source, **meta)
