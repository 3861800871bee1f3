"""Run the app under uvicorn: ``newstrace serve`` calls :func:`run`."""

from __future__ import annotations

import os
import sys

from ..errors import ConfigError, MissingExtra
from ..store import safe_name
from .security import is_loopback

TOKEN_ENV = "NEWSTRACE_TOKEN"


def exposure_warning(host: str, token: str | None) -> str | None:
    """Return the warning to print when ``host`` is reachable from other machines, else None."""
    if is_loopback(host):
        return None
    if token:
        return (
            f"newstrace serve is listening on {host}, reachable from other machines; "
            "pages and read routes are open to anyone who can connect"
        )
    return (
        f"WARNING: newstrace serve is listening on {host}, reachable from other machines, "
        f"WITHOUT A TOKEN: anyone who can connect can add articles (POST /api/v1/articles). "
        f"Set --token or {TOKEN_ENV}, or bind to 127.0.0.1."
    )


def run(
    db: str,
    host: str = "127.0.0.1",
    port: int = 8000,
    token: str | None = None,
    warn=lambda text: print(text, file=sys.stderr),
) -> None:
    """Serve the web UI and API over the store ``db`` until interrupted.

    Raises MissingExtra without the [web] extra, ConfigError for a bad port,
    StoreError when the store cannot be opened.
    """
    if not 0 <= port <= 65535:
        raise ConfigError(f"port must be between 0 and 65535, got {port!r}")
    try:
        import uvicorn
    except ImportError as e:
        raise MissingExtra("newstrace serve", "web", e.name or "uvicorn") from e
    from .app import create_app

    token = token or os.environ.get(TOKEN_ENV) or None
    app = create_app(db, token=token)
    message = exposure_warning(host, token)
    if message:
        warn(message)
    warn(f"newstrace: serving {safe_name(db)} on http://{_url_host(host)}:{port}/ (Ctrl-C to stop)")
    # Graceful shutdown waits at most 3 s for open requests, then stops (compare workers die with
    # us).
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level="warning",
        server_header=False,
        timeout_graceful_shutdown=3,
        timeout_keep_alive=5,
    )


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host
