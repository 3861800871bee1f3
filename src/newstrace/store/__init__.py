"""Persistent corpus storage behind one small interface, :class:`Store`.

``open_store()`` is the one place a store is chosen from a path or URL: a file
path (or ``sqlite:///path``) opens the SQLite store, ``postgresql://`` (or
``postgres://``) the PostgreSQL store (the ``[postgres]`` extra). Only
``pipeline``, ``cli`` and ``web`` use this package.
"""

from __future__ import annotations

import os

from ..errors import StoreError
from .base import (
    DEFAULT_PATH,
    DUPLICATE,
    EXACT_COPY,
    NEW,
    SORTS,
    STATUSES,
    Store,
    StoredArticle,
)
from .sqlite import SQLiteStore

__all__ = [
    "DEFAULT_PATH",
    "DUPLICATE",
    "EXACT_COPY",
    "NEW",
    "SORTS",
    "STATUSES",
    "SQLiteStore",
    "Store",
    "StoredArticle",
    "is_url",
    "open_store",
    "safe_name",
]

PG_SCHEMES = ("postgresql://", "postgres://")


def is_url(target: str | os.PathLike | None) -> bool:
    """Return True when ``target`` names a store by URL (``scheme://...``), not a file path."""
    return target is not None and "://" in os.fspath(target)


def safe_name(target: str | os.PathLike | None) -> str:
    """Return ``target`` fit to print: a PostgreSQL URL's password becomes ``***``."""
    text = os.fspath(target) if target is not None else DEFAULT_PATH
    if not text.startswith(PG_SCHEMES):
        return text
    from .postgres import redact

    return redact(text)


def open_store(path_or_url: str | os.PathLike | None = None) -> Store:
    """Open (creating and migrating as needed) the store at ``path_or_url``.

    None means ``./newstrace.db``. ``postgresql://user@host:port/dbname[?schema=NAME]``
    opens the PostgreSQL store. Raises StoreError when it cannot be opened or is
    newer than this code, MissingExtra when psycopg is not installed, ConfigError
    for a bad schema name.
    """
    target = os.fspath(path_or_url) if path_or_url is not None else DEFAULT_PATH
    if target.startswith(PG_SCHEMES):
        from .postgres import PostgresStore  # psycopg is imported only for a PostgreSQL URL

        return PostgresStore(target)
    if target.startswith("sqlite:///"):
        target = target[len("sqlite:///") :]
    elif "://" in target:
        scheme = target.split("://", 1)[0]
        raise StoreError(
            f"unknown store URL scheme {scheme!r}",
            hint="give a SQLite file path, a sqlite:/// URL or a postgresql:// URL",
        )
    return SQLiteStore(target)
