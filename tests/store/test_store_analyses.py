"""The lazy pair-analysis cache: put_analyses / analyses_for."""

from __future__ import annotations

import pytest

from newstrace.errors import ConfigError, StoreError

from .conftest import make_item


def test_analyses_round_trip_in_either_order(store):
    store.add_articles([make_item(i) for i in range(3)])
    store.put_analyses([("art-1", "art-0", {"alignment": [{"b": 0, "a": [1]}]})])
    assert store.analyses_for([("art-0", "art-1")]) == {
        ("art-1", "art-0"): {"alignment": [{"b": 0, "a": [1]}]}
    }
    assert store.analyses_for([("art-1", "art-0"), ("art-0", "art-2")]).keys() == {
        ("art-1", "art-0")
    }
    store.put_analyses([("art-0", "art-1", {"v": 2})])  # replaces, whatever the order
    assert store.analyses_for([("art-0", "art-1")]) == {("art-0", "art-1"): {"v": 2}}
    assert store.analyses_for([]) == {}


def test_bad_analyses_are_refused(store):
    store.add_articles([make_item(0)])
    with pytest.raises(ConfigError):
        store.put_analyses([("art-0", "art-0", {})])
    with pytest.raises(StoreError):
        store.put_analyses([("art-0", "missing", {})])


def test_a_schema_2_store_gains_the_analyses_table_and_keeps_its_articles(tmp_path, monkeypatch):
    """The store branch's v2 stays v2; pair_analyses is v3, applied to a v2 store on open."""
    from newstrace.store import migrations, open_store

    db = str(tmp_path / "v2.db")
    with monkeypatch.context() as m:
        m.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:2])
        m.setattr(migrations, "LATEST", 2)
        with open_store(db) as old:
            # Today's add_articles files the new articles in ``unstoried`` (version 12); the
            # migration to it makes that table again from the articles.
            old._conn.execute("CREATE TABLE unstoried (article_id TEXT PRIMARY KEY, node INT)")
            old.add_articles([make_item(i) for i in range(2)])
            with pytest.raises(StoreError):  # no pair_analyses table at v2
                old.put_analyses([("art-0", "art-1", {"v": 1})])
    assert migrations.LATEST >= 3 and "pair_analyses" in migrations.MIGRATIONS[2]
    with open_store(db) as store:
        assert store.count_articles() == 2
        store.put_analyses([("art-0", "art-1", {"v": 1})])
        assert store.analyses_for([("art-1", "art-0")]) == {("art-0", "art-1"): {"v": 1}}
