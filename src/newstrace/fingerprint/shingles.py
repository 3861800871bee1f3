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
from functools import cache, lru_cache

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
    # str.split and the regex ``\s`` both split on exactly the str.isspace characters.
    t = " ".join(_NOT_WORD_OR_SPACE.sub("", normalize(text)).split())
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
    every = _every_code_point()
    marked = re.sub(r"\w", _SEP, every)
    table = np.frombuffer(marked.encode("utf-32-le", "surrogatepass"), np.uint32) == 0
    table[0] = False  # NUL itself is not a word character
    return table


@lru_cache(maxsize=1)
def _every_code_point() -> str:
    """Return the string of every code point in order (surrogates included), built in C."""
    return np.arange(0x110000, dtype="<u4").tobytes().decode("utf-32-le", "surrogatepass")


_WORD_BIT = np.uint64(1 << 63)
_EXPANDS = 0x110000  # fold-table value of a character whose casefold is longer than itself


@lru_cache(maxsize=1)
def _fold_table() -> np.ndarray:
    """Return the case-fold table: uint64 per code point, read with one gather per character.

    Entry ``c`` is ``ord(chr(c).casefold())``, with bit 63 set when that
    character is a word character (``\\w``). A character whose casefold is
    more than one character (``ß`` -> ``ss``) has the value ``_EXPANDS``
    (beyond Unicode, bit 63 clear): texts holding one are case-folded by
    ``str.casefold`` instead. Built from ``str.casefold`` itself, 256 code
    points at a time (only blocks that casefold changes are read one by one).
    """
    fold = np.arange(0x110000, dtype=np.uint64)
    every = _every_code_point()
    for lo in range(0, 0x110000, 256):
        block = every[lo : lo + 256]
        if block.casefold() == block:
            continue
        for c in range(lo, lo + 256):
            f = chr(c).casefold()
            fold[c] = ord(f) if len(f) == 1 else _EXPANDS
    word = _word_table()
    single = fold < _EXPANDS
    fold[single & word[np.minimum(fold, 0x10FFFF).astype(np.intp)]] |= _WORD_BIT
    return fold


def _word_hashes(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Return (hash of every word, word offsets: text ``i`` owns words ``[w[i], w[i + 1])``).

    ``texts`` are in NFKC, not yet case-folded. One pass over the code points
    of the joined batch: case folding and the word test are one table read
    per character (:func:`_fold_table`), and a prefix sum of ``f_q * M**q``
    over the folded code points gives each word's polynomial as
    ``(H[end] - H[start]) * M**-start``. The table's word bit (bit 63) adds
    ``2**63`` per word character, i.e. ``2**63`` times the word's length
    parity, which is taken out again per word.
    """
    joined = _SEP + _SEP.join(texts) + _SEP
    codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), np.uint32)
    folded = np.take(_fold_table(), codes.astype(np.intp))  # 2x faster than indexing by uint32
    lengths = np.fromiter(map(len, texts), np.intp, count=len(texts))
    text_ends = np.cumsum(lengths + 1)  # position of the separator after each text
    if int(folded.view(np.int64).max()) >= _EXPANDS:  # some text has ß, İ, ŉ, ...
        folded, text_ends = _expand(codes, folded, text_ends)
    mask = folded.view(np.int64) < 0
    edges = np.flatnonzero(mask[1:] != mask[:-1])  # last position of each run
    last_gap, last_word = edges[0::2], edges[1::2]  # words are [last_gap + 1, last_word]
    pw, inv = powers(folded.size)
    folded *= pw
    prefix = np.cumsum(folded, out=folded)
    h = prefix[last_word] - prefix[last_gap]
    h *= inv[last_gap + 1]
    h ^= ((last_word - last_gap).astype(np.uint64) << np.uint64(63)) ^ np.uint64(WORD_SALT)
    offsets = np.zeros(len(texts) + 1, np.intp)
    offsets[1:] = np.searchsorted(last_word, text_ends)
    return fmix64_array(h), offsets


def _expand(codes: np.ndarray, folded: np.ndarray, text_ends: np.ndarray):
    """Return ``folded`` with every multi-character casefold spelled out, and the moved text
    ends."""
    at = np.flatnonzero(folded.view(np.int64) == _EXPANDS)
    parts = [_expansion(c) for c in codes[at].tolist()]
    folded[at] = [p[0] for p in parts]
    extra = np.array([v for p in parts for v in p[1:]], np.uint64)
    where = np.repeat(at + 1, [len(p) - 1 for p in parts])
    return np.insert(folded, where, extra), text_ends + np.searchsorted(
        where, text_ends, side="right"
    )


@cache
def _expansion(code: int) -> tuple[int, ...]:
    """Return the fold-table entries of the characters of ``chr(code).casefold()``."""
    table = _fold_table()
    return tuple(int(table[ord(c)]) for c in chr(code).casefold())


def shingle_hashes(texts: list[str], size: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """Return (shingle hashes of all texts, concatenated; offsets, length n + 1).

    Text ``i`` owns ``hashes[offsets[i]:offsets[i + 1]]``, in shingle order.
    Texts are normalized here; pass them raw.
    """
    return _shingle_hashes([nfkc(t) for t in texts], size)


def nfkc(text: str) -> str:
    """Return ``text`` in NFKC (case folding comes later, from the fold table)."""
    return unicodedata.normalize("NFKC", text)


def _shingle_hashes(nf: list[str], size: int) -> tuple[np.ndarray, np.ndarray]:
    """Like :func:`shingle_hashes`, for texts already in NFKC."""
    n = len(nf)
    if not n:
        return np.empty(0, np.uint64), np.zeros(1, np.intp)
    wh, woff = _word_hashes(nf)
    counts = np.diff(woff)
    m = wh.size - size + 1
    if m > 0:
        acc = wh[:m].copy()
        for j in range(1, size):
            acc *= np.uint64(SHINGLE_MUL)
            acc += wh[j : j + m]
        hashes = fmix64_array(acc)
        if size > 1:  # drop the windows that run past the end of their text
            cut = (woff[1:, None] - np.arange(1, size)).ravel()
            keep = np.ones(m, bool)
            keep[cut[(cut >= 0) & (cut < m)]] = False
            hashes = hashes[keep]
    else:
        hashes = np.empty(0, np.uint64)
    per_text = np.maximum(counts - size + 1, 0)
    short = np.flatnonzero((counts > 0) & (counts < size))
    if short.size:  # rare: texts shorter than one shingle get one shingle of all words
        extra = [shingle_hash(wh[woff[d] : woff[d + 1]].tolist()) for d in short.tolist()]
        before = np.cumsum(per_text)[short] - per_text[short]
        hashes = np.insert(hashes, before, np.array(extra, np.uint64))
        per_text[short] = 1
    offsets = np.zeros(n + 1, np.intp)
    np.cumsum(per_text, out=offsets[1:])
    return hashes, offsets
