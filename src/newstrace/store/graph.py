"""The story graph kept in the store: linking new texts into regions, re-clustering dirty regions.

Backend-independent: it runs inside one write transaction of a backend,
through the small :class:`GraphTx` interface, and applies the same rules as
the in-memory :class:`~newstrace.stories.StoryClusterer`:

- a text is must-linked to the texts of its exact hash and to its near
  duplicates (a shared LSH band and MinHash Jaccard >= ``NEAR_DUP_MIN``);
- it is linked to a text sharing a candidate key when their event score is
  at least ``LINK_MIN``; regions are the connected components of all links;
- a dirty region (one a text joined) is re-clustered by average linkage
  (``stories.cluster_region``) and only its stories whose members changed
  are rewritten.

Each decision depends on the pair alone and a region is a component, so the
stories do not depend on the order texts arrive in, on batch sizes, or on how
writers interleave.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from ..fingerprint import deserialize, jaccard_estimate
from ..stories import story_id
from ..stories.cluster import (
    LINK_MIN,
    STORY_MIN,
    cluster_region,
    members_hash,
    pair_scores,
    unpack_vector,
)

NEAR_DUP_MIN = 0.5  # MinHash Jaccard at which a band candidate is a near duplicate (must-link)
RECLUSTER_TEXTS = (
    20_000  # texts re-clustered per transaction (bounds how long the write lock is held)
)


class GraphTx(Protocol):
    """What the graph needs from a backend, inside one write transaction.

    Node ids are the backend's integer text ids. ``region`` and ``must`` are
    set ids: every text holds the id of its set's root.
    """

    def unlinked(self) -> list[tuple[int, int, int, bytes]]:
        """Return ``(node, region, must, vector)`` of every text not linked yet."""
        ...

    def exact_neighbours(self, nodes: Sequence[int]) -> list[tuple[int, int, int, int]]:
        """Return ``(node, other, other region, other must)``: other texts with an article of node's exact hash."""
        ...

    def band_neighbours(self, nodes: Sequence[int]) -> list[tuple[int, int, int, int]]:
        """Return ``(node, other, other region, other must)``: other texts sharing an LSH band key."""
        ...

    def key_best(self, keys: Sequence[tuple[int, int]]) -> list[tuple[int, int, int, int]]:
        """Return ``(node, other, other region, shared keys)``: for ``(node, key)`` queries, the best
        candidate (most shared keys, then smallest id) of each (node, region), other != node."""
        ...

    def key_rest(
        self, keys: Sequence[tuple[int, int]], regions: Sequence[tuple[int, int]]
    ) -> list[tuple[int, int, int, int]]:
        """Return the other candidates (as :meth:`key_best`) of the ``(node, region)`` pairs asked for."""
        ...

    def signatures(self, nodes: Iterable[int]) -> dict[int, bytes]:
        """Return one serialized signature per text (its articles share one content)."""
        ...

    def vectors(self, nodes: Iterable[int]) -> dict[int, bytes]:
        """Return the packed event vector of each text."""
        ...

    def set_sizes(self, column: str, ids: Iterable[int]) -> dict[int, int]:
        """Return how many texts hold each ``region`` (or ``must``) id."""
        ...

    def relabel(self, column: str, mapping: dict[int, int]) -> None:
        """Move every text of set ``gone`` to set ``keep`` for each ``gone -> keep`` (regions: dirty flags move too)."""
        ...

    def mark_linked(self, nodes: Sequence[int], dirty_regions: Iterable[int]) -> None:
        """Flag ``nodes`` as linked and ``dirty_regions`` as needing re-clustering."""
        ...

    def dirty_regions(self, max_texts: int) -> list[tuple[int, int]]:
        """Return ``(region, texts)`` of dirty regions, smallest id first, about ``max_texts`` texts in all."""
        ...

    def region_texts(
        self, regions: Sequence[int]
    ) -> dict[int, list[tuple[int, str, int, bytes, list[str]]]]:
        """Return ``{region: [(node, copy key, must, vector, article ids), ...]}`` for ``regions``."""
        ...

    def stories_of(self, article_ids: Sequence[str]) -> dict[str, str]:
        """Return ``{story id: members hash}`` of the stories holding any of ``article_ids``."""
        ...

    def write_stories(self, removed: Sequence[str], stories: dict[str, list[str]]) -> None:
        """Delete the ``removed`` stories and insert ``stories`` (id -> member ids)."""
        ...

    def clean(self, regions: Sequence[int]) -> None:
        """Clear the dirty flag of ``regions``."""
        ...


