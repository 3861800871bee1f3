"""Opening, creating and migrating the SQLite store."""

from __future__ import annotations

import sqlite3

import pytest

from newstrace.errors import NewstraceError, StoreError
from newstrace.store import Store, migrations, open_store
from newstrace.store.sqlite import SQLiteStore

from .conftest import make_item


def _pragma(path: str, name: str):
    with sqlite3.connect(path) as conn:
        return conn.execute(f"PRAGMA {name}").fetchone()[0]


def test_open_creates_latest_schema_in_wal_mode(sqlite_store, db_path):
    assert isinstance(sqlite_store, Store)
    assert _pragma(db_path, "user_version") == migrations.LATEST
    assert _pragma(db_path, "journal_mode") == "wal"


def test_connection_pragmas(sqlite_store):
    conn = sqlite_store._conn
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000


def test_reopen_keeps_data(db_path):
    with open_store(db_path) as s:
        s.add_articles([make_item(1)])
    with open_store(db_path) as s:
        assert s.count_articles() == 1


def test_default_path_is_newstrace_db(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with open_store(None):
        pass
    assert (tmp_path / "newstrace.db").exists()


def test_sqlite_url(tmp_path):
    with open_store(f"sqlite:///{tmp_path}/u.db") as s:
        assert s.count_articles() == 0
    assert (tmp_path / "u.db").exists()


def test_newer_schema_is_refused_with_a_hint(db_path):
    with sqlite3.connect(db_path) as conn:
        conn.execute(f"PRAGMA user_version = {migrations.LATEST + 1}")
    with pytest.raises(StoreError, match="newer than this newstrace") as info:
        open_store(db_path)
    assert "upgrade" in info.value.hint


def test_failed_migration_changes_nothing(db_path, monkeypatch):
    open_store(db_path).close()
    bad = "CREATE TABLE half_done (x);\nTHIS IS NOT SQL;\n"
    monkeypatch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS + (bad,))
    monkeypatch.setattr(migrations, "LATEST", migrations.LATEST + 1)
    with pytest.raises(StoreError):
        open_store(db_path)
    assert _pragma(db_path, "user_version") == migrations.LATEST - 1
    with sqlite3.connect(db_path) as conn:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert "half_done" not in names


def test_migration_applies_pending_scripts_in_order(db_path, monkeypatch):
    open_store(db_path).close()
    extra = "CREATE TABLE later (x);\nINSERT INTO later VALUES (1);\n"
    monkeypatch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS + (extra,))
    monkeypatch.setattr(migrations, "LATEST", migrations.LATEST + 1)
    open_store(db_path).close()
    assert _pragma(db_path, "user_version") == migrations.LATEST
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT x FROM later").fetchall() == [(1,)]


def test_statements_keeps_trigger_bodies_whole():
    script = "CREATE TABLE t (x);\nCREATE TRIGGER g AFTER INSERT ON t BEGIN\n  SELECT 1;\nEND;\n"
    assert len(migrations.statements(script)) == 2


def test_unknown_scheme():
    with pytest.raises(StoreError, match="unknown store URL scheme"):
        open_store("mongodb://x")


def test_not_a_database(tmp_path):
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError, match="cannot open store") as info:
        open_store(str(path))
    assert "not a newstrace store" in info.value.hint


def test_closed_store_raises(db_path):
    s = SQLiteStore(db_path)
    s.close()
    s.close()  # idempotent
    with pytest.raises(StoreError, match="closed"):
        s.count_articles()


def test_errors_share_the_root():
    assert issubclass(StoreError, NewstraceError)
