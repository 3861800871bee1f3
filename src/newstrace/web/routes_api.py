"""The REST API under /api/v1: each route a thin layer over :class:`Library`."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Body, Depends, Header, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from .. import __version__
from ..listing import Sort
from ..report.jsonout import comparison_to_dict
from ..report.tables import MEDIA_TYPES
from ..store.base import FACET_LIMIT
from .schemas import (
    ERRORS,
    CompareIn,
    FacetsOut,
    Health,
    IngestIn,
    IngestOut,
    StoryPage,
)
from .security import token_ok
from .service import Library, check_batch

router = APIRouter(prefix="/api/v1", responses=ERRORS)

DEFAULT_LIMIT, MAX_LIMIT = 20, 100
EXPORT_WHAT = (
    "stories: one row per story; articles: one per article with its story and role; "
    "edges: the provenance graph (Source, Target columns, as Gephi reads them)."
)
ISO_DATE = r"^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$"


def library(request: Request) -> Library:
    """Return the app's Library (a FastAPI dependency)."""
    return request.app.state.library


Lib = Annotated[Library, Depends(library)]


class Unauthorized(Exception):
    """The request needs ``Authorization: Bearer <token>`` and did not give it."""


def require_token(request: Request, authorization: str | None = Header(None)) -> None:
    """Raise Unauthorized when the app has a token and the request does not carry it."""
    if not token_ok(request.app.state.token, authorization):
        raise Unauthorized()


@router.get("/healthz", response_model=Health, tags=["meta"])
def healthz(lib: Lib) -> dict:
    """Say the server is up and how much the store holds."""
    return {
        "status": "ok",
        "version": __version__,
        "articles": lib.store.count_articles(),
        "stories": lib.store.count_stories(),
    }


def story_filters(
    q: str | None = Query(None, max_length=200, description="Words in a title."),
    outlet: str | None = Query(None, max_length=200, description="Stories with this outlet."),
    language: str | None = Query(None, max_length=16, description="Stories in this language."),
    since: str | None = Query(None, pattern=ISO_DATE, description="Last article on or after."),
    until: str | None = Query(None, pattern=ISO_DATE, description="First article on or before."),
    min_articles: int = Query(1, ge=1, le=1_000_000),
) -> dict:
    """Return the story filters of a request, as ``Corpus.stories`` takes them (a dependency).

    The one reading of the filter parameters: the story list, its facets,
    the export and the story list page all take them from here.
    """
    return {
        "query": q,
        "outlet": outlet,
        "language": language,
        "since": _date("since", since),
        "until": _date("until", until),
        "min_articles": min_articles,
    }


StoryFilters = Annotated[dict, Depends(story_filters)]


@router.get("/stories", response_model=StoryPage, tags=["stories"])
def list_stories(
    request: Request,
    lib: Lib,
    filters: StoryFilters,
    sort: Sort = "size",
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
    offset: int | None = Query(None, ge=0, le=1_000_000_000),
    page: int | None = Query(None, ge=1, le=10_000_000, description="1-based; or use offset."),
) -> dict:
    """List stories, one page at a time, filtered and sorted."""
    offset = _offset(offset, page, limit)
    items, total = lib.stories(filters, limit, offset, sort)
    nxt = None
    if offset + len(items) < total:
        params = {k: v for k, v in request.query_params.items() if k not in ("offset", "page")}
        nxt = f"{request.url.path}?{urlencode({**params, 'offset': offset + limit})}"
    return {"items": items, "total": total, "limit": limit, "offset": offset, "next": nxt}


@router.get(
    "/stories/facets", response_model=FacetsOut, response_model_exclude_none=True, tags=["stories"]
)
def story_facets(
    lib: Lib,
    filters: StoryFilters,
    limit: int = Query(FACET_LIMIT, ge=1, le=MAX_LIMIT, description="Values per facet."),
) -> dict:
    """Count the stories matching the filters by outlet, language and publication date.

    Each count is the number of stories that value's filter lists: outlet and
    language over the stories matching every other filter (picking one
    replaces the one picked before), dates in day, month or year buckets
    within the dates filtered on.
    """
    return {**lib.facets(filters, limit), "filters": _given(filters)}


