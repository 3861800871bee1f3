"""Document-level same-story similarity."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np

from ..model import Document
from ..normalize.text import words
from ..normalize.weights import term_weight, weight_table


def _vector(doc: Document) -> dict[str, float]:
    table = weight_table(doc.language)
    counts = Counter(t for s in doc.content for t in words(s.text))
    return {t: math.sqrt(c) * term_weight(t, table) for t, c in counts.items()}


def lexical_similarity(a: Document, b: Document) -> float:
    """Return the weighted cosine of the two documents' word bags, in [0, 1]."""
    va, vb = _vector(a), _vector(b)
    dot = sum(w * vb[t] for t, w in va.items() if t in vb)
    na = math.sqrt(sum(w * w for w in va.values()))
    nb = math.sqrt(sum(w * w for w in vb.values()))
    return dot / (na * nb) if na and nb else 0.0


def lead(doc: Document, n: int = 3) -> str:
    """Return the title and first ``n`` content sentences, the part that names the event."""
    parts = [doc.article.title or ""] + [s.text for s in doc.content[:n]]
    return " ".join(p for p in parts if p)


def semantic_similarity(a_vec: np.ndarray, b_vec: np.ndarray, low: float = 0.72, high: float = 0.92) -> float:
    """Return the embedding cosine rescaled so unrelated text is near 0 and a translation near 1."""
    cos = float(np.dot(a_vec, b_vec))
    return min(1.0, max(0.0, (cos - low) / (high - low)))
