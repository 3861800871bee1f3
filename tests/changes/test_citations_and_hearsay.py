"""Who a sentence credits when an outlet cites its own source, and German "soll" read two ways.

Fictional sentences. "Northgate Wire, citing the city office" credits one
outlet, Northgate Wire; the city office is the source it cites, a named
source and no outlet. German "soll" reports a claim ("soll ... angenommen
haben": is said to have) or states a plan ("soll 2025 öffnen": is to open).
"""

from __future__ import annotations

import pytest

from newstrace.changes import sentence_changes
from newstrace.changes.attribution import find_sources
from newstrace.changes.certainty import certainty
from newstrace.pairwise.outlets import credited_outlets

CITING = [
    (
        "de",
        (
            "Die Fähre fährt nicht mehr nachts, wie Northgate Wire unter Berufung auf die "
            "Stadtverwaltung berichtet."
        ),
    ),
    (
        "de",
        (
            "Wie Northgate Wire unter Berufung auf die Stadtverwaltung berichtete, fährt die "
            "Fähre nicht mehr nachts."
        ),
    ),
    (
        "de",
        (
            "Die Fähre fährt nicht mehr nachts, berichtet Northgate Wire unter Berufung auf die "
            "Stadtverwaltung."
        ),
    ),
    ("en", "The ferry will stop night crossings, Northgate Wire reported, citing the city office."),
    ("en", "Northgate Wire, citing the city office, reported that the ferry will stop."),
    ("en", "Citing the city office, Northgate Wire reported that the ferry will stop."),
]


@pytest.mark.parametrize(("lang", "sentence"), CITING)
def test_an_outlet_citing_an_office_credits_only_the_outlet(lang, sentence):
    assert credited_outlets(sentence, lang) == ["Northgate Wire"]
    by_name = {s.name.lower(): s for s in find_sources(sentence, lang)}
    office = next(s for n, s in by_name.items() if "stadtverwaltung" in n or "city office" in n)
    assert office.kind == "named", "the cited office is a source, not an outlet"
    assert not any(w in n for n in by_name for w in ("berichtet", "reported")), (
        "a credit ends where its verb starts"
    )


@pytest.mark.parametrize(
    ("lang", "sentence", "name"),
    [
        (
            "de",
            "Die Fähre fährt nicht mehr, wie die Nordstadt Zeitung berichtet.",
            "Nordstadt Zeitung",
        ),
        ("de", "Laut Nordstadt Zeitung fährt die Fähre nicht mehr nachts.", "Nordstadt Zeitung"),
        ("en", "The ferry will stop night crossings, the Valley Herald reported.", "Valley Herald"),
    ],
)
def test_an_outlet_credit_is_only_the_outlet_s_name(lang, sentence, name):
    assert credited_outlets(sentence, lang) == [name]


def test_citing_an_outlet_still_credits_it():
    assert credited_outlets("The ferry will stop, the council said, citing Reuters.", "en") == [
        "Reuters"
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "Der Minister soll Geld angenommen haben.",
        "Die Täter sollen über den Zaun geklettert sein.",
        "Der Mann soll am Montag festgenommen worden sein.",
    ],
)
def test_soll_with_a_perfect_infinitive_reports_a_claim(sentence):
    c = certainty(sentence, "de")
    assert c.level == 1 and c.hedge.text.lower().startswith("soll")


@pytest.mark.parametrize(
    "sentence",
    [
        "Das Kraftwerk soll 2025 in Betrieb gehen.",
        "Die neue Brücke soll im Herbst eröffnet werden.",
        "Die Stadt soll bis 2030 mehr Grünflächen haben.",  # a noun before "haben": a plan
    ],
)
def test_soll_without_a_perfect_infinitive_is_a_plan(sentence):
    assert certainty(sentence, "de").level == 2.5


def _meaning(a, b, la, lb):
    changes = sentence_changes(a, b, la, lb)
    return [c for c in changes if c.type == "certainty" and c.severity == "meaning"]


def test_a_plan_with_soll_against_a_scheduled_plan_is_no_certainty_change():
    a = "The power station is due to start operating in 2025."
    b = "Das Kraftwerk soll 2025 in Betrieb gehen."
    assert not _meaning(a, b, "en", "de")


def test_a_claim_with_soll_stated_as_fact_is_a_certainty_change():
    changes = _meaning(
        "Der Minister soll Geld angenommen haben.", "Der Minister hat Geld angenommen.", "de", "de"
    )
    assert [c.direction for c in changes] == ["strengthened"]


def test_an_intention_reads_the_same_in_english_and_german():
    assert (
        certainty("Die Firma plant, 300 Stellen zu streichen.", "de").level
        == certainty("The firm plans to cut 300 jobs.", "en").level
    )
