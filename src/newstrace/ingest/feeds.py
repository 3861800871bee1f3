"""RSS and Atom feed files to Articles with feedparser, one per entry (``path#entry-N``)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..errors import EmptyInput, InputError, MalformedInput
from ..model import Article
from .failure import IngestFailure, failure
from .html import fragment_to_text
from .meta import make_article

_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:RDF)[\s>]", re.IGNORECASE)
_HTML_TYPES = ("text/html", "application/xhtml+xml", "html", "xhtml")


def looks_like_feed(data: bytes) -> bool:
    """Return True if the first 2 KB hold an RSS, Atom or RDF root element."""
    return bool(_FEED_ROOT.search(data[:2048]))


def iter_feed(data: bytes, path: str) -> Iterator[Article | IngestFailure]:
    """Yield one Article (or IngestFailure) per feed entry.

    A feed feedparser flags as malformed still yields the entries it
    recovered; a feed with none yields a single failure for ``path``.
    """
    import feedparser

    parsed = feedparser.parse(data)
    if not parsed.entries:
        yield failure(_no_entries(parsed, path), path)
        return
    outlet = parsed.feed.get("title")
    for n, entry in enumerate(parsed.entries, 1):
        label = f"{path}#entry-{n}"
        try:
            yield entry_to_article(entry, label, outlet)
        except InputError as exc:
            yield failure(exc, label)


def _no_entries(parsed, path: str) -> InputError:
    if parsed.get("bozo"):
        reason = parsed.get("bozo_exception")
        return MalformedInput(f"malformed feed with no readable entries ({reason})", source=path)
    return EmptyInput("feed has no entries", source=path)


def entry_to_article(entry, source: str, feed_title: str | None = None) -> Article:
    """Return the Article for one feedparser entry; raise EmptyInput if it has no text.

    Full content (``content:encoded``, Atom content) wins over the summary;
    HTML in either is turned into text with paragraphs kept.
    """
    text = entry_text(entry)
    if not text.strip():
        raise EmptyInput("feed entry has no content or summary", source=source)
    url = entry.get("link")
    meta = {
        "title": entry.get("title"),
        "url": url,
        "published": entry.get("published_parsed") or entry.get("updated_parsed"),
        "byline": entry.get("author"),
        "language": _language(entry),
        "id": None,
    }
    article = make_article(text, source=source, **meta)
    if article.outlet is None and feed_title:
        article = article.with_(outlet=feed_title)
    return article


def entry_text(entry) -> str:
    """Return the longest of the entry's content blocks or its summary, as plain text."""
    blocks = list(entry.get("content") or [])
    if entry.get("summary_detail"):
        blocks.append(entry["summary_detail"])
    elif entry.get("summary"):
        blocks.append({"value": entry["summary"], "type": "text/html"})
    texts = [_block_text(b) for b in blocks]
    return max(texts, key=len, default="")


def _block_text(block) -> str:
    value = block.get("value") or ""
    kind = (block.get("type") or "text/html").lower()
    return fragment_to_text(value) if kind in _HTML_TYPES or "<" in value else value


def _language(entry) -> str | None:
    for block in entry.get("content") or []:
        if block.get("language"):
            return block["language"]
    return None
