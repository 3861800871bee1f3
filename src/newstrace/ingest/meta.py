"""Article metadata: outlets from URLs, ISO dates, stable ids, and building an Article.

Article ids
-----------
An id given by the source is kept. Otherwise the id is the 16 hex digits of
``xxh3_64`` (xxhash, seed 0) over the UTF-8 bytes of
``url + "\\n" + outlet + "\\n" + text``, where ``text`` is the cleaned
article text and a missing url or outlet is the empty string. Reading the same
article twice gives the same id; the same wire copy run by two outlets gets
two ids, because the corpus must tell them apart.
"""

from __future__ import annotations

import re
import time
from datetime import date, datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import xxhash
from dateutil import parser as dateparser

from ..errors import EmptyInput, MalformedInput
from ..model import Article
from .clean import clean_line, clean_text

_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_WIRE_CREDIT = re.compile(
    # An all-caps place, an optional date, then the credit: "KYIV, March 5 (Reuters) -"
    r"^[A-Z\u00c0-\u00dd][A-Z\u00c0-\u00dd .'/-]{1,40}(?:,\s*[A-Z][a-z]{2,8}\.? \d{1,2})?\s*"
    r"\((?P<outlet>[A-Z][A-Za-z&.\- ]{1,30}?)\)\s*[-\u2013\u2014]"
)
_DATETIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M")
# Numbers only: strptime reads these the same in every locale.
_DATE_FORMATS = ("%Y/%m/%d", "%d.%m.%Y")
# Month names come from python-dateutil's English table, never from strptime's %B / %b, which
# read the process locale's names ("März" under de_DE, and "March" not at all).
ENGLISH = dateparser.parserinfo()
_WORD_DATES = (
    re.compile(
        r"(?P<month>[A-Za-z]{3,9})\.?\s+(?P<day>\d{1,2}),\s+(?P<year>\d{4})"
    ),  # March 5, 2024
    re.compile(r"(?P<day>\d{1,2})\s+(?P<month>[A-Za-z]{3,9})\.?\s+(?P<year>\d{4})"),  # 5 Mar 2024
)


def outlet_from_url(url: str | None) -> str | None:
    """Return the lower-cased host of ``url`` without ``www.``, or None if it has none."""
    if not url:
        return None
    try:
        host = urlsplit(url if "//" in url else f"//{url}").hostname
    except ValueError:
        return None
    if not host or "." not in host:
        return None
    return host.removeprefix("www.")


def outlet_from_text(text: str) -> str | None:
    """Return a wire credit from a dateline such as ``LONDON (Reuters) -``, or None."""
    match = _WIRE_CREDIT.match(text)
    return match.group("outlet").strip() if match else None


def iso_date(value) -> str | None:
    """Return ``value`` (str, date, datetime or struct_time) as ISO 8601, or None.

    Dates stay dates (``2024-03-05``); date-times with a timezone are
    converted to UTC (``2024-03-05T08:00:00+00:00``); naive ones stay naive.
    """
    if value is None or value == "":
        return None
    if isinstance(value, time.struct_time):
        return _iso(datetime(*value[:6], tzinfo=timezone.utc))
    if isinstance(value, datetime):
        return _iso(value)
    if isinstance(value, date):
        return value.isoformat()
    return _parse(str(value).strip())


def _iso(dt: datetime) -> str:
    if dt.tzinfo is not None:
        dt = dt.astimezone(timezone.utc)
    return dt.isoformat(timespec="seconds")


def _parse(text: str) -> str | None:
    if _DATE_ONLY.match(text):
        return _checked_date(text)
    for parse in (_from_iso, _from_email, _from_datetime_formats):
        dt = parse(text)
        if dt is not None:
            return _iso(dt)
    day = _strptime(text, _DATE_FORMATS)
    if day:
        return day.date().isoformat()
    return _word_date(text)


def _word_date(text: str) -> str | None:
    """Return "March 5, 2024" or "5 Mar 2024" (English month names) as an ISO date, else None."""
    for pattern in _WORD_DATES:
        m = pattern.fullmatch(text)
        month = m and ENGLISH.month(m.group("month"))
        if month:
            try:
                return date(int(m.group("year")), month, int(m.group("day"))).isoformat()
            except ValueError:
                return None
    return None


def _checked_date(text: str) -> str | None:
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        return None


def _from_iso(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None


def _from_email(text: str) -> datetime | None:
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None


def _from_datetime_formats(text: str) -> datetime | None:
    return _strptime(text, _DATETIME_FORMATS)


def _strptime(text: str, formats: tuple[str, ...]) -> datetime | None:
    for fmt in formats:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


def article_id(text: str, url: str | None = None, outlet: str | None = None) -> str:
    """Return the stable 16-hex-digit id of an article (see the module docstring)."""
    key = f"{url or ''}\n{outlet or ''}\n{text}"
    return xxhash.xxh3_64_hexdigest(key.encode("utf-8"))


# Longest id and outlet an article may carry, in UTF-8 bytes. Real ones are far shorter; the
# PostgreSQL store indexes the two together, and an index entry holds at most 2,704 bytes.
MAX_ID_BYTES = 1000
MAX_OUTLET_BYTES = 1000


def make_article(text: str, source: str | None = None, **meta) -> Article:
    """Return an Article from raw ``text`` and metadata, cleaning and filling what is missing.

    Raises EmptyInput if no text is left after cleaning, MalformedInput if the
    text or a metadata value is not valid Unicode (an unpaired surrogate), or if the id or the
    outlet is longer than MAX_ID_BYTES or MAX_OUTLET_BYTES (no real one is).
    """
    check_unicode(text, "text", source)
    for name, value in meta.items():
        if isinstance(value, str):
            check_unicode(value, name, source)
    text = clean_text(text)
    if not text:
        raise EmptyInput("no article text (empty or whitespace only)", source=source)
    fields = {
        k: _clean_field(meta.get(k)) for k in ("title", "url", "outlet", "language", "byline")
    }
    fields["published"] = iso_date(meta.get("published"))
    fields["outlet"] = fields["outlet"] or outlet_from_url(fields["url"]) or outlet_from_text(text)
    given = _clean_field(meta.get("id"))
    ident = given or article_id(text, fields["url"], fields["outlet"])
    for name, value, most in (
        ("id", ident, MAX_ID_BYTES),
        ("outlet", fields["outlet"], MAX_OUTLET_BYTES),
    ):
        if value is not None and len(value.encode("utf-8")) > most:
            raise MalformedInput(
                f"{name} is {len(value.encode('utf-8')):,} bytes long; at most {most:,} are kept"
                f" (it starts {value[:40]!r})",
                source=source,
            )
    return Article(text=text, id=ident, source=source, **fields)


def check_unicode(value: str, name: str, source: str | None) -> None:
    """Raise MalformedInput if ``value`` holds an unpaired surrogate (it cannot be stored as
    UTF-8)."""
    if value.isascii():
        return
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        code = ord(value[exc.start])
        raise MalformedInput(
            f"{name} holds an unpaired surrogate U+{code:04X} at character {exc.start}, "
            "which is not valid Unicode",
            source=source,
            hint="fix the encoding of this record",
        ) from None


def _clean_field(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        value = ", ".join(str(v) for v in value if v)
    value = clean_line(str(value))
    return value or None
