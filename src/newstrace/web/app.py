"""The FastAPI app: ``create_app(db_path)`` wires the store, routes, pages and guards."""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from http import HTTPStatus
from importlib import resources
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from .. import __version__
from ..errors import NewstraceError
from ..settings import DEFAULT, Settings
from . import pages, routes_api
from .compare_pool import ComparePool
from .docs_page import add_docs
from .routes_api import Unauthorized
from .security import BodyLimit, HeadAsGet, ReadTimeout, SecurityHeaders, error_body
from .service import Library

MAX_BODY = 2_000_000  # bytes per request body
MAX_COMPARE_BODY = 400_000  # bytes per compare request: two long articles, not two archives
COMPARE_WORKERS = 2  # compares running at once; more wait for none: they get 503
COMPARE_BUDGET = 20.0  # seconds one compare may take
READ_TIMEOUT = 30.0  # seconds a client may take to send its request body
MAX_BATCH = 500  # articles per POST /api/v1/articles
STATIC = Path(__file__).parent / "static"
log = logging.getLogger("newstrace.web")

# Names for HTTP errors raised by the framework rather than by newstrace.
_HTTP_TYPES = {404: "NotFound", 405: "MethodNotAllowed", 413: "TooLarge", 401: "Unauthorized"}


def create_app(
    db_path: str,
    token: str | None = None,
    *,
    settings: Settings = DEFAULT,
    max_body: int = MAX_BODY,
    max_batch: int = MAX_BATCH,
    max_compare_body: int = MAX_COMPARE_BODY,
    compare_workers: int = COMPARE_WORKERS,
    compare_budget: float = COMPARE_BUDGET,
    read_timeout: float = READ_TIMEOUT,
) -> FastAPI:
    """Return the web app over the store at ``db_path``.

    ``token``: when set, ``POST /api/v1/articles`` needs ``Authorization:
    Bearer <token>``. Compares (API, form, pair page) run in
    ``compare_workers`` processes, each within ``compare_budget`` seconds,
    with bodies of at most ``max_compare_body`` bytes. Raises StoreError
    when the store cannot be opened.
    """
    lib = Library(db_path, settings)
    pool = ComparePool(compare_workers, compare_budget, settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        lib.open()
        pool.start()
        yield
        pool.close()
        lib.close()

    # FastAPI's own docs pages load scripts from a CDN, which the CSP forbids: /docs is ours.
    app = FastAPI(
        title="newstrace",
        version=__version__,
        lifespan=lifespan,
        openapi_url="/api/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
        description="Stories, provenance and side-by-side drift. See docs/api.md.",
    )
    app.state.library, app.state.token, app.state.max_batch = lib, token or None, max_batch
    app.state.compare_pool = pool
    app.include_router(routes_api.router)
    app.include_router(pages.router)
    app.add_api_route("/static/comparison.css", _comparison_css, include_in_schema=False)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    add_docs(app)
    _add_error_handlers(app)
    compare_body = min(max_body, max_compare_body)
    app.add_middleware(
        BodyLimit,
        max_bytes=max_body,
        limits={"/api/v1/compare": compare_body, "/compare": compare_body},
    )
    app.add_middleware(ReadTimeout, seconds=read_timeout)
    app.add_middleware(HeadAsGet)
    app.add_middleware(SecurityHeaders)
    return app


def _comparison_css() -> Response:
    """Serve the comparison stylesheet the standalone HTML report inlines (one copy of it)."""
    css = resources.files("newstrace.data").joinpath("comparison.css").read_text(encoding="utf-8")
    return Response(css, media_type="text/css", headers={"cache-control": "max-age=3600"})


def _add_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(NewstraceError, _newstrace_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(Unauthorized, _unauthorized)
    app.add_exception_handler(Exception, _internal_error)


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api/")


def _error(
    request: Request,
    status: int,
    kind: str,
    message: str,
    hint: str | None = None,
    headers: dict | None = None,
) -> Response:
    """Return the error as JSON under /api, else as an HTML page."""
    if _wants_html(request):
        return pages.error_page(request, status, kind, message, hint)
    return JSONResponse(error_body(kind, message, hint), status_code=status, headers=headers)


async def _newstrace_error(request: Request, exc: NewstraceError) -> Response:
    # Store errors name the file; a client has no use for the server's paths.
    path = request.app.state.library.db_path
    message = exc.message.replace(f"the store {path}", "the store").replace(path, "the store")
    retry = getattr(exc, "retry_after", None)
    headers = {"Retry-After": str(retry)} if retry else None
    return _error(request, exc.http_status, type(exc).__name__, message, exc.hint, headers=headers)


async def _validation_error(request: Request, exc: RequestValidationError) -> Response:
    errors = exc.errors()
    if any(e.get("type") == "json_invalid" for e in errors):
        return _error(
            request,
            400,
            "MalformedJSON",
            "the request body is not valid JSON",
            "send a JSON document with Content-Type: application/json",
        )
    return _error(
        request,
        422,
        "ValidationError",
        "; ".join(_describe(e) for e in errors[:5]),
        "see the OpenAPI schema at /api/v1/openapi.json",
    )


def _describe(e: dict) -> str:
    where = ".".join(str(x) for x in e.get("loc", ()) if x != "body") or "request"
    return f"{where}: {e.get('msg', 'invalid')}"


async def _http_error(request: Request, exc: HTTPException) -> Response:
    status = exc.status_code
    kind = _HTTP_TYPES.get(status, HTTPStatus(status).phrase.replace(" ", ""))
    message = exc.detail if isinstance(exc.detail, str) else HTTPStatus(status).phrase
    if status == 404 and message == "Not Found":
        message = f"no route {request.url.path}"
    return _error(request, status, kind, message, headers=getattr(exc, "headers", None))


async def _unauthorized(request: Request, exc: Unauthorized) -> Response:
    return _error(
        request,
        401,
        "Unauthorized",
        "this route needs a bearer token",
        "send Authorization: Bearer <token> (the token given to newstrace serve)",
        headers={"WWW-Authenticate": "Bearer"},
    )


async def _internal_error(request: Request, exc: Exception) -> Response:
    # Logged in full for the operator; the client gets no trace (it may hold paths).
    log.exception("internal error on %s %s", request.method, request.url.path)
    return _error(
        request,
        500,
        "InternalError",
        f"internal error: {type(exc).__name__}",
        "this is a bug; the server log has the details",
    )
