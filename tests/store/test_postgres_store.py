"""What only the PostgreSQL store has: URLs and schemas, migrations under a lock, many writers."""

from __future__ import annotations

import sys
import threading
import time

import pytest

from newstrace.errors import ConfigError, MissingExtra, StoreError
from newstrace.store import NEW, open_store, postgres_migrations
from newstrace.store.postgres import lock_key, redact, split_url

from .conftest import make_item, pg_schema, pg_server


def _version(url: str) -> int:
    with open_store(url) as store, store._write.cursor() as cur:
        return postgres_migrations.current_version(cur)


def _tables(url: str) -> set[str]:
    with open_store(url) as store:
        rows = store._write.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
            (store.schema,),
        ).fetchall()
    return {r[0] for r in rows}


# -- no server needed ---------------------------------------------------------------------
def test_missing_driver_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg", None)  # import psycopg now raises ImportError
    with pytest.raises(MissingExtra) as info:
        open_store("postgresql://nobody@127.0.0.1/none")
    assert info.value.hint == "pip install 'newstrace[postgres]'"
    assert "PostgreSQL store" in str(info.value)


def test_url_schema_parameter():
    assert split_url("postgresql://u@h:5/db?schema=corpus_2&sslmode=disable") == (
        "postgresql://u@h:5/db?sslmode=disable",
        "corpus_2",
    )
    assert split_url("postgresql://u@h/db") == ("postgresql://u@h/db", None)
    for bad in ("x;drop", "1abc", "a b", ""):
        with pytest.raises(ConfigError, match="schema must be"):
            split_url(f"postgresql://u@h/db?schema={bad}")


def test_password_never_appears_in_messages():
    assert (
        redact("postgresql://ann:s3cret@db.example:5432/news")
        == "postgresql://ann:***@db.example:5432/news"
    )
    pytest.importorskip("psycopg")
    with pytest.raises(StoreError) as info:
        open_store("postgresql://ann:s3cret@127.0.0.1:1/news")  # nothing listens on port 1
    assert "s3cret" not in str(info.value) and "cannot connect" in str(info.value)
    assert "postgresql://user@host" in info.value.hint


def test_lock_keys_differ_by_schema_and_purpose():
    keys = {lock_key(s, p) for s in ("public", "other") for p in ("articles", "stories")}
    assert len(keys) == 4 and all(-(2**63) <= k < 2**63 for k in keys)


# -- server ---------------------------------------------------------------------------------
pg = pytest.mark.postgres


@pg
def test_new_schema_is_created_at_the_latest_version(pg_url):
    assert _version(pg_url) == postgres_migrations.LATEST
    assert {"articles", "bands", "edges", "stories", "story_members"} <= _tables(pg_url)
    with open_store(pg_url) as s:
        s.add_articles([make_item(1)])
    with open_store(pg_url) as s:  # reopen: no second migration, data kept
        assert s.count_articles() == 1


@pg
def test_unknown_database_has_a_hint():
    server = pg_server().rsplit("/", 1)[0]
    with pytest.raises(StoreError, match="cannot connect") as info:
        open_store(f"{server}/newstrace_no_such_db")
    assert "create the database" in info.value.hint


@pg
def test_newer_schema_is_refused_with_a_hint(pg_url):
    with open_store(pg_url) as s:
        s._write.execute(
            "UPDATE schema_version SET version = %s", (postgres_migrations.LATEST + 1,)
        )
    with pytest.raises(StoreError, match="newer than this newstrace") as info:
        open_store(pg_url)
    assert "upgrade" in info.value.hint


@pg
def test_failed_migration_changes_nothing(pg_url, monkeypatch):
    open_store(pg_url).close()
    bad = "CREATE TABLE half_done (x int);\nTHIS IS NOT SQL;\n"
    monkeypatch.setattr(postgres_migrations, "MIGRATIONS", postgres_migrations.MIGRATIONS + (bad,))
    monkeypatch.setattr(postgres_migrations, "LATEST", postgres_migrations.LATEST + 1)
    with pytest.raises(StoreError, match="syntax error"):
        open_store(pg_url)
    monkeypatch.undo()
    assert _version(pg_url) == postgres_migrations.LATEST
    assert "half_done" not in _tables(pg_url)


@pg
def test_pending_migration_applies_once(pg_url, monkeypatch):
    open_store(pg_url).close()
    extra = "CREATE TABLE later (x int);\nINSERT INTO later VALUES (1);\n"
    monkeypatch.setattr(
        postgres_migrations, "MIGRATIONS", postgres_migrations.MIGRATIONS + (extra,)
    )
    monkeypatch.setattr(postgres_migrations, "LATEST", postgres_migrations.LATEST + 1)
    for _ in range(2):
        open_store(pg_url).close()
    with open_store(pg_url) as s:
        assert s._write.execute("SELECT x FROM later").fetchall() == [(1,)]
        assert postgres_migrations.current_version(s._write.cursor()) == postgres_migrations.LATEST


