"""Incremental story clustering whose result does not depend on arrival order.

The units are **texts**, not articles: articles with the same copy key (the
pipeline uses content hash, title and language, everything the event vector
depends on) share one node, so syndicated copies cost nothing beyond their id.
Two levels, both functions of the *set* of texts, never of their order:

1. **Regions** are the connected components of the link graph. A pair is
   linked when it is a must-link (exact or near duplicate) or when it shares
   a candidate key (a rare name) and its event score (``EventVector.dot``)
   is at least ``link_min``. Each decision depends on the pair alone, so a
   new text joins a region, starts one, or bridges two (a merge), and the
   components are the same whatever the order. Only key-sharing pairs are
   scored (an inverted index on keys), so linking is linear in the pairs
   that share a rare name, not quadratic in the corpus.
2. **Stories** inside a region come from average linkage over its texts,
   must-linked texts starting together, merging the best pair of clusters
   while their mean pair score is at least ``story_min``. Average linkage is
   the guard against chaining. Cluster sums are products of group-summed
   vectors (``sum_a . sum_b`` is the sum of the cross pair scores), so a
   region is never scored as an n x n matrix of texts. Ties break on the
   smallest node key, so the result is deterministic.

Only regions touched since the last call are re-clustered.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence

import numpy as np
import xxhash
from scipy import sparse

from ..unionfind import Groups
from . import group_sums as _group_sums
from .features import DIM, EventVector

LINK_MIN = 0.30  # event score that links two articles into one region (tuned on ECB+)
STORY_MIN = 0.24  # mean score at which average linkage still merges two clusters
MAX_GROUPS = 2000  # larger regions are split by stricter links first (bounds time and memory)
SPLIT_STEP = 0.05  # how much stricter each split of an oversized region is
_BLOCK = 512  # rows of group scores computed at a time when splitting


def story_id(members: Iterable[str]) -> str:
    """Return the id of the story with ``members``: derived from its smallest member id."""
    return "s" + xxhash.xxh64_hexdigest(min(members).encode())[:11]


_HASH_MOD = 1 << 128


def _member_sum(members: Iterable[str]) -> int:
    return sum(xxhash.xxh3_128_intdigest(m.encode()) for m in members)


def members_hash(members: Iterable[str]) -> str:
    """Return a digest of a story's member ids (distinct ids, any order): equal digests, equal
    members.

    It is the sum of the ids' 128-bit hashes modulo 2**128, so a story that gains articles gets
    its new digest from the old one and the new ids alone (:func:`grown_hash`), without reading
    its other members.
    """
    return format(_member_sum(members) % _HASH_MOD, "032x")


def grown_hash(digest: str, added: Iterable[str]) -> str:
    """Return the :func:`members_hash` of a story with digest ``digest`` that gains ``added``
    (ids it does not hold)."""
    return format((int(digest, 16) + _member_sum(added)) % _HASH_MOD, "032x")


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


def _pair_scores(
    a: sparse.csr_matrix, i: np.ndarray, b: sparse.csr_matrix, j: np.ndarray
) -> np.ndarray:
    """Return the event scores of the row pairs (a[i[k]], b[j[k]]), rounded so they do not depend on
    order."""
    if i.size == 0:
        return np.zeros(0)
    return np.round(np.asarray(a[i].multiply(b[j]).sum(axis=1)).ravel(), 9)


class StoryClusterer:
    """Articles in, stories out; see the module docstring for the rules.

    ``add`` takes a batch; ``stories`` returns the current partition as
    sorted lists of ids. Pure in-memory state: the pipeline feeds it.
    """

    def __init__(self, link_min: float = LINK_MIN, story_min: float = STORY_MIN) -> None:
        self.link_min, self.story_min = link_min, story_min
        self._row: dict[str, int] = {}  # article id -> node
        self._node: dict[Hashable, int] = {}  # copy key -> node
        self._keys: list[str] = []  # node -> its copy key, as text (the tie-break order)
        self._members: list[list[str]] = []  # node -> article ids
        self._vecs: list[EventVector] = []
        self._uf = Groups()  # regions, each named by its smallest node
        self._must = Groups()  # must-link groups
        self._region: dict[int, list[int]] = {}  # region root -> nodes
        self._chunks: list[tuple[sparse.csr_matrix, sparse.csr_matrix]] = []  # (vectors, keys^T)
        self._cache: dict[int, list[list[int]]] = {}  # region root -> its stories, as nodes
        self._dirty: set[int] = set()

    def __len__(self) -> int:
        return len(self._row)

    def __contains__(self, article_id: str) -> bool:
        return article_id in self._row

    def add(
        self,
        ids: Sequence[str],
        vectors: Sequence[EventVector | None],
        must_links: Iterable[tuple[str, str]] = (),
        copy_keys: Sequence[Hashable] | None = None,
    ) -> None:
        """Add a batch of new articles and must-link pairs (ids already added or in the batch).

        Articles with equal ``copy_keys`` (default: their ids) are one text: the
        vector of the first is used and the others' may be None. Ids already
        present are ignored, so re-adding a batch is harmless.
        """
        keys = list(ids) if copy_keys is None else list(copy_keys)
        new_rows, new_vecs = [], []
        for article_id, vec, key in zip(ids, vectors, keys):
            if article_id in self._row:
                continue
            node = self._node.get(key)
            if node is None:
                node = self._new_node(key, vec)
                new_rows.append(node)
                new_vecs.append(vec)
            self._members[node].append(article_id)
            self._row[article_id] = node
        if new_rows:
            self._link_batch(np.array(new_rows), new_vecs)
        for a, b in must_links:
            if a in self._row and b in self._row and self._row[a] != self._row[b]:
                ra, rb = self._row[a], self._row[b]
                self._must.union(ra, rb)
                self._join(ra, rb)

    def must_linked(self, a: str, b: str) -> bool:
        """Return True when articles ``a`` and ``b`` are already in one must-link group."""
        return self._must.find(self._row[a]) == self._must.find(self._row[b])

    def _new_node(self, key: Hashable, vec: EventVector | None) -> int:
        if vec is None:
            raise ValueError(f"the first article of copy key {key!r} needs its event vector")
        node = len(self._keys)
        self._uf.add(node)
        self._must.add(node)
        self._node[key] = node
        self._keys.append(str(key))
        self._members.append([])
        self._vecs.append(vec)
        self._region[node] = [node]
        self._dirty.add(node)
        return node

    def _join(self, a: int, b: int) -> None:
        joined = self._uf.union(a, b)
        if joined:
            keep, gone = joined
            self._region[keep] += self._region.pop(gone)
            self._dirty.discard(gone)
        self._dirty.add(self._uf.find(a))

    def _link_batch(self, rows: np.ndarray, vectors: list[EventVector]) -> None:
        """Link the batch to every earlier text and to itself (pairs sharing a key, scored alone).

        A pair whose ends are already in one region cannot change the regions,
        so it is not scored: first the best candidate (most shared keys) of each
        (new text, region), then the other candidates of the regions not yet joined.
        """
        vec, keys = _matrix(vectors), _matrix(vectors, "keys")
        keys_t = keys.T.tocsr()
        chunks = self._chunks + [(vec, keys_t)]
        bases = np.cumsum([0] + [c[0].shape[0] for c in self._chunks])
        parts = []
        for c, (_, old_keys_t) in enumerate(chunks):
            shared = (keys @ old_keys_t).tocoo()
            i, j, n = shared.row.astype(np.int64), shared.col.astype(np.int64), shared.data
            node = rows[j] if c == len(self._chunks) else bases[c] + j
            keep = node < rows[i] if c == len(self._chunks) else np.ones(i.size, bool)
            parts.append(
                np.stack(
                    [
                        i[keep],
                        node[keep],
                        j[keep],
                        np.full(keep.sum(), c),
                        -n[keep].astype(np.int64),
                    ]
                )
            )
        if not parts:
            return
        cand = np.concatenate(parts, axis=1)
        self._chunks.append((vec, keys_t))
        if cand.shape[1]:
            first = self._score_links(cand, rows, chunks, vec, per_region=True)
            self._score_links(cand[:, ~first], rows, chunks, vec, per_region=False)
        self._compact()

    def _score_links(
        self, cand: np.ndarray, rows: np.ndarray, chunks, vec, per_region: bool
    ) -> np.ndarray:
        """Score candidates (i, node, local j, chunk, -shared keys) not yet in one region; join
        linked pairs.

        With ``per_region``, only the best candidate of each (i, region) is scored.
        Returns the mask of candidates scored.
        """
        # One find per distinct node (candidates repeat nodes many times).
        nodes, where = np.unique(np.concatenate([rows[cand[0]], cand[1]]), return_inverse=True)
        find = self._uf.find
        roots = np.array([find(x) for x in nodes.tolist()], np.int64)[where]
        root_i, root_j = roots[: cand.shape[1]], roots[cand.shape[1] :]
        todo = root_i != root_j
        if per_region:
            order = np.lexsort((cand[1], cand[4], root_j, cand[0]))
            head = np.ones(order.size, bool)
            head[1:] = (cand[0][order][1:] != cand[0][order][:-1]) | (
                root_j[order][1:] != root_j[order][:-1]
            )
            pick = np.zeros(order.size, bool)
            pick[order[head]] = True
            todo &= pick
        for c, (old_vec, _) in enumerate(chunks):
            sel = np.nonzero(todo & (cand[3] == c))[0]
            scores = _pair_scores(vec, cand[0][sel], old_vec, cand[2][sel])
            for k in sel[scores >= self.link_min].tolist():
                self._join(int(rows[cand[0][k]]), int(cand[1][k]))
        return todo

    def _compact(self) -> None:
        """Merge the newest chunks while the last is at least as big (log-many chunks)."""
        while (
            len(self._chunks) >= 2 and self._chunks[-1][0].shape[0] >= self._chunks[-2][0].shape[0]
        ):
            (v1, k1), (v2, k2) = self._chunks[-2], self._chunks.pop()
            self._chunks[-1] = (sparse.vstack([v1, v2]).tocsr(), sparse.hstack([k1, k2]).tocsr())

    def stories(self) -> list[list[str]]:
        """Return every story as a sorted list of ids, stories sorted by first id."""
        self._refresh()
        out = [
            sorted(i for n in s for i in self._members[n])
            for ss in self._cache.values()
            for s in ss
        ]
        return sorted(out, key=lambda s: s[0])

    def _refresh(self) -> None:
        roots = {self._uf.find(r) for r in self._dirty}
        self._dirty.clear()
        if not roots:
            return
        self._cache = {
            r: s for r, s in self._cache.items() if self._uf.find(r) == r and r not in roots
        }
        for root in roots:
            self._cache[root] = self._cluster_region(self._region[root])

    def _cluster_region(self, nodes: list[int]) -> list[list[int]]:
        """Return the stories of one region (lists of nodes), by average linkage from its must-link
        groups."""
        parts = cluster_region(
            [self._keys[n] for n in nodes],
            [self._vecs[n] for n in nodes],
            [self._must.find(n) for n in nodes],
            self.link_min,
            self.story_min,
        )
        return [[nodes[k] for k in part] for part in parts]


def cluster_region(
    keys: Sequence[str],
    vectors: Sequence[EventVector],
    must_roots: Sequence[Hashable],
    link_min: float = LINK_MIN,
    story_min: float = STORY_MIN,
) -> list[list[int]]:
    """Return the stories of one region as lists of positions into the inputs.

    A region's texts are given by their copy keys (the tie-break order), event
    vectors and must-link group (equal ``must_roots``: one group). Texts of a
    must-link group start in one cluster; average linkage then merges clusters
    while their mean pair score is at least ``story_min``. The result depends
    on the set of texts only, not on the order they are given in.
    """
    return _cluster(
        keys, lambda order: _matrix([vectors[n] for n in order]), must_roots, link_min, story_min
    )


def _cluster(keys, matrix_of, must_roots, link_min: float, story_min: float) -> list[list[int]]:
    """:func:`cluster_region`, with ``matrix_of(order)`` giving the vectors' rows in that order."""
    order = sorted(range(len(keys)), key=keys.__getitem__)
    if len(order) == 1:
        return [order]
    groups: dict[Hashable, list[int]] = {}
    for k, n in enumerate(order):
        groups.setdefault(must_roots[n], []).append(k)
    glist = list(groups.values())
    if len(glist) == 1:
        return [order]
    sums = _group_sums.group_sums(matrix_of(order), glist)
    size = np.array([len(g) for g in glist])
    return [
        [order[k] for g in c for k in glist[g]]
        for c in _cluster_sums(sums, size, link_min, story_min)
    ]


