"""Web fixtures: a store built by hand from fictional articles, and a TestClient over it.

The store is written through the store API only (articles, one story with
its derivation edges and origins), so these tests do not depend on how the
pipeline clusters; ``example_db`` runs the real pipeline on the bundled corpus.
"""

from __future__ import annotations

import hashlib

import pytest

pytest.importorskip("fastapi")

from fastapi.testclient import TestClient  # noqa: E402

from newstrace.model import Article  # noqa: E402
from newstrace.store import StoredArticle, open_store  # noqa: E402
from newstrace.web import create_app  # noqa: E402

TOKEN = "s3cret-token"
WIRE = ("MARLOW, March 4 (Kestrel Wire) - Up to 300 families were moved out of low streets in "
        "Marlow on Tuesday after the Teal River rose two metres overnight, officials said.\n\n"
        "Officials may extend the order to two more districts if the rain continues, the "
        "regional emergency office said.\n\n"
        "\"We are moving people before the water reaches the bridges,\" said Ana Morel, head of "
        "the emergency office.")
REWRITE = ("More than 300 families were moved out of low streets in Marlow on Tuesday after the "
           "Teal River rose two metres overnight, officials said.\n\n"
           "Officials will extend the order to two more districts, the regional emergency office "
           "said.\n\nThe Marlow Courier reports that schools will stay shut until Friday.")
CREDIT = ("According to Kestrel Wire, up to 300 families left low streets in Marlow on Tuesday "
          "as the Teal River rose.\n\nLocal shops closed early, residents told the Daily Lantern.")
HOSTILE = ("Officials said <script>alert('x')</script> the river rose. "
           "<img src=x onerror=alert(1)> Families left their homes in Marlow.")

ARTICLES = [
    Article(id="wire-1", text=WIRE, title="Floods force Marlow families out", outlet="Kestrel Wire",
            url="https://kestrel.example/marlow-floods", published="2026-03-04T07:00:00+00:00",
            language="en"),
    Article(id="post-2", text=REWRITE, title="Over 300 families flee Marlow floods",
            outlet="Evening Post", url="https://post.example/marlow",
            published="2026-03-04T08:10:00+00:00", language="en"),
    Article(id="lantern-3", text=CREDIT, title="Marlow floods: families leave",
            outlet="Daily Lantern", url="javascript:alert(1)",
            published="2026-03-04T09:30:00+00:00", language="en"),
    Article(id="evil-4", text=HOSTILE, title="<script>alert('title')</script>",
            outlet="<img src=x onerror=alert(2)>", url="https://evil.example/x",
            published="2026-03-05", language="en"),
    Article(id="solo-5", text="A new library opened in Port Ansel on Friday, the mayor said.",
            title="Port Ansel opens a library", outlet="Ansel Gazette",
            published="2026-02-01T10:00:00+00:00", language="en"),
]
EDGES = [
    {"source": "wire-1", "target": "post-2", "kind": "rewrite", "confidence": 0.9,
     "verdict": "wholly_derived",
     "evidence": [{"kind": "timestamp", "side": "a", "text": "70 min earlier", "weight": 0.4}]},
    {"source": "wire-1", "target": "lantern-3", "kind": "credits", "confidence": 0.95,
     "verdict": "partially_derived",
     "evidence": [{"kind": "attribution", "side": "a", "text": "According to Kestrel Wire",
                   "weight": 0.8}]},
    {"source": "wire-1", "target": "evil-4", "kind": "undetermined", "confidence": 0.1,
     "verdict": "partially_derived", "evidence": [{"kind": "containment", "side": None,
                                                   "text": "<b>shared</b>", "weight": 0.2}]},
]


def build_store(path: str) -> None:
    """Write ARTICLES and two stories (a flood story, a one-article story) to ``path``."""
    with open_store(path) as store:
        store.add_articles([StoredArticle(a, hashlib.sha256(a.text.encode()).hexdigest(), b"sig")
                            for a in ARTICLES])
        assign = {a.id: "s-flood" for a in ARTICLES[:4]} | {"solo-5": "s-solo"}
        store.replace_stories(assign, [
            {"id": "s-flood", "n_sources": 1, "origin": "wire-1", "origins": ["wire-1"],
             "edges": EDGES},
            {"id": "s-solo", "n_sources": 1, "origin": "solo-5", "origins": ["solo-5"],
             "edges": []},
        ])


@pytest.fixture
def db(tmp_path) -> str:
    path = str(tmp_path / "web.db")
    build_store(path)
    return path


@pytest.fixture
def client(db):
    with TestClient(create_app(db)) as c:
        yield c


@pytest.fixture
def token_client(db):
    with TestClient(create_app(db, token=TOKEN)) as c:
        yield c
