"""HTML page: standalone, escaped, every label class, inline drift marks, links."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from newstrace.report.html import LEGEND, render_html

from .conftest import A_SENTS, B_SENTS, make_comparison

EVIL = "<script>alert(1)</script>"
EVIL_IMG = "<img src=x onerror=alert(1)>"


class Tags(HTMLParser):
    """Collect start tags with their attributes."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def parse(page: str) -> list[tuple[str, dict]]:
    p = Tags()
    p.feed(page)
    return p.tags


@pytest.fixture
def page(comparison) -> str:
    return render_html(comparison)


def test_is_standalone(page):
    assert page.startswith("<!doctype html>") and page.rstrip().endswith("</html>")
    assert "<style>" in page and page.count("<script>") == 1
    for tag, attrs in parse(page):
        assert tag not in ("link", "iframe", "img")
        assert "src" not in attrs
        assert not (attrs.get("href") or "#").startswith(("//", "javascript:"))
    assert "@import" not in page and "url(" not in page


def test_header_verdict_direction_coverage(page):
    assert "B is partially derived from A (Harbor Wire \u2192 Daily Post)" in page
    assert "source is A (confidence 0.90)" in page
    assert "71% of B comes from A" in page and "B uses 67% of A" in page
    assert "<td>containment</td>" in page


def test_every_label_class_and_legend(page):
    classes = {c for _, a in parse(page) for c in (a.get("class") or "").split()}
    for label in LEGEND:
        assert f"l-{label}" in classes


def test_sentence_ids_and_links_both_ways(page):
    tags = {a["id"]: a for t, a in parse(page) if t == "span" and "id" in a}
    assert len([k for k in tags if k.startswith("a-")]) == len(A_SENTS)
    assert len([k for k in tags if k.startswith("b-")]) == len(B_SENTS)
    assert tags["b-4"]["data-links"] == "a-4 a-5"
    assert tags["a-5"]["data-links"] == "b-4"
    assert tags["a-6"]["data-links"] == "" and "l-omitted" in tags["a-6"]["class"]
    assert "l-new" in tags["b-6"]["class"] and "l-boilerplate" in tags["b-8"]["class"]


def test_drift_marked_inline_on_both_sides(page):
    marks = re.findall(r'<mark class="(drift[^"]*)" title="([^"]*)">([^<]*)</mark>', page)
    texts = [m[2] for m in marks]
    for phrase in (
        "up to 300",
        "more than 300",
        "may",
        "will",
        "bridges",
        "town",
        "Lowen and Tarsk",
        "both towns",
        ", according to the regional emergency office",
    ):
        assert phrase in texts
    assert ("drift cosmetic", "Lowen and Tarsk") in [(m[0], m[2]) for m in marks]
    assert any("qualifier, strengthened" in m[1] for m in marks)
    a0 = re.search(r'id="a-0".*?</span>', page, re.DOTALL).group(0)
    assert "<mark" in a0 and "up to 300</mark>" in a0


def test_omissions_and_additions_listed(page):
    lists = page[page.index('class="lists"') :]
    assert lists.index('href="#a-7"') < lists.index('href="#a-6"')
    assert "credits Valley Herald" in lists and 'href="#b-5"' in lists


def test_responsive_single_column(page):
    assert "@media (max-width:700px)" in page
    assert 'name="viewport"' in page


def test_escapes_article_text_and_metadata():
    a_rows = [(0, f"The mayor said {EVIL} twice.", None), (0, f"Then {EVIL_IMG} appeared.", None)]
    b_rows = [(0, f"The mayor said {EVIL} twice.", None), (0, f"Also {EVIL_IMG} & more.", None)]
    meta = {
        "id": EVIL,
        "outlet": EVIL_IMG,
        "title": EVIL,
        "url": "javascript:alert(1)",
        "published": EVIL_IMG,
        "language": "en",
        "byline": EVIL,
    }
    c = make_comparison(a_rows, b_rows, meta, meta, drift=False)
    page = render_html(c)
    assert "<script>alert" not in page and "<img" not in page
    assert 'href="javascript:' not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert page.count("<script>") == 1


def test_out_of_range_drift_spans_do_not_break_the_page(comparison):
    from dataclasses import replace

    from newstrace.model import Span

    bad = replace(comparison.drift[0], a_span=Span(0, 500, 900), b_span=Span(0, -5, 4))
    page = render_html(replace(comparison, drift=(bad,)))
    b0 = re.search(r'id="b-0".*?</span>', page, re.DOTALL).group(0)
    assert "Floo</mark>" in b0 and page.count("<mark") == 1 + 2  # legend has two samples


def test_csp_allows_only_the_inline_script(page):
    assert "default-src 'none'" in page and "script-src 'sha256-" in page


def test_common_source_card():
    from dataclasses import replace

    from newstrace.model import Direction, Evidence

    c = make_comparison()
    c = replace(
        c,
        direction=Direction(
            "common_source",
            0.4,
            (
                Evidence(
                    "only_in",
                    "common_source",
                    "only in B (30% of its content): a <quote> from the mayor",
                    0.4,
                    "b",
                ),
                Evidence(
                    "only_in", None, "only in A (20% of its content): the budget figure", 0.0, "a"
                ),
            ),
        ),
    )
    page = render_html(c)
    assert "A and B share text from a common source not in this pair" in page
    assert "common source: neither took from the other" in page
    assert "<b>B has, A lacks:</b> (30% of its content): a &lt;quote&gt; from the mayor" in page
    assert "<b>A has, B lacks:</b>" in page and "<td>common source</td>" in page
    assert page.count("a &lt;quote&gt; from the mayor") == 1  # the table points to the list
    assert "<td>only in B (30% of its content): listed above</td>" in page
