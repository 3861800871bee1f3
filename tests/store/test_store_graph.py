"""The story graph in the store: incremental, order-free, touching only what a batch reaches."""

from __future__ import annotations

import random
import sqlite3

import pytest

from newstrace import Corpus
from newstrace.settings import DEFAULT
from newstrace.stories import StoryClusterer, members_hash

from . import fiction, old_schema
from .conftest import new_target

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
            " DELETE FROM key_reps; DELETE FROM must_groups;"
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
    real = graph.cluster_groups
    monkeypatch.setattr(graph, "cluster_groups", lambda *a, **k: calls.append(1) or real(*a, **k))
    after = _ingest(db, copies)
    assert calls == []  # no region was clustered again
    monkeypatch.undo()
    assert after == _ingest(tmp_path / "one.db", base + copies, batch_size=1000)
    assert any(sid for sid, ids in after.items() if ids[0].startswith("a-"))  # ids moved too


def _spy_recluster(monkeypatch) -> dict:
    """Record, while ``graph.recluster`` runs, the vectors unpacked, the text rows read, the group
    counts clustered and the articles read."""
    from newstrace.store import graph, graph_sql

    seen = {"inside": False, "unpacked": 0, "text_reads": 0, "clustered": [], "articles": 0}
    real = {
        "recluster": graph.recluster,
        "unpack": graph.unpack_vector,
        "cluster": graph.cluster_groups,
        "texts": graph_sql.SQLiteGraph.group_texts,
        "articles": graph_sql.SQLiteGraph.group_articles,
        "members": graph_sql.SQLiteGraph.group_members,
        "unstoried": graph_sql.SQLiteGraph.unstoried,
    }

    def recluster(*a, **k):
        seen["inside"] = True
        try:
            return real["recluster"](*a, **k)
        finally:
            seen["inside"] = False

    def unpack(blob):
        seen["unpacked"] += seen["inside"]
        return real["unpack"](blob)

    def cluster(firsts, *a, **k):
        seen["clustered"].append(len(firsts))
        return real["cluster"](firsts, *a, **k)

    def texts(self, *a):
        seen["text_reads"] += seen["inside"]
        return real["texts"](self, *a)

    def articles(self, musts, _read="articles"):
        got = real[_read](self, musts)
        seen["articles"] += sum(map(len, got.values()))
        return got

    def members(self, musts):
        return articles(self, musts, "members")

    def unstoried(self, musts):
        return articles(self, musts, "unstoried")

    monkeypatch.setattr(graph, "recluster", recluster)
    monkeypatch.setattr(graph, "unpack_vector", unpack)
    monkeypatch.setattr(graph, "cluster_groups", cluster)
    monkeypatch.setattr(graph_sql.SQLiteGraph, "group_texts", texts)
    monkeypatch.setattr(graph_sql.SQLiteGraph, "group_articles", articles)
    monkeypatch.setattr(graph_sql.SQLiteGraph, "group_members", members)
    monkeypatch.setattr(graph_sql.SQLiteGraph, "unstoried", unstoried)
    return seen


