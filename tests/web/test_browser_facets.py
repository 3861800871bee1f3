# ruff: noqa: F811 - the fixtures imported from test_browser are test arguments here
"""Facets, filters and downloads in headless Chromium (Playwright), over a live server.

The same store as test_browser.py (the example corpus plus the flood fixtures);
downloads are read back and checked against ``Corpus.export_rows`` on the
store the server reads. Screenshots go where test_browser.py puts them.
"""

from __future__ import annotations

import csv
import io
import json
import re
import threading
import time
from urllib.parse import parse_qs, urlsplit

import pytest

from .test_browser import (  # noqa: F401 - fixtures used by name
    browser,
    free_port,
    no_overflow,
    page,
    pytestmark,
    shots,
    snap,
)


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """Yield (base URL, store path) of a live server over the example corpus and flood fixtures."""
    import uvicorn

    from newstrace.web import create_app

    from .conftest import build_store, corpus_dir, write_jsonl

    root = tmp_path_factory.mktemp("browser-facets")
    db = str(build_store(root / "f.db", [str(corpus_dir()), write_jsonl(root / "flood.jsonl")]))
    port = free_port()
    srv = uvicorn.Server(
        uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.started, "the server did not start"
    yield f"http://127.0.0.1:{port}", db
    srv.should_exit = True
    thread.join(timeout=10)


def rows_shown(pg) -> int:
    return pg.locator("ol.story-list > li.story-item").count()


def total_shown(pg) -> int:
    return int(re.match(r"\d+", pg.locator("#total").inner_text()).group())


def facet_entries(pg, name: str) -> list[tuple[str, int]]:
    """Return (label, count) of each unselected value link in facet ``name``."""
    items = pg.locator(f'section.facet[data-facet="{name}"] li:not(.selected)')
    out = []
    for i in range(items.count()):
        li = items.nth(i)
        if li.is_visible():
            out.append(
                (li.locator("a.facet-value").inner_text(), int(li.locator(".count").inner_text()))
            )
    return out


def click_facet(pg, name: str, label: str) -> None:
    link = pg.locator(f'section.facet[data-facet="{name}"] a.facet-value', has_text=label).first
    with pg.expect_navigation():
        link.click()


def test_clicking_facets_narrows_the_list_to_their_counts(live, page, shots):
    base, _ = live
    page.goto(f"{base}/")
    everything = total_shown(page)
    assert everything == rows_shown(page) == 4
    outlets = facet_entries(page, "outlet")
    assert outlets[0] == ("Valley Herald", 2) and ("<img src=x onerror=alert(2)>", 1) in outlets
    assert ("Kestrel Wire", 1) not in outlets  # folded under "more"
    page.locator('section.facet[data-facet="outlet"] details summary').click()
    assert ("Kestrel Wire", 1) in facet_entries(page, "outlet")
    click_facet(page, "outlet", "Valley Herald")
    assert total_shown(page) == rows_shown(page) == 2
    assert page.locator(".filter-chip", has_text="Valley Herald").is_visible()
    # Within Valley Herald's stories, each date bucket lists as many rows as its count says.
    for label, count in facet_entries(page, "published"):
        here = page.url
        click_facet(page, "published", label)
        assert total_shown(page) == rows_shown(page) == count, label
        assert "outlet=Valley+Herald" in page.url  # the outlet filter is kept
        page.goto(here)
    language, count = facet_entries(page, "language")[0]
    click_facet(page, "language", language)
    assert total_shown(page) == rows_shown(page) == count
    no_overflow(page)
    page.evaluate("window.scrollTo(0, 0)")
    snap(page, shots, "stories-filtered")
    with page.expect_navigation():
        page.locator('.filter-chip[data-filter="outlet"] a.remove').click()
    assert "outlet" not in parse_qs(urlsplit(page.url).query)
    assert f"language={language}" in page.url
    with page.expect_navigation():
        page.locator("a.clear-all").click()
    assert total_shown(page) == rows_shown(page) == everything


def test_sorting_and_searching_keep_the_filters(live, page):
    base, _ = live
    page.goto(f"{base}/?language=en")
    with page.expect_navigation():
        page.locator(".sorts a", has_text="recency").click()
    assert parse_qs(urlsplit(page.url).query) == {"language": ["en"], "sort": ["recent"]}
    page.fill("input[name=q]", "Bridge")
    with page.expect_navigation():
        page.click("form.search button")
    got = parse_qs(urlsplit(page.url).query)
    assert got["language"] == ["en"] and got["sort"] == ["recent"] and got["q"] == ["Bridge"]
    assert total_shown(page) == rows_shown(page) == 2
    assert not page.problems, page.problems


def download(pg, selector: str) -> tuple[str, bytes]:
    """Click the download link ``selector``; return (suggested file name, content)."""
    with pg.expect_download() as info:
        pg.locator(selector).first.click()
    d = info.value
    with open(d.path(), "rb") as fh:
        return d.suggested_filename, fh.read()


def test_list_download_parses_and_matches_the_store(live, page):
    from newstrace.pipeline import Corpus

    base, db = live
    page.goto(f"{base}/?outlet=Valley+Herald&sort=recent")
    name, body = download(page, 'a[data-what="articles"][data-format="CSV"]')
    assert name == "newstrace-articles.csv"
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8"))))
    with Corpus(db) as corpus:
        want = list(corpus.export_rows("articles", sort="recent", outlet="Valley Herald"))
    assert rows == [{k: "" if v is None else str(v) for k, v in r.items()} for r in want]
    assert len(rows) == 7  # the bridge story's 6 articles and Port Elan's 1
    assert not page.problems, page.problems


def test_story_download_parses_and_matches_the_store(live, page, shots):
    import httpx

    from newstrace.pipeline import Corpus

    base, db = live
    sid = httpx.get(f"{base}/api/v1/stories", params={"q": "Velmora"}).json()["items"][0]["id"]
    page.goto(f"{base}/stories/{sid}", timeout=120_000)
    assert page.locator("#downloads").is_visible()
    page.screenshot(path=str(shots / f"story-downloads-{page.size_name}.png"))
    name, body = download(page, 'a[data-what="edges"][data-format="JSONL"]')
    assert name == f"newstrace-{sid}-edges.jsonl"
    rows = [json.loads(line) for line in body.decode("utf-8").splitlines()]
    with Corpus(db) as corpus:
        assert rows == list(corpus.export_rows("edges", [sid]))
        drawn = httpx.get(f"{base}/api/v1/stories/{sid}").json()["edges"]
    # every edge of the story, and only its own (the example story has 4: 3 derived, 1 undetermined)
    assert len(rows) == len(drawn) >= 4 and {r["story_id"] for r in rows} == {sid}
    assert page.locator('a[data-what="stories"]').count() == 0  # a story offers its rows only
    assert not page.problems, page.problems
