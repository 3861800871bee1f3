"""The web UI and REST API (``newstrace serve``); needs the [web] extra.

``create_app(db_path, token=None)`` returns the FastAPI app. Nothing in
newstrace imports this package; it imports the layers below it.
"""

from __future__ import annotations

__all__ = ["create_app"]


def create_app(db_path: str, token: str | None = None, **options):
    """Return the FastAPI app over the store at ``db_path`` (see :mod:`newstrace.web.app`)."""
    from .app import create_app as _create

    return _create(db_path, token, **options)
