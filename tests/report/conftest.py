"""A hand-built, realistic Comparison of a wire story and a rewrite of it.

All texts are fictional. "Harbor Wire" (A) is the source; "Daily Post" (B)
rewrote it: one verbatim sentence, near-verbatim ones with drift, a merged
paraphrase, two new sentences (one crediting the "Valley Herald"), and
boilerplate on both sides.
"""

from __future__ import annotations

import pytest

from newstrace.model import (
    Addition,
    Alignment,
    Article,
    Change,
    Comparison,
    Direction,
    Document,
    Evidence,
    Link,
    Omission,
    Sentence,
    Span,
)

A_SENTS = [  # (paragraph, text, boilerplate rule)
    (
        0,
        (
            "Flooding along the Varna River forced up to 300 families from their homes on "
            "Tuesday, regional officials said."
        ),
        None,
    ),
    (
        0,
        (
            "Officials may extend the evacuation order to two more districts if rain continues "
            "overnight, according to the regional emergency office."
        ),
        None,
    ),
    (
        1,
        (
            "\u201cWe are moving people before the water "
            "reaches the bridges,\u201d said Mira Kovac, "
            "head of the emergency office."
        ),
        None,
    ),
    (1, "The river rose 2.4 metres in six hours, the highest level recorded since 2009.", None),
    (2, "Schools in Lowen and Tarsk will stay closed until Friday.", None),
    (2, "The national weather service expects a further 80 millimetres of rain by Thursday.", None),
    (
        3,
        (
            "A spokesman for the rail operator said two regional lines had been suspended as a "
            "precaution."
        ),
        None,
    ),
    (
        3,
        (
            "Insurers estimated early damage at 12 million euros, though adjusters have not yet "
            "reached the worst-hit villages."
        ),
        None,
    ),
    (4, "(Reporting by Ana Weiss; Editing by Tom Bell)", "reporting_credit"),
]

B_SENTS = [
    (
        0,
        (
            "Flooding along the Varna River forced more than 300 families from their homes on "
            "Tuesday, regional officials said."
        ),
        None,
    ),
    (
        0,
        (
            "Officials will extend the evacuation order to two more districts if rain continues "
            "overnight."
        ),
        None,
    ),
    (
        1,
        (
            "\u201cWe are moving people before the water reaches the town,\u201d said Mira Kovac, "
            "head of the emergency office."
        ),
        None,
    ),
    (1, "The river rose 2.4 metres in six hours, the highest level recorded since 2009.", None),
    (
        2,
        (
            "Schools in both towns will remain shut for the rest of the week, and forecasters "
            "expect more heavy rain."
        ),
        None,
    ),
    (3, "Residents told the Daily Post the water arrived with almost no warning.", None),
    (3, "According to the Valley Herald, the regional governor has asked the army for help.", None),
    (4, "This is a developing story and will be updated.", "developing_story"),
    (4, "Originally published by Harbor Wire.", "syndication_footer"),
]

B_LINKS = [  # (b, a indices, label, score)
    (0, (0,), "near_verbatim", 0.93),
    (1, (1,), "paraphrase", 0.71),
    (2, (2,), "near_verbatim", 0.91),
    (3, (3,), "verbatim", 1.0),
    (4, (4, 5), "paraphrase", 0.46),
    (5, (), "new", 0.0),
    (6, (), "new", 0.0),
    (7, (), "boilerplate", 0.0),
    (8, (), "boilerplate", 0.0),
]
A_META = {
    "id": "hw-2024-0312-flood",
    "outlet": "Harbor Wire",
    "title": "Varna floods force up to 300 families from homes",
    "url": "https://harborwire.example/varna-floods",
    "published": "2024-03-12T08:15:00Z",
    "language": "en",
    "source": "a.txt",
}
B_META = {
    "id": "dp-88121",
    "outlet": "Daily Post",
    "title": "Hundreds flee as Varna bursts its banks",
    "url": "https://dailypost.example/news/88121",
    "published": "2024-03-12T10:40:00Z",
    "language": "en",
    "byline": "Staff reporter",
    "source": "b.html",
}
A_LABELS = ("kept",) * 6 + ("omitted", "omitted", "boilerplate")


