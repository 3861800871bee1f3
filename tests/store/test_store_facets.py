"""Facet counts of the story list, on SQLite and PostgreSQL: each count is what its filter lists."""

from __future__ import annotations

import pytest

from newstrace.errors import ConfigError
from newstrace.store import facets

from .conftest import make_item
from .test_store_stories import ARTICLES, ASSIGN, STORIES

FILTER_SETS = [
    {},
    {"outlet": "Harbour Gazette"},
    {"language": "de"},
    {"since": "2024-03-02"},
    {"until": "2024-03-01"},
    {"since": "2024-03-02", "until": "2024-03-05T10:00:00Z"},
    {"query": "flood"},
    {"min_articles": 2},
    {"outlet": "Valley Courier", "since": "2024-03-01", "until": "2024-03-31"},
]


@pytest.fixture
def stories(store):
    store.add_articles(ARTICLES)
    store.replace_stories(ASSIGN, STORIES)
    return store


def assert_counts_are_what_links_list(store, filters: dict) -> dict:
    """Check every facet value's count against count_stories with that value's filter."""
    got = store.story_facets(**filters)
    for kind in ("outlet", "language"):
        assert got[kind]["values"], (kind, filters)
        for v in got[kind]["values"]:
            assert v["count"] == store.count_stories(**{**filters, kind: v["value"]}), (kind, v)
    for v in got["published"]["values"]:
        narrowed = {**filters, "since": v["since"], "until": v["until"]}
        assert v["count"] == store.count_stories(**narrowed), v
        assert v["count"] > 0
    return got


@pytest.mark.parametrize("filters", FILTER_SETS, ids=lambda f: ",".join(f) or "none")
def test_every_count_is_what_its_filter_lists(stories, filters):
    assert_counts_are_what_links_list(stories, filters)


def test_values_and_counts(stories):
    got = stories.story_facets()
    outlets = {v["value"]: v["count"] for v in got["outlet"]["values"]}
    assert outlets == {"Harbour Gazette": 3, "Valley Courier": 2, "North Wire": 1}
    assert got["outlet"]["values"][0]["value"] == "Harbour Gazette"  # most first
    assert {v["value"]: v["count"] for v in got["language"]["values"]} == {"en": 3, "de": 1}
    pub = got["published"]
    assert pub["unit"] == "day"  # 2024-02-20 to 2024-03-06: within 31 days
    days = {v["value"]: v["count"] for v in pub["values"]}
    assert days == {"2024-02-20": 1, "2024-03-01": 1, "2024-03-02": 1, "2024-03-03": 1,
                    "2024-03-05": 1, "2024-03-06": 1}  # fmt: skip


def test_outlet_counts_ignore_the_outlet_filter_only(stories):
    got = stories.story_facets(outlet="North Wire")
    # Switching outlet replaces the filter: the other outlets count all their stories ...
    assert {v["value"]: v["count"] for v in got["outlet"]["values"]}["Harbour Gazette"] == 3
    # ... while language and dates count the North Wire stories only (the flood story).
    assert {v["value"] for v in got["language"]["values"]} == {"de", "en"}
    assert [v["value"] for v in got["published"]["values"]] == [
        "2024-03-01",
        "2024-03-02",
        "2024-03-03",
    ]


def test_selected_value_comes_first_even_past_the_limit(stories):
    got = stories.story_facets(outlet="North Wire", limit=1)
    assert got["outlet"]["values"] == [{"value": "North Wire", "count": 1}]
    assert got["outlet"]["truncated"] is True
    assert stories.story_facets(limit=3)["outlet"]["truncated"] is False


def test_date_buckets_clip_to_the_dates_filtered_on(stories):
    got = stories.story_facets(since="2024-03-02T12:00:00Z", until="2024-03-05")
    assert got["published"]["values"] == [
        # The flood story ends 2024-03-03 09:00, after the since: the 03-02 bucket starts there.
        {"value": "2024-03-02", "since": "2024-03-02T12:00:00Z", "until": "2024-03-02", "count": 1},
        {"value": "2024-03-03", "since": "2024-03-03", "until": "2024-03-03", "count": 1},
        {"value": "2024-03-05", "since": "2024-03-05", "until": "2024-03-05", "count": 1},
    ]
    assert_counts_are_what_links_list(
        stories, {"since": "2024-03-02T12:00:00Z", "until": "2024-03-05"}
    )


@pytest.mark.parametrize(
    ("dates", "unit"),
    [
        (["2024-01-01", "2024-01-31"], "day"),
        (["2024-01-01", "2024-02-01"], "month"),
        (["2021-01-01", "2023-12-31"], "month"),
        (["2020-01-01", "2024-06-01"], "year"),
    ],
)
def test_bucket_unit_follows_the_span(store, dates, unit):
    items = [make_item(i, published=f"{d}T09:00:00Z") for i, d in enumerate(dates)]
    store.add_articles(items)
    store.replace_stories({it.article.id: f"s{i}" for i, it in enumerate(items)}, [])
    got = store.story_facets()
    assert got["published"]["unit"] == unit
    assert sum(v["count"] for v in got["published"]["values"]) == len(dates)
    assert_counts_are_what_links_list(store, {})


def test_a_story_counts_in_every_bucket_it_spans(store):
    items = [make_item(1, published="2024-01-10T09:00:00Z"),
             make_item(2, published="2024-04-02T09:00:00Z")]  # fmt: skip
    store.add_articles(items)
    store.replace_stories({"art-1": "long", "art-2": "long"}, [])
    got = store.story_facets()["published"]
    assert got["unit"] == "month"
    assert [(v["value"], v["count"]) for v in got["values"]] == [
        ("2024-01", 1), ("2024-02", 1), ("2024-03", 1), ("2024-04", 1)]  # fmt: skip
    assert got["values"][1]["since"] == "2024-02-01" and got["values"][1]["until"] == "2024-02-29"


def test_bad_arguments(stories):
    with pytest.raises(ConfigError, match="facet limit"):
        stories.story_facets(limit=0)
    with pytest.raises(ConfigError, match="min_articles"):
        stories.story_facets(min_articles=0)


def test_published_skips_dates_it_cannot_read():
    spans = [("2024-03-01", "2024-03-02", 2), ("Tue, 5 Ma", "Tue, 5 Ma", 1), (None, None, 4)]
    got = facets.published(spans, None, None, 30)
    assert [(v["value"], v["count"]) for v in got["values"]] == [
        ("2024-03-01", 2),
        ("2024-03-02", 2),
    ]
    assert facets.published([], None, None, 30) == {"unit": None, "values": [], "truncated": False}


def test_published_keeps_the_latest_buckets():
    spans = [(f"2024-03-{d:02d}", f"2024-03-{d:02d}", 1) for d in range(1, 11)]
    got = facets.published(spans, None, None, 4)
    assert [v["value"] for v in got["values"]] == [
        "2024-03-07",
        "2024-03-08",
        "2024-03-09",
        "2024-03-10",
    ]
    assert got["truncated"] is True
