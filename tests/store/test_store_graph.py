"""The story graph in the store: incremental, order-free, touching only what a batch reaches."""

from __future__ import annotations

import random
import sqlite3

import pytest

from newstrace import Corpus
from newstrace.settings import DEFAULT
from newstrace.stories import StoryClusterer, members_hash

from . import fiction

LEXICAL = DEFAULT.with_(semantic="off")


def _ingest(db, articles, batch_size=40, provenance=False) -> dict[str, list[str]]:
    with Corpus(db, LEXICAL, batch_size=batch_size, workers=0) as c:
        c.ingest_articles(articles, provenance=provenance)
        return fiction.stories(c.store)


@pytest.fixture(scope="module")
def articles():
    return fiction.corpus(30, 6)


@pytest.fixture(scope="module")
def reference(articles, tmp_path_factory) -> dict[str, list[str]]:
    return _ingest(tmp_path_factory.mktemp("ref") / "ref.db", articles, batch_size=1000)


def test_every_article_is_in_one_story(reference, articles):
    members = [a for ids in reference.values() for a in ids]
    assert sorted(members) == sorted(a.id for a in articles)


def test_order_and_batches_do_not_change_stories(articles, reference, tmp_path):
    shuffled = list(articles)
    random.Random(3).shuffle(shuffled)
    assert _ingest(tmp_path / "a.db", shuffled, batch_size=7) == reference


def test_two_ingests_equal_one(articles, reference, tmp_path):
    db = tmp_path / "two.db"
    _ingest(db, articles[1::2], batch_size=25)
    assert _ingest(db, articles[0::2], batch_size=25) == reference


def test_same_partition_as_the_in_memory_clusterer(articles, reference):
    import numpy as np

    from newstrace.fingerprint import LSHIndex, jaccard_estimate
    from newstrace.pipeline import prepare

    prepared = prepare(articles, LEXICAL)
    firsts, must = {}, []
    for p in prepared:  # exact copies must-link to the first of their hash
        first = firsts.setdefault(p.item.exact_hash, p)
        if first is not p:
            must.append((first.item.article.id, p.item.article.id))
    sig = {p.item.article.id: p.signature for p in firsts.values()}
    lsh = LSHIndex(LEXICAL)
    near = lsh.add_batch(list(sig), np.array(list(sig.values())))
    must += [(a, b) for a, b in near if jaccard_estimate(sig[a], sig[b]) >= 0.5]
    c = StoryClusterer()
    c.add(
        [p.item.article.id for p in prepared],
        [p.vector for p in prepared],
        must,
        [p.copy_key for p in prepared],
    )
    assert sorted(sorted(v) for v in reference.values()) == sorted(c.stories())


def _rows(db) -> dict[str, tuple]:
    with sqlite3.connect(db) as conn:
        return {
            sid: (seq, h)
            for seq, sid, h in conn.execute("SELECT seq, id, members_hash FROM stories")
        }


def test_ingest_touches_only_the_stories_it_reaches(tmp_path):
    db = tmp_path / "big.db"
    base = fiction.corpus(120, 5)  # 600 articles
    before = _ingest(db, base, batch_size=100)
    rows_before = _rows(db)
    joining = fiction.family(7, 8)[5:]  # three more reports of family 7
    newcomer = fiction.family(500, 2)  # a story the store has not seen
    after = _ingest(db, joining + newcomer)
    rows_after = _rows(db)
    new_ids = {a.id for a in joining + newcomer}
    reached = {sid for sid, ids in after.items() if new_ids & set(ids)}
    assert 1 <= len(reached) <= 2 and len(before) >= 100
    for sid in set(after) - reached:  # every other story: same id, same row, same members
        assert rows_after[sid] == rows_before[sid] and after[sid] == before[sid]
    (grown,) = [sid for sid, ids in after.items() if "f7-0" in ids]
    assert set(after[grown]) == set(before[grown]) | {a.id for a in joining}
    # The story reached keeps its row (seq) and gets its new members hash.
    assert rows_after[grown][0] == rows_before[grown][0]
    assert rows_after[grown][1] == members_hash(after[grown]) != rows_before[grown][1]
    assert set(before) - set(after) == set()  # no story vanished
    assert sum(len(v) for v in after.values()) == len(base) + len(new_ids)