def make_document(rows, **meta) -> Document:
    """Build a Document whose sentence offsets point into its text."""
    text, sents = "", []
    for k, (para, s, rule) in enumerate(rows):
        if k:
            text += "\n\n" if para != rows[k - 1][0] else " "
        sents.append(Sentence(k, s, len(text), len(text) + len(s), para, rule))
        text += s
    art = Article(text=text, **meta)
    return Document(
        article=art, text=text, language=meta.get("language") or "en", sentences=tuple(sents)
    )


def span_of(doc: Document, i: int, phrase: str) -> Span:
    """Return the sentence-relative span of ``phrase`` in sentence ``i``."""
    start = doc.sentences[i].text.index(phrase)
    return Span(i, start, start + len(phrase))


def change(
    a: Document, b: Document, type_, severity, direction, explanation, a_at=None, b_at=None
) -> Change:
    """Build a Change from (sentence, phrase) pairs, text taken from the documents."""
    a_span = span_of(a, *a_at) if a_at else None
    b_span = span_of(b, *b_at) if b_at else None
    return Change(
        type_,
        severity,
        explanation,
        direction,
        a_span,
        b_span,
        a_at[1] if a_at else "",
        b_at[1] if b_at else "",
    )


def make_drift(a: Document, b: Document) -> tuple[Change, ...]:
    """The drift a careful reader finds between the two fixture articles."""
    return (
        change(
            a,
            b,
            "qualifier",
            "meaning",
            "strengthened",
            "\u201cup to 300\u201d (a ceiling) became \u201cmore than 300\u201d (a floor)",
            (0, "up to 300"),
            (0, "more than 300"),
        ),
        change(
            a,
            b,
            "certainty",
            "meaning",
            "strengthened",
            "hedge removed: officials \u201cmay\u201d extend became \u201cwill\u201d extend",
            (1, "may"),
            (1, "will"),
        ),
        change(
            a,
            b,
            "attribution",
            "meaning",
            "removed",
            "the claim is no longer attributed to the emergency office",
            (1, ", according to the regional emergency office"),
        ),
        change(
            a,
            b,
            "quote",
            "meaning",
            "changed",
            "words inside a direct quote changed: \u201cbridges\u201d became \u201ctown\u201d",
            (2, "bridges"),
            (2, "town"),
        ),
        change(
            a,
            b,
            "entity",
            "cosmetic",
            "vaguer",
            "place names replaced by \u201cboth towns\u201d",
            (4, "Lowen and Tarsk"),
            (4, "both towns"),
        ),
    )


def make_comparison(
    a_rows=A_SENTS, b_rows=B_SENTS, a_meta=None, b_meta=None, drift=True
) -> Comparison:
    """Return the fixture Comparison (B partially derived from A)."""
    a = make_document(a_rows, **(a_meta or A_META))
    b = make_document(b_rows, **(b_meta or B_META))
    return Comparison(
        a=a,
        b=b,
        alignment=Alignment(tuple(Link(b_, a_, lab, sc) for b_, a_, lab, sc in B_LINKS), A_LABELS),
        same_story=True,
        same_story_score=0.93,
        verdict="partially_derived",
        direction=make_direction(),
        coverage_b_from_a=0.71,
        coverage_a_in_b=0.67,
        omissions=(
            Omission((7,), 0.82, "numbers, money, a caveat"),
            Omission((6,), 0.41, "named organisation"),
        ),
        additions=(Addition((5,), "claim"), Addition((6,), "claim", "Valley Herald")),
        drift=make_drift(a, b) if drift else (),
        drift_source="a",
        timings={"align": 0.004},
    )


def make_direction() -> Direction:
    """Direction evidence pointing at A as the source."""
    return Direction(
        "a",
        0.9,
        (
            Evidence("footer", "a", "Originally published by Harbor Wire.", 0.6, "b"),
            Evidence("timestamp", "a", "A published 2024-03-12 08:15 UTC, B 2h25m later", 0.3),
            Evidence(
                "containment", "a", "71% of B's content comes from A; 67% of A is used in B", 0.4
            ),
            Evidence("attribution", None, "B credits the Valley Herald for one sentence", 0.1, "b"),
        ),
    )


@pytest.fixture
def comparison() -> Comparison:
    """The fixture Comparison."""
    return make_comparison()
