"""HTML pages to Articles with trafilatura (htmldate as the date fallback).

Full pages go through trafilatura's main-content extraction; feed fragments
(``content:encoded``) go through :func:`fragment_to_text`, which keeps all of
the fragment. Both keep paragraphs apart with a blank line.
"""

from __future__ import annotations

import re

from ..errors import EmptyInput, MalformedInput
from ..model import Article
from .clean import clean_line
from .meta import make_article

_DATE_PARAMS = {
    "extensive_search": True,
    "original_date": True,
    "outputformat": "%Y-%m-%dT%H:%M:%S%z",
}
_HTML_LANG = re.compile(r"<html[^>]*?\slang\s*=\s*[\"']?([A-Za-z]{2,3})\b", re.IGNORECASE)
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_LINES = frozenset({"li", "tr", "dt", "dd"})
_BLOCKS = frozenset(
    {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "ul", "ol"}
    | {"dl", "section", "article", "header", "footer", "figure", "figcaption", "aside", "hr"}
)


def html_to_article(html: str, source: str | None = None, **meta) -> Article:
    """Return the Article trafilatura extracts from a full HTML page.

    ``meta`` (url, published, outlet, ...) wins over what the page says,
    except ``published``, which is only a fallback (e.g. WARC-Date).
    Raises EmptyInput when no article text is found, MalformedInput when
    the HTML cannot be parsed at all.
    """
    fallback_date = meta.pop("published", None)
    try:
        found = _extract(html, meta.get("url"))
    except Exception as exc:  # noqa: BLE001 - trafilatura/lxml raise many types on broken input
        raise MalformedInput(f"cannot parse HTML ({type(exc).__name__}: {exc})", source=source)
    if not found.get("text") and "<" not in html:
        found["text"] = html  # a .html file holding plain text
    if not found.get("text"):
        raise EmptyInput("no article text found in the HTML", source=source)
    merged = {k: v for k, v in found.items() if v} | {k: v for k, v in meta.items() if v}
    merged.setdefault("published", fallback_date)
    return make_article(merged.pop("text"), source=source, **merged)


def _extract(html: str, url: str | None) -> dict:
    from trafilatura import bare_extraction

    doc = bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        date_extraction_params=_DATE_PARAMS,
    )
    if doc is None or doc.body is None or not len(doc.body):
        return _baseline(html)
    title = clean_line(doc.title or "") or None
    return {
        "text": _body_text(doc.body, title),
        "title": title,
        "url": doc.url,
        "outlet": doc.sitename or doc.hostname,
        "published": _page_date(doc.date),
        "byline": doc.author,
        "language": _html_lang(html),
    }


def _baseline(html: str) -> dict:
    """Extract with trafilatura's permissive baseline when the main extractor finds nothing."""
    from htmldate import find_date
    from trafilatura import baseline

    _, text, _ = baseline(html)
    title = _TITLE.search(html[:65536])
    return {
        "text": text,
        "title": clean_line(title.group(1)) if title else None,
        "published": _page_date(find_date(html, **_DATE_PARAMS)) if text else None,
        "language": _html_lang(html),
    }


def _page_date(value: str | None) -> str | None:
    # htmldate pads a bare date with midnight; a naive midnight means "date only".
    if value and value.endswith("T00:00:00"):
        return value[:10]
    return value or None


def _html_lang(html: str) -> str | None:
    match = _HTML_LANG.search(html[:4096])
    return match.group(1).lower() if match else None


def _body_text(body, title: str | None) -> str:
    """Return trafilatura's output tree as text, one paragraph per block, blank-line separated."""
    paragraphs = [_block_text(child) for child in body]
    paragraphs = [p for p in paragraphs if p]
    if paragraphs and title and clean_line(paragraphs[0]) == title:
        paragraphs = paragraphs[1:]
    return "\n\n".join(paragraphs)


def _block_text(el) -> str:
    if el.tag == "list":
        return "\n".join(_inline_text(item) for item in el.iter("item"))
    if el.tag == "table":
        return "\n".join(" | ".join(_inline_text(c) for c in row) for row in el.iter("row"))
    return _inline_text(el)


def _inline_text(el) -> str:
    parts = [el.text or ""]
    for child in el:
        parts.append("\n" if child.tag == "lb" else _inline_text(child))
        parts.append(child.tail or "")
    return "".join(parts).strip()


def fragment_to_text(fragment: str) -> str:
    """Return the text of an HTML fragment, blocks separated by blank lines, <br> as newlines.

    Returns "" for an empty fragment; never raises on broken markup.
    """
    from lxml import etree
    from lxml import html as lxml_html

    if "<" not in fragment:
        return fragment
    try:
        root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return re.sub(r"<[^>]*>", " ", fragment)
    etree.strip_elements(root, "script", "style", "noscript", with_tail=False)
    return "".join(_walk(root)).strip()


def _walk(el):
    if not isinstance(el.tag, str):  # comments and processing instructions
        return
    sep = "\n" if el.tag in _LINES else "\n\n" if el.tag in _BLOCKS else ""
    yield sep
    if el.tag == "br":
        yield "\n"
    yield el.text or ""
    for child in el:
        yield from _walk(child)
        yield child.tail or ""
    yield sep
