"""The story graph kept in the store: linking new texts into regions, re-clustering dirty regions.

Backend-independent: it runs inside one write transaction of a backend,
through the small :class:`GraphTx` interface, and applies the same rules as
the in-memory :class:`~newstrace.stories.StoryClusterer`:

- a text is must-linked to the texts of its exact hash and to its near
  duplicates (a shared LSH band and MinHash Jaccard >= ``NEAR_DUP_MIN``);
- it is linked to a text sharing a candidate key when their event score is
  at least ``LINK_MIN``; regions are the connected components of all links.
  A new text is compared with the other texts of its batch and, per (key,
  region), with the region's ``KEY_REPS`` representatives for that key: the
  linked texts with the smallest node ids (table ``key_reps``). So linking
  reads at most ``KEY_REPS`` stored texts per region sharing a key, however
  many texts share it (a popular name), and its cost grows with the regions
  a key reaches, not the texts;
- a dirty region (one a text joined) is re-clustered by average linkage
  (``stories.cluster_region``) and only its stories whose members changed
  are rewritten.

While no (key, region) holds more than ``KEY_REPS`` linked texts, each
decision depends on the pair alone and a region is a component, so the
stories do not depend on the order texts arrive in, on batch sizes, or on how
writers interleave, and they equal the in-memory clusterer's (which compares
every key-sharing pair). Beyond that cap, a text whose best candidates in a
region all fail is not compared with the region's other texts of that key:
it may stay apart where the exact rule would have linked it through a later
text of the region, and which texts represent a region follows the order
node ids were given in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

import numpy as np

from ..fingerprint import deserialize, jaccard_estimate
from ..stories import group_sums, story_id
from ..stories.cluster import (
    LINK_MIN,
    STORY_MIN,
    cluster_groups,
    grown_hash,
    members_hash,
    pair_scores,
    unpack_matrix,
    unpack_vector,
)
from ..unionfind import Groups

KEY_REPS = 16  # stored texts per (key, region) a new text sharing that key is compared with
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
        """Return ``(node, other, other region, other must)``: other texts with an article of node's
        exact hash."""
        ...

    def band_neighbours(self, nodes: Sequence[int]) -> list[tuple[int, int, int, int]]:
        """Return ``(node, other, other region, other must)``: other texts sharing an LSH band
        key."""
        ...

    def key_candidates(self, keys: Sequence[tuple[int, int]]) -> list[tuple[int, int, int, int]]:
        """Return ``(node, other, other region, shared keys)`` for ``(node, key)`` queries: the
        representatives (``key_reps``) of every region holding the key, shared keys counted
        there."""
        ...

    def add_reps(self, rows: Sequence[tuple[int, int, int]]) -> None:
        """Add ``(key, region, node)`` representatives, then keep the ``KEY_REPS`` smallest nodes of
        each (key, region) touched."""
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
        """Move every text of set ``gone`` to set ``keep`` for each ``gone -> keep``.

        For regions, dirty flags and representatives move too (each merged (key, region) is cut back
        to its ``KEY_REPS`` smallest nodes)."""
        ...

    def mark_linked(self, nodes: Sequence[int], dirty_regions: Iterable[int]) -> None:
        """Flag ``nodes`` as linked and ``dirty_regions`` as needing re-clustering."""
        ...

    def dirty_regions(self, max_texts: int) -> list[tuple[int, int]]:
        """Return ``(region, texts)`` of dirty regions, smallest id first, about ``max_texts`` texts
        in all."""
        ...

    def story_hashes(self, story_ids: Sequence[str]) -> dict[str, str]:
        """Return the members hash of each stored story of ``story_ids``."""
        ...

    def write_stories(
        self,
        removed: Sequence[str],
        stories: dict[str, list[str]],
        current: dict[str, str],
        grown: dict[str, tuple[list[str], str]] | None = None,
    ) -> None:
        """Delete the ``removed`` stories and make each of ``stories`` (id -> member ids) hold
        exactly its members, and each of ``grown`` (id -> (added article ids, new members hash))
        keep its members and gain the articles given.

        ``current`` maps article ids to the story holding them now, covering every
        member of the stories written (as :meth:`group_members` reads them). A
        story of ``stories`` that exists keeps its row (and ``seq``): only the
        memberships that differ are written, and its provenance fields are reset
        as for a new story. Its member fields are derived again from all its
        members, or, when it only gained articles, updated from those
        (``stories_sql.growth``). Every other story keeps its row and fields.
        """
        ...

    def settled(self, regions: Sequence[int]) -> set[int]:
        """Return the ``regions`` whose texts were all clustered since they were linked
        (``linked = 2``)."""
        ...

    def clean(self, regions: Sequence[int]) -> None:
        """Clear the dirty flag of ``regions`` and mark their texts clustered (``linked = 2``)."""
        ...

    def copy_keys(self, nodes: Sequence[int]) -> dict[int, str]:
        """Return the copy key of each text."""
        ...

    def groups(self, musts: Sequence[int]) -> dict[int, tuple[int, int, str, bytes, str | None]]:
        """Return ``{must: (region, texts, first copy key, packed sum, story)}`` of the stored
        must-link group rows among ``musts``."""
        ...

    def region_groups(
        self, regions: Sequence[int]
    ) -> dict[int, list[tuple[int, int, str, bytes, str | None, int]]]:
        """Return ``{region: [(must, texts, first copy key, packed sum, story, fresh), ...]}``."""
        ...

    def group_texts(
        self, column: str, ids: Sequence[int]
    ) -> list[tuple[int, int, int, str, bytes]]:
        """Return ``(region, must, node, copy key, vector)`` of the texts whose ``column``
        (``region`` or ``must``) is in ``ids``."""
        ...

    def write_groups(
        self,
        rows: Sequence[tuple[int, int, int, str, bytes, str | None, int]],
        gone: Sequence[int],
        fresh_stories: Iterable[str],
    ) -> None:
        """Delete the group rows ``gone``, write ``(must, region, texts, first, sum, story,
        fresh)`` rows (a stored row keeps a higher fresh mark), and mark every group of
        ``fresh_stories`` fresh 2.

        Fresh 1: the group gained only articles in no story, so its other articles are all in
        its story; 2: anything else changed it (groups of other stories joined it, or its story
        lost a group)."""
        ...

    def group_articles(self, musts: Sequence[int]) -> dict[int, list[str]]:
        """Return the article ids of each must-link group's texts."""
        ...

    def group_members(self, musts: Sequence[int]) -> dict[int, list[tuple[str, str | None]]]:
        """Return ``(article id, the story holding it or None)`` of each must-link group's
        texts."""
        ...

    def unstoried(self, musts: Sequence[int]) -> dict[int, list[tuple[str, str | None]]]:
        """Return ``(article id, the story holding it or None)`` of the articles recorded as in no
        story (``unstoried``) of each must-link group's texts."""
        ...

    def first_members(self, story_ids: Sequence[str]) -> dict[str, str]:
        """Return the smallest member id of each stored story."""
        ...

    def set_group_stories(self, rows: Sequence[tuple[int, str]]) -> None:
        """Record ``(must, story)``: the story holding each group now; the groups are no longer
        fresh."""
        ...


