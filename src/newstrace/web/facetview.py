"""The story list page's links: facets, active filters, sorts, pages and downloads.

Pure functions from the filters of a request (as ``routes_api.story_filters``
reads them) to the hrefs the template shows. Every link keeps every filter
and the sort unless it changes one; values are URL-encoded here and
HTML-escaped by the template.
"""

from __future__ import annotations

import importlib.util
from urllib.parse import urlencode

from .. import listing
from ..report.tables import FORMATS
from ..stories.export import KINDS

# Filter key (as Corpus.stories takes it) -> URL parameter.
PARAMS = {name: ("q" if name == "query" else name) for name in listing.STORY_FILTERS}
SORT_LABELS = {"size": "size", "sources": "independent sources", "recent": "recency"}
SORTS = tuple((key, SORT_LABELS[key]) for key in listing.SORTS)  # the names: newstrace.listing
FACET_TITLES = {"outlet": "Outlet", "language": "Language", "published": "Published"}
SHOWN = 6  # facet values shown before "more"
FORMAT_LABELS = {"csv": "CSV", "jsonl": "JSONL", "parquet": "Parquet"}


def url_params(filters: dict) -> dict[str, str]:
    """Return the URL parameters of the filters that are set (min_articles only above 1)."""
    out = {}
    for key, param in PARAMS.items():
        value = filters.get(key)
        if value is None or value == "" or (key == "min_articles" and value == 1):
            continue
        out[param] = str(value)
    return out


def href(params: dict, **changes) -> str:
    """Return ``?query`` of ``params`` with ``changes`` applied (a None change removes the key)."""
    merged = {**params, **changes}
    return "?" + urlencode({k: v for k, v in merged.items() if v is not None})


def list_links(filters: dict, sort: str, page: int, has_next: bool) -> dict:
    """Return the sort links, the previous/next page links and the search form's hidden fields."""
    params = url_params(filters)
    keep = {**params, "sort": sort}
    return {
        "sort_links": {key: href(params, sort=key) for key, _ in SORTS},
        "prev_link": href(keep, page=page - 1) if page > 1 else None,
        "next_link": href(keep, page=page + 1) if has_next else None,
        "hidden": [(k, v) for k, v in keep.items() if k != "q"],
    }


def active_filters(filters: dict, sort: str) -> list[dict]:
    """Return one ``{"label", "value", "remove"}`` per filter set, its link dropping it."""
    params = {**url_params(filters), "sort": sort}
    chips = []
    labels = {
        "q": "words",
        "outlet": "outlet",
        "language": "language",
        "min_articles": "min articles",
    }
    for param, label in labels.items():
        if param in params:
            remove = href(params, **{param: None})
            chips.append({"label": label, "value": params[param], "remove": remove})
    since, until = params.get("since"), params.get("until")
    if since or until:
        value = f"{since} to {until}" if since and until else (since or until)
        label = "published" if since and until else ("since" if since else "until")
        chips.append(
            {"label": label, "value": value, "remove": href(params, since=None, until=None)}
        )
    return chips


def facet_boxes(filters: dict, sort: str, facets: dict) -> list[dict]:
    """Return the facets to show: title, values (label, count, href, selected), and the rest."""
    params = {**url_params(filters), "sort": sort}
    boxes = []
    for name in ("outlet", "language"):
        values = [_value(v["value"], v["count"], params, name) for v in facets[name]["values"]]
        boxes.append(_box(name, values, facets[name]["truncated"]))
    pub = facets["published"]
    dates = []
    for v in pub["values"]:
        picked = params.get("since") == v["since"] and params.get("until") == v["until"]
        dates.append(
            {
                "label": v["value"],
                "count": v["count"],
                "selected": picked,
                "href": href(params, since=None, until=None)
                if picked
                else href(params, since=v["since"], until=v["until"]),
            }
        )
    box = _box("published", dates, pub["truncated"])
    box["unit"] = pub.get("unit")
    boxes.append(box)
    return boxes


def _value(value: str, count: int, params: dict, name: str) -> dict:
    picked = params.get(name) == value
    link = href(params, **{name: None}) if picked else href(params, **{name: value})
    return {"label": value, "count": count, "selected": picked, "href": link}


def _box(name: str, values: list[dict], truncated: bool) -> dict:
    # The store puts a selected outlet or language first, so it shows among the first SHOWN.
    return {
        "name": name,
        "title": FACET_TITLES[name],
        "values": values[:SHOWN],
        "more": values[SHOWN:],
        "truncated": truncated,
    }


def parquet_available() -> bool:
    """Return True when pyarrow is installed (Parquet downloads are offered only then)."""
    return importlib.util.find_spec("pyarrow") is not None


def download_links(filters: dict, sort: str, story_id: str | None = None) -> list[dict]:
    """Return ``{"what", "links": [{"label", "href"}]}`` per kind of row, for /api/v1/export.

    The list's downloads keep its filters and sort; a story's are that story's rows.
    """
    scope = {"story": story_id} if story_id else {**url_params(filters), "sort": sort}
    formats = [f for f in FORMATS if f != "parquet" or parquet_available()]
    kinds = [k for k in KINDS if not story_id or k != "stories"]
    return [
        {"what": what, "links": [_export_link(what, f, scope) for f in formats]} for what in kinds
    ]


def _export_link(what: str, fmt: str, scope: dict) -> dict:
    query = href({"what": what, "format": fmt, **scope})
    return {"label": FORMAT_LABELS[fmt], "href": f"/api/v1/export{query}"}
