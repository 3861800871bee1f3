"""Articles from text given directly (API, web form), not from a file."""

from __future__ import annotations

from ..errors import ConfigError, TooLarge
from ..model import Article
from ..settings import DEFAULT, Settings
from .headers import split_headers
from .meta import make_article

META_KEYS = ("id", "title", "url", "outlet", "published", "language", "byline", "source")
_ALIASES = {"date": "published", "author": "byline", "lang": "language"}


def read_text(text: str, settings: Settings = DEFAULT, headers: bool = False, **meta) -> Article:
    """Return an Article for ``text`` with the metadata in ``meta`` (see META_KEYS).

    With ``headers``, leading header lines (``outlet:``, ``date:``, ...) are
    read as in a ``.txt`` file; values in ``meta`` win over them.
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
    if headers:
        found, text = split_headers(text.replace("\r\n", "\n").lstrip("\ufeff"))
        meta = found | {k: v for k, v in meta.items() if v not in (None, "")}
    return make_article(text, source=source, **meta)
