"""Ingest: turn files, text, feeds, JSON Lines and WARC archives into Articles.

- :func:`read_article` reads one article from a file (``a.jsonl:3`` picks a line).
- :func:`read_text` wraps text given directly.
- :func:`iter_articles` streams a corpus and yields an :class:`IngestFailure`
  for each bad item instead of stopping.

Every error is an :class:`newstrace.errors.InputError` subclass naming its source.
"""

from .corpus import iter_articles
from .failure import IngestFailure
from .files import SUPPORTED_EXTENSIONS, read_article
from .meta import outlet_from_url
from .text import read_text

__all__ = [
    "SUPPORTED_EXTENSIONS",
    "IngestFailure",
    "iter_articles",
    "outlet_from_url",
    "read_article",
    "read_text",
]
