"""A damaged store row or a full disk gives the store's own error, naming what happened
(issue 8 item 30)."""

from __future__ import annotations

import sqlite3

import pytest
from click.testing import CliRunner

from newstrace.cli import main
from newstrace.errors import StoreError
from newstrace.store import open_store

from .conftest import make_item

GARBAGE = "{not json"


def _execute(store, sql: str) -> None:
    """Run ``sql`` in a write transaction, as someone editing the store by hand would."""
    with store._tx() as conn:  # a sqlite3 connection or a psycopg cursor: both execute
        conn.execute(sql)


@pytest.fixture
def filled(store):
    store.add_articles([make_item(i) for i in range(3)])
    store.put_edge("art-1", "art-2", {"verdict": "wholly_derived"})
    store.put_analyses([("art-1", "art-2", {"links": []})])
    store.replace_stories(
        {"art-0": "harbour", "art-1": "harbour"}, [{"id": "harbour", "n_sources": 1}]
    )
    return store


def test_damaged_edge_payload_names_the_row(filled):
    _execute(filled, f"UPDATE edges SET payload = '{GARBAGE}'")
    with pytest.raises(StoreError, match=r"edges row \('art-1', 'art-2'\): payload is not valid"):
        filled.edges_for(["art-1", "art-2"])


def test_damaged_analysis_payload_names_the_row(filled):
    _execute(filled, f"UPDATE pair_analyses SET payload = '{GARBAGE}'")
    with pytest.raises(StoreError, match=r"pair_analyses row \('art-1', 'art-2'\)") as info:
        filled.analyses_for([("art-1", "art-2")])
    assert "outside newstrace" in info.value.hint


def test_damaged_story_payload_names_the_story(filled):
    _execute(filled, f"UPDATE stories SET payload = '{GARBAGE}'")
    for read in (filled.list_stories, lambda: filled.get_story("harbour")):
        with pytest.raises(StoreError, match="stories row 'harbour': payload is not valid JSON"):
            read()
    _execute(filled, "UPDATE stories SET payload = '[1, 2]'")
    with pytest.raises(StoreError, match="not a JSON object"):
        filled.list_stories()


def test_cli_reports_a_damaged_story_in_one_line(tmp_path):
    db = str(tmp_path / "d.db")
    with open_store(db) as store:
        store.add_articles([make_item(0)])
        store.replace_stories({"art-0": "lone"}, [{"id": "lone"}])
        _execute(store, f"UPDATE stories SET payload = '{GARBAGE}'")
    out = CliRunner().invoke(main, ["stories", "--db", db])
    assert out.exit_code == StoreError.exit_code, out.output
    assert out.output.startswith("error:") and "stories row 'lone'" in out.output
    assert "JSONDecodeError" not in out.output
    assert "Traceback" not in out.output and len(out.output.strip().splitlines()) == 1


def test_full_disk_says_so_and_leaves_the_store_as_it_was(sqlite_store, db_path):
    store = sqlite_store
    store.add_articles([make_item(i) for i in range(3)])
    # SQLite's own size limit: past it every write fails with SQLITE_FULL, as on a full disk.
    pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
    store._conn.execute(f"PRAGMA max_page_count = {pages + 2}")
    big = [make_item(i, text="tide gauge reading " * 2000 + str(i)) for i in range(10, 40)]
    with pytest.raises(StoreError, match="database or disk is full") as info:
        store.add_articles(big)
    assert "cannot rollback" not in str(info.value)
    assert "disk is full" in info.value.hint
    assert store.count_articles() == 3  # the batch was rolled back whole
    store._conn.execute("PRAGMA max_page_count = 1073741823")
    assert store.add_articles([make_item(99)]) == ["new"]  # and the next write starts clean
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 4


def test_postgres_full_disk_hint():
    from newstrace.store.postgres import _hint

    disk_full = type("DiskFull", (Exception,), {})
    assert "disk is full" in _hint(disk_full('could not extend file "base/1/2": No space left'))
