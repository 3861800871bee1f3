"""Linking reads a bounded number of stored texts per (key, region), however common the key is."""

from __future__ import annotations

import sqlite3
from collections import Counter

import pytest

from newstrace import Corpus
from newstrace.model import Article
from newstrace.settings import DEFAULT
from newstrace.store import graph
from newstrace.store.graph_sql import _unpack_bands

from . import fiction, old_schema

LEXICAL = DEFAULT.with_(semantic="off")
BIG = 3  # the family whose many texts all carry its names


def _mayor() -> str:
    """The mayor's name of family ``BIG`` (second sentence: "Mayor X told reporters ...")."""
    return fiction.family_texts(BIG)[1].split("Mayor ")[1].split()[0]


def _outsider() -> list[Article]:
    """An article of another invented story that also names family BIG's mayor, in passing."""
    (art,) = fiction.family(700, 1)
    text = art.text + f" A visiting official, {_mayor()}, declined to comment on the work."
    return [
        Article(
            text=text,
            id="outsider",
            title=art.title,
            outlet="Outlet 9",
            published="2024-05-02T08:00:00Z",
        )
    ]


@pytest.fixture
def counted(monkeypatch):
    """Record every (text, candidate) pair the store's linking scores."""
    seen: list[tuple[int, int]] = []
    real = graph.pair_scores

    def spy(vecs, pairs):
        seen.extend(pairs)
        return real(vecs, pairs)

    monkeypatch.setattr(graph, "pair_scores", spy)
    return seen


def _build(db) -> None:
    with Corpus(db, LEXICAL, batch_size=50, workers=0) as c:
        c.ingest_articles(fiction.family(BIG, 150) + fiction.corpus(5, 3), provenance=False)


def _add_outsider(db, counted) -> dict[str, list[str]]:
    counted.clear()
    with Corpus(db, LEXICAL, workers=0) as c:
        c.ingest_articles(_outsider(), provenance=False)
        return fiction.stories(c.store)


def _holders(db) -> int:
    """Return how many stored texts share the most common key of family BIG's original (each
    text's keys read from its packed vector)."""
    with sqlite3.connect(db) as conn:
        (node,) = conn.execute("SELECT node FROM articles WHERE id = ?", (f"f{BIG}-0",)).fetchone()
    texts = old_schema.sqlite_texts(db)
    holders = Counter(k for _, _, keys in texts.values() for k in keys)
    return max(holders[k] for k in texts[node][2])


def test_a_key_shared_by_many_texts_is_read_a_bounded_number_of_times(db_target, counted):
    _build(db_target)
    stories = _add_outsider(db_target, counted)
    # Only family BIG shares a key with the outsider: every pair scored is against its region.
    assert 1 <= len(counted) <= graph.KEY_REPS
    assert ["outsider"] in stories.values()  # its links fail: it stays its own story


def test_the_exact_rule_reads_every_holder_and_gives_the_same_stories(
    tmp_path, counted, monkeypatch
):
    capped, exact = str(tmp_path / "capped.db"), str(tmp_path / "exact.db")
    _build(capped)
    assert _holders(capped) >= 4 * graph.KEY_REPS  # one key held by many distinct texts
    with_cap = _add_outsider(capped, counted)
    assert len(counted) <= graph.KEY_REPS
    monkeypatch.setattr(graph, "KEY_REPS", 10**6)  # no cap: every holder is a representative
    _build(exact)
    without = _add_outsider(exact, counted)
    assert len(counted) >= 4 * 16  # what the cap saves: one evaluation per holder
    assert with_cap == without


def test_representatives_stay_at_most_the_cap_per_key_and_region(tmp_path):
    db = str(tmp_path / "reps.db")
    with Corpus(db, LEXICAL, batch_size=30, workers=0) as c:
        c.ingest_articles(fiction.family(BIG, 150) + fiction.corpus(4, 4), provenance=False)
    assert _reps_state(db) == (graph.KEY_REPS, 0, 0)


def _reps_state(db) -> tuple[int, int, int]:
    """Return (most representatives of one (key, region), stale ones, missing ones)."""
    with sqlite3.connect(db) as conn:
        worst = conn.execute(
            "SELECT max(n) FROM (SELECT count(*) AS n FROM key_reps GROUP BY key, region)"
        ).fetchone()[0]
        stale = conn.execute(
            "SELECT count(*) FROM key_reps r JOIN texts t ON t.node = r.node"
            " WHERE t.region <> r.region OR t.linked = 0"
        ).fetchone()[0]
        reps = set(conn.execute("SELECT key, region, node FROM key_reps").fetchall())
    # Every (key, region) holding linked texts has its smallest nodes as representatives; the
    # keys of each text are those of its packed vector.
    holders: dict[tuple[int, int], list[int]] = {}
    for node, (region, linked, keys) in sorted(old_schema.sqlite_texts(db).items()):
        for k in keys if linked else ():
            holders.setdefault((k, region), []).append(node)
    missing = sum(
        (k, r, n) not in reps for (k, r), nodes in holders.items() for n in nodes[: graph.KEY_REPS]
    )
    return worst, stale, missing


