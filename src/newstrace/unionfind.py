"""Union-find for every stage: scipy's DisjointSet, named by a member the caller chooses.

scipy's :class:`~scipy.cluster.hierarchy.DisjointSet` keeps the sets (merge by
size, path halving); which element scipy makes the root depends on the sizes.
Callers here need a stable name for each set instead (its smallest member, its
earliest article, the store's largest region), so :class:`Groups` keeps one
representative per set, chosen at each union by ``key``: the smaller key names
the joined set.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable

from scipy.cluster.hierarchy import DisjointSet


class Groups:
    """Disjoint sets of hashable elements, each named by its representative.

    ``key`` orders the candidate names at a union (smallest wins); without it the
    elements themselves are compared, so each set is named by its smallest member.
    """

    def __init__(self, elements: Iterable[Hashable] = (), key: Callable | None = None) -> None:
        self._sets = DisjointSet()
        self._name: dict = {}  # scipy root -> representative
        self._key = key
        for x in elements:
            self.add(x)

    def add(self, x: Hashable) -> None:
        """Add ``x`` as a set of its own (nothing happens when it is there already)."""
        if x not in self._sets:
            self._sets.add(x)
            self._name[x] = x

    def __contains__(self, x: Hashable) -> bool:
        return x in self._sets

    def __iter__(self):
        """Yield the elements in the order they were added."""
        return iter(self._sets)

    def __len__(self) -> int:
        return len(self._sets)

    def find(self, x: Hashable) -> Hashable:
        """Return the representative of ``x``'s set; KeyError for an element never added."""
        return self._name[self._sets[x]]

    def union(self, a: Hashable, b: Hashable) -> tuple[Hashable, Hashable] | None:
        """Join the sets of ``a`` and ``b``; return (name kept, name absorbed), None when one."""
        ra, rb = self._sets[a], self._sets[b]
        if ra == rb:
            return None
        na, nb = self._name.pop(ra), self._name.pop(rb)
        keep, gone = sorted((na, nb), key=self._key) if self._key else (min(na, nb), max(na, nb))
        self._sets.merge(ra, rb)
        self._name[self._sets[ra]] = keep
        return keep, gone

    def groups(self, key: Callable | None = None) -> dict[Hashable, list]:
        """Return ``{representative: members}``, members (and so the sets) in the order they were
        added, or sorted by ``key``."""
        out: dict = {}
        for x in self._sets if key is None else sorted(self._sets, key=key):
            out.setdefault(self.find(x), []).append(x)
        return out
