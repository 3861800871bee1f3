"""Summed event vectors of must-link groups, in exact integer arithmetic.

Average linkage over a region needs, per must-link group, only the sum of its
texts' event vectors and how many texts it holds (``sum_a . sum_b`` is the sum
of the cross pair scores). The store keeps these sums per group, so a region
of 50,000 texts in 1,000 groups is re-clustered from 1,000 stored rows instead
of 50,000 vectors, and a text that joins a group adds its vector to one row.

A sum kept that way is built in arrival order, a sum made from scratch in
another order; floating-point addition would give them different last bits,
and a score on the edge of a threshold could then fall either side. So every
value is first turned into a fixed-point integer (``SCALE`` steps per unit)
and sums are int64: exact, the same in any order, whether made at once or a
text at a time, by the in-memory clusterer, the store or the batch job.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from scipy import sparse

from .features import DIM

# Fixed-point steps per unit of a vector value. Values are at most 1, so a group's int64 sum has
# room for about 2**27 texts; float32 values of at least 2**-13 convert without loss.
SCALE = 1 << 36
_HEAD = "<u4"


def quantize(values: np.ndarray) -> np.ndarray:
    """Return ``values`` (floats) as fixed-point int64 (``SCALE`` steps per unit)."""
    return np.rint(np.asarray(values, np.float64) * SCALE).astype(np.int64)


def to_float(sums: sparse.csr_matrix) -> sparse.csr_matrix:
    """Return int64 fixed-point rows as float64 rows (exact while a sum stays below 2**53)."""
    out = sums.astype(np.float64)
    out.data /= SCALE  # a power of two: exact
    return out


def quantized_matrix(m: sparse.csr_matrix) -> sparse.csr_matrix:
    """Return a float CSR matrix of event vectors with its values in fixed point (int64)."""
    return sparse.csr_matrix((quantize(m.data), m.indices, m.indptr), shape=m.shape)


def group_sums(m: sparse.csr_matrix, groups: list[list[int]]) -> sparse.csr_matrix:
    """Return the int64 sum of the fixed-point rows of ``m`` in each group (lists of row
    positions)."""
    rows = np.concatenate([np.full(len(g), k, np.int64) for k, g in enumerate(groups)])
    cols = np.concatenate([np.asarray(g, np.int64) for g in groups])
    ind = sparse.csr_matrix(
        (np.ones(cols.size, np.int64), (rows, cols)), shape=(len(groups), m.shape[0])
    )
    out = (ind @ quantized_matrix(m)).tocsr()
    out.sort_indices()
    return out


def add(parts: Iterable[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """Return the sum of sparse int64 vectors given as ``(cols, values)``: sorted unique cols."""
    parts = list(parts)
    if not parts:
        return np.zeros(0, np.uint32), np.zeros(0, np.int64)
    cols = np.concatenate([np.asarray(c, np.int64) for c, _ in parts])
    vals = np.concatenate([np.asarray(v, np.int64) for _, v in parts])
    order = np.argsort(cols, kind="stable")
    cols, vals = cols[order], vals[order]
    if cols.size == 0:
        return cols.astype(np.uint32), vals
    start = np.concatenate([[0], np.nonzero(cols[1:] != cols[:-1])[0] + 1])
    total = np.add.reduceat(vals, start)
    keep = total != 0
    return cols[start][keep].astype(np.uint32), total[keep]


def pack(cols: np.ndarray, vals: np.ndarray) -> bytes:
    """Return the bytes of a group sum: uint32 count, uint32 cols, int64 values (little-endian)."""
    return (
        np.array([cols.size], _HEAD).tobytes()
        + np.asarray(cols, "<u4").tobytes()
        + np.asarray(vals, "<i8").tobytes()
    )


def unpack(blob: bytes) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(cols, values)`` of a sum packed by :func:`pack`; ValueError for other bytes."""
    if len(blob) < 4:
        raise ValueError(f"a group sum needs at least 4 bytes, got {len(blob)}")
    n = int(np.frombuffer(blob, _HEAD, 1)[0])
    if len(blob) != 4 + 12 * n:
        raise ValueError(f"a group sum of {n} columns needs {4 + 12 * n} bytes, got {len(blob)}")
    cols = np.frombuffer(blob, "<u4", n, 4).astype(np.uint32)
    vals = np.frombuffer(blob, "<i8", n, 4 + 4 * n).astype(np.int64)
    return cols, vals


def of_vector(cols: np.ndarray, vals: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return one event vector (float values) as a fixed-point sum of one text."""
    return np.asarray(cols, np.uint32), quantize(vals)


def matrix(sums: list[tuple[np.ndarray, np.ndarray]]) -> sparse.csr_matrix:
    """Return group sums ``(cols, values)`` as the rows of an int64 CSR matrix."""
    indptr = np.zeros(len(sums) + 1, np.int64)
    np.cumsum([c.size for c, _ in sums], out=indptr[1:])
    if not sums:
        return sparse.csr_matrix((0, DIM), dtype=np.int64)
    idx = np.concatenate([c for c, _ in sums]).astype(np.int32)
    data = np.concatenate([v for _, v in sums]).astype(np.int64)
    return sparse.csr_matrix((data, idx, indptr), shape=(len(sums), DIM))
