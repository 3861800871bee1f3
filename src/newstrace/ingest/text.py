"""Articles from text given directly (API, web form), not from a file."""

from __future__ import annotations

from ..errors import ConfigError, TooLarge
from ..model import Article
from ..settings import DEFAULT, Settings
from .headers import split_headers
from .meta import make_article

META_KEYS = ("id", "title", "url", "outlet", "published", "language", "byline", "source")
_ALIASES = {"date": "published", "author": "byline", "lang": "language"}


def read_text(text: str, settings: Settings = DEFAULT, **meta) -> Article:
    """Return an Article for ``text`` with the metadata in ``meta`` (see META_KEYS).

    Header lines opening ``text`` (``outlet: ...``, ``date 2025-06-05``,
    ``Date: 5 June 2025``) are read as ``newstrace compare`` reads a .txt
    file's; a field given in ``meta`` wins over its header line.
    ``date``, ``author`` and ``lang`` are accepted as aliases. Raises
    EmptyInput for blank text, TooLarge over ``settings.max_bytes``, and
    ConfigError for an unknown metadata key.
    """
    meta = {_ALIASES.get(k, k): v for k, v in meta.items()}
    unknown = sorted(set(meta) - set(META_KEYS))
    if unknown:
        raise ConfigError(
            f"unknown article field(s) {', '.join(unknown)}; use {', '.join(META_KEYS)}"
        )
    if not isinstance(text, str):
        raise ConfigError(f"text must be a str, got {type(text).__name__}")
    source = meta.pop("source", None) or "<text>"
    # A char is at most 4 UTF-8 bytes, so short texts skip the encoding.
    size = (
        len(text)
        if len(text) * 4 <= settings.max_bytes
        else len(text.encode("utf-8", "surrogatepass"))
    )
    if size > settings.max_bytes:
        raise TooLarge(
            f"text is {size:,} bytes, over the limit of {settings.max_bytes:,}",
            source=source,
            hint="raise it with --max-bytes",
        )
    head, body = split_headers(text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff"))
    return make_article(body, source=source, **(head | {k: v for k, v in meta.items() if v is not None}))