def cluster_groups(
    firsts: Sequence[str],
    sums: sparse.csr_matrix,
    sizes: Sequence[int],
    link_min: float = LINK_MIN,
    story_min: float = STORY_MIN,
) -> list[list[int]]:
    """Return the stories of one region from its must-link groups, as lists of group positions.

    Each group is given by its smallest copy key (``firsts``), the int64 fixed-point sum of its
    texts' vectors (a row of ``sums``, see :mod:`.group_sums`) and its number of texts. The result
    is :func:`cluster_region`'s for the region's texts, read from one row per group instead of one
    per text.
    """
    order = sorted(range(len(firsts)), key=firsts.__getitem__)
    if len(order) == 1:
        return [order]
    ordered = sums[order]
    ordered.sort_indices()
    size = np.asarray(sizes, np.int64)[order]
    return [[order[g] for g in c] for c in _cluster_sums(ordered, size, link_min, story_min)]


def _cluster_sums(
    sums: sparse.csr_matrix, size: np.ndarray, link_min: float, story_min: float
) -> list[list[int]]:
    """Return clusters of groups (positions, in the tie-break order) from their int64 sums."""
    sums = _group_sums.to_float(sums)
    out = []
    for part in _parts(np.arange(len(size)), sums, size, link_min + SPLIT_STEP):
        sub = sums[part]
        cross = np.round((sub @ sub.T).toarray(), 9)
        out += [
            [int(part[g]) for g in c]
            for c in _linkage(cross, size[part].astype(np.float64), story_min)
        ]
    return out


