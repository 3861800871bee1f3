"""Stories: replace in one transaction, list with filters, sorts and pages."""

from __future__ import annotations

import pytest

from newstrace.errors import ConfigError, NotFound

from .conftest import make_item

# Three fictional stories: flood (4 articles), election (2), festival (1).
ARTICLES = [
    make_item(
        1,
        title="River flood closes harbour road",
        outlet="Harbour Gazette",
        published="2024-03-01T08:00:00Z",
    ),
    make_item(
        2,
        title="Flood waters rise in the valley",
        outlet="Valley Courier",
        published="2024-03-01T10:00:00Z",
        language="de",
    ),
    make_item(
        3,
        title="Harbour road closed by flooding",
        outlet="North Wire",
        published="2024-03-02T09:00:00Z",
    ),
    make_item(
        4, title="Flooding: what we know", outlet="North Wire", published="2024-03-03T09:00:00Z"
    ),
    make_item(
        5,
        title="Council election results",
        outlet="Valley Courier",
        published="2024-03-05T12:00:00Z",
    ),
    make_item(
        6,
        title="Election turnout 100% in one village?",
        outlet="Harbour Gazette",
        published="2024-03-06T12:00:00Z",
    ),
    make_item(
        7,
        title="Lantern festival returns",
        outlet="Harbour Gazette",
        published="2024-02-20T12:00:00Z",
    ),
]
ASSIGN = {
    "art-1": "flood",
    "art-2": "flood",
    "art-3": "flood",
    "art-4": "flood",
    "art-5": "election",
    "art-6": "election",
    "art-7": "festival",
}
STORIES = [
    {"id": "flood", "n_sources": 1, "origin": "art-1", "kind": "weather"},
    {"id": "election", "title": "Council election", "n_sources": 2},
]


@pytest.fixture
def stories(store):
    store.add_articles(ARTICLES)
    store.replace_stories(ASSIGN, STORIES)
    return store


def ids(rows):
    return [r["id"] for r in rows]


def test_summary_fields(stories):
    flood = stories.get_story("flood")
    assert flood["title"] == "River flood closes harbour road"  # earliest article's title
    assert flood["n_articles"] == 4 and flood["n_outlets"] == 3 and flood["n_sources"] == 1
    assert flood["first_published"] == "2024-03-01T08:00:00Z"
    assert flood["last_published"] == "2024-03-03T09:00:00Z"
    assert flood["origin"] == "art-1" and flood["kind"] == "weather"
    assert flood["languages"] == ["de", "en"]
    assert flood["articles"] == ["art-1", "art-2", "art-3", "art-4"]
    assert stories.get_story("election")["title"] == "Council election"
    assert stories.get_story("festival")["n_sources"] is None  # assigned but not described
    assert stories.article_info("art-5")["story_id"] == "election"


def test_sorts(stories):
    assert ids(stories.list_stories()) == ["flood", "election", "festival"]
    assert ids(stories.list_stories(sort="recent")) == ["election", "flood", "festival"]
    assert ids(stories.list_stories(sort="sources")) == ["election", "flood", "festival"]


def test_pagination(stories):
    assert ids(stories.list_stories(limit=2)) == ["flood", "election"]
    assert ids(stories.list_stories(limit=2, offset=2)) == ["festival"]
    assert stories.list_stories(limit=2, offset=4) == []
    assert stories.count_stories() == 3


@pytest.mark.parametrize("fts", [True, False])
def test_text_query(stories, fts):
    stories.fts = fts and stories.fts
    assert ids(stories.list_stories(query="harbour")) == ["flood"]  # member title
    assert ids(stories.list_stories(query="ELECTION council")) == ["election"]
    assert stories.list_stories(query="harbour election") == []
    assert ids(stories.list_stories(query='100% "village')) == ["election"]  # no syntax errors
    assert stories.count_stories(query="lantern") == 1


def test_filters(stories):
    assert ids(stories.list_stories(outlet="North Wire")) == ["flood"]
    assert ids(stories.list_stories(language="de")) == ["flood"]
    assert ids(stories.list_stories(min_articles=2)) == ["flood", "election"]
    assert ids(stories.list_stories(since="2024-03-04")) == ["election"]
    assert ids(stories.list_stories(until="2024-03-01")) == ["flood", "festival"]  # whole day
    assert ids(stories.list_stories(since="2024-02-21", until="2024-03-04")) == ["flood"]
    assert stories.count_stories(outlet="Harbour Gazette", min_articles=2) == 2
    assert stories.list_stories(outlet="Nobody") == []


