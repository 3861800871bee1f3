"""Fingerprints and candidates: exact hashes, MinHash signatures, LSH bands.

Pure functions over text and numpy arrays; no I/O. The byte layout of every
hash and of serialized signatures is in ``docs/fingerprints.md``.
"""

from .document import (
    DocFingerprint,
    content_of,
    content_text,
    doc_bands,
    fingerprint_contents,
    fingerprint_text,
    fingerprint_texts,
)
from .lsh import LSHIndex, band_keys, band_keys_batch
from .serialize import FORMAT_VERSION, deserialize, read_header, serialize
from .shingles import exact_hash, shingle_hashes, shingles, words
from .signatures import EMPTY, is_empty, jaccard_estimate, minhash, minhash_batch, minhash_counts

__all__ = [
    "EMPTY",
    "FORMAT_VERSION",
    "DocFingerprint",
    "LSHIndex",
    "band_keys",
    "band_keys_batch",
    "content_of",
    "content_text",
    "deserialize",
    "doc_bands",
    "exact_hash",
    "fingerprint_contents",
    "fingerprint_text",
    "fingerprint_texts",
    "is_empty",
    "jaccard_estimate",
    "minhash",
    "minhash_batch",
    "minhash_counts",
    "read_header",
    "serialize",
    "shingle_hashes",
    "shingles",
    "words",
]
