"""LSH banding: band keys for a store table, and an in-memory candidate index.

A signature of ``num_perm`` rows is cut into ``num_bands`` bands of
``r = num_perm / num_bands`` rows. Band ``i`` gets one 64-bit key,
``fmix64(i * M**r + row_0 * M**(r-1) + ... + row_(r-1) mod 2**64)`` with
M = BAND_MUL, returned as a *signed* int so SQLite's INTEGER holds it.
The band index is inside the key, so one table ``(band, key, doc_id)`` or one
dict serves all bands. Two texts are candidates when any band key is equal.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np

from ..errors import ConfigError
from ..settings import DEFAULT, Settings
from .hashing import BAND_MUL, MASK64, fmix64, fmix64_array
from .signatures import EMPTY, minhash, minhash_batch


def band_keys_batch(sigs: np.ndarray, num_bands: int) -> np.ndarray:
    """Return the band keys of (n, num_perm) signatures: (n, num_bands) int64.

    Raises ConfigError when num_perm is not a multiple of num_bands.
    """
    n, num_perm = sigs.shape
    if num_bands < 1 or num_perm % num_bands:
        raise ConfigError(
            f"num_bands must divide num_perm ({num_perm}), got {num_bands}",
            hint="use a divisor such as 16, 32 or 64",
        )
    rows = sigs.reshape(n, num_bands, num_perm // num_bands).astype(np.uint64)
    acc = np.tile(np.arange(num_bands, dtype=np.uint64), (n, 1))
    for j in range(rows.shape[2]):
        acc *= np.uint64(BAND_MUL)
        acc += rows[:, :, j]
    return fmix64_array(acc).view(np.int64)


def band_keys(sig: np.ndarray, num_bands: int) -> list[int]:
    """Return the ``num_bands`` band keys of one signature, as signed 64-bit ints."""
    return band_keys_batch(sig[None, :], num_bands)[0].tolist()


def band_key(band: int, rows: Sequence[int]) -> int:
    """Return the key of one band from its index and rows (scalar definition)."""
    acc = band
    for v in rows:
        acc = (acc * BAND_MUL + int(v)) & MASK64
    key = fmix64(acc)
    return key - (1 << 64) if key >> 63 else key


def doc_bands(text: str, doc_id, settings: Settings = DEFAULT) -> list[tuple[int, int, object]]:
    """Return ``[(band index, key, doc_id), ...]`` for one text; ``[]`` if it has no words.

    The per-document function of the batch layer: local and Spark runs both call it.
    """
    sig = minhash(text, settings)
    if np.all(sig == EMPTY):
        return []
    return [(i, k, doc_id) for i, k in enumerate(band_keys(sig, settings.lsh_bands))]


class LSHIndex:
    """Texts by band key, in memory; texts sharing a band key are candidate pairs.

    Adding a text costs one dict operation per band; no pair of texts is
    compared. Texts without words (empty signatures) are kept out: they match
    nothing.
    """

    def __init__(self, settings: Settings = DEFAULT) -> None:
        self.settings = settings
        self._first: dict[int, int] = {}  # key -> first text filed under it
        self._more: dict[int, list[int]] = {}  # key -> later texts, only on collision
        self._ids: list[Hashable] = []
        self._seen: set[Hashable] = set()

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, doc_id: Hashable) -> bool:
        return doc_id in self._seen

    def add(self, doc_id: Hashable, sig: np.ndarray) -> set:
        """Add one text; return the ids already indexed that share a band with it.

        Raises ConfigError if ``doc_id`` is already in the index.
        """
        return {old for old, _ in self.add_batch([doc_id], sig[None, :])}

    def add_batch(self, ids: Sequence[Hashable], sigs: np.ndarray) -> list[tuple]:
        """Add texts in order; return the new candidate pairs as ``(earlier id, later id)``.

        Same result as calling :meth:`add` on each in turn. Raises ConfigError on
        a repeated id or when ``len(ids) != len(sigs)``.
        """
        if len(ids) != len(sigs):
            raise ConfigError(f"got {len(ids)} ids for {len(sigs)} signatures")
        base = self._claim(ids)
        live = np.flatnonzero(~np.all(sigs == EMPTY, axis=1))
        keys = band_keys_batch(sigs[live], self.settings.lsh_bands)
        owners = np.repeat(live + base, keys.shape[1])
        # One C-level setdefault per key; a key already taken returns its first owner.
        firsts = np.fromiter(
            map(self._first.setdefault, keys.ravel().tolist(), owners.tolist()),
            np.int64,
            count=owners.size,
        )
        hits = np.flatnonzero(firsts != owners)
        return self._collide(keys.ravel()[hits].tolist(), firsts[hits], owners[hits])

    def add_texts(self, ids: Sequence[Hashable], texts: Sequence[str]) -> list[tuple]:
        """Sign ``texts`` and add them; return new candidate pairs as :meth:`add_batch`."""
        return self.add_batch(ids, minhash_batch(list(texts), self.settings))

    def query(self, sig: np.ndarray) -> set:
        """Return the ids of indexed texts sharing a band with ``sig`` (nothing is added)."""
        if np.all(sig == EMPTY):
            return set()
        found: set[int] = set()
        for key in band_keys(sig, self.settings.lsh_bands):
            if key in self._first:
                found.add(self._first[key])
                found.update(self._more.get(key, ()))
        return {self._ids[i] for i in found}

    def pairs(self) -> set[tuple]:
        """Return every candidate pair in the index as ``(earlier id, later id)``."""
        out: set[tuple[int, int]] = set()
        for key, rest in self._more.items():
            bucket = [self._first[key], *rest]
            for j in range(1, len(bucket)):
                out.update((bucket[i], bucket[j]) for i in range(j))
        return {(self._ids[i], self._ids[j]) for i, j in out}

    def _claim(self, ids: Sequence[Hashable]) -> int:
        """Register ``ids``; return the internal number of the first one."""
        fresh = set(ids)
        if len(fresh) != len(ids) or not fresh.isdisjoint(self._seen):
            dup = next(i for i in ids if i in self._seen or list(ids).count(i) > 1)
            raise ConfigError(f"id {dup!r} is already in the LSH index")
        base = len(self._ids)
        self._ids.extend(ids)
        self._seen |= fresh
        return base

    def _collide(self, keys: list[int], firsts: np.ndarray, owners: np.ndarray) -> list[tuple]:
        """File each owner under its already-taken key; return the new pairs, once each."""
        extra: list[tuple[int, int]] = []
        more = self._more
        for key, new in zip(keys, owners.tolist()):
            rest = more.get(key)
            if rest is None:
                more[key] = [new]
            else:  # a third text or more under one key: pair it with the later ones too
                extra.extend((old, new) for old in rest)
                rest.append(new)
        a = np.concatenate([firsts, np.array([p[0] for p in extra], np.int64)])
        b = np.concatenate([owners, np.array([p[1] for p in extra], np.int64)])
        codes = np.unique(a.astype(np.int64) << 32 | b)
        ids = self._ids
        return [(ids[c >> 32], ids[c & 0xFFFFFFFF]) for c in codes.tolist()]
