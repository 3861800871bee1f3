"""Bound and period changes of a figure a B sentence left unpaired shares with A: only that
figure."""

from __future__ import annotations

from newstrace.model import Alignment, Article, Link
from newstrace.normalize import normalize
from newstrace.pairwise.drift_pass import unpaired_changes

A = (
    "The harbour plant opened on Monday. It would produce 675GWh annually and cut emissions "
    "by more than 500,000 tonnes annually, the operator said."
)


def _changes(b_text: str):
    a, b = normalize(Article(id="a", text=A)), normalize(Article(id="b", text=b_text))
    links = tuple(Link(b=s.i, a=(), label="new", score=0.0) for s in b.sentences)
    alignment = Alignment(links=links, a_labels=tuple("omitted" for _ in a.sentences))
    return [c for c in unpaired_changes(a, b, alignment) if c.severity == "meaning"]


def test_a_shared_figure_does_not_pair_the_sentences_other_figures():
    # 675GWh is shared; "500,000 households" is another figure than "500,000 tonnes".
    assert (
        _changes("The plant will generate 675GWh a year, enough to power 500,000 households.") == []
    )


def test_the_shared_figure_losing_its_bound_is_reported():
    found = _changes("The plant will also offset 500,000t of emissions.")
    assert found and all("500,000t" in c.b_text for c in found)
