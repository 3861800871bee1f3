"""Stores of older schema versions open at the latest one, with the stories they had, and go on
ingesting as a store that was never migrated does.

The older stores are today's put back in the state older code left them in
(``old_schema``): SQLite versions 8 and 3, PostgreSQL versions 5 and 3, and on each backend a store
made by code that numbered the group rows' script as the text_keys script is numbered now (SQLite
version 9, PostgreSQL version 6, with ``text_keys`` kept).
"""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest

from newstrace import Corpus
from newstrace.settings import DEFAULT
from newstrace.store import migrations, open_store, postgres_migrations
from newstrace.stories import members_hash

from . import fiction, old_schema
from .conftest import pg_server

LEXICAL = DEFAULT.with_(semantic="off")
# The indexes each backend's latest version has and older versions lacked; articles_node is gone.
_INDEXES = {"articles_seq_node", "articles_story_fields", "articles_node_id", "texts_fresh"}


def _ingest(target, articles) -> None:
    with Corpus(target, LEXICAL, batch_size=40, workers=0) as c:
        c.ingest_articles(articles, provenance=False)


def _state(target) -> tuple[dict, list]:
    """Return every story's members and summary (counts, dates, title, outlets, languages)."""
    with open_store(target) as store:
        return fiction.stories(store), store.list_stories(limit=1000)


def _titles(target, backend) -> list[tuple]:
    """Return every ``story_titles`` row (version 11 of SQLite, 9 of PostgreSQL), sorted."""
    sql = "SELECT story_id, title, seq, published, pseq FROM story_titles ORDER BY 1, 2"
    if backend == "sqlite":
        with closing(sqlite3.connect(target)) as conn:
            return conn.execute(sql).fetchall()
    import psycopg

    schema = target.split("schema=")[1]
    with psycopg.connect(pg_server(), autocommit=True) as conn:
        conn.execute(f'SET search_path TO "{schema}"')
        return [tuple(r) for r in conn.execute(sql).fetchall()]


def _hashes(target, backend) -> dict[str, str]:
    """Return every stored story's members hash, read without opening (migrating) the store."""
    sql = "SELECT id, members_hash FROM stories"
    if backend == "sqlite":
        with closing(sqlite3.connect(target)) as conn:
            return dict(conn.execute(sql).fetchall())
    import psycopg

    schema = target.split("schema=")[1]
    with psycopg.connect(pg_server(), autocommit=True) as conn:
        conn.execute(f'SET search_path TO "{schema}"')
        return dict(conn.execute(sql).fetchall())


def _schema(target, backend) -> tuple[int, set[str], set[str]]:
    """Return (schema version, tables, indexes) of the store at ``target``."""
    if backend == "sqlite":
        with closing(sqlite3.connect(target)) as conn:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            rows = conn.execute("SELECT type, name FROM sqlite_master").fetchall()
    else:
        import psycopg

        schema = target.split("schema=")[1]
        with psycopg.connect(pg_server(), autocommit=True) as conn:
            (version,) = conn.execute(f'SELECT version FROM "{schema}".schema_version').fetchone()
            rows = conn.execute(
                "SELECT CASE c.relkind WHEN 'i' THEN 'index' ELSE 'table' END, c.relname"
                " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE n.nspname = %s AND c.relkind IN ('r', 'i')",
                (schema,),
            ).fetchall()
    return version, {n for t, n in rows if t == "table"}, {n for t, n in rows if t == "index"}


@pytest.mark.parametrize("state", [0, 1, 2])  # index into old_schema.STATES
def test_an_older_store_migrates_with_the_same_stories(backend, state, tmp_path):
    from .conftest import new_target

    version, groups_first = old_schema.STATES[backend][state]
    latest = migrations.LATEST if backend == "sqlite" else postgres_migrations.LATEST
    first = fiction.corpus(10, 5)
    # Follow-ups of the stored families (members 5 and 6 of each) and four new families.
    rest = [a for k in range(10) for a in fiction.family(k, 7)[5:]] + fiction.corpus(14, 5)[50:]
    with new_target(backend, tmp_path) as old, new_target(backend, tmp_path) as never:
        _ingest(old, first)
        before, titles = _state(old), _titles(old, backend)
        if backend == "sqlite":
            old_schema.sqlite_at(old, version, groups_first)
        else:
            old_schema.pg_at(pg_server(), old.split("schema=")[1], version, groups_first)
        assert _schema(old, backend)[0] == version and "text_keys" in _schema(old, backend)[1]
        members = before[0]
        assert _hashes(old, backend) == {s: old_schema.old_hash(m) for s, m in members.items()}
        assert _state(old) == before  # opening migrated it; the stories are as they were
        # Every digest is computed again, of the new kind (a sum the growing stories update).
        assert _hashes(old, backend) == {s: members_hash(m) for s, m in members.items()}
        assert _titles(old, backend) == titles and titles  # made again from the members
        found, tables, indexes = _schema(old, backend)
        assert found == latest and "text_keys" not in tables
        assert {"key_reps", "must_groups", "story_titles", "unstoried"} <= tables
        assert _INDEXES <= indexes and "articles_node" not in indexes
        # It goes on as a store that was never migrated (the same batches).
        _ingest(old, rest)
        _ingest(never, first)
        _ingest(never, rest)
        after = _state(old)
        assert after == _state(never) and len(after[0]) > len(before[0])
        assert _titles(old, backend) == _titles(never, backend)
