"""Incremental story clustering whose result does not depend on arrival order.

Two levels, both functions of the *set* of articles, never of their order:

1. **Regions** are the connected components of the link graph. A pair is
   linked when it is a must-link (exact or near duplicate) or when it shares
   a candidate key (a rare name) and its event score (``EventVector.dot``)
   is at least ``link_min``. Each decision depends on the pair alone, so a
   new article joins a region, starts one, or bridges two (a merge), and
   the components are the same whatever the order.
2. **Stories** inside a region come from average linkage over the region's
   exact pair scores, must-linked articles starting together, merging the
   best pair of clusters while their mean score is at least ``story_min``.
   Average linkage is the guard against chaining: one bridging pair is not
   enough to merge two stories unless the groups agree on average. Ties
   break on the smallest member id, so the result is deterministic.

Only regions touched since the last call are re-clustered.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import xxhash
from scipy import sparse
from scipy.sparse import csgraph  # noqa: F401  (loads sparse.csgraph)

from .features import DIM, EventVector

LINK_MIN = 0.30  # event score that links two articles into one region (tuned on ECB+)
STORY_MIN = 0.24  # mean score at which average linkage still merges two clusters
MAX_REGION = 800  # larger regions are split by stricter links first (bounds time and memory)
SPLIT_STEP = 0.05  # how much stricter each split of an oversized region is


def story_id(members: Iterable[str]) -> str:
    """Return the id of the story with ``members``: derived from its smallest member id."""
    return "s" + xxhash.xxh64_hexdigest(min(members).encode())[:11]


class _UnionFind:
    def __init__(self) -> None:
        self.parent: list[int] = []

    def add(self) -> int:
        self.parent.append(len(self.parent))
        return len(self.parent) - 1

    def find(self, x: int) -> int:
        p = self.parent
        while p[x] != x:
            p[x] = p[p[x]]
            x = p[x]
        return x

    def union(self, a: int, b: int) -> int:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)
        return min(ra, rb)


def _matrix(vectors: Sequence[EventVector], attr: str = "cols") -> sparse.csr_matrix:
    """Return the vectors as a CSR matrix (keys as a 0/1 matrix when ``attr == "keys"``)."""
    cols = [getattr(v, attr) for v in vectors]
    indptr = np.zeros(len(cols) + 1, np.int64)
    np.cumsum([c.size for c in cols], out=indptr[1:])
    idx = np.concatenate(cols).astype(np.int32) if cols else np.zeros(0, np.int32)
    if attr == "keys":
        data = np.ones(idx.size, np.float64)
    else:
        data = np.concatenate([v.vals for v in vectors]).astype(np.float64) if cols else np.zeros(0)
    return sparse.csr_matrix((data, idx, indptr), shape=(len(cols), DIM))


def _linked_pairs(vec, keys, old_vec, old_keys_t) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (rows, cols, scores) of the pairs that share a key, with their event scores.

    One sparse product scores all pairs at once (measured faster than scoring
    only the key-sharing pairs one by one); the key mask then keeps the candidates.
    """
    shared = (keys @ old_keys_t).tocsr()
    full = (vec @ old_vec.T).tocsr().multiply(shared > 0).tocoo()
    return full.row, full.col, np.round(full.data, 9)


