"""The pairwise comparison cache."""

from __future__ import annotations

import pytest

from newstrace.errors import ConfigError, StoreError

from .conftest import make_item


@pytest.fixture
def filled(store):
    store.add_articles([make_item(i) for i in range(4)])
    return store


def test_put_and_read_keeps_the_pair_order(filled):
    payload = {"verdict": "wholly_derived", "direction": {"source": "a"}, "score": 0.9}
    filled.put_edge("art-2", "art-1", payload)
    assert filled.edges_for(["art-1", "art-2"]) == {("art-2", "art-1"): payload}


def test_put_again_replaces_either_order(filled):
    filled.put_edge("art-1", "art-2", {"v": 1})
    filled.put_edge("art-2", "art-1", {"v": 2})
    assert filled.edges_for(["art-1", "art-2"]) == {("art-2", "art-1"): {"v": 2}}


def test_within_or_touching(filled):
    filled.put_edges(
        [("art-0", "art-1", {"v": 1}), ("art-1", "art-2", {"v": 2}), ("art-2", "art-3", {"v": 3})]
    )
    assert set(filled.edges_for(["art-0", "art-1", "art-2"])) == {
        ("art-0", "art-1"),
        ("art-1", "art-2"),
    }
    assert set(filled.edges_for(["art-1"], within=False)) == {
        ("art-0", "art-1"),
        ("art-1", "art-2"),
    }
    assert filled.edges_for([]) == {}


def test_self_pair_and_unknown_article(filled):
    with pytest.raises(ConfigError, match="two different articles"):
        filled.put_edge("art-1", "art-1", {})
    with pytest.raises(StoreError, match="FOREIGN KEY") as info:
        filled.put_edges([("art-1", "art-2", {}), ("art-1", "nope", {})])
    assert "not stored" in info.value.hint
    assert filled.edges_for(["art-1", "art-2"]) == {}  # the batch rolled back whole