@router.get(
    "/export",
    tags=["stories"],
    response_class=StreamingResponse,
    responses={
        200: {
            "content": {t: {} for t in MEDIA_TYPES.values()},
            "description": "The rows, as an attachment.",
        }
    },
)
def export(
    lib: Lib,
    filters: StoryFilters,
    what: Literal["stories", "articles", "edges"] = Query("stories", description=EXPORT_WHAT),
    format: Literal["csv", "jsonl", "parquet"] = Query("csv", description="parquet needs pyarrow."),
    story: str | None = Query(None, max_length=4000, description="Only this story's rows."),
    sort: Sort = "size",
) -> StreamingResponse:
    """Download stories, articles or provenance edges as CSV, JSON Lines or Parquet.

    The rows of ``newstrace export``: every story matching the filters (in
    ``sort`` order), or one ``story``. Streamed as they are made.
    """
    chunks, name = lib.export(what, format, filters, sort, story)
    return StreamingResponse(
        chunks,
        media_type=MEDIA_TYPES[format],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _given(filters: dict) -> dict:
    return {
        k: v for k, v in filters.items() if v is not None and not (k == "min_articles" and v == 1)
    }


@router.get("/stories/{story_id:path}", tags=["stories"])
def get_story(story_id: str, lib: Lib) -> dict:
    """Return a story: articles, derivation edges with evidence, origins, source count."""
    return lib.story(story_id)


@router.get("/articles/{article_id:path}", tags=["articles"])
def get_article(article_id: str, lib: Lib) -> dict:
    """Return one stored article with its text and story id."""
    return lib.article(article_id)


@router.post(
    "/articles", response_model=IngestOut, tags=["articles"], dependencies=[Depends(require_token)]
)
def post_articles(request: Request, body: Annotated[IngestIn, Body()], lib: Lib) -> dict:
    """Ingest one article or a list of them (idempotent); stories update."""
    batch = body if isinstance(body, list) else [body]
    check_batch(len(batch), request.app.state.max_batch)
    results = lib.ingest([a.model_dump(exclude_none=True) for a in batch])
    counts: dict[str, int] = {}
    for r in results:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    return {"results": results, "counts": counts}


@router.post("/compare", tags=["compare"])
async def post_compare(request: Request, body: CompareIn, lib: Lib) -> dict:
    """Compare two articles (texts or stored ids): the ``newstrace compare --json`` document.

    At most a few compares run at once (503 with Retry-After beyond that),
    each within a time budget (503 when over it); a compare whose client
    disconnects is stopped.
    """
    c = await compare_refs(
        request, lib, body.a.model_dump(exclude_none=True), body.b.model_dump(exclude_none=True)
    )
    return comparison_to_dict(c)


async def compare_refs(request: Request, lib: Library, a: dict, b: dict):
    """Return the Comparison of two refs, run in the app's compare pool (see ``compare_pool``)."""
    articles = await run_in_threadpool(lambda: (lib.resolve(a), lib.resolve(b)))
    return await request.app.state.compare_pool.compare(*articles, request.is_disconnected)


def _offset(offset: int | None, page: int | None, limit: int) -> int:
    if offset is not None and page is not None:
        _invalid("page", "give either offset or page, not both")
    return (page - 1) * limit if page is not None else (offset or 0)


def _date(name: str, value: str | None) -> str | None:
    """Return ``value`` when it is a real ISO 8601 date or date-time; else a 422."""
    if value is None:
        return None
    try:
        (date if len(value) == 10 else datetime).fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        _invalid(name, f"{value!r} is not a valid ISO 8601 date or date-time")
    return value


def _invalid(name: str, message: str) -> None:
    raise RequestValidationError([{"loc": ("query", name), "msg": message, "type": "value_error"}])