def pair_scores(
    vectors: Mapping[Hashable, EventVector], pairs: Sequence[tuple[Hashable, Hashable]]
) -> np.ndarray:
    """Return the event score of each pair of texts (ids into ``vectors``), as the clusterer
    compares it with ``link_min``."""
    if not pairs:
        return np.zeros(0)
    ids = sorted({x for p in pairs for x in p}, key=str)
    row = {x: k for k, x in enumerate(ids)}
    m = _matrix([vectors[x] for x in ids])
    i = np.array([row[a] for a, _ in pairs], np.int64)
    j = np.array([row[b] for _, b in pairs], np.int64)
    return _pair_scores(m, i, m, j)


def pack_vector(v: EventVector) -> bytes:
    """Return the bytes of an event vector: uint32 counts (cols, keys), cols, float32 vals, keys
    (LE)."""
    head = np.array([v.cols.size, v.keys.size], "<u4").tobytes()
    return (
        head
        + v.cols.astype("<u4").tobytes()
        + v.vals.astype("<f4").tobytes()
        + v.keys.astype("<u4").tobytes()
    )


def unpack_vector(blob: bytes) -> EventVector:
    """Return the event vector packed by :func:`pack_vector`; raise ValueError for bytes of another
    shape."""
    n, k = np.frombuffer(blob, "<u4", count=2).tolist()
    if len(blob) != 8 + 8 * n + 4 * k:
        raise ValueError(
            f"event vector of {n} columns and {k} keys needs "
            f"{8 + 8 * n + 4 * k} bytes, got {len(blob)}"
        )
    cols = np.frombuffer(blob, "<u4", n, 8).astype(np.uint32)
    vals = np.frombuffer(blob, "<f4", n, 8 + 4 * n).astype(np.float32)
    keys = np.frombuffer(blob, "<u4", k, 8 + 8 * n).astype(np.uint32)
    return EventVector(cols, vals, keys)


