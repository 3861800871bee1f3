"""Text to words, words to shingles, shingles to 64-bit hashes.

Tokenization: NFKC, then ``str.casefold``, then every maximal run of ``\\w``
(Python's Unicode word characters: letters, digits, marks of any script, and
``_``). A shingle is ``size`` consecutive words; a text with fewer words has
one shingle of all its words, and a text without words has none.

The hashes are computed for a whole batch at once with numpy (no Python loop
per word or shingle); :func:`word_hash` and :func:`shingle_hash` are the
scalar definitions they must agree with (see ``docs/fingerprints.md``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import numpy as np
import xxhash

from .hashing import (
    MASK64,
    SHINGLE_MUL,
    WORD_MUL,
    WORD_SALT,
    fmix64,
    fmix64_array,
    powers,
)

_WORD = re.compile(r"\w+")
_NOT_WORD_OR_SPACE = re.compile(r"[^\w\s]+")
_SPACE = re.compile(r"\s+")
_SEP = "\x00"  # joins texts of a batch; not a word character, so words never span it


def normalize(text: str) -> str:
    """Return ``text`` in NFKC, case-folded: the form every fingerprint reads."""
    return unicodedata.normalize("NFKC", text).casefold()


def words(text: str) -> list[str]:
    """Return the words of ``text`` (normalized runs of ``\\w``), in order."""
    return _WORD.findall(normalize(text))


def shingles(text: str, size: int = 3) -> list[str]:
    """Return the word shingles of ``text``, each its words joined by one space.

    A text with fewer than ``size`` words gives one shingle (all of them);
    a text with no words gives ``[]``.
    """
    w = words(text)
    if len(w) <= size:
        return [" ".join(w)] if w else []
    return [" ".join(w[i : i + size]) for i in range(len(w) - size + 1)]


def exact_hash(text: str) -> str:
    """Return the xxh3_128 hex digest of ``text`` normalized for exact-duplicate tests.

    Normalized: NFKC, case-folded, punctuation and symbols removed, runs of
    whitespace collapsed to one space, ends stripped; encoded as UTF-8.
    """
    t = _NOT_WORD_OR_SPACE.sub("", normalize(text))
    t = _SPACE.sub(" ", t).strip()
    return xxhash.xxh3_128_hexdigest(t.encode("utf-8", "surrogatepass"))


def word_hash(word: str) -> int:
    """Return the 64-bit hash of one (already normalized) word.

    ``fmix64((sum(ord(c_j) * WORD_MUL**j) mod 2**64) XOR WORD_SALT)``.
    """
    acc = 0
    for j, ch in enumerate(word):
        acc = (acc + ord(ch) * pow(WORD_MUL, j, 1 << 64)) & MASK64
    return fmix64(acc ^ WORD_SALT)


def shingle_hash(word_hashes: list[int]) -> int:
    """Return the 64-bit hash of a shingle from its words' hashes, in order.

    ``fmix64(h_0 * M**(k-1) + h_1 * M**(k-2) + ... + h_(k-1) mod 2**64)``, M = SHINGLE_MUL.
    """
    acc = 0
    for h in word_hashes:
        acc = (acc * SHINGLE_MUL + h) & MASK64
    return fmix64(acc)


@lru_cache(maxsize=1)
def _word_table() -> np.ndarray:
    """Return a bool array over all code points: True where ``\\w`` matches.

    Built once from the regex itself, so the vectorized tokenizer cannot
    disagree with :func:`words` (both follow this Python's Unicode database).
    """
    every = "".join(map(chr, range(0x110000)))
    marked = re.sub(r"\w", _SEP, every)
    table = np.frombuffer(marked.encode("utf-32-le", "surrogatepass"), np.uint32) == 0
    table[0] = False  # NUL itself is not a word character
    return table


def _word_hashes(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Return (hash of every word, index of its text) for normalized ``texts``.

    One pass over the code points of the joined batch: a prefix sum of
    ``c_q * M**q`` gives each word's polynomial as ``(H[end] - H[start]) * M**-start``.
    """
    joined = _SEP + _SEP.join(texts) + _SEP
    codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), np.uint32)
    mask = _word_table()[codes]
    edges = np.flatnonzero(mask[1:] != mask[:-1]) + 1
    starts, ends = edges[0::2], edges[1::2]
    pw, inv = powers(codes.size + 1)
    prefix = np.empty(codes.size + 1, np.uint64)
    prefix[0] = 0
    np.cumsum(codes * pw[: codes.size], out=prefix[1:])
    h = prefix[ends] - prefix[starts]
    h *= inv[starts]
    h ^= np.uint64(WORD_SALT)
    text_starts = np.cumsum([1] + [len(t) + 1 for t in texts[:-1]])
    doc = np.searchsorted(text_starts, starts, side="right") - 1
    return fmix64_array(h), doc


def shingle_hashes(texts: list[str], size: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """Return (shingle hashes of all texts, concatenated; offsets, length n + 1).

    Text ``i`` owns ``hashes[offsets[i]:offsets[i + 1]]``, in shingle order.
    Texts are normalized here; pass them raw.
    """
    return _shingle_hashes([normalize(t) for t in texts], size)


def _shingle_hashes(norm: list[str], size: int) -> tuple[np.ndarray, np.ndarray]:
    """Like :func:`shingle_hashes`, for texts already normalized."""
    n = len(norm)
    wh, wdoc = _word_hashes(norm) if n else (np.empty(0, np.uint64), np.empty(0, np.intp))
    m = wh.size - size + 1
    if m > 0:
        acc = wh[:m].copy()
        for j in range(1, size):
            acc *= np.uint64(SHINGLE_MUL)
            acc += wh[j : j + m]
        keep = wdoc[:m] == wdoc[size - 1 :]  # windows that stay inside one text
        hashes, sdoc = fmix64_array(acc)[keep], wdoc[:m][keep]
    else:
        hashes, sdoc = np.empty(0, np.uint64), np.empty(0, np.intp)
    counts = np.bincount(wdoc, minlength=n)
    short = np.flatnonzero((counts > 0) & (counts < size))
    if short.size:  # rare: texts shorter than one shingle get one shingle of all words
        hashes, sdoc = _add_short(wh, wdoc, counts, short, hashes, sdoc)
    offsets = np.zeros(n + 1, np.intp)
    np.cumsum(np.bincount(sdoc, minlength=n), out=offsets[1:])
    return hashes, offsets


def _add_short(wh, wdoc, counts, short, hashes, sdoc):
    """Return hashes and owners with one whole-text shingle per short text, by text."""
    first = np.searchsorted(wdoc, short)
    extra = [shingle_hash(wh[f : f + counts[d]].tolist()) for f, d in zip(first, short)]
    hashes = np.concatenate([hashes, np.array(extra, np.uint64)])
    sdoc = np.concatenate([sdoc, short])
    order = np.argsort(sdoc, kind="stable")
    return hashes[order], sdoc[order]
