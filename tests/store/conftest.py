"""Fixtures for the store tests: a fresh store per test and fictional articles."""

from __future__ import annotations

import pytest

from newstrace.model import Article
from newstrace.store import StoredArticle, open_store

OUTLETS = ("Harbour Gazette", "Valley Courier", "North Wire")


def make_item(i: int, *, text: str | None = None, outlet: str | None = None,
              published: str | None = None, title: str | None = None,
              bands: list[tuple[int, int]] | None = None, language: str = "en") -> StoredArticle:
    """Return a fictional stored article number ``i``; the hash follows the text."""
    text = text if text is not None else f"The harbour bridge reopened, report number {i}."
    art = Article(
        text=text, id=f"art-{i}", title=title or f"Bridge story {i}",
        url=f"https://example.test/{i}", outlet=outlet or OUTLETS[i % 3],
        published=published or f"2024-03-{1 + i % 28:02d}T08:00:00Z", byline="Staff",
        source=f"fixture:{i}",
    )
    return StoredArticle(
        art, exact_hash=f"hash:{text}", signature=i.to_bytes(8, "little") * 4,
        bands=bands if bands is not None else [(b, i * 100 + b) for b in range(32)],
        language=language, n_words=len(text.split()),
    )


@pytest.fixture
def db_path(tmp_path):
    return str(tmp_path / "corpus.db")


@pytest.fixture
def store(db_path):
    with open_store(db_path) as s:
        yield s
