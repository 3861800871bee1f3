"""The pages in headless Debian Chromium, driven by Playwright, over a live server.

A uvicorn server on a free loopback port serves a store holding the bundled
example corpus plus the flood fixtures (one article carries script and
onerror markup in its text, title and outlet). Each page is checked for what
a reader must see, and screenshots are taken at desktop and phone width:
to ``docs/screenshots/`` with ``NEWSTRACE_SCREENSHOTS=1``, else to a temp dir.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import pytest

from .graph_geometry import GEOMETRY, problems

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SIZES = {"desktop": (1280, 900), "phone": (390, 844)}
DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="needs playwright (pip install playwright)"
)
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM),
        reason="needs Debian chromium at /usr/bin/chromium (apt-get install chromium)",
    ),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """Yield the base URL of a live server over the example corpus plus the flood fixtures."""
    import uvicorn

    from newstrace.web import create_app

    from .conftest import build_store, corpus_dir, write_jsonl

    root = tmp_path_factory.mktemp("browser")
    db = build_store(root / "b.db", [str(corpus_dir()), write_jsonl(root / "flood.jsonl")])
    port = free_port()
    srv = uvicorn.Server(
        uvicorn.Config(create_app(str(db)), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.started, "the server did not start"
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    if os.environ.get("NEWSTRACE_SCREENSHOTS"):
        DOCS.mkdir(parents=True, exist_ok=True)
        return DOCS
    return tmp_path_factory.mktemp("screenshots")


@pytest.fixture(params=list(SIZES))
def page(request, browser):
    """A fresh page at one width that fails the test on any dialog or script error."""
    width, height = SIZES[request.param]
    ctx = browser.new_context(viewport={"width": width, "height": height})
    pg = ctx.new_page()
    pg.size_name = request.param
    pg.problems = []
    pg.on("dialog", lambda d: (pg.problems.append(f"dialog: {d.message}"), d.dismiss()))
    pg.on("pageerror", lambda e: pg.problems.append(f"page error: {e}"))
    pg.on("console", lambda m: m.type == "error" and pg.problems.append(f"console: {m.text}"))
    yield pg
    ctx.close()


def main_story(base: str) -> dict:
    import httpx

    items = httpx.get(f"{base}/api/v1/stories", params={"q": "Velmora"}).json()["items"]
    # The first view of a story computes each edge's sentence analysis (then cached): allow for it.
    return httpx.get(f"{base}/api/v1/stories/{items[0]['id']}", timeout=120).json()


def drift_pair(base: str, story: dict) -> tuple[str, str]:
    """Return (source, target) of the first story edge whose pair page marks drift."""
    import httpx

    for e in story["edges"]:
        html = httpx.get(
            f"{base}/pair", params={"a": e["source"], "b": e["target"]}, timeout=60
        ).text
        if '<mark class="drift' in html:
            return e["source"], e["target"]
    pytest.fail("no pair in the example story shows drift")


def snap(page, shots: Path, name: str) -> None:
    page.screenshot(path=str(shots / f"{name}-{page.size_name}.png"), full_page=True)
    assert not page.problems, page.problems


def no_overflow(page) -> None:
    """Assert the page does not scroll sideways (a wide graph scrolls inside its own box)."""
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_story_list(server, page, shots):
    page.goto(f"{server}/")
    assert page.locator("a.story-title", has_text="Velmora closes Harbour Bridge").is_visible()
    assert page.get_by_text("1 independent source behind 6 articles").first.is_visible()
    page.fill("input[name=q]", "Port Elan")
    page.click("form.search button")
    assert page.locator("a.story-title").count() == 1
    page.goto(f"{server}/")
    no_overflow(page)
    snap(page, shots, "stories")


def test_story_page_graph_and_timeline(server, page, shots):
    story = main_story(server)
    page.goto(f"{server}/stories/{story['id']}")
    graph = page.locator("svg.graph:visible")  # the desktop or the phone drawing
    assert graph.count() == 1 and graph.bounding_box()["height"] > 100
    assert graph.locator(".node-box").count() == len(story["articles"])
    assert graph.locator(".node-box.origin").count() == len(story["origins"])
    assert graph.locator(".edge-link").count() == len(story["edges"])
    found = problems(page.evaluate(GEOMETRY))  # no label overlaps, no line crosses one
    assert not found, found
    assert page.locator("#sources-count").inner_text() == "1 independent source behind 6 articles"
    assert page.locator(".timeline li").count() == len(story["articles"])
    no_overflow(page)
    snap(page, shots, "story")


def test_pair_page_legend_and_drift(server, page, shots):
    a, b = drift_pair(server, main_story(server))
    page.goto(f"{server}/pair?a={a}&b={b}")
    assert page.locator("#legend").is_visible()
    mark = page.locator(".cols mark.drift").first
    mark.scroll_into_view_if_needed()
    assert mark.is_visible()
    mark.click()  # a tap shows what changed
    assert page.locator("#tip").is_visible() and page.locator("#tip").inner_text()
    first = page.locator("#col-b .s[data-links]:not([data-links=''])").first
    first.click()
    linked = first.get_attribute("data-links").split()[0]
    assert "hl" in page.locator(f"#{linked}").get_attribute("class")
    page.locator("#tip").click()
    no_overflow(page)
    page.evaluate("window.scrollTo(0, 0)")
    snap(page, shots, "pair")


def test_compare_form(server, page, shots):
    page.goto(f"{server}/compare")
    snap(page, shots, "compare")
    page.fill(
        "#a_text",
        "Up to 300 families left their homes, officials said. Officials may extend the order.",
    )
    page.fill(
        "#b_text",
        "More than 300 families left their homes, officials said. Officials will extend the order.",
    )
    page.click("form.compare-form button")
    assert page.locator(".cols mark.drift").first.is_visible()
    assert not page.problems, page.problems


@pytest.mark.parametrize(
    "path", ["/articles/evil-4", "/pair?a=wire-1&b=evil-4", "/?q=alert", "/stories/{story}"]
)
def test_hostile_article_renders_inert(server, page, path):
    import httpx

    story = httpx.get(f"{server}/api/v1/articles/evil-4").json()["story_id"]
    page.goto(server + path.format(story=story))
    page.wait_for_timeout(300)  # give any injected handler time to fire
    assert page.locator("img").count() == 0
    assert page.locator("[onerror]").count() == 0
    assert page.locator("script:not([src])").count() == 0
    assert page.locator("body").inner_text().count("<") >= 1  # the markup shows as text
    assert not page.problems, page.problems


def test_csp_blocks_injected_inline_script(server, page):
    page.goto(f"{server}/")
    page.evaluate("""() => { const s = document.createElement('script');
        s.textContent = 'window.__ran = true'; document.body.appendChild(s); }""")
    assert page.evaluate("window.__ran === undefined")


def test_no_request_leaves_the_server(server, page):
    seen = []
    page.on("request", lambda r: seen.append(r.url))
    story = main_story(server)
    page.goto(f"{server}/stories/{story['id']}")
    page.goto(f"{server}/pair?a=wire-1&b=post-2")
    assert seen and all(u.startswith((server, "data:")) for u in seen), seen


def test_compare_form_with_metadata_gives_the_cli_direction(server, page, shots):
    import json

    from click.testing import CliRunner

    from newstrace.cli import main
    from newstrace.ingest.headers import split_headers

    here = Path(__file__).resolve().parents[1] / "fixtures" / "direction"
    files = [here / "library-gazette.txt", here / "library-council.txt"]  # the later copy first
    cli = json.loads(CliRunner().invoke(main, ["compare", *map(str, files), "--json"]).output)
    page.goto(f"{server}/compare")
    for side, path in zip("ab", files):
        meta, body = split_headers(path.read_text("utf-8"))
        page.fill(f"#{side}_text", body)
        page.fill(f"#{side}_outlet", meta["outlet"])
        page.fill(f"#{side}_title", meta["title"])
        page.fill(f"#{side}_url", meta["url"])
        page.fill(f"#{side}_date", meta["published"])
    snap(page, shots, "compare-metadata")
    page.click("form.compare-form button")
    line = page.locator(".direction-line").inner_text()
    assert cli["direction"]["source"] == "a" and cli["swapped"]
    assert line.startswith(f"source is {cli['direction']['source'].upper()}")
    assert ("inputs swapped" in page.locator("main").inner_text()) == cli["swapped"]
    assert cli["a"]["outlet"] in page.locator("#col-a h2").inner_text()
    assert not page.problems, page.problems
