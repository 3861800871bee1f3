"""64-bit hash primitives shared by shingles, MinHash and LSH bands.

Everything here is arithmetic modulo 2**64 on ``numpy.uint64`` (which wraps
silently) with a scalar twin in plain Python ints. The scalar twins define the
byte-exact behaviour documented in ``docs/fingerprints.md``; tests check that
the vectorized code agrees with them.
"""

from __future__ import annotations

import numpy as np

MASK64 = (1 << 64) - 1

# Multipliers of the polynomial hashes (odd, so invertible modulo 2**64).
WORD_MUL = 0x100000001B3  # FNV-1 64-bit prime: words, over code points
SHINGLE_MUL = 0x9E3779B97F4A7C15  # golden ratio: shingles, over word hashes
BAND_MUL = 0xC2B2AE3D27D4EB4F  # band keys, over signature rows
WORD_SALT = 0x6E65777374726163  # b"newstrac": keeps the empty sum away from 0

_FMIX_C1 = 0xFF51AFD7ED558CCD
_FMIX_C2 = 0xC4CEB9FE1A85EC53


def fmix64(x: int) -> int:
    """Return MurmurHash3's 64-bit finalizer of ``x`` (a bijection on 64 bits)."""
    x &= MASK64
    x ^= x >> 33
    x = (x * _FMIX_C1) & MASK64
    x ^= x >> 33
    x = (x * _FMIX_C2) & MASK64
    return x ^ (x >> 33)


def fmix64_array(x: np.ndarray) -> np.ndarray:
    """Return :func:`fmix64` of every element of a uint64 array, in place."""
    s = np.uint64(33)
    x ^= x >> s
    x *= np.uint64(_FMIX_C1)
    x ^= x >> s
    x *= np.uint64(_FMIX_C2)
    x ^= x >> s
    return x


def splitmix64(state: int, n: int) -> list[int]:
    """Return the first ``n`` outputs of SplitMix64 started at ``state``.

    Used to derive permutation parameters from the seed, because it is three
    lines in any language and, unlike numpy's samplers, can never change.
    """
    out = []
    for _ in range(n):
        state = (state + 0x9E3779B97F4A7C15) & MASK64
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        out.append(z ^ (z >> 31))
    return out


_POW: np.ndarray = np.ones(1, np.uint64)
_INV: np.ndarray = np.ones(1, np.uint64)


def powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(WORD_MUL**q, WORD_MUL**-q)`` mod 2**64 for q in ``range(n)``.

    Cached and grown on demand; the inverse exists because the multiplier is odd.
    """
    global _POW, _INV
    if _POW.size < n:
        size = max(n, 2 * _POW.size, 1 << 16)
        inv = pow(WORD_MUL, -1, 1 << 64)
        _POW = np.concatenate(([np.uint64(1)], np.cumprod(np.full(size - 1, WORD_MUL, np.uint64))))
        _INV = np.concatenate(([np.uint64(1)], np.cumprod(np.full(size - 1, inv, np.uint64))))
    return _POW[:n], _INV[:n]
