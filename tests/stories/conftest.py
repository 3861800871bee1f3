"""Fictional story corpora for the stories tests."""

from __future__ import annotations

from newstrace.model import Article

EVENTS = {
    "quarry": (
        "Brannock quarry blast injures four workers near Tellaby",
        (
            "A blast at the Brannock quarry near Tellaby injured four workers on Friday, "
            "the Harwick county fire service said. Foreman Jurek Almsby was among the injured."
        ),
    ),
    "ferry": (
        "Ferry Osprey Queen runs aground off Dunmere island",
        (
            "The ferry Osprey Queen ran aground off Dunmere island with 212 passengers aboard, "
            "coastguard spokeswoman Ilka Porrit said. Nobody was hurt."
        ),
    ),
    "museum": (
        "Vellinger museum returns stolen Kastrow tapestry",
        (
            "The Vellinger museum has returned the Kastrow tapestry stolen in 1987, "
            "director Oskar Lindqvall announced at a ceremony in Rasmere."
        ),
    ),
}
OUTLETS = ("Gull Daily", "Moorland Echo", "Tarn Courier", "Quayside News")


def event_articles(copies: int = 3) -> list[Article]:
    """Return reworded reports of each event by several fictional outlets."""
    out = []
    for key, (title, lead) in EVENTS.items():
        for k in range(copies):
            outlet = OUTLETS[k % len(OUTLETS)]
            extra = f"{outlet} reporters spoke to witnesses on the scene." if k % 2 else ""
            text = f"{lead}\n\n{extra}".strip() if k else lead
            out.append(
                Article(
                    text=text,
                    id=f"{key}-{k}",
                    title=title if k != 2 else title.upper(),
                    outlet=outlet,
                    published=f"2025-04-0{k + 1}T10:00:00+00:00",
                    language="en",
                )
            )
    return out
