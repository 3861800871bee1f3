"""The one union-find (newstrace.unionfind, on scipy's DisjointSet) gives the groups and names the
hand-written ones it replaced gave (issue 8 item 18)."""

import random

import pytest

from newstrace.batch.components import local_components
from newstrace.model import Alignment, Link
from newstrace.pairwise.drift_pass import link_groups
from newstrace.store.graph import _Sets
from newstrace.unionfind import Groups


class _MinRootReference:
    """The replaced implementation (stories/cluster.py, batch/components.py): the smaller root
    absorbs the larger."""

    def __init__(self):
        self.parent = {}

    def find(self, x):
        while self.parent.setdefault(x, x) != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return None
        self.parent[max(ra, rb)] = min(ra, rb)
        return min(ra, rb), max(ra, rb)


def _components(nodes, edges):
    """Connected components by breadth-first search: a reference that is not a union-find."""
    nbrs = {n: set() for n in nodes}
    for a, b in edges:
        nbrs[a].add(b)
        nbrs[b].add(a)
    seen, out = set(), []
    for n in nodes:
        if n in seen:
            continue
        comp, todo = set(), [n]
        while todo:
            x = todo.pop()
            if x not in comp:
                comp.add(x)
                todo.extend(nbrs[x] - comp)
        seen |= comp
        out.append(frozenset(comp))
    return set(out)


@pytest.mark.parametrize("seed", range(20))
def test_same_groups_and_names_as_the_replaced_union_find(seed):
    rng = random.Random(seed)
    n = rng.randint(1, 60)
    edges = [(rng.randrange(n), rng.randrange(n)) for _ in range(rng.randint(0, 2 * n))]
    ref, groups = _MinRootReference(), Groups(range(n))
    for x in range(n):
        ref.find(x)
    for a, b in edges:
        assert groups.union(a, b) == ref.union(a, b)
    assert [groups.find(x) for x in range(n)] == [ref.find(x) for x in range(n)]
    got = {frozenset(m) for m in groups.groups().values()}
    assert got == _components(range(n), edges)
    for name, members in groups.groups().items():
        assert name == min(members)


def test_key_names_each_group_by_its_smallest_key():
    order = {"c": 0, "a": 2, "b": 1, "d": 3}
    groups = Groups(order, key=order.__getitem__)
    assert groups.union("a", "d") == ("a", "d")
    assert groups.union("d", "b") == ("b", "a")
    assert groups.union("a", "b") is None
    assert groups.find("a") == groups.find("d") == "b"
    assert groups.groups(key=order.__getitem__) == {"c": ["c"], "b": ["b", "a", "d"]}
    with pytest.raises(KeyError):
        groups.find("never added")


@pytest.mark.parametrize("seed", range(10))
def test_local_components_is_each_component_named_by_its_smallest_node(seed):
    rng = random.Random(seed)
    names = [f"n{i:02d}" for i in range(30)]
    edges = [(rng.choice(names), rng.choice(names)) for _ in range(25)]
    got = local_components(edges)
    ref = _MinRootReference()
    for a, b in edges:
        ref.union(a, b)
    assert got == {x: ref.find(x) for x in ref.parent}
    assert list(got) == list(ref.parent)  # the same order too


@pytest.mark.parametrize("seed", range(10))
def test_link_groups_are_the_connected_groups_of_links(seed):
    rng = random.Random(seed)
    links = tuple(
        Link(b=b, a=tuple(sorted(rng.sample(range(12), rng.randint(0, 3)))), label="x", score=0.9)
        for b in sorted(rng.sample(range(15), rng.randint(0, 10)))
    )
    got = link_groups(Alignment(links=links, a_labels=()))
    # A B sentence with no source forms no group.
    nodes = sorted({("a", i) for ln in links for i in ln.a} | {("b", ln.b) for ln in links if ln.a})
    edges = [(("a", i), ("b", ln.b)) for ln in links for i in ln.a]
    want = sorted(
        (
            tuple(sorted(i for side, i in comp if side == "a")),
            tuple(sorted(i for side, i in comp if side == "b")),
        )
        for comp in _components(nodes, edges)
    )
    assert got == sorted(want, key=lambda g: g[1])


class _Tx:
    def __init__(self, sizes):
        self.sizes, self.asked = sizes, []

    def set_sizes(self, column, ids):
        self.asked += ids
        return {i: self.sizes[i] for i in ids if i in self.sizes}


def test_store_sets_keep_the_larger_set_id_and_map_the_absorbed_ones():
    tx = _Tx({10: 5, 20: 1, 30: 9})
    sets = _Sets(tx, "region")
    assert sets.find(99) == 99  # never joined: its own set
    assert sets.union(10, 20) is True
    assert sets.find(20) == 10  # 10 holds 5 texts, 20 one
    assert sets.union(20, 30) is True
    assert sets.find(10) == sets.find(20) == 30  # 30 holds 9
    assert sets.union(10, 30) is False
    assert sets.mapping() == {10: 30, 20: 30}
    assert sorted(tx.asked) == [10, 20, 30]  # each size read once