def test_a_schema_3_store_gains_its_representatives_on_open(tmp_path, counted):
    """Version 4 fills key_reps from text_keys, which version 9 drops: in one migration of a
    store written before version 4, the first runs before the second."""
    from newstrace.store import migrations

    db = str(tmp_path / "v3.db")
    _build(db)
    old_schema.sqlite_at(db, 3)  # text_keys filled, no key_reps
    stories = _add_outsider(db, counted)
    assert ["outsider"] in stories.values() and 1 <= len(counted) <= graph.KEY_REPS
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST
        tables = {r for (r,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "key_reps" in tables and "text_keys" not in tables
    assert _reps_state(db) == (graph.KEY_REPS, 0, 0)


@pytest.mark.postgres
def test_a_schema_3_postgres_store_gains_the_same_representatives(pg_url):
    import psycopg

    from .conftest import pg_server

    _build(pg_url)
    schema = pg_url.split("schema=")[1]
    reps = f'SELECT key, region, node FROM "{schema}".key_reps ORDER BY 1, 2, 3'
    with psycopg.connect(pg_server(), autocommit=True) as conn:
        kept = conn.execute(reps).fetchall()
    old_schema.pg_at(pg_server(), schema, 3)  # text_keys filled, no key_reps
    with Corpus(pg_url, LEXICAL, workers=0):
        pass
    with psycopg.connect(pg_server(), autocommit=True) as conn:
        assert conn.execute(reps).fetchall() == kept and len(kept) > graph.KEY_REPS
        gone = conn.execute(f"SELECT to_regclass('\"{schema}\".text_keys')").fetchone()[0]
    assert gone is None  # dropped after version 4 read it


def _bucket_reference(db, nodes: list[int]) -> set[tuple[int, int]]:
    """Return (node, other) band neighbours computed in Python from the tables: every other text
    with an article filed under a bucket of the node's first article, in either table."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT band, key, seq FROM bands UNION ALL SELECT band, key, seq FROM bands_recent"
        ).fetchall()
        node_of = dict(conn.execute("SELECT seq, node FROM articles").fetchall())
        first = dict(conn.execute("SELECT node, min(seq) FROM articles GROUP BY node").fetchall())
        own = dict(conn.execute("SELECT seq, bands FROM signatures").fetchall())
    buckets: dict[tuple[int, int], list[int]] = {}
    for band, key, seq in rows:
        buckets.setdefault((band, key), []).append(seq)
    return {
        (n, node_of[seq])
        for n in nodes
        for bucket in _unpack_bands(own[first[n]])
        for seq in buckets.get(bucket, [])
        if node_of[seq] != n
    }


def test_band_neighbours_read_both_band_tables_through_the_seq_index(tmp_path, monkeypatch):
    from newstrace.store import graph_sql
    from newstrace.store import sqlite as sqlite_store

    # Merge bands_recent into bands every few batches, so buckets have rows in both tables.
    monkeypatch.setattr(sqlite_store, "MERGE_MIN_ROWS", 2_000)
    db = str(tmp_path / "bands.db")
    with Corpus(db, LEXICAL, batch_size=20, workers=0) as c:
        c.ingest_articles(fiction.family(BIG, 150) + fiction.corpus(4, 4), provenance=False)
        with sqlite3.connect(db) as conn:
            nodes = [n for (n,) in conn.execute("SELECT node FROM texts ORDER BY node")]
            split = conn.execute(
                "SELECT count(*) FROM (SELECT band, key FROM bands INTERSECT"
                " SELECT band, key FROM bands_recent)"
            ).fetchone()[0]
            plan = " ".join(
                r[-1] for r in conn.execute("EXPLAIN QUERY PLAN " + graph_sql._BANDS, ("[]",))
            )
        assert split > 0  # some buckets have rows in both tables
        assert "articles_seq_node" in plan
        with c.store._tx() as conn:
            found = graph_sql.SQLiteGraph(conn, c.store.fts).band_neighbours(nodes)
    assert {(n, o) for n, o, _, _ in found} == _bucket_reference(db, nodes)
