"""Fictional news families for the story-graph tests: every text is made up here.

A family is one invented event (its own invented names and numbers) reported
by several outlets: the original, syndicated copies with a footer, near
duplicates with a few words changed, and rewrites that drop and reorder
sentences. Different families share no names, so each is one story.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from newstrace.model import Article

_SYLLABLES = (
    "kor",
    "vel",
    "dra",
    "mun",
    "sil",
    "tep",
    "ora",
    "bax",
    "lun",
    "qui",
    "fen",
    "zar",
    "pol",
    "rit",
)
_FOOTER = "Distributed by the Fictional Wire Service. All rights reserved."
_EVENTS = ("flood barrier failed", "bridge reopened", "mine collapsed", "festival was cancelled",
           "ferry ran aground", "dam burst", "stadium roof fell", "museum was robbed")  # fmt: skip


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(3)).capitalize()


def family_texts(k: int) -> tuple[str, str]:
    """Return (title, text) of family ``k``'s original: an invented event with invented names."""
    rng = random.Random(1000 + k)
    town, mayor, firm, river, chief, school, street, group = (_name(rng) for _ in range(8))
    event = _EVENTS[k % len(_EVENTS)]
    n = rng.randrange(12, 900)
    sentences = [
        f"In the town of {town}, the {event} on {street} Street on Tuesday, officials said.",
        (
            f"Mayor {mayor} told reporters that {n} residents "
            f"of {town} had been moved to the {school} school."
        ),
        (
            f"The contractor {firm} said it was inspecting the "
            f"{street} site with {chief}, the {river} county engineer."
        ),
        (
            f"Neighbours near {street} Street described hearing "
            f"a loud noise, the {group} residents' group said."
        ),
        (
            f"{mayor} promised an inquiry into {firm} and "
            f"said {chief} would report to the {town} council."
        ),
        (
            f"Crews from {river} county worked through the night "
            f"at {street} Street, a spokesperson for {mayor} added."
        ),
    ]
    return f"{town}: {event}", " ".join(sentences)


def family(k: int, size: int, outlets: int = 5) -> list[Article]:
    """Return ``size`` articles of family ``k`` (ids ``f{k}-{j}``): original, copies, near
    duplicates, rewrites."""
    title, text = family_texts(k)
    rng = random.Random(k)
    out = [Article(text=text, id=f"f{k}-0", title=title, outlet=f"Outlet {k % outlets}",
                   published=f"2024-04-{1 + k % 27:02d}T08:00:00Z")]  # fmt: skip
    for j in range(1, size):
        kind = j % 3
        if kind == 0:
            body = f"{text}\n\n{_FOOTER}"
        elif kind == 1:
            words = text.split()
            for _ in range(3):
                words[rng.randrange(len(words))] = rng.choice(
                    ["reportedly", "late", "several", "again"]
                )
            body = " ".join(words)
        else:
            sents = text.split(". ")
            kept = [s for s in sents if rng.random() > 0.3] or sents[:2]
            rng.shuffle(kept)
            body = ". ".join(kept)
        out.append(
            Article(
                text=body,
                id=f"f{k}-{j}",
                title=title,
                outlet=f"Outlet {(k + j) % outlets}",
                published=f"2024-04-{1 + k % 27:02d}T{8 + j % 12:02d}:30:00Z",
            )
        )
    return out


def corpus(families: int, size: int) -> list[Article]:
    """Return the articles of ``families`` families of ``size`` each, family by family."""
    return [a for k in range(families) for a in family(k, size)]


def write_jsonl(path: Path, articles: list[Article]) -> Path:
    """Write ``articles`` as JSON Lines (id, title, outlet, published, text); return the path."""
    rows = [
        {"id": a.id, "title": a.title, "outlet": a.outlet, "published": a.published, "text": a.text}
        for a in articles
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def stories(store) -> dict[str, list[str]]:
    """Return ``{story id: sorted member ids}`` of every story in ``store``."""
    out, offset = {}, 0
    while True:
        page = store.list_stories(limit=1000, offset=offset)
        if not page:
            return out
        for s in page:
            out[s["id"]] = sorted(store.get_story(s["id"])["articles"])
        offset += len(page)