_LOG = """
CREATE TABLE write_log (tbl TEXT, op TEXT, key TEXT);
CREATE TRIGGER log_mi AFTER INSERT ON story_members
    BEGIN INSERT INTO write_log VALUES ('members', 'insert', new.article_id); END;
CREATE TRIGGER log_mu AFTER UPDATE ON story_members
    BEGIN INSERT INTO write_log VALUES ('members', 'update', new.article_id); END;
CREATE TRIGGER log_md AFTER DELETE ON story_members
    BEGIN INSERT INTO write_log VALUES ('members', 'delete', old.article_id); END;
CREATE TRIGGER log_si AFTER INSERT ON stories
    BEGIN INSERT INTO write_log VALUES ('stories', 'insert', new.id); END;
CREATE TRIGGER log_su AFTER UPDATE ON stories
    BEGIN INSERT INTO write_log VALUES ('stories', 'update', new.id); END;
CREATE TRIGGER log_sd AFTER DELETE ON stories
    BEGIN INSERT INTO write_log VALUES ('stories', 'delete', old.id); END;
CREATE TRIGGER log_fi AFTER INSERT ON story_facets
    BEGIN INSERT INTO write_log VALUES ('facets', 'insert', new.story_id); END;
CREATE TRIGGER log_fd AFTER DELETE ON story_facets
    BEGIN INSERT INTO write_log VALUES ('facets', 'delete', old.story_id); END;
"""


_PG_LOG = """
CREATE TABLE {s}.write_log (tbl text, op text, key text);
CREATE FUNCTION {s}.nt_log() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO {s}.write_log VALUES (TG_ARGV[0], 'delete', to_jsonb(OLD) ->> TG_ARGV[1]);
    ELSE
        INSERT INTO {s}.write_log VALUES (TG_ARGV[0], lower(TG_OP), to_jsonb(NEW) ->> TG_ARGV[1]);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER log_m AFTER INSERT OR UPDATE OR DELETE ON {s}.story_members
    FOR EACH ROW EXECUTE FUNCTION {s}.nt_log('members', 'article_id');
CREATE TRIGGER log_s AFTER INSERT OR UPDATE OR DELETE ON {s}.stories
    FOR EACH ROW EXECUTE FUNCTION {s}.nt_log('stories', 'id');
CREATE TRIGGER log_f AFTER INSERT OR UPDATE OR DELETE ON {s}.story_facets
    FOR EACH ROW EXECUTE FUNCTION {s}.nt_log('facets', 'story_id');
"""


def _write_log(target: str, install: bool) -> list[tuple[str, str, str]]:
    """Install the row-write triggers in the store at ``target`` or read what they logged."""
    if not target.startswith("postgresql"):
        with sqlite3.connect(target) as conn:
            if install:
                conn.executescript(_LOG)
                return []
            return conn.execute("SELECT tbl, op, key FROM write_log").fetchall()
    import psycopg

    server, schema = target.split("?schema=")
    with psycopg.connect(server, autocommit=True) as conn:
        if install:
            conn.execute(_PG_LOG.format(s=f'"{schema}"'))
            return []
        return [tuple(r) for r in conn.execute(f'SELECT tbl, op, key FROM "{schema}".write_log')]


