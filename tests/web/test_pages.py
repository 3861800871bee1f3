"""Server-rendered pages: content, escaping of hostile article data, form flow, errors."""

from __future__ import annotations

import json
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
    assert html.count('class="node-box') >= 4 and '<path class="edge-line' in html
    assert '<ol class="timeline">' in html and "+1 h 10 min" in html
    assert "1 independent source behind 4 articles" in html
    assert 'href="/pair?a=wire-1&amp;b=post-2"' in html


def test_story_page_gives_each_analysed_edge_the_figures_compare_gives(client, flood_story):
    doc = client.get(f"/api/v1/stories/{flood_story['id']}").json()
    html = client.get(f"/stories/{flood_story['id']}").text
    shown = [e for e in doc["edges"] if e.get("measured")]
    assert shown  # the flood story's derivatives have their analyses
    for e in shown:
        m = e["measured"]
        assert m["coverage"] == e["analysis"]["coverage"]["b_from_a"]
        line = f"<b>{m['verdict'].replace('_', ' ')}</b> {m['coverage'] * 100:.0f}% of its text"
        assert line in html


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
    r = client.post(
        "/compare",
        data={
            "a_text": "Up to 300 people were hurt, officials said.",
            "b_text": "More than 300 people were hurt, officials said.",
        },
    )
    assert r.status_code == 200 and '<mark class="drift' in r.text


def test_compare_form_with_stored_refs_redirects_to_the_pair_page(client):
    r = client.post(
        "/compare",
        data={"a_ref": "https://kestrel.example/marlow-floods", "b_ref": "post-2"},
        follow_redirects=False,
    )
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


@pytest.mark.parametrize(
    "path", ["/", "/stories/{story}", "/articles/evil-4", "/pair?a=wire-1&b=evil-4"]
)
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


# --- the compare form's metadata (fixtures written for the direction tests) ---

_DIRECTION = Path(__file__).resolve().parents[1] / "fixtures" / "direction"


def _cli_direction(first: str, second: str) -> tuple[str, bool]:
    """Return (direction source, swapped) from ``newstrace compare --json`` on two fixture files."""
    from click.testing import CliRunner

    from newstrace.cli import main

    out = CliRunner().invoke(
        main, ["compare", str(_DIRECTION / first), str(_DIRECTION / second), "--json"]
    )
    assert out.exit_code == 0, out.output
    d = json.loads(out.output)
    return d["direction"]["source"], d["swapped"]


def _form_side(side: str, name: str) -> dict:
    """Return the form fields for one fixture: its body as text, its header lines as fields."""
    from newstrace.ingest.headers import split_headers

    meta, body = split_headers((_DIRECTION / name).read_text("utf-8"))
    return {
        f"{side}_text": body,
        f"{side}_outlet": meta["outlet"],
        f"{side}_title": meta["title"],
        f"{side}_url": meta["url"],
        f"{side}_date": meta["published"],
    }


def test_compare_form_has_metadata_fields(client):
    html = client.get("/compare").text
    for side in ("a", "b"):
        for field in ("outlet", "title", "url", "date"):
            assert f'name="{side}_{field}"' in html


def test_compare_form_metadata_gives_the_cli_direction(client):
    source, swapped = _cli_direction("library-gazette.txt", "library-council.txt")
    assert (source, swapped) == ("a", True)
    data = _form_side("a", "library-gazette.txt") | _form_side("b", "library-council.txt")
    html = client.post("/compare", data=data).text
    assert "source is A" in html and "inputs swapped" in html
    assert "Millbrook Town Hall News" in html.split("inputs swapped")[0]
    bare = client.post("/compare", data={"a_text": data["a_text"], "b_text": data["b_text"]}).text
    assert "common source" in bare and "inputs swapped" not in bare  # the fields did the work


def test_compare_form_reads_pasted_header_lines_as_the_cli_does(client):
    a = (
        (_DIRECTION / "library-gazette.txt")
        .read_text("utf-8")
        .replace("outlet: Babel Gazette", "outlet: Babel")
    )
    b = (_DIRECTION / "library-council.txt").read_text("utf-8")
    html = client.post("/compare", data={"a_text": a, "b_text": b}).text
    assert "source is A" in html and "inputs swapped" in html
    assert "outlet: Babel" not in html and "date: 2026" not in html  # header lines are not text
    assert "Meaning changes (0)" in html


def test_compare_form_field_wins_over_a_header_line(client):
    a = "outlet: Babel\ndate: 2026-03-09\n\n" + _form_side("a", "library-gazette.txt")["a_text"]
    data = {
        "a_text": a,
        "a_outlet": "Babel Gazette",
        "a_date": "4 March 2026",
        **{k: v for k, v in _form_side("b", "library-council.txt").items()},
    }
    html = client.post("/compare", data=data).text
    assert "Babel Gazette" in html and "2026-03-04" in html and "2026-03-09" not in html
