"""MinHash signatures, computed for a batch of texts at once.

Permutation ``i`` maps a shingle to ``a_i * x mod 2**32``, where ``x`` is the
top 32 bits of the shingle hash and the odd ``a_i`` comes from SplitMix64 of
the seed (format version 1 also added a ``b_i``; it changed no estimate and
cost a pass over every shingle and permutation). A signature is the minimum of each permutation over
the text's shingles: ``num_perm`` uint32 values. A text without words has the
empty signature (every value ``EMPTY``).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from ..errors import ConfigError
from ..settings import DEFAULT, Settings
from .hashing import splitmix64
from .shingles import _shingle_hashes, nfkc

EMPTY = np.uint32(0xFFFFFFFF)
# Work arrays are num_perm x _WINDOW uint32 (4 MiB at 128 permutations): small
# enough for cache, large enough to amortize numpy call overhead (8k measured
# fastest among 2k-32k on a 2-core x86 machine).
_WINDOW = 8192
# Characters tokenized per step: the per-character arrays (8 bytes a character)
# stay in the L2 cache (128k measured fastest among 32k-1M, 5,000 articles).
_CHUNK_CHARS = 1 << 17


@lru_cache(maxsize=16)
def permutations(num_perm: int, seed: int) -> np.ndarray:
    """Return the multipliers ``a``: a (num_perm, 1) uint32 column of odd numbers."""
    r = splitmix64(seed, num_perm)
    return np.array([(v & 0xFFFFFFFF) | 1 for v in r], np.uint32)[:, None]


def minhash(text: str, settings: Settings = DEFAULT) -> np.ndarray:
    """Return the MinHash signature of ``text``: (num_perm,) uint32."""
    return minhash_batch([text], settings)[0]


def minhash_batch(texts: list[str], settings: Settings = DEFAULT) -> np.ndarray:
    """Return the signatures of ``texts``: (len(texts), num_perm) uint32, row i for text i.

    Identical to calling :func:`minhash` on each text, only faster.
    """
    return minhash_counts(texts, settings)[0]


def minhash_counts(texts: list[str], settings: Settings = DEFAULT) -> tuple[np.ndarray, np.ndarray]:
    """Return :func:`minhash_batch` of ``texts`` and the number of distinct shingles of each.

    The counts come from the same shingle pass as the signatures: count ``i``
    is the size of the set signature ``i`` is the MinHash of (the 64-bit
    shingle hashes of ``shingle_hashes``), an int64 array.
    """
    out = np.full((len(texts), settings.num_perm), EMPTY, np.uint32)
    counts = np.zeros(len(texts), np.int64)
    a = permutations(settings.num_perm, settings.seed)
    nf = [nfkc(t) for t in texts]
    start = 0
    for stop in _chunks(nf):
        hashes, offsets = _shingle_hashes(nf[start:stop], settings.shingle_size)
        x = (hashes >> np.uint64(32)).astype(np.uint32)
        _sign(x, offsets, a, out[start:stop])
        counts[start:stop] = _distinct(hashes, offsets)
        start = stop
    return out, counts


def _distinct(hashes: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Return the number of distinct values in each run ``hashes[offsets[d]:offsets[d + 1]]``."""
    n = offsets.size - 1
    if not hashes.size:
        return np.zeros(n, np.int64)
    doc = np.repeat(np.arange(n), np.diff(offsets))
    order = np.lexsort((hashes, doc))  # by text, then hash
    h, d = hashes[order], doc[order]
    first = np.ones(h.size, bool)
    first[1:] = (h[1:] != h[:-1]) | (d[1:] != d[:-1])
    return np.bincount(d[first], minlength=n).astype(np.int64)


def _chunks(texts: list[str]):
    """Yield end indices of consecutive runs of texts of about _CHUNK_CHARS characters."""
    total = 0
    for i, t in enumerate(texts):
        total += len(t)
        if total >= _CHUNK_CHARS or i == len(texts) - 1:
            yield i + 1
            total = 0


def _sign(x: np.ndarray, offsets: np.ndarray, a: np.ndarray, out: np.ndarray) -> None:
    """Lower ``out[d]`` to the minima over shingles ``x[offsets[d]:offsets[d+1]]``.

    Works through the shingles in windows of _WINDOW; a text cut by a window
    edge gets the minimum of its parts.
    """
    work = np.empty((a.shape[0], _WINDOW), np.uint32)
    for s in range(0, x.size, _WINDOW):
        e = min(x.size, s + _WINDOW)
        w = work[:, : e - s]
        np.multiply(a, x[s:e], out=w)
        d0 = np.searchsorted(offsets, s, side="right") - 1
        d1 = np.searchsorted(offsets, e, side="left")
        docs = np.arange(d0, d1)
        docs = docs[offsets[docs + 1] > offsets[docs]]  # reduceat cannot take empty runs
        mins = np.minimum.reduceat(w, np.maximum(offsets[docs], s) - s, axis=1)
        out[docs] = np.minimum(out[docs], mins.T)


def jaccard_estimate(a: np.ndarray, b: np.ndarray) -> float:
    """Return the share of equal positions of two signatures, in [0, 1].

    0.0 when either is empty (a text without words matches nothing).
    Raises ConfigError when the shapes differ.
    """
    if a.shape != b.shape:
        raise ConfigError(f"signatures must have the same shape, got {a.shape} and {b.shape}")
    if is_empty(a) or is_empty(b):
        return 0.0
    return float(np.count_nonzero(a == b)) / a.size


def is_empty(sig: np.ndarray) -> bool:
    """Return True for the signature of a text without words."""
    return bool(np.all(sig == EMPTY))