def test_an_ingest_writes_only_the_rows_of_the_stories_it_reaches(db_target):
    """Row writes counted by triggers: one membership row per new article, nothing moved, and
    story and facet rows only of the stories the batch reaches."""
    before = _ingest(db_target, fiction.corpus(60, 5), batch_size=100)
    _write_log(db_target, install=True)
    joining = fiction.family(7, 9)[5:]  # four more reports of family 7 (copies among them)
    newcomer = fiction.family(500, 3)  # a story the store has not seen
    after = _ingest(db_target, joining + newcomer)
    log = _write_log(db_target, install=False)
    new_ids = {a.id for a in joining + newcomer}
    reached = {sid for sid, ids in after.items() if new_ids & set(ids)}
    (grown,) = [sid for sid, ids in after.items() if "f7-0" in ids]
    assert grown in before and len(reached) == 2 and len(before) >= 50
    members = [(op, key) for tbl, op, key in log if tbl == "members"]
    assert sorted(members) == sorted(("insert", a) for a in new_ids)  # no member row rewritten
    assert {key for tbl, _, key in log if tbl in ("stories", "facets")} == reached
    assert not [r for r in log if r[0] == "stories" and r[1] == "delete"]
    assert len(after[grown]) == len(before[grown]) + len(joining)


def test_provenance_fields_follow_members(tmp_path):
    db = tmp_path / "p.db"
    with Corpus(db, LEXICAL, workers=0) as c:
        c.ingest_articles(fiction.family(3, 4), provenance=True)
        (story,) = c.store.list_stories()
        assert story["n_articles"] == 4 and story["n_sources"] is not None and story["origin"]
        members = c.store.get_story(story["id"])["articles"]
        stale = {story["id"]: (members_hash(members[:2]), {"title": "stale", "n_sources": 9})}
        assert c.store.update_story_fields(stale) == []  # members differ: nothing written
        assert c.store.get_story(story["id"])["n_sources"] == story["n_sources"]


def test_opening_reads_no_article(tmp_path, monkeypatch):
    db = tmp_path / "o.db"
    _ingest(db, fiction.corpus(5, 4))
    from newstrace.store.sqlite import SQLiteStore

    def boom(*a, **k):
        raise AssertionError("opening a corpus must not read every article")

    monkeypatch.setattr(SQLiteStore, "iter_articles", boom)
    with Corpus(db, LEXICAL, workers=0) as c:
        report = c.ingest_articles(fiction.family(2, 6)[4:], provenance=False)
        assert report.new == 2


def test_reads_do_not_wait_for_a_writer(tmp_path):
    import threading
    import time

    from newstrace.store import open_store

    db = tmp_path / "r.db"
    _ingest(db, fiction.corpus(3, 3))
    with open_store(str(db)) as store:
        sid = store.list_stories()[0]["id"]
        holding, release = threading.Event(), threading.Event()

        def writer() -> None:  # holds this store's write transaction (and its lock)
            with store._tx():
                holding.set()
                release.wait(30)

        t = threading.Thread(target=writer)
        t.start()
        assert holding.wait(10)
        other = sqlite3.connect(str(db), timeout=0.1)  # another process's writer would wait
        with pytest.raises(sqlite3.OperationalError):
            other.execute("BEGIN IMMEDIATE")
        started = time.monotonic()
        story = store.get_story(sid)
        listing = store.list_stories()
        elapsed = time.monotonic() - started
        release.set()
        t.join()
        other.close()
    assert story["id"] == sid and listing and elapsed < 5


def test_articles_without_a_text_node_join_the_graph(articles, reference, tmp_path):
    db = tmp_path / "old.db"
    _ingest(db, articles[:-1])
    with sqlite3.connect(db) as conn:  # the state a schema-1 store is migrated into
        conn.executescript(
            "UPDATE articles SET node = NULL; DELETE FROM texts; DELETE FROM dirty_regions;"
            " DELETE FROM key_reps;"
        )
    assert _ingest(db, articles[-1:]) == reference


def test_copies_of_stored_texts_keep_the_partition_unclustered(tmp_path, monkeypatch):
    """A batch that only adds articles to stored texts re-clusters nothing (the partition is
    kept) and gives the stories one ingest of everything gives, on a store written in steps."""
    from newstrace.model import Article
    from newstrace.store import graph

    base = fiction.corpus(20, 6)
    copies = [  # same text and title: same copy key, so they join stored texts
        Article(text=a.text, id=f"{tag}-{a.id}", title=a.title, outlet="Other Wire")
        for tag, a in [("a", x) for x in base[::4]] + [("z", x) for x in base[1::5]]
    ]
    db = tmp_path / "steps.db"
    _ingest(db, base, batch_size=50)
    calls = []
    real = graph.cluster_packed_region
    monkeypatch.setattr(
        graph, "cluster_packed_region", lambda *a, **k: calls.append(1) or real(*a, **k)
    )
    after = _ingest(db, copies)
    assert calls == []  # no region was clustered again
    monkeypatch.undo()
    assert after == _ingest(tmp_path / "one.db", base + copies, batch_size=1000)
    assert any(sid for sid, ids in after.items() if ids[0].startswith("a-"))  # ids moved too