class StoryClusterer:
    """Articles in, stories out; see the module docstring for the rules.

    ``add`` takes a batch; ``stories`` returns the current partition as
    sorted lists of ids. Pure in-memory state: the pipeline feeds it.
    """

    def __init__(self, link_min: float = LINK_MIN, story_min: float = STORY_MIN) -> None:
        self.link_min, self.story_min = link_min, story_min
        self._ids: list[str] = []
        self._row: dict[str, int] = {}
        self._vecs: list[EventVector] = []
        self._uf = _UnionFind()
        self._must: dict[int, set[int]] = {}
        self._chunks: list[tuple[sparse.csr_matrix, sparse.csr_matrix]] = []  # (vectors, keys^T)
        self._cache: dict[int, list[list[str]]] = {}  # region root -> its stories
        self._dirty: set[int] = set()
        self._region_rows: list[int] = []

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, article_id: str) -> bool:
        return article_id in self._row

    def add(self, ids: Sequence[str], vectors: Sequence[EventVector],
            must_links: Iterable[tuple[str, str]] = ()) -> None:  # fmt: skip
        """Add a batch of new articles and must-link pairs (ids already added or in the batch).

        Ids already present are ignored, so re-adding a batch is harmless.
        """
        fresh = [(i, v) for i, v in zip(ids, vectors) if i not in self._row]
        rows = []
        for article_id, vec in fresh:
            rows.append(self._uf.add())
            self._row[article_id] = rows[-1]
            self._ids.append(article_id)
            self._vecs.append(vec)
            self._dirty.add(rows[-1])
        if fresh:
            self._link_batch(np.array(rows), [v for _, v in fresh])
        for a, b in must_links:
            if a in self._row and b in self._row and a != b:
                ra, rb = self._row[a], self._row[b]
                self._must.setdefault(ra, set()).add(rb)
                self._must.setdefault(rb, set()).add(ra)
                self._join(ra, rb)

    def _join(self, a: int, b: int) -> None:
        self._dirty.add(self._uf.union(a, b))

    def _link_batch(self, rows: np.ndarray, vectors: list[EventVector]) -> None:
        """Link the batch to every earlier article and to itself (pairs sharing a key)."""
        vec, keys = _matrix(vectors), _matrix(vectors, "keys")
        keys_t = keys.T.tocsr()
        base = 0
        for old_vec, old_keys_t in self._chunks + [(vec, keys_t)]:
            i, j, scores = _linked_pairs(vec, keys, old_vec, old_keys_t)
            if old_vec is vec:
                keep = i < j
                i, j, scores = i[keep], j[keep], scores[keep]
            for a, b in zip(i[scores >= self.link_min].tolist(), j[scores >= self.link_min].tolist()):
                self._join(int(rows[a]), base + b if old_vec is not vec else int(rows[b]))
            base += old_vec.shape[0]
        self._chunks.append((vec, keys_t))
        self._compact()

    def _compact(self) -> None:
        """Merge the newest chunks while the last is at least as big (log-many chunks)."""
        while len(self._chunks) >= 2 and self._chunks[-1][0].shape[0] >= self._chunks[-2][0].shape[0]:
            (v1, k1), (v2, k2) = self._chunks[-2], self._chunks.pop()
            self._chunks[-1] = (sparse.vstack([v1, v2]).tocsr(), sparse.hstack([k1, k2]).tocsr())

    def stories(self) -> list[list[str]]:
        """Return every story as a sorted list of ids, stories sorted by first id."""
        self._refresh()
        out = [s for stories in self._cache.values() for s in stories]
        return sorted(out, key=lambda s: s[0])

    def _refresh(self) -> None:
        roots = {self._uf.find(r) for r in self._dirty}
        if not roots:
            return
        self._cache = {self._uf.find(r): s for r, s in self._cache.items()}  # merged regions re-key
        members: dict[int, list[int]] = {r: [] for r in roots}
        for row in range(len(self._ids)):
            root = self._uf.find(row)
            if root in members:
                members[root].append(row)
        for root, rows in members.items():
            self._cache[root] = self._cluster_region(rows)
        self._cache = {r: s for r, s in self._cache.items() if self._uf.find(r) == r}
        self._dirty.clear()

    def _cluster_region(self, rows: list[int]) -> list[list[str]]:
        """Return the stories of one region, by average linkage from its must-link groups."""
        rows = sorted(rows, key=lambda r: self._ids[r])
        if len(rows) == 1:
            return [[self._ids[rows[0]]]]
        self._region_rows = rows
        m = _matrix([self._vecs[r] for r in rows])
        scores = (m @ m.T).tocsr()
        scores.data = np.round(scores.data, 9)
        out = []
        for part in self._parts(np.arange(len(rows)), scores, self.link_min + SPLIT_STEP):
            sub = [rows[k] for k in part]
            dense = scores[part][:, part].toarray()
            clusters = average_linkage(dense, self._must_groups(sub), self.story_min)
            out += [sorted(self._ids[sub[k]] for k in c) for c in clusters]
        return out

    def _parts(self, idx: np.ndarray, scores: sparse.csr_matrix, strict: float) -> list[np.ndarray]:
        """Split positions ``idx`` into parts of at most MAX_REGION by ever stricter links.

        Must-links always hold, so a part may stay larger when duplicates make it so.
        """
        if idx.size <= MAX_REGION or strict > 1.0:
            return [idx]
        sub = scores[idx][:, idx]
        keep = sub.multiply(sub >= strict).tocsr()
        n_parts, labels = sparse.csgraph.connected_components(keep + self._must_matrix(idx), directed=False)
        if n_parts == 1:
            return self._parts(idx, scores, strict + SPLIT_STEP)
        out = []
        for p in range(n_parts):
            out += self._parts(idx[labels == p], scores, strict + SPLIT_STEP)
        return sorted(out, key=lambda a: int(a[0]))

    def _must_matrix(self, idx: np.ndarray) -> sparse.csr_matrix:
        rows = [self._region_rows[k] for k in idx.tolist()]
        pos = {r: k for k, r in enumerate(rows)}
        pairs = [(pos[r], pos[s]) for r in rows for s in self._must.get(r, ()) if s in pos]
        i = np.array([p[0] for p in pairs], np.int64)
        j = np.array([p[1] for p in pairs], np.int64)
        return sparse.csr_matrix((np.ones(len(pairs)), (i, j)), shape=(len(rows), len(rows)))

    def _must_groups(self, rows: list[int]) -> list[list[int]]:
        """Return the must-link components of a region, as positions in ``rows``."""
        pos = {r: k for k, r in enumerate(rows)}
        seen, groups = set(), []
        for k, r in enumerate(rows):
            if r in seen:
                continue
            stack, group = [r], []
            seen.add(r)
            while stack:
                x = stack.pop()
                group.append(pos[x])
                for y in self._must.get(x, ()):
                    if y not in seen and y in pos:
                        seen.add(y)
                        stack.append(y)
            groups.append(sorted(group))
        return groups


