"""WARC and WARC.gz files (as CC-NEWS publishes them) to Articles, streaming with warcio.

Each ``response`` record with status 200 and an HTML payload (and each HTML
``resource`` record) becomes an Article labelled ``path@offset``, the
record's byte offset in the file. Other records are skipped. A truncated
record, a truncated gzip member or trailing garbage yields one IngestFailure
at the offset where reading stopped, after everything read before it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from ..errors import InputError, MalformedInput, TooLarge
from ..model import Article
from ..settings import DEFAULT, Settings
from .encoding import declared_charset, decode_bytes
from .failure import IngestFailure, failure
from .html import html_to_article

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def looks_like_warc(data: bytes) -> bool:
    """Return True if ``data`` starts like an uncompressed WARC record."""
    return data.startswith(b"WARC/")


def _warc_start(head: bytes) -> bool:
    return head.startswith((b"WARC/", b"\x1f\x8b"))


def iter_warc(
    path: Path, label: str, settings: Settings = DEFAULT
) -> Iterator[Article | IngestFailure]:
    """Yield one Article or IngestFailure per HTML response record of the WARC at ``path``."""
    with open(path, "rb") as fh:
        yield from iter_warc_stream(fh, label, settings)


def iter_warc_stream(
    fh: BinaryIO, label: str, settings: Settings = DEFAULT
) -> Iterator[Article | IngestFailure]:
    """Yield one Article or IngestFailure per HTML response record of a seekable WARC stream.

    Offsets are from the stream's start (the batch job passes the bytes Spark
    read as ``io.BytesIO``). After a broken record, reading resumes at the
    next record start (a gzip member or a ``WARC/1.`` line), so one corrupt
    record in an archive costs that record, not the rest of the file.
    """
    if not _warc_start(fh.read(8)):
        yield _broken(label, 0, "not a WARC file (it should start with 'WARC/' or be gzip)")
        return
    start: int | None = 0
    while start is not None:
        start = yield from _read_from(fh, start, label, settings)


def _read_from(fh: BinaryIO, start: int, label: str, settings: Settings):
    """Yield the items of the records from byte ``start``; return where to resume after a break, or
    None."""
    from warcio.archiveiterator import ArchiveIterator

    fh.seek(start)
    records = ArchiveIterator(fh)
    end = start
    try:
        for record in records:
            item = _record_item(record, records, label, settings)
            end = (
                records.get_record_offset() + records.get_record_length()
            )  # offsets are the stream's (fh.tell())
            if item is not None:
                yield item
    except Exception as exc:  # noqa: BLE001 - warcio, gzip and zlib signal broken input in many ways
        at = _next_offset(fh, end)
        yield _broken(label, at, f"unreadable record ({type(exc).__name__}: {exc})")
        return _resync(fh, at + 1)
    leftover = _leftover(fh, end)
    if leftover is None:
        return None
    yield _broken(label, leftover, "truncated or unreadable data after the last complete record")
    return _resync(fh, leftover + 1)


_RECORD_STARTS = (b"\x1f\x8b\x08", b"WARC/1.")
_SCAN = 1 << 20


def _resync(fh: BinaryIO, pos: int) -> int | None:
    """Return the offset of the next record start at or after ``pos``, or None when there is
    none."""
    fh.seek(pos)
    carry = b""
    while True:
        chunk = fh.read(_SCAN)
        if not chunk:
            return None
        data = carry + chunk
        hits = [i for i in (data.find(m) for m in _RECORD_STARTS) if i >= 0]
        if hits:
            return pos - len(carry) + min(hits)
        carry = data[-8:]
        pos += len(chunk)


def _record_item(record, records, label: str, settings: Settings) -> Article | IngestFailure | None:
    """Return the Article or IngestFailure for one record, or None for a record we skip."""
    html_type = _html_content_type(record)
    payload = record.content_stream().read(settings.max_bytes + 1) if html_type else b""
    offset = records.get_record_offset()  # also reads the record to its end
    source = f"{label}@{offset}"
    if record.raw_stream.limit > 0:
        return _broken(
            label, offset, f"record truncated ({record.raw_stream.limit:,} bytes missing)"
        )
    if html_type is None:
        return None
    try:
        return _payload_article(record, payload, html_type, source, settings)
    except InputError as exc:
        return failure(exc, source)


def _html_content_type(record) -> str | None:
    """Return the HTML Content-Type of a 200 response or resource record, else None."""
    if record.rec_type == "response":
        if record.http_headers is None or record.http_headers.get_statuscode() != "200":
            return None
        ctype = record.http_headers.get_header("Content-Type") or ""
    elif record.rec_type == "resource":
        ctype = record.rec_headers.get_header("Content-Type") or ""
    else:
        return None
    return ctype if ctype.split(";")[0].strip().lower() in _HTML_TYPES else None


def _payload_article(
    record, payload: bytes, ctype: str, source: str, settings: Settings
) -> Article:
    if len(payload) > settings.max_bytes:
        raise TooLarge(
            f"payload over the limit of {settings.max_bytes:,} bytes",
            source=source,
            hint="raise it with --max-bytes",
        )
    declared = declared_charset(ctype.encode("latin-1", "replace")) or declared_charset(payload)
    html = decode_bytes(payload, source, declared)
    headers = record.rec_headers
    return html_to_article(
        html,
        source=source,
        url=headers.get_header("WARC-Target-URI"),
        published=headers.get_header("WARC-Date"),
    )


def _broken(label: str, offset: int, why: str) -> IngestFailure:
    source = f"{label}@{offset}"
    return failure(MalformedInput(why, source=source), source)


def _leftover(fh: BinaryIO, end: int) -> int | None:
    """Return the offset of unread, non-blank data after byte ``end``, or None if there is none."""
    offset = _next_offset(fh, end)
    return offset if offset < fh.seek(0, os.SEEK_END) else None


def _next_offset(fh: BinaryIO, end: int) -> int:
    """Return ``end`` moved past the blank lines that separate uncompressed records."""
    fh.seek(end)
    tail = fh.read(64)
    return end + len(tail) - len(tail.lstrip(b"\r\n"))