class _Sets:
    """Union-find over the store's set ids (regions or must groups) for one transaction."""

    def __init__(self, tx: GraphTx, column: str) -> None:
        self.tx, self.column = tx, column
        self.size: dict[int, int] = {}
        self._groups = Groups(key=lambda r: (-self.size.get(r, 1), r))

    def find(self, x: int) -> int:
        return self._groups.find(x) if x in self._groups else x

    def prefetch(self, ids: Iterable[int]) -> None:
        """Read the stored sizes of the sets ``ids`` not known yet, in one query (not per union)."""
        missing = sorted({i for i in ids if i not in self.size and i not in self._groups})
        if missing:
            found = self.tx.set_sizes(self.column, missing)
            self.size.update({i: found.get(i, 1) for i in missing})

    def union(self, a: int, b: int) -> bool:
        """Join the sets of ``a`` and ``b`` (the larger keeps its id); return False when already
        one."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        missing = [r for r in (ra, rb) if r not in self.size]
        if missing:
            self.size.update(self.tx.set_sizes(self.column, missing))
        self._groups.add(a)
        self._groups.add(b)
        keep, gone = self._groups.union(a, b)
        self.size[keep] = self.size.get(keep, 1) + self.size.get(gone, 1)
        return True

    def mapping(self) -> dict[int, int]:
        """Return ``{old set id: final root}`` for every set that was absorbed."""
        return {x: r for x in self._groups if (r := self._groups.find(x)) != x}


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
    _update_groups(tx, nodes, vecs, must, region, groups, regions)
    tx.relabel("must", groups.mapping())
    tx.relabel("region", regions.mapping())
    final = {n: regions.find(region[n]) for n in nodes}
    tx.add_reps(sorted((int(k), final[n], n) for n in nodes for k in vecs[n].keys.tolist()))
    tx.mark_linked(nodes, set(final.values()))
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

    Candidates are the batch's other texts and the stored representatives
    (see the module docstring). The best candidate (most shared keys, then
    smallest id) of each (text, region) is scored first; the others of a
    region only when that one did not link and the region is still apart.
    """
    queries = [(n, int(k)) for n in nodes for k in vecs[n].keys.tolist()]
    cand = tx.key_candidates(queries) + _batch_candidates(nodes, vecs, region)
    best: dict[tuple[int, int], tuple] = {}
    for c in sorted(cand, key=lambda c: (c[0], c[2], -c[3], c[1])):
        best.setdefault((c[0], c[2]), c)
    failed = _score(tx, list(best.values()), vecs, region, regions, link_min)
    if failed:
        want, firsts = set(failed), set(best.values())
        rest = [c for c in cand if (c[0], c[2]) in want and c not in firsts]
        _score(tx, rest, vecs, region, regions, link_min)


