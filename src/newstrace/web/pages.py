"""Server-rendered pages: story list, story, pair, compare form, article.

Every template is autoescaped and no article field is ever marked safe;
the only script is /static/app.js (the CSP forbids inline script).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote, urlencode

import jinja2
from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from .. import __version__
from ..errors import InputError
from ..ingest.headers import date_value, split_headers
from ..listing import Sort
from . import facetview
from .pairview import legend, pair_view
from .provenance import KINDS, drawings, sources_sentence
from .routes_api import Lib, StoryFilters, compare_refs
from .timeline import short_time, timeline

PAGE_SIZE = 20
_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=True,  # every template, whatever its extension
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.globals.update(version=__version__, sources_sentence=sources_sentence, edge_kinds=KINDS)
_env.filters["short_time"] = short_time
# One URL path segment: "/" is encoded too, so an id like "a/../../x" stays one segment.
_env.filters["segment"] = lambda value: quote(str(value), safe="")
templates = Jinja2Templates(env=_env)
router = APIRouter(include_in_schema=False)


def render(request: Request, name: str, status_code: int = 200, **context) -> HTMLResponse:
    """Return the template ``name`` rendered with ``context``."""
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def error_page(
    request: Request, status: int, kind: str, message: str, hint: str | None
) -> HTMLResponse:
    """Return the HTML error page."""
    return render(
        request,
        "error.html",
        status,
        status=status,
        kind=kind,
        message=message,
        hint=hint,
        title=f"{status} {kind}",
    )


@router.get("/", response_class=HTMLResponse)
def story_list(
    request: Request,
    lib: Lib,
    filters: StoryFilters,
    sort: Sort = "size",
    page: int = Query(1, ge=1, le=100_000),
) -> Response:
    """The searchable, sortable story list, with facets and download links."""
    offset = (page - 1) * PAGE_SIZE
    items, total = lib.stories(filters, PAGE_SIZE, offset, sort)
    return render(
        request,
        "stories.html",
        title="Stories",
        stories=items,
        total=total,
        q=filters["query"] or "",
        sort=sort,
        page=page,
        sorts=facetview.SORTS,
        active=facetview.active_filters(filters, sort),
        clear_link=facetview.href({"sort": sort}),
        facets=facetview.facet_boxes(filters, sort, lib.facets(filters)["facets"]),
        downloads=facetview.download_links(filters, sort),
        **facetview.list_links(filters, sort, page, offset + len(items) < total),
    )


@router.get("/stories/{story_id:path}", response_class=HTMLResponse)
def story_page(request: Request, story_id: str, lib: Lib) -> Response:
    """One story: provenance graph, timeline, source count, articles."""
    story = lib.story(story_id)
    graph = drawings(story["nodes"], story["edges"], story["origins"])
    names = {a["id"]: a.get("outlet") or a.get("title") or a["id"] for a in story["nodes"]}
    return render(
        request,
        "story.html",
        title=story.get("title") or story_id,
        story=story,
        graph=graph,
        timeline=timeline(story["articles"], story["origins"]),
        names=names,
        downloads=facetview.download_links({}, "size", story["id"]),
    )


@router.get("/pair", response_class=HTMLResponse)
async def pair_page(
    request: Request,
    lib: Lib,
    a: str = Query(..., max_length=4000),
    b: str = Query(..., max_length=4000),
) -> Response:
    """Two stored articles side by side (by id or stored URL)."""
    c = await compare_refs(request, lib, {"id": a}, {"id": b})
    return render(request, "pair.html", title="Pair", pair=pair_view(c))


@router.get("/compare", response_class=HTMLResponse)
def compare_form(request: Request) -> Response:
    """The compare form: two texts, or ids of stored articles."""
    return render(request, "compare.html", title="Compare", form={}, legend=legend())


FORM_META = ("outlet", "title", "url", "date")  # the compare form's metadata fields per side


@router.post("/compare", response_class=HTMLResponse)
async def compare_submit(
    request: Request,
    lib: Lib,
    a_text: str = Form(""),
    b_text: str = Form(""),
    a_ref: str = Form("", max_length=4000),
    b_ref: str = Form("", max_length=4000),
    a_outlet: str = Form("", max_length=300),
    b_outlet: str = Form("", max_length=300),
    a_title: str = Form("", max_length=1000),
    b_title: str = Form("", max_length=1000),
    a_url: str = Form("", max_length=4000),
    b_url: str = Form("", max_length=4000),
    a_date: str = Form("", max_length=100),
    b_date: str = Form("", max_length=100),
) -> Response:
    """Compare what the form sent; stored ids redirect to their shareable pair page.

    Each side is a pasted text (its header lines read as a file's are, the
    form's outlet, title, URL and date fields winning over them) or the id
    or URL of a stored article.
    """
    fields = {
        "a": {"outlet": a_outlet, "title": a_title, "url": a_url, "date": a_date},
        "b": {"outlet": b_outlet, "title": b_title, "url": b_url, "date": b_date},
    }
    refs = [
        _form_ref(t, r, fields[side], side.upper())
        for t, r, side in ((a_text, a_ref, "a"), (b_text, b_ref, "b"))
    ]
    if all("id" in r for r in refs):
        a, b = (lib.find_article(r["id"]).id for r in refs)
        return RedirectResponse(f"/pair?{urlencode({'a': a, 'b': b})}", status_code=303)
    c = await compare_refs(request, lib, *refs)
    return render(request, "pair.html", title="Pair", pair=pair_view(c))


def _form_ref(text: str, ref: str, fields: dict[str, str], side: str) -> dict:
    """Return the ref one side of the form names; InputError when it names none."""
    if text.strip():
        return form_article(text, fields)
    if ref.strip():
        return {"id": ref.strip()}
    raise InputError(
        f"side {side} is empty", hint="paste its text, or give the id or URL of a stored article"
    )


def form_article(text: str, fields: dict[str, str]) -> dict:
    """Return a text ref from pasted ``text`` and form ``fields`` (outlet, title, url, date).

    Header lines opening the text are read as ``newstrace compare`` reads a
    .txt file's; a non-empty form field wins over its header line.
    """
    meta, body = split_headers(text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff"))
    given = {
        ("published" if k == "date" else k): v.strip() for k, v in fields.items() if v and v.strip()
    }
    if "published" in given:
        given["published"] = date_value(given["published"])
    return {"text": body, **meta, **given}


@router.get("/articles/{article_id:path}", response_class=HTMLResponse)
def article_page(request: Request, article_id: str, lib: Lib) -> Response:
    """One stored article: metadata, text, and its story."""
    art = lib.article(article_id)
    paragraphs = [p for p in art["text"].split("\n\n") if p.strip()]
    return render(
        request,
        "article.html",
        title=art.get("title") or article_id,
        article=art,
        paragraphs=paragraphs,
    )
