"""Story list facets and filters, and downloads, on the page and in the API (SQLite).

tests/store/test_postgres_web.py checks the same routes answer alike over PostgreSQL.
"""

from __future__ import annotations

import csv
import html as htmllib
import io
import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from newstrace.pipeline import Corpus
from newstrace.report import tables
from newstrace.store import open_store
from newstrace.web import facetview, pages

V1 = "/api/v1"
EVIL = "<img src=x onerror=alert(2)>"
FILTER_SETS = [
    {},
    {"language": "en"},
    {"outlet": "Kestrel Wire"},
    {"since": "2026-03-01"},
    {"q": "Marlow"},
    {"outlet": EVIL, "since": "2026-03-01", "until": "2026-03-31"},
]


def hrefs(page: str, css_class: str) -> list[tuple[str, str, int]]:
    """Return (href, label, count) of each facet link on ``page`` with ``css_class``."""
    found = re.findall(
        rf'<a class="{css_class}" href="([^"]+)">([^<]*)</a> <span class="count">(\d+)</span>', page
    )
    return [(htmllib.unescape(h), htmllib.unescape(t), int(n)) for h, t, n in found]


def query(href: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(href).query).items()}


# -- facets in the API ----------------------------------------------------------------


@pytest.mark.parametrize("params", FILTER_SETS, ids=lambda p: ",".join(p) or "none")
def test_api_facet_counts_are_the_totals_their_filters_list(client, params):
    body = client.get(f"{V1}/stories/facets", params=params).json()
    assert body["total"] == client.get(f"{V1}/stories", params=params).json()["total"]
    assert body["filters"] == {("query" if k == "q" else k): v for k, v in params.items()}
    checked = 0
    for kind in ("outlet", "language"):
        for v in body["facets"][kind]["values"]:
            narrowed = {**params, kind: v["value"]}
            assert client.get(f"{V1}/stories", params=narrowed).json()["total"] == v["count"]
            checked += 1
    for v in body["facets"]["published"]["values"]:
        narrowed = {**params, "since": v["since"], "until": v["until"]}
        assert client.get(f"{V1}/stories", params=narrowed).json()["total"] == v["count"]
        checked += 1
    assert checked >= 3


def test_api_facets_shape(client):
    body = client.get(f"{V1}/stories/facets").json()
    outlets = {v["value"]: v["count"] for v in body["facets"]["outlet"]["values"]}
    assert outlets == {EVIL: 1, "Ansel Gazette": 1, "Daily Lantern": 1, "Evening Post": 1,
                       "Kestrel Wire": 1}  # fmt: skip
    assert body["facets"]["language"]["values"] == [{"value": "en", "count": 2}]
    pub = body["facets"]["published"]
    assert pub["unit"] == "month" and [v["value"] for v in pub["values"]] == ["2026-02", "2026-03"]
    assert pub["values"][0]["since"] == "2026-02-01" and pub["values"][0]["until"] == "2026-02-28"


@pytest.mark.parametrize(
    "params", [{"since": "yesterday"}, {"limit": 0}, {"limit": 101}, {"min_articles": 0}]
)
def test_api_facets_refuse_bad_values(client, params):
    r = client.get(f"{V1}/stories/facets", params=params)
    assert r.status_code == 422 and r.json()["error"]["type"] == "ValidationError"


def test_openapi_documents_facets_and_export(client):
    paths = client.get(f"{V1}/openapi.json").json()["paths"]
    assert "/api/v1/stories/facets" in paths and "/api/v1/export" in paths
    names = {p["name"] for p in paths["/api/v1/export"]["get"]["parameters"]}
    assert {"what", "format", "story", "sort", "q", "outlet", "language", "since"} <= names


# -- facets and filters on the page ---------------------------------------------------


@pytest.mark.parametrize("params", FILTER_SETS, ids=lambda p: ",".join(p) or "none")
def test_page_facet_links_narrow_to_their_counts(client, params):
    page = client.get("/", params=params).text
    links = hrefs(page, "facet-value")
    assert links, "no facet links"
    for href, label, count in links:
        target = query(href)
        for key, value in params.items():  # every other filter is kept
            if key not in ("outlet", "language", "since", "until"):
                assert target[key] == value, (href, key)
        narrowed = client.get("/" + href).text
        assert f'<p class="muted" id="total">{count} stor' in narrowed, (label, href)
        assert narrowed.count('<li class="card story-item">') == min(count, pages.PAGE_SIZE)


