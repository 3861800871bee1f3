"""Fixtures for the store tests: a fresh store per test, on every backend, and fictional articles.

``store`` and ``db_target`` run each test once on SQLite and once on
PostgreSQL (marker ``postgres``). Each PostgreSQL test gets its own schema,
created for it and dropped after it, so tests run in any order. The server
is ``NEWSTRACE_TEST_PG`` or 127.0.0.1:5432, database ``test``, user
``postgres`` or ``root``. Without a server the PostgreSQL tests skip with the
reason, except under ``CI=true``, where a missing server fails them.
"""

from __future__ import annotations

import os
import uuid
from contextlib import contextmanager

import pytest

from newstrace.model import Article
from newstrace.store import StoredArticle, open_store

OUTLETS = ("Harbour Gazette", "Valley Courier", "North Wire")
PG_CANDIDATES = (
    "postgresql://postgres@127.0.0.1:5432/test",
    "postgresql://root@127.0.0.1:5432/test",
)
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
_server: list[str | None] = []  # the reachable admin URL, probed once per session


def make_item(
    i: int,
    *,
    text: str | None = None,
    outlet: str | None = None,
    published: str | None = None,
    title: str | None = None,
    bands: list[tuple[int, int]] | None = None,
    language: str = "en",
) -> StoredArticle:
    """Return a fictional stored article number ``i``; the hash follows the text."""
    text = text if text is not None else f"The harbour bridge reopened, report number {i}."
    art = Article(
        text=text,
        id=f"art-{i}",
        title=title or f"Bridge story {i}",
        url=f"https://example.test/{i}",
        outlet=outlet or OUTLETS[i % 3],
        published=published or f"2024-03-{1 + i % 28:02d}T08:00:00Z",
        byline="Staff",
        source=f"fixture:{i}",
    )
    return StoredArticle(
        art,
        exact_hash=f"hash:{text}",
        signature=i.to_bytes(8, "little") * 4,
        bands=bands if bands is not None else [(b, i * 100 + b) for b in range(32)],
        language=language,
        n_words=len(text.split()),
    )


def pg_server() -> str:
    """Return a reachable PostgreSQL admin URL; skip (or fail under CI=true) when there is none."""
    if not _server:
        _server.append(_probe())
    if _server[0] is None:
        reason = (
            "PostgreSQL tests need a server at 127.0.0.1:5432 (database 'test', trust auth)"
            " or NEWSTRACE_TEST_PG=postgresql://..., and pip install 'newstrace[postgres]'"
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true: {reason}", pytrace=False)
        pytest.skip(reason)
    return _server[0]


def _probe() -> str | None:
    try:
        import psycopg
    except ImportError:
        return None
    env = os.environ.get("NEWSTRACE_TEST_PG")
    for url in (env,) if env else PG_CANDIDATES:
        try:
            psycopg.connect(url, connect_timeout=3).close()
            return url
        except psycopg.Error:
            continue
    return None


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(pg_server(), autocommit=True) as conn:
        conn.execute(sql)


@contextmanager
def pg_schema():
    """Yield the URL of a new, empty schema; drop it (and everything in it) afterwards."""
    server = pg_server()
    name = f"nt_test_{uuid.uuid4().hex[:12]}"
    try:
        yield f"{server}?schema={name}"
    finally:
        _admin(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')


@contextmanager
def new_target(backend: str, tmp_dir):
    """Yield a fresh store location on ``backend``: a SQLite file in ``tmp_dir`` or a schema URL."""
    if backend == "sqlite":
        yield str(tmp_dir / f"corpus-{uuid.uuid4().hex[:8]}.db")
        return
    with pg_schema() as url:
        yield url


@pytest.fixture
def pg_url():
    """A PostgreSQL store URL with its own schema, dropped after the test."""
    with pg_schema() as url:
        yield url


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def db_target(backend, tmp_path):
    """Where a fresh store lives: a SQLite path or a PostgreSQL URL (own schema)."""
    with new_target(backend, tmp_path) as target:
        yield target


@pytest.fixture
def db_path(tmp_path):
    """A SQLite store path (for the SQLite-only tests)."""
    return str(tmp_path / "corpus.db")


@pytest.fixture
def store(db_target):
    with open_store(db_target) as s:
        yield s


@pytest.fixture
def sqlite_store(db_path):
    with open_store(db_path) as s:
        yield s