def unpack_matrix(blobs: Sequence[bytes]) -> sparse.csr_matrix:
    """Return the vectors packed by :func:`pack_vector` as the CSR matrix ``_matrix`` makes of them
    unpacked (the same arrays), read in a few array operations instead of one unpack per vector.

    Rebuilding a region's group rows from its texts reads them this way (a region of 50,000
    texts spent most of its clustering time unpacking them one by one). Raises ValueError, as
    :func:`unpack_vector` does, for bytes of another shape.
    """
    n_rows = len(blobs)
    lengths = np.fromiter(map(len, blobs), np.int64, n_rows)
    if n_rows == 0 or np.any((lengths < 8) | (lengths % 4 != 0)):
        return _matrix([unpack_vector(b) for b in blobs])  # empty, or raises for the bad one
    words = np.frombuffer(b"".join(blobs), "<u4")
    first = np.zeros(n_rows, np.int64)  # each blob's first word
    np.cumsum(lengths[:-1] // 4, out=first[1:])
    n = words[first].astype(np.int64)
    k = words[first + 1].astype(np.int64)
    bad = np.nonzero(lengths != 8 + 8 * n + 4 * k)[0]
    if bad.size:
        unpack_vector(blobs[int(bad[0])])  # raises, naming the sizes
    indptr = np.zeros(n_rows + 1, np.int64)
    np.cumsum(n, out=indptr[1:])
    # word positions of every row's columns, in row order; its values follow n words later
    at = np.repeat(first + 2 - indptr[:-1], n) + np.arange(indptr[-1], dtype=np.int64)
    idx = words[at].astype(np.uint32).astype(np.int32)
    data = words.view("<f4")[at + np.repeat(n, n)].astype(np.float32).astype(np.float64)
    return sparse.csr_matrix((data, idx, indptr), shape=(n_rows, DIM))


def _parts(
    idx: np.ndarray, sums: sparse.csr_matrix, size: np.ndarray, strict: float
) -> list[np.ndarray]:
    """Split groups ``idx`` into parts of at most MAX_GROUPS by ever stricter mean-score links."""
    if idx.size <= MAX_GROUPS or strict > 1.0:
        return [idx]
    sub, n = sums[idx], idx.size
    i_all, j_all = [], []
    for s in range(0, n, _BLOCK):  # blocks keep memory at _BLOCK x n, never n x n
        block = (sub[s : s + _BLOCK] @ sub.T).toarray()
        block /= np.outer(size[idx[s : s + _BLOCK]], size[idx])
        i, j = np.nonzero(np.round(block, 9) >= strict)
        i_all.append(i + s)
        j_all.append(j)
    i, j = np.concatenate(i_all), np.concatenate(j_all)
    graph = sparse.csr_matrix((np.ones(i.size), (i, j)), shape=(n, n))
    # Imported here: csgraph loads scipy.linalg (a quarter of the start-up), and only
    # oversized regions need it.
    from scipy.sparse.csgraph import connected_components

    n_parts, labels = connected_components(graph, directed=False)
    if n_parts == 1:
        return _parts(idx, sums, size, strict + SPLIT_STEP)
    out = []
    for p in range(n_parts):
        out += _parts(idx[labels == p], sums, size, strict + SPLIT_STEP)
    return sorted(out, key=lambda a: int(a[0]))


def _linkage(sums: np.ndarray, size: np.ndarray, threshold: float) -> list[list[int]]:
    """Return clusters (positions) by average linkage over cross-pair score ``sums`` of ``size``-d
    groups.

    Merges the pair of clusters with the best mean score while it is at least
    ``threshold``; ties go to the pair listed first (row, then column), so the
    result is deterministic. Each row keeps its best partner, so a merge
    costs O(k), not a scan of the k x k matrix.
    """
    k = len(size)
    sums = sums.astype(np.float64, copy=True)
    avg = np.round(sums / np.outer(size, size), 9)
    np.fill_diagonal(avg, -np.inf)
    best = avg.argmax(axis=1)
    bestv = avg[np.arange(k), best]
    clusters = [[g] for g in range(k)]
    while k > 1:
        a = int(np.argmax(bestv))
        if bestv[a] < threshold:
            break
        a, b = min(a, int(best[a])), max(a, int(best[a]))
        sums[a] += sums[b]
        sums[:, a] = sums[a]
        size[a] += size[b]
        clusters[a] += clusters[b]
        clusters[b] = []
        avg[b, :] = avg[:, b] = -np.inf
        bestv[b] = -np.inf
        row = np.round(sums[a] / (size[a] * size), 9)
        row[~np.isfinite(avg[:, a]) & (np.arange(k) != a)] = -np.inf  # dead clusters stay dead
        row[a] = -np.inf
        avg[a, :] = avg[:, a] = row
        stale = np.nonzero((best == a) | (best == b))[0]
        for c in stale.tolist():
            if np.isfinite(bestv[c]) or c == a:
                best[c] = int(np.argmax(avg[c]))
                bestv[c] = avg[c, best[c]]
        better = (row > bestv) | ((row == bestv) & (a < best))
        better[a] = False
        better &= np.isfinite(row)
        best[better] = a
        bestv[better] = row[better]
        best[a] = int(np.argmax(avg[a]))
        bestv[a] = avg[a, best[a]]
    return [sorted(c) for c in clusters if c]


def average_linkage(
    scores: np.ndarray, groups: list[list[int]], threshold: float
) -> list[list[int]]:
    """Return clusters (lists of positions) by average linkage starting from ``groups``.

    ``scores`` is a symmetric pair-score matrix; two clusters merge while the
    mean score over their cross pairs is the best and at least ``threshold``.
    """
    ind = np.zeros((len(groups), len(scores)))
    for k, g in enumerate(groups):
        ind[k, g] = 1.0
    sums = ind @ np.asarray(scores, np.float64) @ ind.T
    size = np.array([len(g) for g in groups], np.float64)
    return [sorted(p for g in c for p in groups[g]) for c in _linkage(sums, size, threshold)]