def test_a_region_is_reclustered_from_its_group_rows(tmp_path, monkeypatch):
    """Re-clustering reads one stored row per must-link group: no text of the region is read and
    no vector unpacked while it runs, and the stories are those of one ingest of everything."""
    base = fiction.corpus(12, 8)
    db = tmp_path / "groups.db"
    _ingest(db, base[: len(base) // 2], batch_size=30)
    seen = _spy_recluster(monkeypatch)
    after = _ingest(db, base[len(base) // 2 :], batch_size=30)
    assert any(n > 2 for n in seen["clustered"])  # regions of several groups
    assert seen["unpacked"] == 0 and seen["text_reads"] == 0
    monkeypatch.undo()
    assert after == _ingest(tmp_path / "one.db", base, batch_size=1000)


def _group_rows(db) -> dict[int, tuple]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT must, region, texts, first, vsum FROM must_groups")
        return {m: (r, n, f, bytes(v)) for m, r, n, f, v in rows}


def _groups_from_texts(db) -> dict[int, tuple]:
    from newstrace.store import graph

    with sqlite3.connect(db) as conn:
        texts = conn.execute("SELECT region, must, node, copy_key, vector FROM texts").fetchall()
    return graph._built_groups([(r, m, n, k, bytes(v)) for r, m, n, k, v in texts])


def test_group_rows_kept_in_steps_equal_rows_made_at_once(articles, tmp_path):
    """Every stored group row (region, texts, first copy key and the exact sum of its texts'
    vectors, byte for byte) equals the row made from its texts at once, after an ingest in small
    shuffled batches where groups and regions merged along the way."""
    shuffled = list(articles)
    random.Random(5).shuffle(shuffled)
    db = tmp_path / "steps.db"
    _ingest(db, shuffled, batch_size=9)
    rows = _group_rows(db)
    assert rows == _groups_from_texts(db)
    assert any(n > 1 for _, n, _, _ in rows.values())  # groups of several texts
    with sqlite3.connect(db) as conn:
        (must_groups,) = conn.execute("SELECT count(DISTINCT must) FROM texts").fetchone()
        (fresh,) = conn.execute("SELECT count(*) FROM must_groups WHERE fresh <> 0").fetchone()
    assert len(rows) == must_groups and fresh == 0  # one row per group, all clustered


def test_a_follow_up_reads_only_the_story_it_joins(tmp_path, monkeypatch):
    """A text joining one story of a store re-clusters its region from the group rows and reads
    its own article alone: not the articles of the story it joins (that story only gains it,
    schema version 12), nor of the region's other stories."""
    from newstrace.model import Article

    base = fiction.corpus(12, 8)
    db = tmp_path / "follow.db"
    before = _ingest(db, base, batch_size=200)
    target = max(before.values(), key=len)
    first = next(a for a in base if a.id == target[0])
    follow = Article(
        text=first.text + " A reader wrote in about it afterwards.",
        id="zz-follow",
        title=first.title,
    )
    seen = _spy_recluster(monkeypatch)
    after = _ingest(db, [follow])
    monkeypatch.undo()
    assert after == _ingest(tmp_path / "one.db", [*base, follow], batch_size=1000)
    joined = next(ids for ids in after.values() if "zz-follow" in ids)
    assert set(target) < set(joined) and len(joined) > 5
    assert seen["articles"] == 1  # the new article alone


def test_a_store_of_version_8_makes_its_group_rows_when_reclustered(articles, tmp_path):
    """Schema version 10: a store made before has no group rows. Linking makes those of the groups
    it reaches, and re-clustering a region makes the rest from its texts; the stories are those of
    one ingest, and every row equals the one made from its texts."""
    from newstrace.store import migrations

    db = tmp_path / "v8.db"
    _ingest(db, articles[: len(articles) // 2], batch_size=25)
    old_schema.sqlite_at(db, 8)  # back to version 8: no group rows
    after = _ingest(db, articles[len(articles) // 2 :], batch_size=25)
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST
        touched = {r for (r,) in conn.execute("SELECT DISTINCT region FROM must_groups")}
    assert after == _ingest(tmp_path / "one.db", articles, batch_size=1000)
    made = _groups_from_texts(db)
    assert _group_rows(db) == {m: row for m, row in made.items() if row[0] in touched}
    assert touched  # the regions the second half reached have their rows


def test_group_articles_read_through_the_node_index(tmp_path):
    """A group's article ids come from the index of articles by node (it holds the ids), not
    from the article rows (schema version 8)."""
    import json

    from newstrace.store import graph_sql

    db = str(tmp_path / "regions.db")
    _ingest(db, fiction.corpus(8, 5))
    with sqlite3.connect(db) as conn:
        musts = [m for (m,) in conn.execute("SELECT DISTINCT must FROM texts ORDER BY 1")]
        plan = " ".join(
            r[-1]
            for r in conn.execute(
                "EXPLAIN QUERY PLAN " + graph_sql._GROUP_ARTICLES, (json.dumps(musts),)
            )
        )
        fresh = [
            " ".join(r[-1] for r in conn.execute("EXPLAIN QUERY PLAN " + sql, ("[]",)))
            for sql in (graph_sql._FRESH, graph_sql._CLUSTERED)
        ]
    assert "COVERING INDEX articles_node_id" in plan
    assert all("INDEX texts_fresh" in p for p in fresh)  # the regions' linked = 1 texts only


def _reclustered_from_texts(db) -> dict[str, list[str]]:
    """Return the stories of the store at ``db`` made again from its texts, region by region, by
    ``cluster_region`` (the rule over texts, not the stored group rows)."""
    from newstrace.stories import cluster_region, story_id
    from newstrace.stories.cluster import unpack_vector

    with sqlite3.connect(db) as conn:
        texts = conn.execute("SELECT region, must, node, copy_key, vector FROM texts").fetchall()
        ids: dict[int, list[str]] = {}
        for node, article in conn.execute("SELECT node, id FROM articles"):
            ids.setdefault(node, []).append(article)
    out = {}
    for region in sorted({t[0] for t in texts}):
        got = [t for t in texts if t[0] == region]
        parts = cluster_region(
            [t[3] for t in got], [unpack_vector(bytes(t[4])) for t in got], [t[1] for t in got]
        )
        for part in parts:
            members = sorted(a for k in part for a in ids[got[k][2]])
            out[story_id(members)] = members
    return out


def test_a_story_that_loses_a_group_to_a_merge_is_read_again(tmp_path, monkeypatch):
    """When a new text must-links a group of one story with a group of another, the first story's
    other groups are read again: the stored stories stay those of clustering every region again
    from its texts, and no article is left without a story."""
    from newstrace.model import Article
    from newstrace.store import graph

    base = fiction.corpus(12, 8)
    db = tmp_path / "merge.db"
    _ingest(db, base, batch_size=200)
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT must, story FROM must_groups ORDER BY must").fetchall()
    by: dict[str, list[int]] = {}
    for must, story in rows:
        by.setdefault(story, []).append(must)
    split = [s for s in sorted(by) if len(by[s]) >= 2]
    assert split  # a story of several must-link groups
    # One group of that story and twelve groups of other stories: the merged group is mostly
    # about other events, so the story's other groups are left as a cluster of their own.
    others = [m for s in sorted(by) if s != split[0] for m in by[s]][:12]
    bridged = (by[split[0]][0], *others)
    real = graph._must_links

    def must_links(tx, nodes, region, must, regions, groups, near_dup_min):
        real(tx, nodes, region, must, regions, groups, near_dup_min)
        new = nodes[0]
        for other in bridged:  # the new text is taken for a near duplicate of both groups
            home = tx.groups([other])[other][0]
            groups.prefetch([other])
            regions.prefetch([home])
            if groups.union(must[new], other):
                regions.union(region[new], home)

    monkeypatch.setattr(graph, "_must_links", must_links)
    bridge = Article(text=base[0].text + " A reader wrote in.", id="zz-bridge", title="Bridge")
    after = _ingest(db, [bridge])
    monkeypatch.undo()
    assert sorted(a for ids in after.values() for a in ids) == sorted(
        [a.id for a in base] + ["zz-bridge"]
    )
    assert after == _reclustered_from_texts(db)


def _story_rows(target) -> list[dict]:
    from newstrace.store import open_store

    with open_store(str(target)) as store:
        return [
            {k: v for k, v in s.items() if k != "seq"}
            for s in store.list_stories(limit=1000, sort="size")
        ]


def test_a_story_that_only_gains_articles_is_updated_from_them(backend, tmp_path, monkeypatch):
    """Stories that only gain articles are updated from the new articles alone (counts, dates,
    outlets, languages, title rows), and every field is what one ingest of everything gives."""
    from dataclasses import replace

    from newstrace.store import stories_sql

    base = fiction.corpus(10, 4)
    # Later reports of three families: an earlier date, a new outlet, another language's label.
    more = [
        replace(a, id=f"{a.id}-again", outlet=f"New Outlet {k}", published="2024-03-30T07:00:00Z")
        for k, a in enumerate(fiction.family(f, 6)[4:] for f in (2, 5, 8))
        for a in a
    ]
    more[0] = replace(more[0], language="de")
    # Two new titles, one on the earliest article (it becomes the story's default title), and one
    # undated report under a title its story has already.
    more[1] = replace(more[1], title="Quarry vote delayed again", published="2024-03-29T06:00:00Z")
    more[4] = replace(more[4], title="Ferry strike: the second day")
    more[5] = replace(more[5], published=None)
    grown = []
    real = stories_sql.growth
    monkeypatch.setattr(stories_sql, "growth", lambda s, c: grown.append(real(s, c)) or grown[-1])
    with new_target(backend, tmp_path) as steps, new_target(backend, tmp_path) as once:
        _ingest(steps, base, batch_size=100)
        _ingest(steps, more, batch_size=100)
        # Two stories grew in place: family 8's gained its two reports; family 2's gained two
        # and took in family 5's story (the reports joined them), whose row was deleted.
        assert sorted(len(added) for added in grown[-1].values()) == [2, 8]
        _ingest(once, [*base, *more], batch_size=1000)
        rows = _story_rows(steps)
        assert rows == _story_rows(once)
        merged = next(r for r in rows if r["n_articles"] == 12)
        assert {"New Outlet 0", "New Outlet 1"} <= set(merged["outlets"])
        assert "de" in merged["languages"] and merged["first_published"].startswith("2024-03-29")
        assert merged["title"] == "Quarry vote delayed again"
        for words in ("quarry delayed", "ferry strike second", merged["title"]):
            assert _found(steps, words) == _found(once, words) != []


def _found(target, query: str) -> list[str]:
    from newstrace.store import open_store

    with open_store(str(target)) as store:
        return sorted(s["id"] for s in store.list_stories(limit=100, query=query))


def test_a_story_takes_a_title_longer_than_an_index_entry(backend, tmp_path):
    """A member title of 6,000 characters (broken page extraction) is stored, kept as the story's
    title row when the story grows, and found by search, on both backends (a PostgreSQL B-tree
    entry holds at most 2,704 bytes)."""
    from dataclasses import replace

    family = fiction.family(3, 6)
    rng = random.Random(5)  # words that do not compress (PostgreSQL compresses index entries)
    words = ["".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(4))
             for _ in range(800)]  # fmt: skip
    long = "Harbour council minutes and the ferry timetable " + " ".join(words)
    first = [replace(family[0], title=long, published="2024-03-01T06:00:00Z"), *family[1:4]]
    with new_target(backend, tmp_path) as target:
        _ingest(target, first)
        _ingest(target, family[4:])  # the story grows; its long title row is kept
        (row,) = _story_rows(target)
        assert row["n_articles"] == 6 and row["title"] == long
        assert _found(target, "harbour timetable") == [row["id"]]


def test_a_growing_story_is_read_through_indexes(articles, tmp_path):
    """Schema version 12: the new articles of a growing story are read from the few unstoried
    rows (each text found by its key, never a scan of the texts), and its smallest member is one
    index lookup (story_members_story holds the article id), never a scan of its members."""
    import json

    from newstrace.store import graph_sql

    db = tmp_path / "plans.db"
    _ingest(db, articles)
    with sqlite3.connect(db) as conn:

        def plan(sql: str) -> list[str]:
            return [r[-1] for r in conn.execute("EXPLAIN QUERY PLAN " + sql, (json.dumps([1]),))]

        first = plan(graph_sql._FIRST_MEMBERS)
        assert any("COVERING INDEX story_members_story" in step for step in first)
        assert not any(step.startswith("SCAN m") for step in first)
        unstoried = plan(graph_sql._UNSTORIED)
        assert unstoried[0] == "SCAN u"
        assert "SEARCH t USING INTEGER PRIMARY KEY (rowid=?)" in unstoried
        assert not any(step.startswith("SCAN t") for step in unstoried)
