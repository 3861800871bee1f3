"""The story listing's vocabulary, defined once: its filters and its sort orders.

The stores (``list_stories``, ``count_stories``), ``Corpus.stories``, the CLI's ``stories``
command and the web API's ``/api/v1/stories`` take these names. Plain data: importing this
module costs nothing (the CLI reads it at start-up).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Literal

from .errors import ConfigError

SORTS = ("size", "recent", "sources")
Sort = Literal[SORTS]  # the same names, as a type (the web routes validate with it)


@dataclass(frozen=True)
class StoryFilters:
    """The story filters; a story must match every one given.

    The one list of their names (:data:`STORY_FILTERS`): the stores, ``Corpus.stories``, the
    CLI's ``stories`` options and the web API's query parameters all take these. ``query``:
    words in a title; ``outlet``, ``language``: a member's; ``since``, ``until``: ISO dates the
    story's articles reach (on or after its last, on or before its first); ``min_articles``.
    """

    query: str | None = None
    outlet: str | None = None
    language: str | None = None
    since: str | None = None
    until: str | None = None
    min_articles: int = 1


STORY_FILTERS = tuple(f.name for f in fields(StoryFilters))


def story_filters(given: Mapping[str, object]) -> StoryFilters:
    """Return the filters named in ``given``; raise ConfigError for a name that is not one."""
    unknown = sorted(set(given) - set(STORY_FILTERS))
    if unknown:
        raise ConfigError(
            f"unknown story filter {unknown[0]!r}; the filters are {', '.join(STORY_FILTERS)}"
        )
    return StoryFilters(**given)