@pg
def test_many_openers_of_a_new_schema_migrate_it_once():
    with pg_schema() as url:
        errors: list[BaseException] = []

        def open_one() -> None:
            try:
                open_store(url).close()
            except BaseException as e:  # noqa: BLE001 - collected and asserted below
                errors.append(e)

        threads = [threading.Thread(target=open_one) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert errors == []
        assert _version(url) == postgres_migrations.LATEST


@pg
def test_two_stores_writing_the_same_batch_store_each_article_once(pg_url):
    items = [make_item(i) for i in range(200)] + [make_item(900 + i, text=make_item(i).article.text)
                                                   for i in range(0, 200, 10)]  # fmt: skip
    results: list[list[str]] = []
    stores = [open_store(pg_url) for _ in range(3)]
    try:
        threads = [
            threading.Thread(target=lambda s=s: results.append(s.add_articles(items)))
            for s in stores
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    finally:
        for s in stores:
            s.close()
    assert len(results) == 3
    assert sorted(r.count(NEW) for r in results) == [0, 0, 200]  # one writer stored them all
    with open_store(pg_url) as s:
        assert s.count_articles() == 220
        assert s.article_info("art-910")["canonical_id"] == "art-10"


@pg
def test_graph_changes_wait_for_each_other(pg_url):
    first, second = open_store(pg_url), open_store(pg_url)
    entered = []
    try:
        with first._tx("graph"):  # another writer in the middle of a re-cluster
            waiter = threading.Thread(target=lambda: entered.append(second.recluster()))
            waiter.start()
            time.sleep(0.5)
            assert entered == []  # still waiting for the graph lock
        waiter.join(10)
        assert entered == [([], False)]
    finally:
        first.close()
        second.close()


@pg
def test_reads_do_not_wait_for_a_write_in_progress(pg_url):
    with open_store(pg_url) as writer, open_store(pg_url) as reader:
        writer.add_articles([make_item(1)])
        with pytest.raises(StoreError, match="division by zero"), writer._tx("articles") as cur:
            cur.execute("DELETE FROM articles")  # uncommitted, holding the articles lock
            t0 = time.perf_counter()
            assert reader.count_articles() == 1  # the committed state, at once
            assert writer.count_articles() == 1  # the writer's own read connection too
            assert time.perf_counter() - t0 < 2
            cur.execute("SELECT 1/0")  # roll the delete back
        assert writer.count_articles() == 1


@pg
def test_closed_store_raises(pg_url):
    s = open_store(pg_url)
    s.close()
    s.close()
    with pytest.raises(StoreError, match="closed"):
        s.count_articles()


def test_serve_banner_hides_the_password():
    from newstrace.store import safe_name

    assert safe_name("postgresql://ann:s3cret@db.example/news?schema=a") == (
        "postgresql://ann:***@db.example/news?schema=a"
    )
    assert safe_name("./corpus.db") == "./corpus.db"


def test_every_protocol_method_is_implemented():
    from newstrace.store.base import Store
    from newstrace.store.graph import GraphTx
    from newstrace.store.postgres import PostgresStore
    from newstrace.store.postgres_graph import PostgresGraph

    def methods(cls) -> set[str]:
        return {n for n in vars(cls) if not n.startswith("_") and callable(getattr(cls, n))}

    assert methods(Store) - methods(PostgresStore) == set()
    assert methods(GraphTx) - methods(PostgresGraph) == set()


@pg
def test_graph_and_story_reads_can_be_answered_from_the_version_6_indexes(pg_url):
    """Each read that version 6 indexes for (SQLite's versions 6 to 8) can be answered from its
    index alone once the tables are vacuumed: the index holds the columns and the predicate the
    query asks for. Sequential and bitmap scans are off: the planner reads tables this small
    whole."""
    import psycopg

    from newstrace import Corpus
    from newstrace.settings import DEFAULT
    from newstrace.store import postgres_graph as g
    from newstrace.store import stories_sql

    from . import fiction

    with Corpus(pg_url, DEFAULT.with_(semantic="off"), batch_size=40, workers=0) as c:
        c.ingest_articles(fiction.corpus(8, 5), provenance=False)
    schema = pg_url.split("schema=")[1]
    with psycopg.connect(pg_server(), autocommit=True) as admin:
        for table in ("articles", "texts"):
            admin.execute(f'VACUUM ANALYZE "{schema}".{table}')
    with psycopg.connect(pg_server()) as conn:
        conn.execute(f'SET search_path TO "{schema}"')
        conn.execute("SET enable_seqscan = off")
        conn.execute("SET enable_bitmapscan = off")
        nodes = [n for (n,) in conn.execute("SELECT node FROM texts ORDER BY node")]
        regions = sorted({r for (r,) in conn.execute("SELECT region FROM texts")})
        sids = [s for (s,) in conn.execute("SELECT id FROM stories ORDER BY id LIMIT 3")]
        conn.execute("UPDATE texts SET linked = 1 WHERE node = %s", (nodes[0],))

        def plan(sql: str, params) -> str:
            rows = conn.execute("EXPLAIN (COSTS OFF) " + sql, params).fetchall()
            return "\n".join(r[0] for r in rows)

        bands = [[nodes[0]], [0], [1]]
        assert "Index Only Scan using articles_seq_node" in plan(g._BANDS, bands)
        for sql in (g._OWN_BANDS, g._SIGNATURES):
            assert "Index Only Scan using articles_node_id" in plan(sql, (nodes[:3],))
        musts = sorted({m for (m,) in conn.execute("SELECT must FROM texts")})[:3]
        assert "Index Only Scan using articles_node_id" in plan(g._GROUP_ARTICLES, (musts,))
        assert "Index Only Scan using texts_fresh" in plan(g._FRESH, (regions,))
        assert "using texts_fresh" in plan(g._CLUSTERED, (regions,))
        only = " WHERE" + g._ONLY
        assert "Index Only Scan using articles_story_fields" in plan(
            stories_sql._AGGREGATE + only, (sids,)
        )
        assert "Index Only Scan using articles_story_fields" in plan(g._FACETS_OF, {"ids": sids})
        names = {
            r
            for (r,) in conn.execute(
                "SELECT indexname FROM pg_indexes WHERE schemaname = %s", (schema,)
            )
        }
        assert "articles_node" not in names  # replaced by articles_node_id
        conn.rollback()
