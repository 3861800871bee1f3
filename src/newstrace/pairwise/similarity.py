"""Document-level same-story similarity: the signals behind ``same_story_score``.

Each signal is a similarity in [0, 1]:

- ``lexical_similarity``: weighted cosine of the two word bags (rare words,
  names and numbers weigh most, see ``normalize.weights``);
- ``char_similarity``: the same over character 4-grams of the words, so
  inflected forms ("Surfer"/"Surfern", Turkish and Polish suffixes) and
  compounds still meet;
- ``lead_similarity``: weighted cosine of the leads (title and first
  sentences), the part that names the event;
- ``name_overlap``: Jaccard overlap of names and numbers (capitalized words
  inside a sentence, all-caps words, digit runs), which separates two events
  of the same kind (two rehab stays, two earthquakes);
- ``semantic_similarity``: an embedding cosine rescaled from the range where
  unrelated text falls to the range of a translation.
"""

from __future__ import annotations

import math
import re
from collections import Counter

import numpy as np

from ..model import Document
from ..normalize.text import words
from ..normalize.weights import term_weight, weight_table

CHAR_N = 4
LEAD_SENTENCES = 3
_NAME = re.compile(r"\w+", re.UNICODE)


def _cosine(va: dict, vb: dict) -> float:
    if len(va) > len(vb):
        va, vb = vb, va
    dot = sum(w * vb[t] for t, w in va.items() if t in vb)
    na = math.sqrt(sum(w * w for w in va.values()))
    nb = math.sqrt(sum(w * w for w in vb.values()))
    return min(1.0, dot / (na * nb)) if na and nb else 0.0


def _counts(doc: Document, n: int | None = None) -> Counter:
    sents = doc.content if n is None else doc.content[:n]
    return Counter(t for s in sents for t in words(s.text))


def _vector(counts: Counter, language: str) -> dict[str, float]:
    table = weight_table(language)
    return {t: math.sqrt(c) * term_weight(t, table) for t, c in counts.items()}


def lexical_similarity(a: Document, b: Document) -> float:
    """Return the weighted cosine of the two documents' word bags, in [0, 1]."""
    return _cosine(_vector(_counts(a), a.language), _vector(_counts(b), b.language))


def _char_vector(counts: Counter, language: str) -> dict[str, float]:
    table = weight_table(language)
    grams: Counter = Counter()
    for t, c in counts.items():
        w, padded = c * term_weight(t, table), f" {t} "
        for i in range(max(1, len(padded) - CHAR_N + 1)):
            grams[padded[i : i + CHAR_N]] += w
    return {g: math.sqrt(w) for g, w in grams.items()}


def char_similarity(a: Document, b: Document) -> float:
    """Return the weighted cosine of the documents' character 4-grams, in [0, 1]."""
    return _cosine(_char_vector(_counts(a), a.language), _char_vector(_counts(b), b.language))


def lead_similarity(a: Document, b: Document, n: int = LEAD_SENTENCES) -> float:
    """Return the weighted word cosine of the two leads (title and first ``n`` sentences)."""

    def bag(doc: Document) -> Counter:
        return Counter(words(doc.article.title or "")) + _counts(doc, n)

    return _cosine(_vector(bag(a), a.language), _vector(bag(b), b.language))


def names(doc: Document) -> set[str]:
    """Return the casefolded names and numbers of ``doc``'s content sentences."""
    out = set()
    for s in doc.content:
        for k, tok in enumerate(_NAME.findall(s.text)):
            if tok.isdigit() or (len(tok) > 1 and tok.isupper()) or (k and tok[:1].isupper()):
                out.add(tok.casefold())
    return out


def name_overlap(a: Document, b: Document) -> float:
    """Return the Jaccard overlap of the two documents' names and numbers, in [0, 1]."""
    na, nb = names(a), names(b)
    return len(na & nb) / len(na | nb) if na and nb else 0.0


def lead(doc: Document, n: int = LEAD_SENTENCES) -> str:
    """Return the title and first ``n`` content sentences, the part that names the event."""
    parts = [doc.article.title or ""] + [s.text for s in doc.content[:n]]
    return " ".join(p for p in parts if p)


def semantic_similarity(a_vec: np.ndarray, b_vec: np.ndarray, low: float = 0.72, high: float = 0.92) -> float:
    """Return the embedding cosine rescaled so unrelated text is near 0 and a translation near 1."""
    cos = float(np.dot(a_vec, b_vec))
    return min(1.0, max(0.0, (cos - low) / (high - low)))
