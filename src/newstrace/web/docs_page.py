"""``/docs``: interactive API docs with Swagger UI files from the ``swagger-ui-bundle`` package (no
CDN)."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from .security import CSP

# Swagger UI sets inline styles on its elements; scripts stay same-origin only.
DOCS_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>newstrace API</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/static/docs.js"></script></body></html>"""


def swagger_dir() -> Path | None:
    """Return the folder of the bundled Swagger UI files, or None when the package is missing."""
    try:
        from swagger_ui_bundle import swagger_ui_path
    except ImportError:
        return None
    return Path(swagger_ui_path)


def add_docs(app: FastAPI) -> None:
    """Serve ``/docs`` (Swagger UI over ``/api/v1/openapi.json``) when Swagger UI is installed."""
    assets = swagger_dir()
    if assets is None:
        return
    app.mount("/docs/assets", StaticFiles(directory=assets), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(_PAGE, headers={"content-security-policy": DOCS_CSP})
