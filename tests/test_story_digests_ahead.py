"""The preparing worker computes the evidence digests of the stories ahead: same stories and edges
as computing them in the ingesting process."""

from __future__ import annotations

import sqlite3
from importlib import resources
from pathlib import Path

from newstrace import Corpus, pipeline
from newstrace.model import Article
from newstrace.settings import DEFAULT

LEXICAL = DEFAULT.with_(semantic="off")
LEADS = [
    (
        "The Lindqvist ferry line will add a night crossing between Havborg and Selmo from June, "
        "the operator said on Tuesday."
    ),
    (
        "A fire at the Kestrel paper mill in Drummore forced 200 workers to leave the site early "
        "on Friday, the regional fire service said."
    ),
    (
        "Oriel county council voted to close the Brannock road bridge for six months of repairs "
        "starting in March."
    ),
]
MORE = [
    "Tickets go on sale next week and will cost the same as the day crossings.",
    "No one was hurt, and the cause of the fire is not yet known.",
    "Drivers will be sent on a 14 kilometre detour through the village of Ashcombe.",
]


def _articles() -> list[Article]:
    out = []
    for k, (lead, more) in enumerate(zip(LEADS, MORE)):
        text = f"{lead}\n\n{more}"
        out.append(Article(text=text, id=f"s{k}", outlet="Wire One", published="2026-03-02"))
        out.append(Article(text=text, id=f"c{k}", outlet="Copy Two", published="2026-03-03"))
        out.append(
            Article(
                text=f"{lead} The news was first reported by Wire One.\n\n{more}",
                id=f"r{k}",
                outlet="Rewrite Three",
                published="2026-03-04",
            )
        )
    return out


def _snapshot(db: Path) -> tuple[list, list, list]:
    with sqlite3.connect(db) as con:
        stories = con.execute(
            "SELECT id, members_hash, n_articles, n_sources, origin_id, payload FROM stories"
            " ORDER BY id"
        ).fetchall()
        members = con.execute("SELECT * FROM story_members ORDER BY 1, 2").fetchall()
        edges = con.execute("SELECT lo, hi, a_id, payload FROM edges ORDER BY lo, hi").fetchall()
    return stories, members, edges


def _ingest(db: Path, workers: int, monkeypatch) -> tuple[tuple, int]:
    computed = []
    digest = pipeline._article_digest
    # Counted in this process only: a digest the worker computes is not counted here.
    monkeypatch.setattr(
        pipeline, "_article_digest", lambda a, s: computed.append(a.id) or digest(a, s)
    )
    monkeypatch.setattr(pipeline, "EARLY_DIGESTS", 0)  # every digest is made in the story phase
    monkeypatch.setattr(pipeline, "DIGEST_AHEAD", 2)  # the window spans a story or two
    corpus_dir = Path(str(resources.files("newstrace.examples") / "corpus"))
    with Corpus(db, LEXICAL, workers=workers) as corpus:
        corpus.ingest([corpus_dir])
        corpus.ingest_articles(_articles())
    return _snapshot(db), len(computed)


def test_digests_made_ahead_in_the_worker_give_the_same_stories_and_edges(tmp_path, monkeypatch):
    here, here_count = _ingest(tmp_path / "here.db", 0, monkeypatch)
    ahead, ahead_count = _ingest(tmp_path / "ahead.db", 1, monkeypatch)
    stories, _members, edges = here
    assert len(edges) >= 6 and any(s[2] >= 3 for s in stories)  # the pairs were related
    assert ahead == here
    assert here_count > 0
    assert ahead_count == 0  # none was computed in the ingesting process