def test_selected_facet_and_active_filter_can_be_removed(client):
    page = client.get("/", params={"outlet": "Kestrel Wire", "language": "en", "sort": "recent"})
    html = page.text
    assert '<li class="selected"><b class="facet-value">Kestrel Wire</b>' in html
    removes = [htmllib.unescape(h) for h in re.findall(r'<a class="remove" href="([^"]+)"', html)]
    assert removes and all(query(h)["sort"] == "recent" for h in removes)
    dropped = [h for h in removes if "outlet" not in query(h)]
    assert dropped and all(query(h).get("language") == "en" for h in dropped)
    assert client.get("/" + dropped[0]).text.count('<li class="card story-item">') == 2
    clear = htmllib.unescape(re.search(r'<a class="clear-all" href="([^"]+)"', html).group(1))
    assert query(clear) == {"sort": "recent"}
    assert "Filtered by" not in client.get("/").text


def test_filters_survive_paging_sorting_and_search(client, monkeypatch):
    monkeypatch.setattr(pages, "PAGE_SIZE", 1)
    first = client.get("/", params={"language": "en", "sort": "recent"}).text
    nxt = htmllib.unescape(re.search(r'<a href="([^"]+)">next page', first).group(1))
    assert query(nxt) == {"language": "en", "sort": "recent", "page": "2"}
    second = client.get("/" + nxt).text
    prev = htmllib.unescape(re.search(r'<a href="([^"]+)">← previous page', second).group(1))
    assert query(prev) == {"language": "en", "sort": "recent", "page": "1"}
    titles = [re.search(r'class="story-title"[^>]*>([^<]+)', p).group(1) for p in (first, second)]
    assert len(set(titles)) == 2
    sorts = re.findall(r'<a href="(\?[^"]*sort=[^"]+)">', first)
    assert sorts and all(query(htmllib.unescape(s))["language"] == "en" for s in sorts)
    assert '<input type="hidden" name="language" value="en">' in first  # the search form keeps it


def test_hostile_outlet_is_escaped_in_facets_and_filters(client):
    html = client.get("/", params={"outlet": EVIL}).text
    assert "<img" not in html and "onerror=alert(2)>" not in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html
    assert "outlet=%3Cimg+src%3Dx+onerror%3Dalert%282%29%3E" in html  # links encode it
    assert '<li class="selected"><b class="facet-value">&lt;img src=x' in html


def test_empty_filtered_list_offers_to_clear(client):
    html = client.get("/", params={"q": "no-such-words-anywhere"}).text
    assert "No story matches these filters" in html and "clear-all" in html


# -- downloads --------------------------------------------------------------------------


def corpus_rows(db: str, what: str, story_ids=None, **filters) -> list[dict]:
    """The rows ``newstrace export`` writes, as strings (what CSV and JSON carry)."""
    with Corpus(db) as corpus:
        return list(corpus.export_rows(what, story_ids, **filters))


def as_csv_strings(rows: list[dict], what: str) -> list[dict]:
    cols = tables_columns(what)
    return [{c: "" if r.get(c) is None else str(r.get(c)) for c in cols} for r in rows]


def tables_columns(what: str):
    from newstrace.stories.export import COLUMNS

    return COLUMNS[what]


@pytest.mark.parametrize("what", ["stories", "articles", "edges"])
def test_csv_download_matches_the_store(client, db, what):
    r = client.get(f"{V1}/export", params={"what": what, "format": "csv"})
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/csv; charset=utf-8"
    assert r.headers["content-disposition"] == f'attachment; filename="newstrace-{what}.csv"'
    rows = list(csv.DictReader(io.StringIO(r.text)))
    want = as_csv_strings(corpus_rows(db, what), what)
    assert rows == want and rows


def test_jsonl_download_of_one_story(client, db, flood_story):
    sid = flood_story["id"]
    r = client.get(f"{V1}/export", params={"what": "edges", "format": "jsonl", "story": sid})
    assert r.headers["content-type"] == "application/x-ndjson"
    assert r.headers["content-disposition"] == (
        f'attachment; filename="newstrace-{sid}-edges.jsonl"'
    )
    rows = [json.loads(line) for line in r.text.splitlines()]
    assert rows == corpus_rows(db, "edges", [sid]) and len(rows) >= 3
    assert {row["story_id"] for row in rows} == {sid}


