"""The lazy pair-analysis cache: put_analyses / analyses_for."""

from __future__ import annotations

import pytest

from newstrace.errors import ConfigError, StoreError

from .conftest import make_item


def test_analyses_round_trip_in_either_order(store):
    store.add_articles([make_item(i) for i in range(3)])
    store.put_analyses([("art-1", "art-0", {"alignment": [{"b": 0, "a": [1]}]})])
    assert store.analyses_for([("art-0", "art-1")]) == {("art-1", "art-0"): {"alignment": [{"b": 0, "a": [1]}]}}
    assert store.analyses_for([("art-1", "art-0"), ("art-0", "art-2")]).keys() == {("art-1", "art-0")}
    store.put_analyses([("art-0", "art-1", {"v": 2})])  # replaces, whatever the order
    assert store.analyses_for([("art-0", "art-1")]) == {("art-0", "art-1"): {"v": 2}}
    assert store.analyses_for([]) == {}


def test_bad_analyses_are_refused(store):
    store.add_articles([make_item(0)])
    with pytest.raises(ConfigError):
        store.put_analyses([("art-0", "art-0", {})])
    with pytest.raises(StoreError):
        store.put_analyses([("art-0", "missing", {})])
