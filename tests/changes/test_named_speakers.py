"""A speaker named after a role ("Police spokesman Dave Gaskin") is a named source, and an
independent report of the same event has no meaning drift (precision on real text)."""

from __future__ import annotations

import pytest

from newstrace import compare
from newstrace.changes import sentence_changes
from newstrace.changes.attribution import find_sources
from newstrace.model import Article
from newstrace.settings import DEFAULT


@pytest.mark.parametrize(
    "sentence",
    [
        "Harbour police spokesman Tomas Ferreira said the ferry ran aground.",
        "Valley State Police Lt. Marta Quell said the device went off at noon.",
        "Senior fire officer Lena Okafor said the blaze was under control.",
    ],
)
def test_a_role_then_a_full_name_is_a_named_source(sentence):
    (src,) = find_sources(sentence, "en")
    assert src.kind == "named"


@pytest.mark.parametrize(
    "sentence",
    [
        "Police said the ferry ran aground.",
        "A police spokesman said the ferry ran aground.",
        "Officials in New Harbour said the ferry ran aground.",
        "Investigators at Port Quell said the ferry ran aground.",
    ],
)
def test_a_role_or_a_place_alone_stays_anonymous(sentence):
    (src,) = find_sources(sentence, "en")
    assert src.kind == "anonymous"


def test_the_same_named_spokesman_by_surname_is_no_attribution_change():
    a = "Harbour police spokesman Tomas Ferreira said the ferry ran aground near the pier."
    b = "Mr Ferreira said the ferry ran aground near the pier."
    assert not [c for c in sentence_changes(a, b) if c.type in ("attribution", "speaker")]


A_TEXT = (
    "The Dunmore ferry ran aground on a sandbank early on Tuesday, the harbour office said. "
    "All 112 passengers were taken ashore by lifeboats within two hours. "
    "The operator, Brightwater Lines, said the vessel would be towed to Port Quell for repairs. "
    "It is unclear whether the captain had been warned about the shifting sandbank."
)
B_TEXT = (
    "Brightwater Lines has run the Dunmore crossing since 1998 and carries about 400,000 people a "
    "year. Ticket prices on the route rose twice last winter, and a new timetable starts in May. "
    "The company plans to add a night service to Carrow Island from June. "
    "Its chief executive, Idris Vale, joined from a rail operator three years ago. "
    "The operator, Brightwater Lines, said the vessel is expected to be towed to Port Quell. "
    "Regulators will publish a review of coastal ferry safety in the spring. "
    "The union has asked for talks on crew rosters before the summer season."
)


def test_an_independent_report_of_the_same_event_has_no_meaning_drift():
    c = compare(
        Article(text=A_TEXT, id="a", outlet="Harbour Gazette"),
        Article(text=B_TEXT, id="b", outlet="Valley Courier"),
        DEFAULT.with_(semantic="off"),
    )
    # One sentence of B matches one of A ("would be towed" / "is expected to be towed"): too little
    # for B to be taken from A, so the change between them is listed, not flagged.
    assert c.verdict == "not_derived"
    assert [ch.type for ch in c.drift] == ["certainty"]
    assert all(ch.severity == "cosmetic" for ch in c.drift)


def test_a_rank_abbreviation_does_not_end_the_sentence():
    from newstrace.normalize.sentences import split_sentences

    text = '"Stay away from the quay," said Lt. Marta Quell. Sgt. Ivo Brandt agreed. It was late.'
    assert [text[s:e] for s, e, _ in split_sentences(text)] == [
        '"Stay away from the quay," said Lt. Marta Quell.',
        "Sgt. Ivo Brandt agreed.",
        "It was late.",
    ]


@pytest.mark.parametrize("symbol", ["GMT", "UTC", "MW", "AUD"])
def test_a_time_zone_or_unit_symbol_is_never_a_name(symbol):
    a = "The fire began on the roof of the depot in Carrow, and residents were evacuated."
    b = f"The fire began on the roof of the depot at about 2045 {symbol}, and residents left."
    changes = [c for c in sentence_changes(a, b) if c.type == "entity"]
    assert all(symbol not in (c.b_text or "") for c in changes)
    assert all(c.severity != "meaning" for c in changes)
