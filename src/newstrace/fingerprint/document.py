"""The per-document fingerprint: one function from an article's raw text to its hashes and band
keys.

Every path that fingerprints an article (the local ingest, ``doc_bands``, a
Spark job) calls :func:`fingerprint_texts`, so one text always gets one
exact hash, one signature and one set of band keys. What is hashed is the
*content text*: the cleaned text without boilerplate paragraphs (footers,
credit lines), so syndicated copies that differ only in their footer share
everything. Pure: no I/O, no state, the result depends on the arguments only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..normalize import boilerplate_rule, document_text
from ..settings import DEFAULT, Settings
from .lsh import band_keys_batch
from .shingles import exact_hash
from .signatures import EMPTY, minhash_counts


@dataclass(frozen=True)
class DocFingerprint:
    """What the fingerprint stage computes for one text.

    ``content``: the text that was hashed (see :func:`content_text`);
    ``exact_hash``: its exact-duplicate hash; ``signature``: (num_perm,) uint32
    MinHash; ``bands``: the ``lsh_bands`` band keys as signed 64-bit ints,
    band ``i`` at position ``i`` (all of them, also for a text without words,
    whose empty signature matches nothing in an index that skips it);
    ``n_shingles``: the number of distinct shingles the signature is the
    MinHash of (those of the first text of the batch with this exact hash).
    """

    content: str
    exact_hash: str
    signature: np.ndarray
    bands: tuple[int, ...]
    n_shingles: int = 0

    def band_rows(self) -> list[tuple[int, int]]:
        """Return ``[(band index, key), ...]``, the rows a store's band table holds."""
        return list(enumerate(self.bands))


def content_text(text: str) -> str:
    """Return cleaned ``text`` without boilerplate paragraphs (footers, credit lines, plugs)."""
    return content_of(document_text(text))[0]


def content_of(cleaned: str) -> tuple[str, list[str | None]]:
    """Return the content text of a ``document_text`` and the boilerplate rule of each paragraph.

    The rules are those of ``cleaned.split("\\n\\n")``, in order (None: content),
    so a caller that also needs them (the evidence digest) tests each
    paragraph once.
    """
    paras = cleaned.split("\n\n")
    rules = [boilerplate_rule(p) for p in paras]
    return "\n\n".join(p for p, r in zip(paras, rules) if not r), rules


def fingerprint_texts(texts: list[str], settings: Settings = DEFAULT) -> list[DocFingerprint]:
    """Return the fingerprint of each raw article text, in order.

    Equal content texts are signed once. Raises ConfigError when
    ``settings.num_perm`` is not a multiple of ``settings.lsh_bands``.
    """
    contents = [content_text(t) for t in texts]
    return fingerprint_contents(contents, settings)


def fingerprint_contents(
    contents: list[str], settings: Settings = DEFAULT, hashes: list[str] | None = None
) -> list[DocFingerprint]:
    """Return the fingerprints of texts already in content form (see :func:`fingerprint_texts`).

    ``hashes``: their exact hashes, when the caller has them already.
    """
    if hashes is None:
        hashes = [exact_hash(t) for t in contents]
    first: dict[str, int] = {}
    for k, h in enumerate(hashes):
        first.setdefault(h, k)
    distinct = list(first.values())
    sigs, counts = minhash_counts([contents[k] for k in distinct], settings)
    keys = band_keys_batch(sigs, settings.lsh_bands).tolist() if distinct else []
    row = {hashes[k]: n for n, k in enumerate(distinct)}
    counts = counts.tolist()
    return [
        DocFingerprint(t, h, sigs[row[h]], tuple(keys[row[h]]), counts[row[h]])
        for t, h in zip(contents, hashes)
    ]


def fingerprint_text(text: str, settings: Settings = DEFAULT) -> DocFingerprint:
    """Return the fingerprint of one raw article text (see :func:`fingerprint_texts`)."""
    return fingerprint_texts([text], settings)[0]


def doc_bands(text: str, doc_id, settings: Settings = DEFAULT) -> list[tuple[int, int, object]]:
    """Return ``[(band index, key, doc_id), ...]`` for one raw article text; ``[]`` if it has no
    words.

    The keys are those of :func:`fingerprint_text` (the content text's), the
    same the local ingest stores.
    """
    fp = fingerprint_text(text, settings)
    if np.all(fp.signature == EMPTY):
        return []
    return [(i, k, doc_id) for i, k in fp.band_rows()]
