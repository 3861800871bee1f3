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
from .minhash import EMPTY, minhash, minhash_batch


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

    Adding a text costs one dict lookup per band; no pair of texts is compared.
    Texts without words (empty signatures) are kept out: they match nothing.
    """

    def __init__(self, settings: Settings = DEFAULT) -> None:
        self.settings = settings
        self._buckets: dict[int, list[Hashable]] = {}
        self._ids: set[Hashable] = set()

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, doc_id: Hashable) -> bool:
        return doc_id in self._ids

    def add(self, doc_id: Hashable, sig: np.ndarray) -> set:
        """Add one text; return the ids already indexed that share a band with it.

        Raises ConfigError if ``doc_id`` is already in the index.
        """
        return {old for old, _ in self.add_batch([doc_id], sig[None, :])}

    def add_batch(self, ids: Sequence[Hashable], sigs: np.ndarray) -> list[tuple]:
        """Add texts in order; return the new candidate pairs as ``(earlier id, later id)``.

        Raises ConfigError on a repeated id or when ``len(ids) != len(sigs)``.
        """
        if len(ids) != len(sigs):
            raise ConfigError(f"got {len(ids)} ids for {len(sigs)} signatures")
        keys = band_keys_batch(sigs, self.settings.lsh_bands).tolist()
        empty = np.all(sigs == EMPTY, axis=1).tolist()
        pairs: list[tuple] = []
        for doc_id, row, skip in zip(ids, keys, empty):
            self._claim(doc_id)
            if not skip:
                pairs.extend((old, doc_id) for old in self._insert(doc_id, row))
        return pairs

    def add_texts(self, ids: Sequence[Hashable], texts: Sequence[str]) -> list[tuple]:
        """Sign ``texts`` and add them; return new candidate pairs as :meth:`add_batch`."""
        return self.add_batch(ids, minhash_batch(list(texts), self.settings))

    def query(self, sig: np.ndarray) -> set:
        """Return the ids of indexed texts sharing a band with ``sig`` (nothing is added)."""
        if np.all(sig == EMPTY):
            return set()
        found: set = set()
        for key in band_keys(sig, self.settings.lsh_bands):
            found.update(self._buckets.get(key, ()))
        return found

    def pairs(self) -> set[tuple]:
        """Return every candidate pair in the index as ``(earlier id, later id)``."""
        out: set[tuple] = set()
        for bucket in self._buckets.values():
            for j in range(1, len(bucket)):
                out.update((bucket[i], bucket[j]) for i in range(j))
        return out

    def _claim(self, doc_id: Hashable) -> None:
        if doc_id in self._ids:
            raise ConfigError(f"id {doc_id!r} is already in the LSH index")
        self._ids.add(doc_id)

    def _insert(self, doc_id: Hashable, keys: list[int]) -> set:
        """File ``doc_id`` under each key; return the ids already filed under any of them."""
        found: set = set()
        for key in keys:
            bucket = self._buckets.get(key)
            if bucket is None:
                self._buckets[key] = [doc_id]
            else:
                found.update(bucket)
                bucket.append(doc_id)
        return found
