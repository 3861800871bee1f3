"""Request and response models of the REST API (they make the OpenAPI schema)."""

from __future__ import annotations

from typing import Any, Union

from pydantic import BaseModel, ConfigDict, Field, model_validator

Text = Field(min_length=1, description="Article text (plain text).")


class ArticleIn(BaseModel):
    """One article to ingest, or one side of a comparison given as text."""

    model_config = ConfigDict(extra="forbid")

    text: str = Text
    id: str | None = Field(
        None,
        max_length=200,
        description="Stable id; derived from url, outlet and text when absent.",
    )
    title: str | None = Field(None, max_length=2000)
    url: str | None = Field(None, max_length=4000, description="Kept as metadata; never fetched.")
    outlet: str | None = Field(None, max_length=500)
    published: str | None = Field(None, max_length=64, description="ISO 8601 date or date-time.")
    language: str | None = Field(None, max_length=16)
    byline: str | None = Field(None, max_length=2000)


class ArticleRef(BaseModel):
    """One side of a comparison: a stored article (``id``: its id or URL) or ``text``."""

    model_config = ConfigDict(extra="forbid")

    id: str | None = Field(
        None,
        min_length=1,
        max_length=4000,
        description="Id, or URL, of a stored article (looked up, never fetched).",
    )
    text: str | None = Field(None, min_length=1)
    title: str | None = Field(None, max_length=2000)
    url: str | None = Field(None, max_length=4000)
    outlet: str | None = Field(None, max_length=500)
    published: str | None = Field(None, max_length=64)
    language: str | None = Field(None, max_length=16)
    byline: str | None = Field(None, max_length=2000)

    @model_validator(mode="after")
    def _one_of(self) -> ArticleRef:
        if (self.id is None) == (self.text is None):
            raise ValueError("give exactly one of 'id' (a stored article) or 'text'")
        return self


class CompareIn(BaseModel):
    """Two articles to compare."""

    model_config = ConfigDict(extra="forbid")

    a: ArticleRef
    b: ArticleRef


IngestIn = Union[ArticleIn, list[ArticleIn]]  # noqa: UP007 - a runtime alias for FastAPI


class IngestResult(BaseModel):
    id: str
    status: str = Field(description="new | duplicate | exact_copy")
    story_id: str | None = None


class IngestOut(BaseModel):
    results: list[IngestResult]
    counts: dict[str, int]


class StoryPage(BaseModel):
    items: list[dict[str, Any]]
    total: int
    limit: int
    offset: int
    next: str | None = Field(None, description="Path of the next page, or null on the last.")


class FacetValue(BaseModel):
    value: str
    count: int = Field(description="Stories its filter lists.")
    since: str | None = Field(None, description="published only: the bucket's since filter.")
    until: str | None = Field(None, description="published only: the bucket's until filter.")


class Facet(BaseModel):
    values: list[FacetValue]
    truncated: bool = Field(description="True when more values exist than were returned.")
    unit: str | None = Field(None, description="published only: day, month or year.")


class Facets(BaseModel):
    outlet: Facet
    language: Facet
    published: Facet


class FacetsOut(BaseModel):
    total: int = Field(description="Stories matching every filter.")
    filters: dict[str, Any] = Field(description="The filters applied (those given).")
    facets: Facets


class ErrorDetail(BaseModel):
    type: str
    message: str
    hint: str | None = None


class ErrorOut(BaseModel):
    error: ErrorDetail


class Health(BaseModel):
    status: str
    version: str
    articles: int
    stories: int


ERRORS = {code: {"model": ErrorOut} for code in (400, 401, 404, 413, 422)}
