"""Web fixtures: stores built by the pipeline from fictional articles, and TestClients.

``flood_db`` holds a wire story, a rewrite with drift, an article crediting
the wire, a hostile article (script and onerror markup in every field) and
an unrelated one; ``example_db`` holds the bundled example corpus.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import asdict
from importlib import resources
from pathlib import Path

import pytest

pytest.importorskip("fastapi")

from fastapi.testclient import TestClient

from newstrace.model import Article
from newstrace.pipeline import Corpus
from newstrace.web import create_app


def corpus_dir() -> Path:
    """Return the bundled example corpus directory."""
    return Path(str(resources.files("newstrace.examples") / "corpus"))


TOKEN = "s3cret-token"
WIRE = (
    "MARLOW, March 4 (Kestrel Wire) - Up to 300 families were moved out of low streets in "
    "Marlow on Tuesday after the Teal River rose two metres overnight, officials said.\n\n"
    "Officials may extend the order to two more districts if the rain continues, the "
    "regional emergency office said.\n\n"
    '"We are moving people before the water reaches the bridges," said Ana Morel, head of '
    "the emergency office."
)
REWRITE = (
    "More than 300 families were moved out of low streets in Marlow on Tuesday after the "
    "Teal River rose two metres overnight, officials said.\n\n"
    "Officials will extend the order to two more districts, the regional emergency office "
    "said.\n\nThe Marlow Courier reports that schools will stay shut until Friday."
)
CREDIT = (
    "According to Kestrel Wire, up to 300 families left low streets in Marlow on Tuesday "
    "as the Teal River rose.\n\nLocal shops closed early, residents told the Daily Lantern."
)
HOSTILE = (
    "Officials said <script>alert('x')</script> the river rose. "
    "<img src=x onerror=alert(1)> Families left their homes in Marlow."
)

ARTICLES = [
    Article(
        id="wire-1",
        text=WIRE,
        title="Floods force Marlow families out",
        outlet="Kestrel Wire",
        url="https://kestrel.example/marlow-floods",
        published="2026-03-04T07:00:00+00:00",
        language="en",
    ),
    Article(
        id="post-2",
        text=REWRITE,
        title="Over 300 families flee Marlow floods",
        outlet="Evening Post",
        url="https://post.example/marlow",
        published="2026-03-04T08:10:00+00:00",
        language="en",
    ),
    Article(
        id="lantern-3",
        text=CREDIT,
        title="Marlow floods: families leave",
        outlet="Daily Lantern",
        url="javascript:alert(1)",
        published="2026-03-04T09:30:00+00:00",
        language="en",
    ),
    Article(
        id="evil-4",
        text=HOSTILE,
        title="<script>alert('title')</script>",
        outlet="<img src=x onerror=alert(2)>",
        url="https://evil.example/x",
        published="2026-03-05",
        language="en",
    ),
    Article(
        id="solo-5",
        text="A new library opened in Port Ansel on Friday, the mayor said.",
        title="Port Ansel opens a library",
        outlet="Ansel Gazette",
        published="2026-02-01T10:00:00+00:00",
        language="en",
    ),
]


def write_jsonl(path: Path, articles=ARTICLES) -> Path:
    """Write ``articles`` as JSON Lines (the pipeline's input) and return the path."""
    rows = [
        {k: v for k, v in asdict(a).items() if v is not None and k != "source"} for a in articles
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def build_store(path: Path, sources) -> Path:
    """Ingest ``sources`` into a new store at ``path`` through the pipeline; return the path."""
    with Corpus(str(path)) as corpus:
        corpus.ingest(sources)
    return path


@pytest.fixture(scope="session")
def flood_db(tmp_path_factory) -> Path:
    """A store holding ARTICLES: one four-article flood story and a one-article story."""
    root = tmp_path_factory.mktemp("flood")
    return build_store(root / "flood.db", [write_jsonl(root / "flood.jsonl")])


@pytest.fixture(scope="session")
def example_db(tmp_path_factory) -> Path:
    """A store holding the bundled example corpus."""
    root = tmp_path_factory.mktemp("example")
    return build_store(root / "example.db", [str(corpus_dir())])


@pytest.fixture
def db(flood_db, tmp_path) -> str:
    """A private copy of ``flood_db``, so a test may write to it."""
    path = tmp_path / "web.db"
    shutil.copy(flood_db, path)
    return str(path)


@pytest.fixture
def client(db):
    with TestClient(create_app(db)) as c:
        yield c


@pytest.fixture
def token_client(db):
    with TestClient(create_app(db, token=TOKEN)) as c:
        yield c


@pytest.fixture
def flood_story(client) -> dict:
    """The flood story's summary (the biggest story)."""
    return client.get("/api/v1/stories", params={"sort": "size"}).json()["items"][0]
