"""Story clustering: same events together, different events apart, whatever the order."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newstrace.stories import StoryClusterer, average_linkage, event_vector, story_id

from .conftest import EVENTS, event_articles

ARTICLES = event_articles(4)
VECTORS = {a.id: event_vector(a) for a in ARTICLES}


def _cluster(order: list[str], batch: int, must=()) -> list[list[str]]:
    c = StoryClusterer()
    for k in range(0, len(order), batch):
        ids = order[k : k + batch]
        c.add(ids, [VECTORS[i] for i in ids], must)
    return c.stories()


def test_events_form_their_own_stories():
    stories = _cluster([a.id for a in ARTICLES], 100)
    assert all(len({i.split("-")[0] for i in s}) == 1 for s in stories)
    assert len(stories) == len(EVENTS)


@settings(max_examples=40, deadline=None)
@given(st.permutations([a.id for a in ARTICLES]), st.integers(1, 7))
def test_partition_does_not_depend_on_order(order, batch):
    assert _cluster(list(order), batch) == _cluster(sorted(order), 50)


def test_must_links_join_and_readding_is_harmless():
    ids = ["quarry-0", "ferry-0"]
    c = StoryClusterer()
    c.add(ids, [VECTORS[i] for i in ids], [("quarry-0", "ferry-0")])
    c.add(ids, [VECTORS[i] for i in ids])
    assert c.stories() == [["ferry-0", "quarry-0"]]


def test_story_id_comes_from_smallest_member():
    assert story_id(["b", "a"]) == story_id(["a", "c"]) != story_id(["b"])


def test_average_linkage_guards_against_chaining():
    # 0-1 and 1-2 are close, 0-2 far: the chain does not make one cluster on average.
    s = np.array([[1, 0.5, 0.0], [0.5, 1, 0.5], [0.0, 0.5, 1]])
    assert average_linkage(s, [[0], [1], [2]], 0.4) == [[0, 1], [2]]


@settings(max_examples=25, deadline=None)
@given(
    st.permutations([a.id for a in ARTICLES] + [f"{a.id}-copy" for a in ARTICLES[::2]]),
    st.integers(1, 9),
)
def test_copies_share_a_node_whatever_the_order(order, batch):
    def run(ids: list[str], size: int) -> list[list[str]]:
        c = StoryClusterer()
        for k in range(0, len(ids), size):
            chunk = ids[k : k + size]
            base = [i.removesuffix("-copy") for i in chunk]
            c.add(chunk, [VECTORS[b] for b in base], (), base)
        return c.stories()

    stories = run(list(order), batch)
    assert stories == run(sorted(order), 50)
    assert all(f"{a.id}-copy" in next(s for s in stories if a.id in s) for a in ARTICLES[::2])


def test_event_vector_bytes_round_trip():
    from newstrace.model import Article
    from newstrace.stories.cluster import pack_vector, unpack_vector

    v = event_vector(
        Article(text="Mayor Elra Quintavel opened the Dornfeld bridge on Monday.", title="Dornfeld")
    )
    back = unpack_vector(pack_vector(v))
    assert (
        (back.cols == v.cols).all() and (back.vals == v.vals).all() and (back.keys == v.keys).all()
    )
    assert back.keys.size and back.dot(v) == pytest.approx(v.dot(v))
    with pytest.raises(ValueError, match="needs"):
        unpack_vector(pack_vector(v)[:-4])


def test_packed_vectors_read_at_once_give_the_same_matrix():
    from newstrace.stories.cluster import (
        _matrix,
        pack_vector,
        unpack_matrix,
        unpack_vector,
    )
    from newstrace.stories.features import EventVector

    empty = EventVector(np.zeros(0, np.uint32), np.zeros(0, np.float32))
    vecs = [VECTORS[i] for i in sorted(VECTORS)] + [empty]
    packed = [pack_vector(v) for v in vecs]
    one_by_one = _matrix([unpack_vector(b) for b in packed])
    at_once = unpack_matrix(packed)
    for attr in ("indptr", "indices", "data"):
        a, b = getattr(one_by_one, attr), getattr(at_once, attr)
        assert a.dtype == b.dtype and np.array_equal(a, b)
    assert at_once.shape == one_by_one.shape and unpack_matrix([]).shape == _matrix([]).shape
    with pytest.raises(ValueError, match="needs"):
        unpack_matrix([packed[0], packed[1][:-4]])
    with pytest.raises(ValueError, match="needs"):
        unpack_matrix([packed[0][:-4], packed[1]])
    with pytest.raises(ValueError):
        unpack_matrix([packed[0], packed[1][:-1]])


def test_clustering_group_sums_gives_the_stories_of_the_texts():
    """``cluster_groups`` over one exact sum per must-link group, the groups given in any order,
    gives ``cluster_region``'s stories of the texts; the sums kept a text at a time in another
    order are the same bytes as the sums made at once."""
    import random

    from newstrace.stories import group_sums
    from newstrace.stories.cluster import _matrix, cluster_groups, cluster_region

    vecs = [VECTORS[i] for i in sorted(VECTORS)]
    keys = [f"k{(7 * k) % len(vecs):03d}" for k in range(len(vecs))]  # not in input order
    must = [k // 2 for k in range(len(vecs))]  # must-link groups of two
    texts = cluster_region(keys, vecs, must)
    assert len(texts) > 1
    groups = sorted({*must}, key=lambda g: -g)  # not in tie-break order either
    members = {g: [k for k in range(len(vecs)) if must[k] == g] for g in groups}
    at_once = group_sums.group_sums(_matrix(vecs), [members[g] for g in groups])
    rows = []
    for r, g in enumerate(groups):
        order = list(members[g])
        random.Random(r).shuffle(order)
        kept = group_sums.add(group_sums.of_vector(vecs[k].cols, vecs[k].vals) for k in order)
        lo, hi = at_once.indptr[r], at_once.indptr[r + 1]
        assert group_sums.pack(*kept) == group_sums.pack(
            at_once.indices[lo:hi], at_once.data[lo:hi]
        )
        assert group_sums.unpack(group_sums.pack(*kept))[1].tolist() == kept[1].tolist()
        rows.append(kept)
    got = cluster_groups(
        [min(keys[k] for k in members[g]) for g in groups],
        group_sums.matrix(rows),
        [len(members[g]) for g in groups],
    )
    as_texts = sorted(sorted(k for p in c for k in members[groups[p]]) for c in got)
    assert as_texts == sorted(sorted(c) for c in texts)
    with pytest.raises(ValueError, match="needs"):
        group_sums.unpack(group_sums.pack(*rows[0])[:-1])
