"""Terminal report: content, order, and that nothing depends on colour alone."""

from __future__ import annotations

from dataclasses import replace

from rich.console import Console

from newstrace.model import Direction
from newstrace.report.terminal import render_terminal


def render(c, width=100) -> str:
    console = Console(record=True, width=width, color_system=None)
    render_terminal(c, console)
    return console.export_text()


def test_headline_names_verdict_and_outlets(comparison):
    out = render(comparison)
    first = out.splitlines()[0]
    assert first == "B is partially derived from A (Harbor Wire \u2192 Daily Post)"
    assert "same story (score 0.93)" in out


def test_direction_evidence_table(comparison):
    out = render(comparison)
    assert "Direction: source is A (confidence 0.90)" in out
    for kind in ("footer", "timestamp", "containment", "attribution"):
        assert kind in out
    assert "neutral" in out and "Originally published by Harbor Wire." in out


def test_coverage_line(comparison):
    assert "71% of B comes from A; B uses 67% of A" in render(comparison)


def test_meaning_drift_comes_before_omissions_and_cosmetic_is_counted(comparison):
    out = render(comparison)
    assert out.index("Meaning changes (4)") < out.index("Omitted from A")
    assert "[qualifier, strengthened]" in out and "[certainty, strengthened]" in out
    assert "[quote, changed]" in out and "[attribution, removed]" in out
    assert "1 cosmetic change(s): entity" in out
    assert "Lowen and Tarsk" not in out.split("Omitted from A")[0]  # cosmetic not itemised


def test_omissions_ranked_by_salience_with_why(comparison):
    out = render(comparison)
    assert out.index("A7") < out.index("A6")
    assert "salience 0.82; numbers, money, a caveat" in out
    assert "Insurers estimated early damage" in out


def test_additions_with_kind_and_credits(comparison):
    out = render(comparison)
    assert "[claim; credits Valley Herald]" in out and "B5" in out
    assert "Boilerplate ignored: 1 in A, 2 in B" in out


def test_undetermined_and_not_derived_headlines(comparison):
    out = render(replace(comparison, direction=Direction(None, 0.2)))
    assert "which one is the source is undetermined" in out
    assert "source undetermined" in out
    out = render(replace(comparison, verdict="not_derived", drift=()))
    assert out.startswith("A and B report the same story independently")
    assert "Meaning changes: none found" in out


def test_empty_sections_say_nothing(comparison):
    out = render(replace(comparison, omissions=(), additions=()))
    assert "Omitted from A: nothing" in out and "Added in B: nothing" in out


def test_fits_narrow_terminals(comparison):
    out = render(comparison, width=60)
    assert max(len(line) for line in out.splitlines()) <= 60


def test_common_source_is_said_plainly(comparison):
    from newstrace.model import Evidence

    d = Direction(
        "common_source",
        0.4,
        (
            Evidence(
                "only_in",
                "common_source",
                "only in B (30% of its content): a quote from the mayor",
                0.4,
                "b",
            ),
            Evidence(
                "only_in", None, "only in A (20% of its content): the budget figure", 0.0, "a"
            ),
        ),
    )
    out = render(replace(comparison, direction=d), width=160)
    assert out.splitlines()[0].startswith(
        "A and B share text from a common source not in this pair"
    )
    assert "Direction: common source: neither took from the other" in out
    assert "B has, A lacks: (30% of its content): a quote from the mayor" in out
    assert "A has, B lacks: (20% of its content): the budget figure" in out
    assert "common source" in out.split("Direction:")[1] and "neutral (about A)" in out
    # the evidence rows point to the lists above instead of repeating them
    assert out.count("a quote from the mayor") == 1 and out.count("the budget figure") == 1
    assert "only in B (30% of its content): listed above" in out


def test_a_dropped_period_says_where_it_was_dropped(comparison):
    """ "period: 'annually' became none": B's text is where the words went missing, not what
    replaced them, so no arrow is drawn between the two."""
    from newstrace.model import Change, Span

    dropped = Change(
        type="qualifier",
        severity="meaning",
        explanation="period: 'annually' became none",
        direction="vaguer",
        a_span=Span(1, 0, 8),
        b_span=Span(1, 0, 8),
        a_text="annually",
        b_text="500,000t",
        confidence=0.9,
    )
    out = render(replace(comparison, drift=[dropped]))
    assert "\u201cannually\u201d dropped at \u201c500,000t\u201d" in out
    assert "\u201cannually\u201d \u2192" not in out
