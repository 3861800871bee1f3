"""Plain text and Markdown articles: leading header lines, then the body.

A file may open with header lines such as::

    title: Storm hits the coast
    url: https://example.org/storm
    outlet: Daily Gull
    date: 2024-03-05
    author: Jane Roe

and also inline date lines: ``date 2024-03-05``, ``Date: 5 June 2024``,
``Published 5 March 2024, 10:30`` or a line that is a date and nothing else
(``March 5, 2024``). Dates in words are read by python-dateutil with its
English month names, whatever the process locale. The header ends at the
first line that is not a header line; one blank line after it is dropped.
In Markdown, a ``# Title`` first line becomes the title.
"""

from __future__ import annotations

import re

from dateutil import parser as dateparser

from ..model import Article
from .markdown import markdown_title, markdown_to_text
from .meta import iso_date, make_article

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
    "dated": "published",
    "published": "published",
    "posted": "published",
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
# "date 5 June 2025", "Published 5 March 2024, 10:30", "June 5, 2025": a cue word, then only a date.
_DATE_LINE = re.compile(
    r"^\s*(?:(?:date|dated|published|posted)\b:?\s*)?(?P<date>[\w ,.:/+-]{6,60}?)\s*$",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?<!\d)(1[89]|20)\d{2}(?!\d)")
_MONTH_WORD = re.compile(r"[A-Za-z]{3,}")
_PARSER_INFO = dateparser.parserinfo()  # English month and day names, not the process locale


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
    written = date_line(line)
    if written:
        return "published", written
    keyed = _KEYED.match(line)
    if keyed and keyed.group(1).lower() in HEADER_KEYS and keyed.group(2):
        field, value = HEADER_KEYS[keyed.group(1).lower()], keyed.group(2)
        return field, (_published(value) if field == "published" else value)
    return None


def _published(value: str) -> str:
    """Return a header date as ISO when it is written with a month name; other forms go to
    iso_date."""
    if _MONTH_WORD.search(value):
        return parse_date(value) or value  # dateutil's English names, not the locale's %B
    return value


def date_value(value: str) -> str:
    """Return a date typed by a person (a header or form field) as ISO 8601 when readable, else as
    given."""
    return _published(value.strip())


def date_line(line: str) -> str | None:
    """Return the ISO date of a line that holds only a date (after an optional cue word), else None.

    The date needs a year, a day and a month written as a word ("5 June 2025",
    "June 5, 2025 10:30 GMT"): a sentence, or a number alone, is not a date line.
    """
    m = _DATE_LINE.match(line)
    if not m or not _YEAR.search(m.group("date")):
        return None
    words = [
        w for w in _MONTH_WORD.findall(m.group("date")) if w.lower() not in {"utc", "gmt", "at"}
    ]
    if not words or not all(
        _PARSER_INFO.month(w)
        or _PARSER_INFO.weekday(w) is not None
        or _PARSER_INFO.ampm(w) is not None
        or _PARSER_INFO.tzoffset(w) is not None
        for w in words
    ):
        return None
    return parse_date(m.group("date"))


def parse_date(value: str) -> str | None:
    """Return ``value`` (a date in English words or digits) as ISO 8601, or None when unreadable.

    A date stays a date; a date-time with a zone becomes UTC; one without a zone stays naive.
    """
    try:
        dt = dateparser.parse(value, parserinfo=_PARSER_INFO, default=None)
    except (ValueError, OverflowError, TypeError):
        return None
    if dt is None:
        return None
    if not re.search(r"\d{1,2}:\d{2}", value):
        return dt.date().isoformat()
    return iso_date(dt)


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
