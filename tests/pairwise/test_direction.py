"""Direction on fictional pairs: credits, footers read for their own article, common sources, inline
dates.

The fixtures in tests/fixtures/direction are written for these tests. The
"text only" variants strip every header line, as a user pasting bare
article text would give them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import newstrace
from newstrace.ingest import read_text
from newstrace.ingest.headers import split_headers
from newstrace.pairwise import direction as dirn
from newstrace.settings import Settings

LEX = Settings(semantic="off")
HERE = Path(__file__).resolve().parents[1] / "fixtures" / "direction"


def _path(name: str) -> Path:
    return HERE / name


def _bare(name: str):
    """Return the fixture's Article without any header line (no outlet, url or date)."""
    return read_text(split_headers(_path(name).read_text("utf-8"))[1])


def _cmp(a, b):
    return newstrace.compare(a, b, LEX)


def _kinds(c, side):
    return {e.kind for e in c.direction.evidence if e.side == side}


# --- a copy that credits its source -------------------------------------------


def test_crediting_copy_names_the_agency_as_source():
    c = _cmp(_path("harbor-agency.txt"), _path("crediting-copy.txt"))
    assert c.direction.source == "a" and not c.swapped
    credit = next(e for e in c.direction.evidence if e.kind == "attribution")
    assert (
        credit.side == "a" and credit.about == "b" and "Harbor Press Agency reports" in credit.text
    )
    assert c.verdict == "wholly_derived"


def test_crediting_copy_given_first_is_swapped():
    c = _cmp(_path("crediting-copy.txt"), _path("harbor-agency.txt"))
    assert c.swapped and c.direction.source == "a"
    assert c.a.article.outlet == "Harbor Press Agency"


def test_crediting_copy_without_header_lines():
    # No outlet field: the agency's own dateline "(Harbor Press Agency)" names it.
    c = _cmp(_bare("crediting-copy.txt"), _bare("harbor-agency.txt"))
    assert c.swapped and c.direction.source == "a"
    assert {"attribution", "own_credit"} <= _kinds(c, "a")
    assert not [e for e in c.direction.evidence if e.kind == "timestamp"]


def test_credit_by_domain_alone():
    agency = read_text(
        split_headers(_path("harbor-agency.txt").read_text("utf-8"))[1].split(" - ", 1)[1],
        url="https://harborpress.example/wire/port-elan-strike",
    )
    copy = read_text(
        "Dock workers at the port of Port Elan began a 48-hour strike on Monday over new "
        "night-shift rules, according to harborpress.example.\n\nAbout 1,200 workers walked out "
        "at 6 a.m., leaving 14 container ships waiting in the outer harbour."
    )
    c = _cmp(copy, agency)
    assert c.swapped and c.direction.source == "a"
    assert any(
        e.kind == "attribution" and "harborpress.example" in e.text for e in c.direction.evidence
    )


# --- a feed footer on the source -------------------------------------------------


@pytest.mark.parametrize("bare", [False, True], ids=["headers", "text-only"])
def test_feed_footer_on_the_source_speaks_only_of_its_own_article(bare):
    a, b = ("feed-copy.txt", "feed-rewrite.txt")
    c = _cmp(_bare(a), _bare(b)) if bare else _cmp(_path(a), _path(b))
    assert c.direction.source == "a" and not c.swapped
    footer = [e for e in c.direction.evidence if e.kind == "footer"]
    assert len(footer) == 1
    assert footer[0].about == "a" and footer[0].side is None and footer[0].weight > 0
    assert "automated news agency feed" in footer[0].text
    assert not [e for e in c.direction.evidence if e.side == "b"], (
        "a footer in A is no evidence for B"
    )


