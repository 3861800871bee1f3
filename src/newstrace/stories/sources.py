"""The few best candidate sources of each article in a story, from MinHash signatures.

A derivative is compared only with the ``MAX_SOURCES`` texts that hold the
largest share of it (shingle containment estimated from the signatures), and
with the texts whose outlet it credits. The work per story grows with its
size times ``MAX_SOURCES``, not with the square of it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..fingerprint import EMPTY
from ..pairwise import outlets
from ..pairwise.outlets import credits, outlet_names
from .evidence import Digest

MAX_SOURCES = 3  # candidate sources per derivative
MIN_SHARE = 0.05  # below this estimated share a text is no candidate source
_BLOCK = 256  # rows of the Jaccard matrix compared at a time (memory: BLOCK x n x num_perm)


def jaccard_matrix(sigs: np.ndarray) -> np.ndarray:
    """Return the MinHash Jaccard estimate of every pair of rows of ``sigs`` (n x num_perm).

    Empty slots (texts without shingles) never count as equal.
    """
    n = sigs.shape[0]
    out = np.zeros((n, n), np.float32)
    valid = sigs != EMPTY
    for s in range(0, n, _BLOCK):
        eq = (sigs[s : s + _BLOCK, None, :] == sigs[None, :, :]) & valid[s : s + _BLOCK, None, :]
        out[s : s + _BLOCK] = eq.mean(axis=2)
    return out


def shares(jac: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Return ``share[i, j]``: the estimated share of text i's shingles found in text j."""
    shared = jac / (1 + jac) * (sizes[:, None] + sizes[None, :])
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(sizes[:, None] > 0, shared / np.maximum(sizes[:, None], 1), 0.0)
    np.fill_diagonal(out, 0.0)
    return np.minimum(out, 1.0)


def credit_pairs(digests: Sequence[Digest]) -> set[tuple[int, int]]:
    """Return (i, j) position pairs, i < j, where one article's evidence sentences credit the
    other's outlet."""
    names = [outlet_names(d.doc.article) for d in digests]
    by_name: dict[str, set[int]] = {}
    for k, ns in enumerate(names):
        for n in ns:
            by_name.setdefault(n, set()).add(k)
    out = set()
    for i, d in enumerate(digests):
        texts = [s.text for s in d.doc.sentences]
        flat = [condense(t) for t in texts]  # a cheap substring test before the cue check
        for name, owners in by_name.items():
            if name in names[i] or not any(name in f for f in flat):
                continue
            if any(credits(t, {name}) for t in texts):
                out.update((min(i, j), max(i, j)) for j in owners if j != i)
    return out


def condense(text: str) -> str:
    """Return ``text`` casefolded without spaces or punctuation, as outlet names are kept."""
    return outlets.condense(text)  # memoized: ``credits`` condenses the same sentences


def candidate_pairs(
    share: np.ndarray, extra: set[tuple[int, int]], k: int = MAX_SOURCES
) -> list[tuple[int, int]]:
    """Return sorted (i, j) pairs, i < j: each text with its ``k`` best candidate sources, plus
    ``extra``.

    Ties break on position, so the choice is deterministic.
    """
    n = share.shape[0]
    pairs = set(extra)
    for i in range(n):
        order = np.lexsort((np.arange(n), -share[i]))[:k]
        pairs.update(
            (min(i, j), max(i, j)) for j in order.tolist() if j != i and share[i, j] >= MIN_SHARE
        )
    return sorted(pairs)