def _batch_candidates(nodes, vecs, region) -> list[tuple[int, int, int, int]]:
    """Return ``(node, other, other region, shared keys)`` for the pairs of batch texts sharing
    keys."""
    posting: dict[int, list[int]] = {}
    for n in nodes:
        for k in vecs[n].keys.tolist():
            posting.setdefault(k, []).append(n)
    shared: dict[tuple[int, int], int] = {}
    for group in posting.values():
        for a in group:
            for b in group:
                if a != b:
                    shared[a, b] = shared.get((a, b), 0) + 1
    return [(a, b, region[b], s) for (a, b), s in shared.items()]


def _score(tx, cand, vecs, region, regions: _Sets, link_min: float) -> list[tuple[int, int]]:
    """Score candidates ``(node, other, other region, shared)`` still apart and join the linked
    ones.

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


def _update_groups(tx, nodes, vecs, must, region, groups: _Sets, regions: _Sets) -> None:
    """Write the must-link group rows the new texts made or changed (sums, sizes, first keys).

    Each final group's sum is the exact sum of the stored rows it absorbed and its new texts'
    vectors; the absorbed rows are deleted, and every group of another story one of them held is
    marked fresh, so that story is read again when its region is re-clustered.
    """
    new = set(nodes)
    absorbed = groups.mapping()
    involved = set(absorbed) | set(absorbed.values()) | {groups.find(must[n]) for n in nodes}
    wanted = sorted(involved - new)
    stored = tx.groups(wanted)
    missing = [g for g in wanted if g not in stored]
    if missing:  # groups of a store made before the rows were kept
        for g, row in _built_groups(tx.group_texts("must", missing)).items():
            stored[g] = (*row, None)
    keys = tx.copy_keys(sorted(new))
    parts: dict[int, list] = {}
    for g, (_, n, first, packed, _story) in stored.items():
        parts.setdefault(groups.find(g), []).append((n, first, group_sums.unpack(packed)))
    for n in nodes:
        v = vecs[n]
        parts.setdefault(groups.find(must[n]), []).append(
            (1, keys[n], group_sums.of_vector(v.cols, v.vals))
        )
    rows = []
    for root, got in sorted(parts.items()):
        cols, vals = group_sums.add(p[2] for p in got)
        home = stored[root][0] if root in stored else region[root]
        story = stored[root][4] if root in stored else None
        rows.append(
            (
                root,
                regions.find(home),
                sum(p[0] for p in got),
                min(p[1] for p in got),
                group_sums.pack(cols, vals),
                story,
            )
        )
    # A story that held an absorbed group lost that row: its other groups are marked fresh 2 so
    # it is read again. A root that absorbed a group of another story holds that story's articles
    # (fresh 2); one that only gained new texts or groups of its own story gained only articles in
    # no story (fresh 1).
    kept = {row[0]: row[5] for row in rows}
    mixed = {
        groups.find(g) for g in absorbed if g in stored and stored[g][4] != kept[groups.find(g)]
    }
    touched = {
        stored[g][4] for g in absorbed if g in stored and stored[g][4] != kept[groups.find(g)]
    }
    gone = sorted(g for g in absorbed if g in stored)
    rows = [(*row, 2 if row[0] in mixed else 1) for row in rows]
    tx.write_groups(rows, gone, sorted(touched - {None}))


def _built_groups(texts) -> dict[int, tuple[int, int, str, bytes]]:
    """Return ``{must: (region, texts, first copy key, packed sum)}`` made from ``(region, must,
    node, copy key, vector)`` rows of texts (their vectors read into one matrix at once)."""
    by: dict[int, list[int]] = {}
    for k, t in enumerate(texts):
        by.setdefault(t[1], []).append(k)
    if not by:
        return {}
    musts = list(by)
    sums = group_sums.group_sums(unpack_matrix([t[4] for t in texts]), [by[g] for g in musts])
    out = {}
    for r, g in enumerate(musts):
        lo, hi = sums.indptr[r], sums.indptr[r + 1]
        packed = group_sums.pack(sums.indices[lo:hi].astype(np.uint32), sums.data[lo:hi])
        members = by[g]
        out[g] = (texts[members[0]][0], len(members), min(texts[k][3] for k in members), packed)
    return out


def recluster(
    tx: GraphTx,
    max_texts: int = RECLUSTER_TEXTS,
    story_min: float = STORY_MIN,
    link_min: float = LINK_MIN,
) -> tuple[list[str], bool]:
    """Re-cluster some dirty regions; return (ids of the stories written, whether dirty regions
    remain).

    A region is clustered from its must-link group rows (one per group, not per text). A cluster
    of groups that is exactly one stored story's groups, none of them changed since, is that story
    unchanged and is not read. The others are read (their articles), and of those only the stories
    whose members changed are written, all in one write, and of those only the memberships that
    changed (see ``GraphTx.write_stories``).
    """
    counted = dict(tx.dirty_regions(max_texts))
    dirty = list(counted)
    if not dirty:
        return [], False
    settled = tx.settled(dirty)
    regions = _region_groups(tx, counted)
    reread: list[list[tuple]] = []
    held: dict[str, int] = {}
    for region, found in sorted(regions.items()):
        clusters = _kept_clusters(found) if region in settled else None
        if clusters is None:
            clusters = cluster_groups(
                [g[2] for g in found],
                group_sums.matrix([group_sums.unpack(g[3]) for g in found]),
                [g[1] for g in found],
                link_min,
                story_min,
            )
        held_by: dict[str | None, int] = {}
        for g in found:
            held_by[g[4]] = held_by.get(g[4], 0) + 1
        for sid, n in held_by.items():
            if sid is not None:
                held[sid] = held.get(sid, 0) + n
        for c in clusters:
            part = [found[k] for k in c]
            if not _unchanged(part, held_by):
                reread.append(part)
    grown, assigned, reread, grown_parts = _grow_stories(tx, reread, held)
    while True:
        arts, current = _read_parts(tx, reread)
        # Cannot happen while the fresh marks hold (a story with an article outside its groups
        # has them marked 2); should it, that story is read in full rather than lose members.
        clash = set(grown) & set(current.values())
        if not clash:
            break
        reread += [grown_parts[sid] for sid in sorted(clash)]
        lost = {g[0] for sid in clash for g in grown_parts[sid]}
        assigned = [row for row in assigned if row[0] not in lost]
        grown = {sid: v for sid, v in grown.items() if sid not in clash}
    new: dict[str, list[str]] = {}
    for part in reread:
        ids = sorted(a for g in part for a in arts.get(g[0], ()))
        if not ids:
            continue
        sid = story_id(ids)
        new[sid] = ids
        assigned += [(g[0], sid) for g in part]
    old = tx.story_hashes(sorted(set(current.values())))
    changed = {sid: ids for sid, ids in new.items() if old.get(sid) != members_hash(ids)}
    removed = sorted(sid for sid in old if sid not in new)
    if changed or removed or grown:
        tx.write_stories(removed, changed, current, grown)
    tx.set_group_stories(sorted(assigned))
    tx.clean(dirty)
    return sorted({*changed, *grown}), True


def _read_parts(
    tx: GraphTx, parts: list[list[tuple]]
) -> tuple[dict[int, list[str]], dict[str, str]]:
    """Return ``({group: its article ids}, {article: the story holding it})`` of the clusters'
    groups.

    A group not fresh holds no article added since it was clustered: every article of it is in
    the story it records. The articles of the other groups are read with the story holding each.
    """
    read = [g for part in parts for g in part]
    arts = tx.group_articles([g[0] for g in read if _settled(g)])
    current = {a: g[4] for g in read if _settled(g) for a in arts.get(g[0], ())}
    for m, rows in tx.group_members([g[0] for g in read if not _settled(g)]).items():
        arts[m] = [a for a, _ in rows]
        current.update((a, sid) for a, sid in rows if sid is not None)
    return arts, current


def _grow_stories(tx: GraphTx, parts: list[list[tuple]], held: dict[str, int]) -> tuple:
    """Split the clusters to write into stories that only gain articles and the rest; return
    ``(grown, assigned, rest, grown parts)``.

    A cluster grows its story when it holds every group of one stored story (``held``: story ->
    its groups in the region) and no group of another, and none of its groups is fresh 2 (see
    :meth:`GraphTx.write_groups`). Then its members are the story's members and the articles
    in no story of its fresh groups, so only those are read (``unstoried``; a group holding no
    story is read whole), never the story's other members. ``grown`` maps such a story to
    ``(articles gained, new members hash)``; ``assigned`` holds ``(group, story)`` rows of those
    clusters; ``rest`` the clusters read in full; ``grown parts`` story -> its cluster. A
    cluster whose gains turn out to include an article of another story, or an article smaller
    than the story's smallest (its id would change), is read in full too.
    """
    cand: dict[str, list[tuple]] = {}
    rest = []
    for part in parts:
        stories = {g[4] for g in part} - {None}
        sid = next(iter(stories)) if len(stories) == 1 else None
        if (
            sid is None
            or held[sid] != sum(g[4] == sid for g in part)
            or any(g[5] == 2 for g in part if g[4] == sid)
        ):
            rest.append(part)
        else:
            cand[sid] = part
    if not cand:
        return {}, [], rest, {}
    parts_of = [g for part in cand.values() for g in part]
    found = tx.unstoried([g[0] for g in parts_of if g[4] is not None and g[5]])
    found.update(tx.group_members([g[0] for g in parts_of if g[4] is None]))
    gains: dict[str, list[str]] = {}
    for sid, part in sorted(cand.items()):
        added, ok = [], True
        for g in part:
            for a, s in found.get(g[0], ()):
                if s is None:
                    added.append(a)
                elif s != sid:
                    ok = False
        if ok:
            gains[sid] = sorted(set(added))
        else:
            rest.append(part)
    growing = sorted(sid for sid, added in gains.items() if added)
    firsts = tx.first_members(growing)
    hashes = tx.story_hashes(growing)
    grown, assigned = {}, []
    for sid, added in sorted(gains.items()):
        if added and (firsts.get(sid) is None or added[0] < firsts[sid] or sid not in hashes):
            rest.append(cand[sid])
            continue
        if added:
            grown[sid] = (added, grown_hash(hashes[sid], added))
        assigned += [(g[0], sid) for g in cand[sid]]
    return grown, assigned, rest, cand


def _region_groups(tx: GraphTx, sizes: dict[int, int]) -> dict[int, list[tuple]]:
    """Return the group rows of each dirty region (``{region: texts}``, as ``dirty_regions``
    counts them), first made from its texts where the stored rows do not count them all (a store
    made before they were kept)."""
    dirty = list(sizes)
    regions = tx.region_groups(dirty)
    incomplete = [r for r in dirty if sum(g[1] for g in regions.get(r, ())) != sizes.get(r, 0)]
    if incomplete:
        built = _built_groups(tx.group_texts("region", incomplete))
        stale = [g[0] for r in incomplete for g in regions.get(r, ())]
        tx.write_groups([(m, *row, None, 2) for m, row in sorted(built.items())], stale, ())
        for r in incomplete:
            regions[r] = []
        for m, (r, n, first, packed) in sorted(built.items()):
            regions[r].append((m, n, first, packed, None, 2))
    return {r: regions.get(r, []) for r in dirty}


def _settled(group: tuple) -> bool:
    """Return True when a group row records its story and nothing joined it since."""
    return group[4] is not None and not group[5]


def _unchanged(part: list[tuple], held_by: dict) -> bool:
    """Return True when a cluster of group rows is exactly one stored story's groups, none of them
    changed since that story was written (so the story is as it is stored)."""
    story = part[0][4]
    return (
        story is not None
        and all(g[4] == story and not g[5] for g in part)
        and held_by[story] == len(part)
    )


def _kept_clusters(found: list[tuple]) -> list[list[int]] | None:
    """Return the stored partition of a settled region's groups (by the story each holds), or None
    (cluster it) when a group holds no recorded story.

    No text was linked into a settled region since it was clustered, so its groups, their sums
    and sizes are the ones its stored partition was computed from: clustering them again would
    give the same partition. Its groups may have gained articles of stored texts (fresh).
    """
    by: dict[str, list[int]] = {}
    for k, g in enumerate(found):
        if g[4] is None:
            return None
        by.setdefault(g[4], []).append(k)
    return list(by.values())
