"""The story filters are named once (newstrace.listing.StoryFilters); the CLI and the web API
offer the same ones (issue 8 item 18)."""

import pytest

from newstrace.cli import main
from newstrace.listing import SORTS, STORY_FILTERS, StoryFilters, story_filters


def test_the_names_are_the_dataclass_fields():
    assert SORTS == ("size", "recent", "sources")
    assert STORY_FILTERS == ("query", "outlet", "language", "since", "until", "min_articles")
    assert story_filters({"outlet": "North Wire"}) == StoryFilters(outlet="North Wire")


def test_cli_stories_offers_each_filter():
    params = {p.name: p for p in main.commands["stories"].params}
    options = set(params)
    assert tuple(params["sort"].type.choices) == SORTS
    # min_articles has no CLI option yet: the listing shows stories of one article too.
    assert set(STORY_FILTERS) - {"min_articles"} <= options


def test_api_stories_takes_each_filter():
    pytest.importorskip("fastapi")
    from newstrace.web.app import create_app

    schema = create_app(":memory:").openapi()
    params = {p["name"] for p in schema["paths"]["/api/v1/stories"]["get"]["parameters"]}
    assert {"q" if f == "query" else f for f in STORY_FILTERS} <= params
    (sort,) = [
        p for p in schema["paths"]["/api/v1/stories"]["get"]["parameters"] if p["name"] == "sort"
    ]
    assert tuple(sort["schema"]["enum"]) == SORTS
