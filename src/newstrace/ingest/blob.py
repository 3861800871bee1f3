"""A file's bytes to Articles, for readers that hand over bytes instead of a path (the Spark job).

Same formats, checks and labels as :func:`newstrace.ingest.files.iter_file`,
which reads from a path: the parsers are shared, only the byte source differs.
"""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Iterator
from pathlib import PurePosixPath

from ..errors import EmptyInput, InputError, MalformedInput, TooLarge, UnsupportedFormat
from ..model import Article
from ..settings import DEFAULT, Settings
from .encoding import declared_charset, decode_bytes
from .failure import IngestFailure, failure
from .feeds import iter_feed, looks_like_feed
from .files import _HINT_LIMIT, STREAMED, SUPPORTED_EXTENSIONS, _sniff, extension_format, unreadable
from .headers import parse_plain
from .html import html_to_article
from .jsonfmt import _guarded, iter_json, jsonl_line
from .warc import iter_warc_stream


def blob_format(name: str, head: bytes, label: str) -> str:
    """Return the format of a file called ``name`` starting with ``head``; raise
    UnsupportedFormat."""
    kind = extension_format(PurePosixPath(name))
    if kind == "feed" and name.lower().endswith(".xml") and not looks_like_feed(head[:2048]):
        raise UnsupportedFormat("XML file that is not an RSS or Atom feed", source=label)
    kind = kind or _sniff(head[:2048])
    if kind is None:
        raise UnsupportedFormat(
            f"unsupported file type {PurePosixPath(name).suffix or '(no extension)'!r}",
            source=label,
            hint=f"supported: {', '.join(SUPPORTED_EXTENSIONS)}",
        )
    return kind


def iter_blob(
    data: bytes, label: str, settings: Settings = DEFAULT
) -> Iterator[Article | IngestFailure]:
    """Yield every Article in one file's bytes, and an IngestFailure per unreadable part; never
    raises InputError."""
    try:
        yield from _iter_checked(data, label, settings)
    except InputError as exc:
        yield failure(exc, label)
    except OSError as exc:
        yield failure(unreadable(exc, label), label)
    except (EOFError, zlib.error) as exc:
        yield failure(MalformedInput(f"cannot read: {exc}", source=label), label)


def _iter_checked(data: bytes, label: str, settings: Settings):
    if not data:
        raise EmptyInput("file is empty", source=label)
    kind = blob_format(label, data, label)
    if kind not in STREAMED and len(data) > settings.max_bytes:
        raise TooLarge(f"file is {len(data):,} bytes, over the limit of {settings.max_bytes:,}",
                       source=label, hint=_HINT_LIMIT)  # fmt: skip
    if kind == "jsonl":
        yield from iter_jsonl_bytes(data, label, settings)
    elif kind == "warc":
        yield from iter_warc_stream(io.BytesIO(data), label, settings)
    elif kind == "feed":
        yield from iter_feed(data, label)
    elif kind == "json":
        yield from iter_json(_text(data, label), label)
    elif kind == "html":
        yield html_to_article(_text(data, label, html=True), source=label)
    else:
        yield parse_plain(_text(data, label), source=label, markdown=kind == "markdown")


def iter_jsonl_bytes(
    data: bytes, label: str, settings: Settings = DEFAULT
) -> Iterator[Article | IngestFailure]:
    """Yield one Article or IngestFailure per non-blank line (``label:N``), as ``iter_jsonl`` does
    for a path."""
    if label.lower().endswith(".gz"):
        data = gzip.decompress(data)
    for n, raw in enumerate(io.BytesIO(data), 1):
        if raw.strip():
            source = f"{label}:{n}"
            yield _guarded(source, jsonl_line, raw, source, settings)


def _text(data: bytes, label: str, html: bool = False) -> str:
    text = decode_bytes(data, label, declared_charset(data) if html else None)
    if not text.strip():
        raise EmptyInput("file holds only whitespace", source=label)
    return text