def test_footer_discounts_its_own_article_and_adds_nothing_to_the_other():
    base = [dirn.Evidence("attribution", "a", "B credits A", 0.7, "b")]
    footer = dirn.Evidence(
        "footer", None, "A says of itself: generated from an agency feed", 0.4, "a"
    )
    with_footer = dirn.scores(base + [footer])
    assert with_footer["a"] == pytest.approx(0.7 * 0.6)
    assert with_footer["b"] == 0.0 == dirn.scores(base)["b"]


def test_both_feed_copies_share_a_common_source():
    a_footer = "This article was generated from an automated news agency feed."
    b_footer = "This story was syndicated from a wire service."
    a = dirn.ArticleSignals(own=frozenset({"gullwingtimes"}), footers=(a_footer,))
    b = dirn.ArticleSignals(own=frozenset({"morningquay"}), footers=(b_footer,))
    d = dirn.decide_pair(a, b, dirn.Overlap(b_in_a=0.95, a_in_b=0.95))
    assert d.source == "common_source"


# --- two rewrites of one press release ---------------------------------------------


@pytest.mark.parametrize("bare", [False, True], ids=["headers", "text-only"])
def test_two_press_release_rewrites_have_a_common_source(bare):
    a, b = "release-tidewater.txt", "release-gridledger.txt"
    c = _cmp(_bare(a), _bare(b)) if bare else _cmp(_path(a), _path(b))
    assert c.direction.source == "common_source"
    assert not c.swapped, "with a common source the given order stays"
    only = {e.about: e for e in c.direction.evidence if e.kind == "only_in"}
    assert set(only) == {"a", "b"} and all(e.side == "common_source" for e in only.values())
    assert "Fenwick Moor" in only["a"].text  # what A has and B lacks
    assert "Westlink" in only["b"].text or "Dunmore Bank" in only["b"].text
    assert c.verdict == "partially_derived"
    assert c.additions, "B's own material is still listed as its additions"


def test_common_source_survives_a_later_date_when_the_later_text_has_its_own_material():
    a = dirn.ArticleSignals(own=frozenset({"tidewater"}), published="2026-09-15")
    b = dirn.ArticleSignals(own=frozenset({"gridledger"}), published="2026-09-17")
    ov = dirn.Overlap(b_in_a=0.55, a_in_b=0.7, b_only=("The project cost 95 million euros.",))
    d = dirn.decide(dirn.pair_evidence(a, b, ov))
    assert d.source == "common_source"
    assert any(e.kind == "timestamp" and e.side == "a" for e in d.evidence)  # shown, and outweighed


def test_later_text_inside_the_earlier_one_is_derived_from_it():
    a = dirn.ArticleSignals(own=frozenset({"tidewater"}), published="2026-09-15T08:00:00+00:00")
    b = dirn.ArticleSignals(own=frozenset({"gridledger"}), published="2026-09-15T15:00:00+00:00")
    d = dirn.decide(dirn.pair_evidence(a, b, dirn.Overlap(b_in_a=0.97, a_in_b=0.6)))
    assert d.source == "a" and {"containment", "timestamp"} <= {
        e.kind for e in d.evidence if e.side == "a"
    }


def test_containment_without_times_does_not_say_who_copied():
    a, b = dirn.ArticleSignals(own=frozenset()), dirn.ArticleSignals(own=frozenset())
    d = dirn.decide(dirn.pair_evidence(a, b, dirn.Overlap(b_in_a=1.0, a_in_b=0.6)))
    contain = next(e for e in d.evidence if e.kind == "containment")
    assert contain.side is None and contain.weight == 0.0
    assert d.source == "common_source"


def test_material_credited_to_a_third_outlet_is_not_a_common_source():
    # B's own share is all "according to the Valley Herald": it came from elsewhere.
    ov = dirn.Overlap(b_in_a=0.7, a_in_b=0.8, b_credited=0.3)
    assert ov.own_share("b") == pytest.approx(0.0)
    a = dirn.ArticleSignals(own=frozenset({"northgatewire"}), published="2026-11-03T07:40:00+00:00")
    b = dirn.ArticleSignals(own=frozenset({"riversidepost"}), published="2026-11-03T14:05:00+00:00")
    assert dirn.decide(dirn.pair_evidence(a, b, ov)).source == "a"


