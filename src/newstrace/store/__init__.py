"""Persistent corpus storage behind one small interface, :class:`Store`.

``open_store()`` picks the backend from the path or URL: a file path (or
``sqlite:///path``) opens the SQLite store; ``postgresql://`` is reserved for
the PostgreSQL backend. Only ``pipeline``, ``cli`` and ``web`` use this package.
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
    "open_store",
]


def open_store(path_or_url: str | os.PathLike | None = None) -> Store:
    """Open (creating and migrating as needed) the store at ``path_or_url``.

    None means ``./newstrace.db``. Raises StoreError when it cannot be opened,
    is newer than this code, or names a backend that is not built yet.
    """
    target = os.fspath(path_or_url) if path_or_url is not None else DEFAULT_PATH
    if target.startswith(("postgresql://", "postgres://")):
        raise StoreError(
            "the PostgreSQL store is not built yet",
            hint=f"use a SQLite file path for now, e.g. {DEFAULT_PATH}",
        )
    if target.startswith("sqlite:///"):
        target = target[len("sqlite:///") :]
    elif "://" in target:
        scheme = target.split("://", 1)[0]
        raise StoreError(
            f"unknown store URL scheme {scheme!r}",
            hint="give a SQLite file path or a sqlite:/// URL",
        )
    return SQLiteStore(target)
