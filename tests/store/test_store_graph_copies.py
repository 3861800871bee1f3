"""The story graph kept in the store, on both backends: later articles join their stories."""

from __future__ import annotations

from newstrace import Corpus
from newstrace.model import Article

FERRY = (
    "The Velmar river ferry resumed service on Monday after repairs, the harbour office of "
    "Port Quillan said. Crossings run every half hour until the spring timetable begins."
)


def _ingest(target: str, *articles: Article) -> None:
    with Corpus(target, workers=0) as corpus:
        corpus.ingest_articles(list(articles), provenance=False)


def test_a_copy_of_a_stored_text_in_a_later_ingest_joins_its_story(db_target):
    _ingest(db_target, Article(id="ferry-1", text=FERRY, title="Ferry back", outlet="Quillan Post"))
    # Same text and title (one text node), stored by a later ingest: its story must grow.
    _ingest(db_target, Article(id="ferry-2", text=FERRY, title="Ferry back", outlet="River Times"))
    with Corpus(db_target) as corpus:
        one, two = (corpus.store.article_info(i)["story_id"] for i in ("ferry-1", "ferry-2"))
        assert one is not None and one == two
        story = corpus.store.get_story(one)
        assert sorted(story["articles"]) == ["ferry-1", "ferry-2"] and story["n_outlets"] == 2
        assert corpus.store.count_stories() == 1