def test_same_outlet_versions_are_not_a_common_source():
    a = dirn.ArticleSignals(own=frozenset({"gridledger"}))
    b = dirn.ArticleSignals(own=frozenset({"gridledger"}))
    ev = dirn.pair_evidence(a, b, dirn.Overlap(b_in_a=1.0, a_in_b=0.9))
    assert not [e for e in ev if e.kind == "no_credit"]
    assert dirn.decide(ev).source is None


def test_nothing_shared_means_no_answer():
    a, b = dirn.ArticleSignals(own=frozenset({"x1"})), dirn.ArticleSignals(own=frozenset({"y1"}))
    assert (
        dirn.decide(dirn.pair_evidence(a, b, dirn.Overlap(b_in_a=0.05, a_in_b=0.04))).source is None
    )


# --- no header lines, an inline date ------------------------------------------------


def test_inline_dates_order_a_pair_without_headers():
    a = _path("inline-date-source.txt").read_text("utf-8")  # opens with "date 2026-03-02"
    b = _path("inline-date-copy.txt").read_text("utf-8")  # opens with "Date: 4 March 2026"
    c = newstrace.compare_texts(b, a, LEX)  # plain texts, the later one first
    assert c.a.article.published == "2026-03-02" and c.b.article.published == "2026-03-04"
    assert c.swapped and c.direction.source == "a"
    stamp = next(e for e in c.direction.evidence if e.kind == "timestamp")
    assert stamp.side == "a" and "2026-03-02" in stamp.text
    assert not [ch for ch in c.drift if ch.type == "date"], "the date lines are metadata, not text"
    assert not c.a.text.lower().startswith("date")


def test_inline_dates_are_read_for_direction_even_when_left_in_the_text():
    # compare() on bare strings keeps every line as text; direction still reads the opening dates.
    a = read_text(_path("inline-date-source.txt").read_text("utf-8"))
    b = read_text(_path("inline-date-copy.txt").read_text("utf-8"))
    assert a.published is None and a.text.startswith("date 2026-03-02")
    c = _cmp(b, a)
    assert c.swapped and c.direction.source == "a"
    assert next(e for e in c.direction.evidence if e.kind == "timestamp").side == "a"


def test_inline_date_is_read_from_the_document_text():
    assert dirn.inline_date("date 2026-03-02\n\nThe library will close.") == "2026-03-02"
    assert dirn.inline_date("Date: 4 March 2026\nThe library will close.") == "2026-03-04"
    assert dirn.inline_date("The library will close on 4 March 2026.") is None


# --- credits to an outlet outside the pair ------------------------------------------


def test_two_rewrites_crediting_one_wire_have_a_common_source(corpus):
    # The Morning Ledger ("Northgate Wire reports") and a German rewrite ("wie Northgate Wire ...
    # berichtet").
    c = _cmp(corpus / "04-morning-ledger.txt", corpus / "07-hafenbruecke-de.txt")
    assert c.direction.source == "common_source"
    common = next(e for e in c.direction.evidence if e.kind == "common_credit")
    assert common.side == "common_source" and "Northgate Wire" in common.text


def test_crediting_a_third_outlet_discounts_that_article_as_the_source(corpus):
    # The Ledger's text is Northgate Wire's; the Riverside Post's is too, uncredited.
    c = _cmp(corpus / "04-morning-ledger.txt", corpus / "05-riverside-post.txt")
    third = next(e for e in c.direction.evidence if e.kind == "third_credit")
    assert third.about == "a" and third.side is None and "Northgate Wire" in third.text
    assert c.direction.source != "a"


