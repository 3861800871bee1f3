"""Server-rendered pages: content, escaping of hostile article data, form flow, errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import newstrace.web

TEMPLATES = Path(newstrace.web.__file__).parent / "templates"
STATIC = Path(newstrace.web.__file__).parent / "static"


def test_story_list(client):
    html = client.get("/").text
    assert "Floods force Marlow families out" in html
    assert "1 independent source behind 4 articles" in html
    assert 'href="?sort=sources"' in html and 'href="?sort=recent"' in html


def test_story_list_search_and_sort(client):
    html = client.get("/", params={"q": "library", "sort": "recent"}).text
    assert "Port Ansel opens a library" in html and "Marlow" not in html
    assert "1 story matching" in html


def test_story_list_bad_sort_is_an_html_422(client):
    r = client.get("/", params={"sort": "nope"})
    assert r.status_code == 422 and r.headers["content-type"].startswith("text/html")


def test_story_page_has_graph_timeline_and_count(client, flood_story):
    html = client.get(f"/stories/{flood_story['id']}").text
    assert '<svg class="graph' in html and 'id="provenance-graph"' in html
    assert html.count('class="node-box') >= 4 and "<path class=\"edge-line" in html
    assert '<ol class="timeline">' in html and "+1 h 10 min" in html
    assert "1 independent source behind 4 articles" in html
    assert 'href="/pair?a=wire-1&amp;b=post-2"' in html


def test_pair_page_has_legend_drift_marks_and_lists(client):
    html = client.get("/pair", params={"a": "wire-1", "b": "post-2"}).text
    assert 'id="legend"' in html and "verbatim copy" in html
    assert re.search(r'<mark class="drift" tabindex="0" data-tip="[^"]+"', html)
    assert 'data-links="b-0"' in html  # A0 is linked to B0
    assert 'id="omissions"' in html and 'id="additions"' in html


def test_pair_page_unknown_article_is_an_html_404(client):
    r = client.get("/pair", params={"a": "wire-1", "b": "missing"})
    assert r.status_code == 404 and "no stored article" in r.text


def test_compare_form_and_text_submission(client):
    assert 'name="a_text"' in client.get("/compare").text
    r = client.post("/compare", data={"a_text": "Up to 300 people were hurt, officials said.",
                                      "b_text": "More than 300 people were hurt, officials said."})
    assert r.status_code == 200 and '<mark class="drift' in r.text


def test_compare_form_with_stored_refs_redirects_to_the_pair_page(client):
    r = client.post("/compare", data={"a_ref": "https://kestrel.example/marlow-floods",
                                      "b_ref": "post-2"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/pair?a=wire-1&b=post-2"


def test_compare_form_empty_side_is_an_html_400(client):
    r = client.post("/compare", data={"a_text": "Some text here."})
    assert r.status_code == 400 and "side B is empty" in r.text


def test_article_page(client):
    html = client.get("/articles/post-2").text
    assert "Over 300 families flee Marlow floods" in html and "Its story" in html


def test_unknown_page_is_an_html_404(client):
    r = client.get("/no/such/page")
    assert r.status_code == 404 and "<!doctype html>" in r.text


@pytest.mark.parametrize("path", ["/", "/stories/{story}", "/articles/evil-4",
                                  "/pair?a=wire-1&b=evil-4"])
def test_hostile_article_data_is_escaped(client, flood_story, path):
    html = client.get(path.format(story=flood_story["id"])).text
    for raw in ("<script>alert", "<img src=x", "onerror=alert(1)>"):
        assert raw not in html
    assert "&lt;script&gt;" in html or "&lt;img src=x" in html
    assert 'href="javascript:' not in html


def test_only_one_script_and_it_is_a_file(client, flood_story):
    for path in ("/", f"/stories/{flood_story['id']}", "/pair?a=wire-1&b=post-2", "/compare"):
        html = client.get(path).text
        assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/app.js" defer>']
        assert " style=" not in html and "<style" not in html  # the CSP forbids both


def test_templates_never_mark_data_safe():
    for path in TEMPLATES.glob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "|safe" not in text.replace(" ", "") and "Markup" not in text, path.name
        assert "autoescape false" not in text, path.name


def test_static_files_are_served_and_use_no_network():
    for path in STATIC.iterdir():
        text = path.read_text(encoding="utf-8")
        assert "http://" not in text and "https://" not in text and "@import" not in text
        assert "innerHTML" not in text and "eval(" not in text
