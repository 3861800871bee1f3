"""The web app and ``newstrace serve`` over a PostgreSQL store answer as they do over SQLite."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time

import pytest

pytest.importorskip("fastapi")
httpx = pytest.importorskip("httpx")

from fastapi.testclient import TestClient
from web.conftest import ARTICLES, TOKEN, build_store, write_jsonl

from newstrace.web import create_app

from .test_postgres_pipeline import _env

pytestmark = pytest.mark.postgres


def _api(client: TestClient) -> dict:
    """Return what the API says about the corpus: stories, each story, each article."""
    page = client.get("/api/v1/stories", params={"sort": "size", "limit": 100}).json()
    out = {"page": page, "stories": {}, "articles": {}}
    for item in page["items"]:
        out["stories"][item["id"]] = client.get(f"/api/v1/stories/{item['id']}").json()
    for params in ({}, {"outlet": "Kestrel Wire"}, {"since": "2026-03-01", "language": "en"}):
        key = json.dumps(params, sort_keys=True)
        out.setdefault("facets", {})[key] = client.get(
            "/api/v1/stories/facets", params=params
        ).json()
    for what in ("stories", "articles", "edges"):
        r = client.get("/api/v1/export", params={"what": what, "format": "jsonl"})
        assert r.status_code == 200, r.text
        out.setdefault("exports", {})[what] = [json.loads(x) for x in r.text.splitlines()]
    for art in ARTICLES:
        body = client.get(f"/api/v1/articles/{art.id}").json()
        body.pop("added_at", None)  # the wall-clock time of the ingest
        out["articles"][art.id] = body
    return out


def test_api_and_pages_match_sqlite(tmp_path, pg_url):
    source = write_jsonl(tmp_path / "flood.jsonl")
    sqlite_db = str(build_store(tmp_path / "flood.db", [source]))
    build_store(pg_url, [source])
    with (
        TestClient(create_app(sqlite_db)) as lite,
        TestClient(create_app(pg_url, token=TOKEN)) as pg,
    ):
        want, got = _api(lite), _api(pg)
        assert got["page"]["total"] == 2 and got == want
        assert len(got["exports"]["articles"]) == len(ARTICLES) and got["exports"]["edges"]
        assert got["facets"]["{}"]["facets"]["published"]["unit"] == "month"
        flood = got["page"]["items"][0]["id"]
        page = pg.get(f"/stories/{flood}")
        assert page.status_code == 200 and "Kestrel Wire" in page.text
        assert pg.get("/", params={"q": "Marlow"}).status_code == 200
        facet_page = pg.get("/", params={"outlet": "Kestrel Wire", "since": "2026-03-01"})
        assert facet_page.status_code == 200 and 'class="facet-value"' in facet_page.text
        assert pg.get("/stories/s-none").status_code == 404
        new = {
            "id": "late-6",
            "text": "Teal River water fell overnight in Marlow, officials said, "
            "and families began to return.",
            "title": "Marlow floods recede",
            "outlet": "Evening Post",
        }
        posted = pg.post(
            "/api/v1/articles", json=[new], headers={"Authorization": f"Bearer {TOKEN}"}
        )
        assert posted.status_code == 200, posted.text
        assert pg.get("/api/v1/articles/late-6").json()["title"] == "Marlow floods recede"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_newstrace_serve_over_postgresql(tmp_path, pg_url):
    build_store(pg_url, [write_jsonl(tmp_path / "flood.jsonl")])
    port = _free_port()
    cmd = [sys.executable, "-m", "newstrace", "serve", "--db", pg_url, "--port", str(port)]
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=_env()
    )
    try:
        stories = _get_when_up(f"http://127.0.0.1:{port}/api/v1/stories", proc)
        assert stories["total"] == 2
        home = httpx.get(f"http://127.0.0.1:{port}/", timeout=10)
        assert home.status_code == 200 and stories["items"][0]["title"] in home.text
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def _get_when_up(url: str, proc: subprocess.Popen, within: float = 60) -> dict:
    deadline = time.time() + within
    while time.time() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"newstrace serve exited {proc.returncode}: {proc.stderr.read()[-2000:]}")
        try:
            return httpx.get(url, timeout=5).json()
        except httpx.TransportError:
            time.sleep(0.2)
    pytest.fail(f"newstrace serve did not answer within {within} s")


def test_facet_links_and_downloads_over_postgresql(tmp_path, pg_url):
    import csv
    import io

    from web.test_facets_export import as_csv_strings, corpus_rows, hrefs

    build_store(pg_url, [write_jsonl(tmp_path / "flood.jsonl")])
    with TestClient(create_app(pg_url)) as pg:
        for params in ({}, {"language": "en"}, {"since": "2026-03-01", "until": "2026-03-31"}):
            links = hrefs(pg.get("/", params=params).text, "facet-value")
            assert links
            for href, label, count in links:
                narrowed = pg.get("/" + href).text
                assert f'<p class="muted" id="total">{count} stor' in narrowed, (label, href)
        r = pg.get("/api/v1/export", params={"what": "articles", "language": "en"})
        assert r.headers["content-type"] == "text/csv; charset=utf-8"
        rows = list(csv.DictReader(io.StringIO(r.text)))
    assert rows == as_csv_strings(corpus_rows(pg_url, "articles", language="en"), "articles")
