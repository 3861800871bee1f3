"""The store interface: what the pipeline, CLI and web UI may ask of a store.

A backend (SQLite today, PostgreSQL later) implements :class:`Store`; the
stages never see it. All values crossing this interface are plain data:
``Article``, ``str`` ids, ``bytes`` signatures, ``int`` band keys, ``dict``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from ..errors import ConfigError, InputError, StoreError
from ..listing import SORTS
from ..model import Article

if TYPE_CHECKING:
    from typing_extensions import Self  # typing.Self from Python 3.11

# What add_articles says about each item, in input order.
NEW = "new"  # stored for the first time
DUPLICATE = "duplicate"  # an article with this id is already stored; nothing written
EXACT_COPY = "exact_copy"  # new id, but its exact hash matches a stored article
STATUSES = (NEW, DUPLICATE, EXACT_COPY)

MAX_LIMIT = 1000
FACET_LIMIT = 30  # values per facet (as datasette shows)
DEFAULT_PATH = "./newstrace.db"

_U64 = 1 << 64
_I64_MIN, _I64_MAX = -(1 << 63), (1 << 63) - 1


@dataclass(frozen=True)
class StoredArticle:
    """An article with everything the store persists for it.

    ``exact_hash`` is the hash of the normalized text (equal text, equal hash);
    ``signature`` the serialized MinHash (opaque bytes, versioned by fingerprint);
    ``bands`` the LSH keys as ``(band index, 64-bit key)``; ``language`` the
    detected language (falls back to ``article.language``); ``n_words`` the
    normalized word count.

    The story graph: ``copy_key`` names the article's text (articles with one
    copy key share one text node), ``vector`` is the packed event vector of
    that text (opaque bytes, ``stories.cluster.pack_vector``; its candidate keys
    are inside it). An item without ``copy_key`` is stored but takes no part in
    stories.
    """

    article: Article
    exact_hash: str
    signature: bytes
    bands: Sequence[tuple[int, int]] = field(default_factory=tuple)
    language: str | None = None
    n_words: int = 0
    copy_key: str | None = None
    vector: bytes | None = None


def check_item(item: StoredArticle) -> None:
    """Raise InputError when ``item`` cannot be stored (no id, no hash, bad types)."""
    a = item.article
    where = a.source or a.url or a.id or None
    if not a.id:
        raise InputError("article has no id", source=where, hint="ingest assigns a stable id")
    if not item.exact_hash:
        raise InputError("article has no exact hash", source=a.id, hint="fingerprint it first")
    if not isinstance(item.signature, (bytes, bytearray, memoryview)):
        raise InputError(
            f"signature must be bytes, got {type(item.signature).__name__}", source=a.id
        )
    if item.copy_key is not None and not isinstance(item.vector, (bytes, bytearray, memoryview)):
        raise InputError("an article with a copy key needs its packed event vector", source=a.id)


def now_utc() -> str:
    """Return the current UTC time as the stores write it (ISO 8601, seconds)."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def article_of(row: Sequence) -> Article:
    """Return the Article of a store row whose first nine columns are id, text, title, url,
    outlet, published, language, byline, source (both backends select them in that order)."""
    return Article(
        id=row[0],
        text=row[1],
        title=row[2],
        url=row[3],
        outlet=row[4],
        published=row[5],
        language=row[6],
        byline=row[7],
        source=row[8],
    )


def article_row(it: StoredArticle, canonical_id: str | None, now: str, node: int | None) -> tuple:
    """Return the ``articles`` row of ``it`` after its seq, in both stores' column order.

    (id, exact_hash, canonical_id, text, title, url, outlet, published, language, byline,
    source, n_words, stored_at, node); ``language`` falls back to the article's own.
    """
    a = it.article
    return (
        a.id,
        it.exact_hash,
        canonical_id,
        a.text,
        a.title,
        a.url,
        a.outlet,
        a.published,
        it.language or a.language,
        a.byline,
        a.source,
        it.n_words,
        now,
        node,
    )


def to_i64(key: int) -> int:
    """Return a 64-bit band key as a signed int, the only width SQLite stores.

    Unsigned keys ``>= 2**63`` wrap to negatives; equality (all the store needs)
    is preserved. Raises ConfigError when ``key`` fits in neither.
    """
    key = int(key)
    if _I64_MIN <= key <= _I64_MAX:
        return key
    if _I64_MAX < key < _U64:
        return key - _U64
    raise ConfigError(f"band key must fit in 64 bits (signed or unsigned), got {key!r}")


_DAMAGED = (
    "the row was damaged or edited outside newstrace; restore the store from a backup, or "
    "delete the row and run the ingest again"
)


def stored_json(text, row: str, column: str = "payload") -> dict:
    """Return the JSON object stored in ``column`` of ``row`` (e.g. "edges row ('a', 'b')").

    Raises StoreError naming the row when the stored text is not a JSON object (damaged, or
    edited outside newstrace).
    """
    try:
        value = json.loads(text)
    except (TypeError, ValueError, RecursionError) as e:
        raise StoreError(
            f"{row}: {column} is not valid JSON ({str(e)[:200]})",
            hint=_DAMAGED,
        ) from e
    if not isinstance(value, dict):
        raise StoreError(
            f"{row}: {column} is not a JSON object (found {type(value).__name__})", hint=_DAMAGED
        )
    return value