def test_a_region_is_reclustered_from_its_packed_vectors_read_at_once(tmp_path, monkeypatch):
    """Re-clustering reads a region's vectors into one matrix: no vector is unpacked one by one
    (a region of 50,000 texts spent most of its clustering time there), and the stories are
    those of one ingest of everything."""
    from newstrace.store import graph

    base = fiction.corpus(12, 8)
    db = tmp_path / "packed.db"
    _ingest(db, base[: len(base) // 2], batch_size=30)
    unpacked, clustered = [], []
    real_unpack, real_cluster = graph.unpack_vector, graph._stories_of_region

    def cluster(texts, *a):
        before = len(unpacked)
        out = real_cluster(texts, *a)
        clustered.append((len(texts), len(unpacked) - before))
        return out

    monkeypatch.setattr(graph, "unpack_vector", lambda b: unpacked.append(1) or real_unpack(b))
    monkeypatch.setattr(graph, "_stories_of_region", cluster)
    after = _ingest(db, base[len(base) // 2 :], batch_size=30)
    assert unpacked  # linking unpacks the new texts and the candidates it scores
    assert sum(n for n, _ in clustered) > 2 * len(clustered)  # regions of several texts
    assert [u for _, u in clustered] == [0] * len(clustered)
    monkeypatch.undo()
    assert after == _ingest(tmp_path / "one.db", base, batch_size=1000)


def test_region_texts_read_article_ids_through_the_node_index(tmp_path):
    """Schema version 8: a region's article ids come from the index of articles by node (it
    holds the ids), not from the article rows; a version-7 store gains it on open and reads the
    same region texts."""
    import json

    from newstrace.store import graph_sql, migrations, open_store

    db = str(tmp_path / "regions.db")
    _ingest(db, fiction.corpus(8, 5))
    with sqlite3.connect(db) as conn:
        regions = [r for (r,) in conn.execute("SELECT DISTINCT region FROM texts ORDER BY 1")]
        plan = " ".join(
            r[-1]
            for r in conn.execute(
                "EXPLAIN QUERY PLAN " + graph_sql._REGION_TEXTS, (json.dumps(regions),)
            )
        )
        fresh = [
            " ".join(r[-1] for r in conn.execute("EXPLAIN QUERY PLAN " + sql, ("[]",)))
            for sql in (graph_sql._FRESH, graph_sql._CLUSTERED)
        ]
    assert "COVERING INDEX articles_node_id" in plan
    assert all("INDEX texts_fresh" in p for p in fresh)  # the regions' linked = 1 texts only

    def region_texts() -> dict:
        with open_store(db) as store, store._tx() as conn:
            got = graph_sql.SQLiteGraph(conn, store.fts).region_texts(regions)
        return {r: [(*t[:4], sorted(t[4])) for t in texts] for r, texts in got.items()}

    now = region_texts()
    assert sum(len(t[4]) for texts in now.values() for t in texts) == 40  # every article
    with sqlite3.connect(db) as conn:  # back to version 7: the index on node alone
        conn.executescript(
            "DROP INDEX articles_node_id; DROP INDEX texts_fresh;"
            " CREATE INDEX articles_node ON articles(node);"
            " PRAGMA user_version = 7;"
        )
    assert region_texts() == now  # opening migrated it
    with sqlite3.connect(db) as conn:
        names = {r for (r,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST
    assert {"articles_node_id", "texts_fresh"} <= names and "articles_node" not in names