def test_own_reporting_is_not_material_from_a_common_source():
    a = read_text(
        "The Millbrook library will close for six months from April for a roof repair, the town "
        "council said on Monday.\n\nThe repair will cost 2.4 million euros and is paid for by the "
        "regional heritage fund.",
        outlet="Millbrook Town Hall News",
        published="2026-03-02",
    )
    b = read_text(
        "The Millbrook library will close for six months from April for a roof repair, the town "
        "council said on Monday.\n\nThe repair will cost 2.4 million euros and is paid for by the "
        "regional heritage fund.\n\nTwo regular readers told the Babel Gazette they would miss the "
        "Saturday story hour most.",
        outlet="Babel Gazette",
        published="2026-03-04",
    )
    c = _cmp(a, b)
    assert c.direction.source == "a"  # B's extra names B's own outlet: its own reporting
    assert not [
        e for e in c.direction.evidence if e.kind == "only_in" and e.side == "common_source"
    ]


# --- the decision's rules -------------------------------------------------------------


def _two_outlets():
    return (
        dirn.ArticleSignals(own=frozenset({"tidewater"})),
        dirn.ArticleSignals(own=frozenset({"gridledger"})),
    )


def test_shipped_rules_are_the_module_constants():
    r = dirn.RULES
    assert (r.no_credit_weight, r.own_share_min, r.decide_margin) == (
        dirn.NO_CREDIT_WEIGHT,
        dirn.OWN_SHARE_MIN,
        dirn.DECIDE_MARGIN,
    )
    assert r.contained_max is None, "off: leave-one-pair-out on the real pairs keeps it off"


def test_contained_rule_stops_the_common_source_hint_when_nothing_is_unexplained():
    a, b = _two_outlets()
    # All of A is in B; what B adds (20%) credits a third outlet: nothing is unexplained.
    ov = dirn.Overlap(b_in_a=0.8, a_in_b=1.0, b_credited=0.2)
    assert dirn.decide_pair(a, b, ov).source == "common_source"
    d = dirn.decide_pair(a, b, ov, dirn.Rules(contained_max=0.05))
    assert d.source is None
    hint = next(e for e in d.evidence if e.kind == "no_credit")
    assert hint.side is None and "A has nothing of its own" in hint.text


def test_contained_rule_keeps_the_hint_when_the_fuller_text_has_unexplained_material():
    a, b = _two_outlets()
    ov = dirn.Overlap(b_in_a=0.8, a_in_b=1.0)  # B's 20% is its own and credits no one
    rules = dirn.Rules(contained_max=0.05)
    assert dirn.decide_pair(a, b, ov, rules).source == "common_source"
    loose = dirn.Rules(contained_max=0.05, contained_explained=False)
    assert dirn.decide_pair(a, b, ov, loose).source is None


def test_memoized_time_order_and_condense_equal_a_fresh_computation():
    from newstrace.pairwise import outlets

    sig = dirn.ArticleSignals
    times = [None, "", "2026-05-12", "2026-05-12T08:00:00Z", "2026-05-12T09:30:00+02:00",
             "2026-05-13T00:00:00", "not a date", "2026-05-12T08:00:00+00:00"]  # fmt: skip
    for pa in times:
        for pb in times:
            a, b = sig(own=frozenset(), published=pa), sig(own=frozenset(), published=pb)
            fresh = dirn._time_order.__wrapped__(pa, pb)
            assert dirn.time_order(a, b) == fresh == dirn.time_order(a, b)
    assert dirn.time_order(
        sig(own=frozenset(), published="2026-05-12T08:00:00Z"),
        sig(own=frozenset(), published="2026-05-12T11:00:00Z"),
    ) == ("a", 10800.0, "A published 2026-05-12T08:00:00+00:00, B 2026-05-12T11:00:00+00:00")
    for text in ["The Valley Herald, reported", "Reuters/AP", "«Портовом вестнике»", ""]:
        assert (
            outlets.condense(text) == outlets.condense.__wrapped__(text) == outlets.condense(text)
        )
