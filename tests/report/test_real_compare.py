"""The renderers on real ``newstrace.compare`` output (not hand-built Comparisons)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from rich.console import Console

from newstrace import api
from newstrace.model import A_LABELS, B_LABELS, Article
from newstrace.report.html import render_html
from newstrace.report.jsonout import comparison_from_dict, comparison_to_dict, to_json
from newstrace.report.terminal import render_terminal

from .conftest import A_SENTS, B_SENTS

SCHEMA_FILE = Path(__file__).parents[2] / "docs" / "comparison.schema.json"


def article(rows, **meta) -> Article:
    """Join fixture rows into article text, paragraphs separated by blank lines."""
    paras: dict[int, list[str]] = {}
    for para, text, _ in rows:
        paras.setdefault(para, []).append(text)
    return Article("\n\n".join(" ".join(v) for v in paras.values()), **meta)


WIRE = article(
    A_SENTS, id="hw-1", outlet="Harbor Wire", title="Varna floods", published="2024-03-12T08:15:00Z"
)
POST = article(
    B_SENTS, id="dp-1", outlet="Daily Post", title="Hundreds flee", published="2024-03-12T10:40:00Z"
)


@pytest.fixture(scope="module", params=["in_order", "swapped"])
def real(request):
    first, second = (WIRE, POST) if request.param == "in_order" else (POST, WIRE)
    return api.compare(first, second)


def test_json_of_real_output_validates_and_reads_back(real):
    d = json.loads(to_json(real))
    import jsonschema

    jsonschema.Draft202012Validator(json.loads(SCHEMA_FILE.read_text("utf-8"))).validate(d)
    assert comparison_to_dict(comparison_from_dict(d)) == d


def test_json_sentences_match_documents(real):
    d = comparison_to_dict(real)
    assert [s["text"] for s in d["sentences"]["a"]] == [s.text for s in real.a.sentences]
    assert [s["text"] for s in d["sentences"]["b"]] == [s.text for s in real.b.sentences]
    assert {s["label"] for s in d["sentences"]["a"]} <= set(A_LABELS)
    assert {s["label"] for s in d["sentences"]["b"]} <= set(B_LABELS)
    for ch in d["drift"]:
        for side in ("a", "b"):
            if ch[f"{side}_span"]:
                i, start, end = ch[f"{side}_span"]
                assert 0 <= start <= end <= len(d["sentences"][side][i]["text"])


def test_terminal_of_real_output(real):
    console = Console(record=True, width=100, color_system=None)
    render_terminal(real, console)
    out = console.export_text()
    assert "Direction:" in out and "Coverage:" in out and "Meaning changes" in out


def test_html_of_real_output(real):
    page = render_html(real)
    ids = set(re.findall(r'<span class="s l-\w+" id="([ab]-\d+)"', page))
    assert len(ids) == len(real.a.sentences) + len(real.b.sentences)
    spans = sum(1 for ch in real.drift for sp in (ch.a_span, ch.b_span) if sp and sp.end > sp.start)
    assert page.count('<mark class="drift') >= min(spans, 1) + 2  # legend has two samples
