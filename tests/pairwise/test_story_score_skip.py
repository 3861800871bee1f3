"""The same-story score skips its head/body embeddings only where no cosine could change it."""

from __future__ import annotations

import hashlib

import numpy as np

from newstrace.model import Article
from newstrace.normalize import normalize
from newstrace.pairwise import _same_story_score
from newstrace.pairwise.similarity import head_body_cosine, lexical_signals, story_score

TEXT = [
    "The harbour board of Carrow approved a new ferry terminal on Tuesday.",
    "The terminal will cost 40 million crowns and open in 2028.",
    "Board chair Ilse Marren said the old pier could no longer take the larger ships.",
    "Work starts in the spring, once the dredging permit is granted.",
]
OTHER = [
    "A storm closed three mountain passes in the north on Friday.",
    "Snowploughs could not reach the village of Hest until late evening.",
]


class Recording:
    """Deterministic unit vectors per text; remembers what it was asked to embed."""

    name = "recording"

    def __init__(self) -> None:
        self.seen: list[str] = []

    def embed(self, texts):
        self.seen.extend(texts)
        rows = []
        for t in texts:
            seed = int(hashlib.sha1(t.encode()).hexdigest()[:8], 16)
            v = np.random.default_rng(seed).normal(size=16)
            rows.append(v / np.linalg.norm(v))
        return np.asarray(rows, dtype=np.float32)


def _doc(sentences, ident):
    return normalize(Article(text="\n\n".join(sentences), id=ident, language="en"))


def _unskipped(a, b, cov, embedder) -> float:
    derived = min(1.0, sum(cov) / 2 + 0.1 * max(cov))
    cosine = head_body_cosine(a, b, embedder)
    return round(max(story_score(lexical_signals(a, b), cosine), derived), 4)


def test_full_coverage_decides_the_score_without_embedding():
    a, b = _doc(TEXT, "a"), _doc(TEXT, "b")
    emb = Recording()
    score = _same_story_score(a, b, (1.0, 1.0), emb)
    assert emb.seen == []
    assert score == _unskipped(a, b, (1.0, 1.0), Recording()) == 1.0


def test_low_coverage_still_embeds_and_gives_the_same_score():
    a, b = _doc(TEXT, "a"), _doc(OTHER, "b")
    emb = Recording()
    score = _same_story_score(a, b, (0.1, 0.05), emb)
    assert len(emb.seen) == 4  # head and body of each side
    assert score == _unskipped(a, b, (0.1, 0.05), Recording())