def test_replace_drops_old_stories(stories):
    stories.replace_stories({"art-1": "new", "art-2": "new"}, [])
    assert ids(stories.list_stories()) == ["new"]
    with pytest.raises(NotFound, match="flood"):
        stories.get_story("flood")
    assert stories.article_info("art-5")["story_id"] is None
    assert stories.list_stories(outlet="North Wire") == []


def test_replace_with_unknown_article_changes_nothing(stories):
    with pytest.raises(NotFound, match="art-99"):
        stories.replace_stories({"art-1": "x", "art-99": "x"}, [])
    assert ids(stories.list_stories()) == ["flood", "election", "festival"]


def test_bad_arguments(stories):
    with pytest.raises(ConfigError, match="sort must be one of"):
        stories.list_stories(sort="alphabetical")
    with pytest.raises(ConfigError, match="limit"):
        stories.list_stories(limit=0)
    with pytest.raises(ConfigError, match="offset"):
        stories.list_stories(offset=-1)
    with pytest.raises(ConfigError, match="min_articles"):
        stories.count_stories(min_articles=0)
    with pytest.raises(ConfigError, match="string 'id'"):
        stories.replace_stories({}, [{"title": "no id"}])
    # A filter that is not one of StoryFilters is named, on both calls and both backends.
    with pytest.raises(ConfigError, match="unknown story filter 'outlets'.*query, outlet"):
        stories.list_stories(outlets="North Wire")
    with pytest.raises(ConfigError, match="unknown story filter 'lang'"):
        stories.count_stories(lang="de")


def test_filters_use_indexes(sqlite_store):
    sqlite_store.add_articles(ARTICLES)
    sqlite_store.replace_stories(ASSIGN, STORIES)
    conn = sqlite_store._conn
    plan = " ".join(
        r[3]
        for r in conn.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM stories s WHERE s.id IN (SELECT story_id FROM "
            "story_facets WHERE kind = 'outlet' AND value = 'x') ORDER BY s.n_articles DESC, s.id"
        )
    )
    assert "story_facets" in plan and "SCAN story_facets" not in plan


def test_story_fields_are_derived_through_the_covering_index(tmp_path):
    # Schema version 7: the member-derived fields read articles_story_fields, not the article rows
    # (their text); the same fields as a plain join gives.
    import json
    import sqlite3

    from newstrace import Corpus
    from newstrace.settings import DEFAULT
    from newstrace.store import stories_sql

    from . import fiction

    db = str(tmp_path / "fields.db")
    with Corpus(db, DEFAULT.with_(semantic="off"), workers=0) as c:
        c.ingest_articles(fiction.corpus(6, 4), provenance=False)
    with sqlite3.connect(db) as conn:
        ids = [r[0] for r in conn.execute("SELECT id FROM stories ORDER BY id")]
        only = json.dumps(ids)

        def plan(sql: str) -> str:
            return " ".join(r[-1] for r in conn.execute("EXPLAIN QUERY PLAN " + sql, (only,)))

        titles = stories_sql._TITLES_OF.format(only=stories_sql._MEMBERS_OF)
        for sql in (stories_sql._AGGREGATE + " WHERE" + stories_sql._ONLY, titles):
            assert "articles_story_fields" in plan(stories_sql._indexed(sql))
        # Since version 11 the search text reads the story's title rows, not its members.
        searched = plan(stories_sql._SEARCH_TEXT + " WHERE" + stories_sql._ONLY)
        assert "story_titles USING PRIMARY KEY" in searched and "articles" not in searched
        cols = "id, n_articles, n_outlets, first_published, last_published, title, search_text"
        stored = conn.execute(f"SELECT {cols} FROM stories ORDER BY id").fetchall()
        conn.execute("BEGIN")
        conn.execute("UPDATE stories SET n_articles = 0, search_text = '', title = NULL")
        conn.execute("DELETE FROM story_titles")
        for sql in (
            stories_sql._AGGREGATE,
            stories_sql._TITLES_OF.format(only=""),
            stories_sql._DEFAULT_TITLE,
            stories_sql._SEARCH_TEXT,
        ):
            conn.execute(sql)  # the plain join, as PostgreSQL reads it
        plain = conn.execute(f"SELECT {cols} FROM stories ORDER BY id").fetchall()
        conn.execute("ROLLBACK")
    assert len(ids) > 1 and stored == plain