def check_listing(sort: str, limit: int, offset: int, min_articles: int) -> None:
    """Raise ConfigError naming the allowed values when a listing argument is out of range."""
    if sort not in SORTS:
        raise ConfigError(f"sort must be one of {', '.join(SORTS)}, got {sort!r}")
    if not 1 <= limit <= MAX_LIMIT:
        raise ConfigError(f"limit must be between 1 and {MAX_LIMIT}, got {limit!r}")
    if offset < 0:
        raise ConfigError(f"offset must be 0 or more, got {offset!r}")
    if min_articles < 1:
        raise ConfigError(f"min_articles must be 1 or more, got {min_articles!r}")


@runtime_checkable
class Store(Protocol):
    """A persistent corpus: articles, fingerprints, LSH bands, pair results, stories.

    One writer at a time; any number of readers, and a read never waits for a
    writer. Every write method is one transaction: it all lands or none of it does.
    """

    # -- articles -------------------------------------------------------------
    def add_articles(self, items: Sequence[StoredArticle]) -> list[str]:
        """Store a batch in one transaction; return one status per item (see STATUSES)."""
        ...

    def get_article(self, article_id: str) -> Article:
        """Return the article; raise NotFound."""
        ...

    def articles_by_ids(self, ids: Sequence[str]) -> list[Article]:
        """Return the articles in the order asked; raise NotFound naming missing ids."""
        ...

    def iter_articles(self, batch_size: int = 1000) -> Iterator[Article]:
        """Yield every article in insertion order."""
        ...

    def count_articles(self) -> int:
        """Return how many articles are stored (exact copies included)."""
        ...

    def article_info(self, article_id: str) -> dict:
        """Return store facts about an article (hash, canonical, language, story); raise
        NotFound."""
        ...

    # -- fingerprints ---------------------------------------------------------
    def signature(self, article_id: str) -> bytes:
        """Return the stored signature bytes; raise NotFound."""
        ...

    def band_candidates(self, bands: Iterable[tuple[int, int]]) -> set[str]:
        """Return ids of stored articles sharing at least one (band, key)."""
        ...

    def candidates_for(self, article_id: str) -> set[str]:
        """Return ids sharing a band with the stored article, itself excluded; raise NotFound."""
        ...

    def ensure_params(self, params: Mapping[str, object]) -> None:
        """Record fingerprint params on first use; raise StoreError if they later differ."""
        ...

    # -- pairwise results cache ----------------------------------------------
    def put_edges(self, edges: Iterable[tuple[str, str, dict]]) -> None:
        """Store (a_id, b_id, payload) results, replacing any earlier result for the pair."""
        ...

    def put_edge(self, a_id: str, b_id: str, payload: dict) -> None:
        """Store one pair result (see put_edges)."""
        ...

    def edges_for(self, ids: Iterable[str], *, within: bool = True) -> dict[tuple[str, str], dict]:
        """Return cached results keyed (a_id, b_id) as stored, with both (or any) ends in
        ``ids``."""
        ...

    # -- lazy pair analyses ---------------------------------------------------
    def put_analyses(self, items: Iterable[tuple[str, str, dict]]) -> None:
        """Store (a_id, b_id, payload) sentence-level analyses, replacing earlier ones for the
        pair."""
        ...

    def analyses_for(self, pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], dict]:
        """Return the cached analyses of ``pairs`` (either order), keyed (a_id, b_id) as stored."""
        ...

    # -- story graph ----------------------------------------------------------
    def unplaced_articles(self, limit: int = 1000) -> list[Article]:
        """Return up to ``limit`` stored articles without a text node (a store made by schema 1)."""
        ...

    def place_texts(self, items: Sequence[StoredArticle]) -> int:
        """Give stored articles without a text node theirs (creating texts), in one transaction;
        return how many."""
        ...

    def link_pending(self) -> int:
        """Link every text not linked yet into the regions, in one transaction; return how many.

        A text is linked once, by whichever writer gets there first, so a killed
        ingest leaves nothing behind that the next one does not finish.
        """
        ...

    def recluster(self) -> tuple[list[str], bool]:
        """Re-cluster some dirty regions in one transaction and rewrite only their changed stories.

        Returns (ids of the stories written, whether dirty regions remain);
        call it until the second value is False.
        """
        ...

    def update_story_fields(self, updates: Mapping[str, tuple[str, dict]]) -> list[str]:
        """Set fields (title, n_sources, origin, payload keys) of stories whose members hash still
        matches.

        ``updates`` maps story id to ``(members hash, story dict)``; returns the ids updated.
        """
        ...

    # -- stories --------------------------------------------------------------
    def replace_stories(self, assignments: Mapping[str, str], stories: Sequence[dict]) -> None:
        """Replace all stories and memberships in one transaction."""
        ...

    def list_stories(
        self, *, limit: int = 50, offset: int = 0, sort: str = "size", **filters
    ) -> list[dict]:
        """Return one page of story summaries matching every given filter (:class:`StoryFilters`,
        by name); raise ConfigError."""
        ...

    def count_stories(self, **filters) -> int:
        """Return how many stories match the filters (for pagination)."""
        ...

    def story_facets(self, *, limit: int = FACET_LIMIT, **filters) -> dict:
        """Return ``{"outlet", "language", "published"}`` facet counts of the matching stories.

        Each count is how many stories its value's filter would list (see
        ``store.facets``); raises ConfigError for a bad limit or min_articles.
        """
        ...

    def get_story(self, story_id: str) -> dict:
        """Return the story summary plus its ``articles`` ids; raise NotFound."""
        ...

    # -- lifecycle ------------------------------------------------------------
    def close(self) -> None:
        """Release the connection; further calls raise StoreError."""
        ...

    def __enter__(self) -> Self: ...

    def __exit__(self, *exc: object) -> None: ...