class _Sets:
    """Union-find over the store's set ids (regions or must groups) for one transaction."""

    def __init__(self, tx: GraphTx, column: str) -> None:
        self.tx, self.column = tx, column
        self.parent: dict[int, int] = {}
        self.size: dict[int, int] = {}

    def find(self, x: int) -> int:
        p = self.parent
        while p.get(x, x) != x:
            p[x] = p.get(p[x], p[x])
            x = p[x]
        return x

    def prefetch(self, ids: Iterable[int]) -> None:
        """Read the stored sizes of the sets ``ids`` not known yet, in one query (not per union)."""
        missing = sorted({i for i in ids if i not in self.size and i not in self.parent})
        if missing:
            found = self.tx.set_sizes(self.column, missing)
            self.size.update({i: found.get(i, 1) for i in missing})

    def union(self, a: int, b: int) -> bool:
        """Join the sets of ``a`` and ``b`` (the larger keeps its id); return False when already one."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        missing = [r for r in (ra, rb) if r not in self.size]
        if missing:
            self.size.update(self.tx.set_sizes(self.column, missing))
        keep, gone = sorted((ra, rb), key=lambda r: (-self.size.get(r, 1), r))
        self.parent[gone] = keep
        self.size[keep] = self.size.get(keep, 1) + self.size.get(gone, 1)
        return True

    def mapping(self) -> dict[int, int]:
        """Return ``{old set id: final root}`` for every set that was absorbed."""
        return {x: self.find(x) for x in self.parent if self.find(x) != x}


def link_pending(
    tx: GraphTx, link_min: float = LINK_MIN, near_dup_min: float = NEAR_DUP_MIN
) -> int:
    """Link every unlinked text into the regions; return how many texts were linked."""
    rows = tx.unlinked()
    if not rows:
        return 0
    nodes = [r[0] for r in rows]
    region = {n: r for n, r, _, _ in rows}
    must = {n: m for n, _, m, _ in rows}
    regions, groups = _Sets(tx, "region"), _Sets(tx, "must")
    _must_links(tx, nodes, region, must, regions, groups, near_dup_min)
    vecs = {n: unpack_vector(v) for n, _, _, v in rows}
    _event_links(tx, nodes, vecs, region, regions, link_min)
    tx.relabel("must", groups.mapping())
    tx.relabel("region", regions.mapping())
    tx.mark_linked(nodes, {regions.find(region[n]) for n in nodes})
    return len(nodes)


def _must_links(
    tx, nodes, region, must, regions: _Sets, groups: _Sets, near_dup_min: float
) -> None:
    """Must-link exact copies and near duplicates (Jaccard checked once per pair of groups)."""
    exact = tx.exact_neighbours(nodes)
    near = list(_remember(tx.band_neighbours(nodes), region, must))
    regions.prefetch([region[n] for n in nodes] + [r for *_, r, _ in exact + near])
    groups.prefetch([must[n] for n in nodes] + [m for *_, m in exact + near])
    for node, other, r, m in exact:
        region[other], must[other] = r, m
        if groups.union(must[node], m):
            regions.union(region[node], r)
    pending = sorted({(min(a, b), max(a, b)) for a, b, _, _ in near})
    sigs: dict[int, object] = {}
    while pending:  # one pair per pair of groups per round: most pairs are decided by their group
        picked, later, seen = [], [], set()
        for a, b in pending:
            ga, gb = groups.find(must[a]), groups.find(must[b])
            if ga != gb:
                (later if (min(ga, gb), max(ga, gb)) in seen else picked).append((a, b))
                seen.add((min(ga, gb), max(ga, gb)))
        need = {n for p in picked for n in p if n not in sigs}
        sigs.update((k, deserialize(v)) for k, v in tx.signatures(need).items())
        for a, b in picked:
            if (
                groups.find(must[a]) != groups.find(must[b])
                and jaccard_estimate(sigs[a], sigs[b]) >= near_dup_min
            ):
                groups.union(must[a], must[b])
                regions.union(region[a], region[b])
        pending = later


def _remember(rows, region: dict, must: dict):
    for node, other, r, m in rows:
        region[other], must[other] = r, m
        yield node, other, r, m


def _event_links(tx, nodes, vecs, region, regions: _Sets, link_min: float) -> None:
    """Link pairs sharing a key whose event score is at least ``link_min``.

    The best candidate (most shared keys) of each (text, region) is scored
    first; the others of a region only when that one did not link and the
    region is still apart.
    """
    queries = [(n, int(k)) for n in nodes for k in vecs[n].keys.tolist()]
    first = tx.key_best(queries)
    failed = _score(tx, first, vecs, region, regions, link_min)
    if failed:
        _score(tx, tx.key_rest(queries, failed), vecs, region, regions, link_min)


def _score(tx, cand, vecs, region, regions: _Sets, link_min: float) -> list[tuple[int, int]]:
    """Score candidates ``(node, other, other region, shared)`` still apart and join the linked ones.

    Returns the ``(node, region)`` pairs whose candidates all failed and are still apart.
    """
    for _, o, r, _ in cand:
        region.setdefault(o, r)
    regions.prefetch(r for _, _, r, _ in cand)
    cand = sorted(cand, key=lambda c: (c[0], -c[3], c[1]))
    todo = [c for c in cand if regions.find(region[c[0]]) != regions.find(region[c[1]])]
    _load(tx, vecs, [c[1] for c in todo])
    scores = pair_scores(vecs, [(c[0], c[1]) for c in todo])
    failed = set()
    for (n, o, r, _), score in zip(todo, scores.tolist()):
        if score >= link_min:
            regions.union(region[n], region[o])
            failed.discard((n, r))
        else:
            failed.add((n, r))
    return sorted(p for p in failed if regions.find(region[p[0]]) != regions.find(p[1]))


def _load(tx, vecs: dict, nodes: list[int]) -> None:
    missing = {n for n in nodes if n not in vecs}
    if missing:
        vecs.update((n, unpack_vector(v)) for n, v in tx.vectors(missing).items())


def recluster(tx: GraphTx, max_texts: int = RECLUSTER_TEXTS, story_min: float = STORY_MIN,
              link_min: float = LINK_MIN) -> tuple[list[str], bool]:  # fmt: skip
    """Re-cluster some dirty regions; return (ids of the stories written, whether dirty regions remain).

    Only stories whose members changed are rewritten, all in one write.
    """
    dirty = [r for r, _ in tx.dirty_regions(max_texts)]
    if not dirty:
        return [], False
    new: dict[str, list[str]] = {}
    members: list[str] = []
    for texts in tx.region_texts(dirty).values():
        members += [i for t in texts for i in t[4]]
        new.update(_stories_of_region(texts, story_min, link_min))
    old = tx.stories_of(members)
    changed = {sid: ids for sid, ids in new.items() if old.get(sid) != members_hash(ids)}
    removed = [sid for sid in old if sid not in new or sid in changed]
    if changed or removed:
        tx.write_stories(removed, changed)
    tx.clean(dirty)
    return sorted(changed), True


def _stories_of_region(texts: list, story_min: float, link_min: float) -> dict[str, list[str]]:
    """Return ``{story id: sorted member ids}`` of one region's texts."""
    if len(texts) == 1:
        parts = [[0]]
    else:
        parts = cluster_region([t[1] for t in texts], [unpack_vector(t[3]) for t in texts], [t[2] for t in texts],
                               link_min, story_min)  # fmt: skip
    out = {}
    for part in parts:
        ids = sorted(i for k in part for i in texts[k][4])
        if ids:
            out[story_id(ids)] = ids
    return out
