"""JSON and JSON Lines records to Articles.

Accepted field names (first one present wins):

- text: ``text``, ``body``, ``content``, ``maintext``, ``article``
  (a list of strings is read as paragraphs); else ``html``/``raw_html``,
  which goes through trafilatura
- title: ``title``, ``headline``; url: ``url``, ``link``
- outlet: ``outlet``, ``source``, ``site``, ``sitename``, ``source_domain``
- published: ``published``, ``date``, ``date_publish``, ``published_at``,
  ``pubDate``, ``datePublished``
- language: ``language``, ``lang``; id: ``id``; byline: ``author``,
  ``byline``, ``authors``
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path

from ..errors import EmptyInput, InputError, MalformedInput, TooLarge
from ..model import Article
from ..settings import DEFAULT, Settings
from .encoding import decode_bytes
from .failure import IngestFailure, failure
from .html import html_to_article
from .meta import make_article

TEXT_FIELDS = ("text", "body", "content", "maintext", "article")
HTML_FIELDS = ("html", "raw_html")
FIELDS = {
    "title": ("title", "headline"),
    "url": ("url", "link"),
    "outlet": ("outlet", "source", "site", "sitename", "source_domain"),
    "published": ("published", "date", "date_publish", "published_at", "pubDate", "datePublished"),
    "language": ("language", "lang"),
    "id": ("id",),
    "byline": ("author", "byline", "authors"),
}


def record_to_article(obj, source: str) -> Article:
    """Return the Article in one decoded JSON record.

    Raises MalformedInput if ``obj`` is not an object or has no text field,
    EmptyInput if its text is blank.
    """
    if not isinstance(obj, dict):
        raise MalformedInput(f"expected a JSON object, got {_kind(obj)}", source=source)
    meta = {name: _first(obj, keys) for name, keys in FIELDS.items()}
    if isinstance(meta["outlet"], dict):  # e.g. {"source": {"name": ...}}
        meta["outlet"] = meta["outlet"].get("name")
    for name, value in meta.items():
        _check_field(name, value, source)
    text = _first(obj, TEXT_FIELDS)
    if text is None:
        html = _first(obj, HTML_FIELDS)
        if html is None:
            raise MalformedInput(_no_text_message(obj), source=source)
        _check_text("html", html, source)
        return html_to_article(html, source=source, **meta)
    _check_text("text", text, source)
    if isinstance(text, list):
        text = "\n\n".join(p for p in text if p)
    return make_article(text, source=source, **meta)


def _kind(value) -> str:
    """Return the JSON name of ``value``'s type, for error messages."""
    names = {bool: "a boolean", int: "a number", float: "a number", str: "a string",
             list: "a list", dict: "an object"}  # fmt: skip
    return names.get(type(value), type(value).__name__)


def _check_text(name: str, value, source: str) -> None:
    """Raise MalformedInput unless ``value`` is a string or a list of strings (paragraphs)."""
    if isinstance(value, str):
        return
    if name == "text" and isinstance(value, list) and all(isinstance(p, str) for p in value):
        return
    want = "a string or a list of strings" if name == "text" else "a string"
    raise MalformedInput(f"field {name!r} must be {want}, got {_kind(value)}", source=source)


def _check_field(name: str, value, source: str) -> None:
    """Raise MalformedInput for a metadata value of the wrong JSON type (never coerce it)."""
    if value is None or isinstance(value, str):
        return
    if name == "id" and isinstance(value, int) and not isinstance(value, bool):
        return
    if name == "byline" and isinstance(value, list) and all(isinstance(v, str) for v in value):
        return
    raise MalformedInput(f"field {name!r} must be a string, got {_kind(value)}", source=source)


def _first(obj: dict, keys: tuple[str, ...]):
    for key in keys:
        value = obj.get(key)
        if value not in (None, ""):
            return value
    return None


def _no_text_message(obj: dict) -> str:
    got = ", ".join(sorted(map(str, obj))[:8]) or "none"
    want = ", ".join(TEXT_FIELDS + HTML_FIELDS)
    return f"no text field (looked for {want}; found {got})"


def loads_document(text: str, source: str):
    """Return the parsed JSON document; raise MalformedInput naming line and column."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise MalformedInput(
            f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}", source=source
        ) from None
    except (RecursionError, ValueError) as exc:
        raise MalformedInput(_unparsable(exc), source=source) from None


def iter_json(text: str, path: str) -> Iterator[Article | IngestFailure]:
    """Yield the article of a JSON object, or one per object of a JSON list (``path:N``)."""
    doc = loads_document(text, path)
    if not isinstance(doc, list):
        yield _guarded(path, record_to_article, doc, path)
        return
    for n, obj in enumerate(doc, 1):
        label = f"{path}:{n}"
        yield _guarded(label, record_to_article, obj, label)


def iter_jsonl(
    path: Path, label: str, settings: Settings = DEFAULT, line: int | None = None
) -> Iterator[Article | IngestFailure]:
    """Yield one Article or IngestFailure per non-blank line (``label:N``, N from 1).

    With ``line``, only that line is parsed. Lines over ``settings.max_bytes``
    are reported, not read.
    """
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rb") as fh:
        for n, raw, size in bounded_lines(fh, settings.max_bytes):
            if line is not None and n != line:
                continue
            source = f"{label}:{n}"
            if raw is None:
                yield failure(_line_too_large(size, source, settings), source)
            elif raw.strip():
                yield _guarded(source, jsonl_line, raw, source, settings)
            elif line is not None:
                yield failure(EmptyInput("line is blank", source=source), source)
            if line is not None:
                return


def bounded_lines(fh, limit: int, chunk: int = 1 << 20) -> Iterator[tuple[int, bytes | None, int]]:
    """Yield ``(number, line, size)`` for each line of the binary file ``fh``, from 1.

    A line over ``limit`` bytes is never held in memory: it is skipped in
    chunks and yielded as ``(number, None, size)``.
    """
    n = 0
    while True:
        raw = fh.readline(limit + 1)
        if not raw:
            return
        n += 1
        if len(raw) <= limit:
            yield n, raw, len(raw)
            continue
        size = len(raw)
        while not raw.endswith(b"\n"):
            raw = fh.readline(chunk)
            if not raw:
                break
            size += len(raw)
        yield n, None, size


def _line_too_large(size: int, source: str, settings: Settings) -> TooLarge:
    return TooLarge(
        f"line is {size:,} bytes, over the limit of {settings.max_bytes:,}",
        source=source,
        hint="raise it with --max-bytes",
    )


def jsonl_line(line: bytes, source: str, settings: Settings = DEFAULT) -> Article:
    """Return the Article on one JSON Lines line; raise TooLarge or MalformedInput."""
    if len(line) > settings.max_bytes:
        raise _line_too_large(len(line), source, settings)
    try:
        obj = json.loads(line)
    except UnicodeDecodeError:
        obj = loads_document(decode_bytes(line, source), source)
    except json.JSONDecodeError as exc:
        raise MalformedInput(
            f"invalid JSON at column {exc.colno}: {exc.msg}", source=source
        ) from None
    except (RecursionError, ValueError) as exc:
        raise MalformedInput(_unparsable(exc), source=source) from None
    return record_to_article(obj, source)


def _unparsable(exc: Exception) -> str:
    """Return why valid-looking JSON could not be parsed (nesting or huge integers)."""
    if isinstance(exc, RecursionError):
        return "JSON nested too deeply to read"
    return f"JSON value cannot be read: {str(exc).split(';')[0]}"


def _guarded(source: str, read, *args) -> Article | IngestFailure:
    try:
        return read(*args)
    except InputError as exc:
        return failure(exc, source)