def test_download_honours_the_filters_and_sort(client, db):
    params = {"what": "articles", "format": "jsonl", "outlet": "Ansel Gazette"}
    rows = [json.loads(x) for x in client.get(f"{V1}/export", params=params).text.splitlines()]
    assert [r["article_id"] for r in rows] == ["solo-5"]
    late = {
        "id": "late-6",
        "text": "The Port Ansel ferry ran late all week, the operator said.",
        "outlet": "Ansel Gazette",
        "published": "2026-04-01T09:00:00+00:00",
        "language": "en",
    }
    assert client.post(f"{V1}/articles", json=late).status_code == 200
    recent = client.get(f"{V1}/export", params={"what": "stories", "sort": "recent"}).text
    ids = [r["story_id"] for r in csv.DictReader(io.StringIO(recent))]
    assert ids == [r["story_id"] for r in corpus_rows(db, "stories", sort="recent")]
    assert ids != [r["story_id"] for r in corpus_rows(db, "stories")]  # the sort changed it


def test_parquet_download_parses(client, db):
    pq = pytest.importorskip("pyarrow.parquet")
    r = client.get(f"{V1}/export", params={"what": "articles", "format": "parquet"})
    assert r.headers["content-type"] == "application/vnd.apache.parquet"
    table = pq.read_table(io.BytesIO(r.content))
    assert table.to_pylist() == corpus_rows(db, "articles")


def test_download_does_not_compute_sentence_analyses(client, db, flood_story):
    r = client.get(f"{V1}/export", params={"what": "edges", "story": flood_story["id"]})
    pairs = [(row["Source"], row["Target"]) for row in csv.DictReader(io.StringIO(r.text))]
    with open_store(db) as store:
        assert pairs and store.analyses_for(pairs) == {}


@pytest.mark.parametrize(
    ("params", "status", "kind"),
    [
        ({"story": "s-none"}, 404, "NotFound"),
        ({"format": "xlsx"}, 422, "ValidationError"),
        ({"what": "people"}, 422, "ValidationError"),
        ({"since": "2026-02-30"}, 422, "ValidationError"),
    ],
)
def test_bad_downloads_are_refused_before_streaming(client, params, status, kind):
    r = client.get(f"{V1}/export", params=params)
    assert r.status_code == status and r.json()["error"]["type"] == kind


def test_parquet_without_pyarrow_is_a_clear_error(client, monkeypatch):
    monkeypatch.setattr(tables, "_pyarrow", _no_pyarrow)
    r = client.get(f"{V1}/export", params={"format": "parquet"})
    assert r.status_code >= 400 and "pip install" in (r.json()["error"]["hint"] or "")


def _no_pyarrow():
    from newstrace.errors import MissingExtra

    raise MissingExtra("Parquet export", "parquet", "pyarrow")


def test_download_streams_in_chunks():
    rows = [{"a": i, "b": f"row {i}"} for i in range(450)]
    chunks = list(tables.iter_chunks(iter(rows), ["a", "b"], "csv", batch=200))
    assert len(chunks) == 3
    out = io.BytesIO()
    assert tables.write_rows(rows, ["a", "b"], "csv", out) == 450
    assert b"".join(chunks) == out.getvalue()
    assert list(tables.iter_chunks(iter([]), ["a"], "csv")) == [b"a\r\n"]  # the header alone


class _WriteOnly:
    """A binary stream with write() alone, as click's test runner wraps stdout."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.parts.append(data)
        return len(data)


def test_write_rows_needs_only_write():
    out = _WriteOnly()
    assert tables.write_rows([{"a": 1}, {"a": 2}], ["a"], "jsonl", out) == 2
    assert b"".join(out.parts) == b'{"a": 1}\n{"a": 2}\n'


def test_streamed_response_has_no_length(client):
    r = client.get(f"{V1}/export", params={"what": "articles"})
    assert "content-length" not in r.headers


def test_page_download_links(client, flood_story, monkeypatch):
    page = client.get("/", params={"language": "en", "sort": "recent"}).text
    links = [htmllib.unescape(h) for h in re.findall(r'href="(/api/v1/export[^"]+)"', page)]
    assert len(links) == 9  # stories, articles, edges x CSV, JSONL, Parquet
    for link in links:
        assert query(link)["language"] == "en" and query(link)["sort"] == "recent"
        assert client.get(link).status_code == 200
    story = client.get(f"/stories/{flood_story['id']}").text
    links = [htmllib.unescape(h) for h in re.findall(r'href="(/api/v1/export[^"]+)"', story)]
    assert {query(h)["what"] for h in links} == {"articles", "edges"}
    assert all(query(h)["story"] == flood_story["id"] for h in links)
    monkeypatch.setattr(facetview, "parquet_available", lambda: False)
    assert "format=parquet" not in client.get("/").text
