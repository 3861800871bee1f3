"""The web story page and API show an absent common source and each edge's alignment."""

from __future__ import annotations

import pytest

pytest.importorskip("fastapi")

from fastapi.testclient import TestClient
from test_corpus_provenance import _release_rewrites

from newstrace.pipeline import Corpus
from newstrace.settings import DEFAULT
from newstrace.web import create_app


def test_story_page_draws_the_absent_source(tmp_path):
    db = tmp_path / "c.db"
    with Corpus(db, DEFAULT.with_(semantic="off"), workers=0) as corpus:
        corpus.ingest_articles(_release_rewrites())
        sid = corpus.stories()["stories"][0]["id"]
    with TestClient(create_app(str(db))) as client:
        html = client.get(f"/stories/{sid}").text
        doc = client.get(f"/api/v1/stories/{sid}").json()
    assert 'id="absent-source"' in html and "source not in the corpus" in html
    assert "1 independent source behind 2 articles" in html
    assert (
        html.count("k-common_source") >= 2
        and "sentences of the derivative come from the source" in html
    )
    assert (
        doc["schema"] == "newstrace.story/2"
        and doc["virtual"][0]["label"] == "source not in the corpus"
    )
    assert all(e["analysis"]["alignment"] for e in doc["edges"] if e["kind"] == "common_source")
