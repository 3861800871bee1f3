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
        raise MalformedInput(f"expected a JSON object, got {type(obj).__name__}", source=source)
    meta = {name: _first(obj, keys) for name, keys in FIELDS.items()}
    if isinstance(meta["outlet"], dict):  # e.g. {"source": {"name": ...}}
        meta["outlet"] = meta["outlet"].get("name")
    text = _first(obj, TEXT_FIELDS)
    if text is None:
        html = _first(obj, HTML_FIELDS)
        if html is None:
            raise MalformedInput(_no_text_message(obj), source=source)
        return html_to_article(str(html), source=source, **meta)
    if isinstance(text, list):
        text = "\n\n".join(str(p) for p in text if p)
    return make_article(str(text), source=source, **meta)


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
        for n, raw in enumerate(fh, 1):
            if line is not None and n != line:
                continue
            source = f"{label}:{n}"
            if raw.strip():
                yield _guarded(source, jsonl_line, raw, source, settings)
            elif line is not None:
                yield failure(EmptyInput("line is blank", source=source), source)
            if line is not None:
                return


def jsonl_line(line: bytes, source: str, settings: Settings = DEFAULT) -> Article:
    """Return the Article on one JSON Lines line; raise TooLarge or MalformedInput."""
    if len(line) > settings.max_bytes:
        raise TooLarge(
            f"line is {len(line):,} bytes, over the limit of {settings.max_bytes:,}",
            source=source,
            hint="raise it with --max-bytes",
        )
    try:
        obj = json.loads(line)
    except UnicodeDecodeError:
        obj = loads_document(decode_bytes(line, source), source)
    except json.JSONDecodeError as exc:
        raise MalformedInput(
            f"invalid JSON at column {exc.colno}: {exc.msg}", source=source
        ) from None
    return record_to_article(obj, source)


def _guarded(source: str, read, *args) -> Article | IngestFailure:
    try:
        return read(*args)
    except InputError as exc:
        return failure(exc, source)
