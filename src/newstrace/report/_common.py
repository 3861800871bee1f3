"""Facts every renderer states the same way: names, headline, orderings.

Kept in one place so the terminal, JSON and HTML faces of a comparison
never disagree about what the verdict means or which drift comes first.
"""

from __future__ import annotations

from ..model import Change, Comparison, Document, Evidence, Link, Omission

OTHER = {"a": "b", "b": "a"}


def side_name(doc: Document, side: str) -> str:
    """Return a short human name for one side: outlet, else title, else file name, else id, else
    "A"/"B"."""
    return doc.article.name or side.upper()


def derivative_side(c: Comparison) -> str | None:
    """Return "a"/"b" for the derivative side, or None when undetermined or from a common source."""
    return OTHER.get(c.direction.source) if c.direction.source else None


def direction_line(c: Comparison) -> str:
    """Return the direction answer in words: the source side, a common source, or undetermined."""
    src = c.direction.source
    if src == "common_source":
        return (
            "common source: neither took from the other; both carry material from a source "
            "that is not in this pair (a release or feed)"
        )
    return f"source is {src.upper()}" if src else "source undetermined"


def points_to(e: Evidence) -> str:
    """Return what one piece of evidence points to, in words ("A", "common source", "neutral (about
    B)")."""
    if e.side == "common_source":
        return "common source"
    if e.side:
        return e.side.upper()
    return f"neutral (about {e.about.upper()})" if e.about else "neutral"


def only_in(c: Comparison) -> dict[str, str]:
    """Return, per side, what that side has and the other lacks (the ``only_in`` evidence, without
    its label)."""
    return {
        e.about: e.text.removeprefix(f"only in {e.about.upper()} ")
        for e in c.direction.evidence
        if e.kind == "only_in" and e.about
    }


def evidence_text(e: Evidence, c: Comparison) -> str:
    """Return the text an evidence row shows: an ``only_in`` row of a common-source pair only
    says how much, since its material is listed above the table ("A has, B lacks: ...")."""
    if e.kind == "only_in" and e.about and c.direction.source == "common_source":
        head, sep, _ = e.text.partition(": ")
        return f"{head}: listed above" if sep else e.text
    return e.text


def headline(c: Comparison) -> str:
    """Return the verdict as one plain-English sentence, naming both outlets."""
    names = {"a": side_name(c.a, "a"), "b": side_name(c.b, "b")}
    if c.verdict == "not_derived":
        if c.same_story:
            return f"A and B report the same story independently ({names['a']}, {names['b']})"
        return f"A and B are different stories ({names['a']}, {names['b']})"
    how = c.verdict.replace("_derived", "")
    src = c.direction.source
    if src == "common_source":
        return (
            f"A and B share text from a common source not in this pair ({how}: "
            f"{c.coverage_b_from_a:.0%} of B is in A) ({names['a']}, {names['b']})"
        )
    if src is None:
        return (
            f"A and B share text ({how}); which one is the source is undetermined "
            f"({names['a']}, {names['b']})"
        )
    der = OTHER[src]
    return (
        f"{der.upper()} is {how} derived from {src.upper()} "
        f"({names[src]} \N{RIGHTWARDS ARROW} {names[der]})"
    )


def swap_note(c: Comparison) -> str:
    """Return a note when compare exchanged the inputs (so A is the source), else ""."""
    if getattr(c, "swapped", False):
        return "inputs swapped: the second article given is A, the source"
    return ""


def b_links(c: Comparison) -> dict[int, Link]:
    """Map each B sentence index to its Link."""
    return {link.b: link for link in c.alignment.links}


def a_label(c: Comparison, i: int) -> str:
    """Return the A-side label of sentence ``i``, falling back on its boilerplate flag."""
    labels = c.alignment.a_labels
    if 0 <= i < len(labels):
        return labels[i]
    # An alignment shorter than A should not happen; say something true anyway.
    return "boilerplate" if c.a.sentences[i].boilerplate else "omitted"


def split_drift(c: Comparison) -> tuple[list[Change], list[Change]]:
    """Return (meaning-changing, cosmetic) drift, each in reading order of the source."""

    def key(ch: Change) -> tuple:
        span = ch.a_span or ch.b_span
        return (span.sentence, span.start) if span else (10**9, 0)

    meaning = sorted((ch for ch in c.drift if ch.severity == "meaning"), key=key)
    cosmetic = sorted((ch for ch in c.drift if ch.severity != "meaning"), key=key)
    return meaning, cosmetic


def ranked_omissions(c: Comparison) -> list[Omission]:
    """Return omissions, most salient first (ties keep source order)."""
    return sorted(c.omissions, key=lambda o: (-o.salience, o.a[:1]))


def sentence_text(doc: Document, indices: tuple[int, ...]) -> str:
    """Return the text of the given sentences joined by spaces (unknown indices skipped)."""
    by_i = {s.i: s for s in doc.sentences}
    return " ".join(by_i[i].text for i in indices if i in by_i)


def boilerplate(c: Comparison) -> list[tuple[str, int, str, str]]:
    """Return (side, i, text, rule) for every boilerplate sentence on both sides."""
    return [
        (side, s.i, s.text, s.boilerplate)
        for side, doc in (("a", c.a), ("b", c.b))
        for s in doc.sentences
        if s.boilerplate
    ]