def average_linkage(scores: np.ndarray, groups: list[list[int]], threshold: float) -> list[list[int]]:
    """Return clusters (lists of positions) by average linkage starting from ``groups``.

    ``scores`` is a symmetric pair-score matrix; two clusters merge while the
    mean score over their cross pairs is the best and at least ``threshold``.
    Ties go to the pair of clusters listed first, so the result is deterministic.
    """
    k = len(groups)
    sums = np.zeros((k, k))
    for a, ga in enumerate(groups):
        block = scores[ga]
        for b in range(a + 1, k):
            sums[a, b] = sums[b, a] = block[:, groups[b]].sum()
    size = np.array([len(g) for g in groups], np.float64)
    alive = np.ones(k, bool)
    clusters = [list(g) for g in groups]
    while alive.sum() > 1:
        avg = sums / np.outer(size, size)
        avg[~alive, :] = -1
        avg[:, ~alive] = -1
        np.fill_diagonal(avg, -1)
        best = int(np.argmax(avg))
        a, b = divmod(best, k)
        if avg[a, b] < threshold:
            break
        a, b = min(a, b), max(a, b)
        sums[a, :] += sums[b, :]
        sums[:, a] = sums[a, :]
        sums[a, a] = 0
        size[a] += size[b]
        alive[b] = False
        clusters[a] += clusters[b]
        clusters[b] = []
    return [sorted(c) for c, live in zip(clusters, alive) if live]
