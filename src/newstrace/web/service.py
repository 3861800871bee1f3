"""What the web layer asks of the library, in one place.

Routes and pages call a :class:`Library`; it calls the store, the pipeline
and ``newstrace.compare``. Nothing here renders HTML or knows about HTTP.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Sequence
from dataclasses import asdict
from typing import Any

from ..api import compare as compare_pair
from ..errors import ConfigError, InputError, NotFound, StoreError, TooLarge
from ..ingest.text import read_text
from ..model import Article, Comparison
from ..report.tables import check_writer, iter_chunks
from ..settings import DEFAULT, Settings
from ..store import DUPLICATE, EXACT_COPY, NEW, open_store
from ..store.base import FACET_LIMIT, check_listing
from ..stories.export import COLUMNS
from . import provenance

# Metadata a client may send with an article, besides its text.
META_FIELDS = ("id", "title", "url", "outlet", "published", "language", "byline")
# Article fields shown in listings (text only on the article itself).
SUMMARY_FIELDS = ("id", "title", "url", "outlet", "published", "language", "byline")
# How many stored articles a URL lookup scans before giving up.
URL_SCAN_LIMIT = 100_000


class Library:
    """The corpus behind one web app: a store, the pipeline over it, and compare.

    Reads may run in many threads at once and never wait for a writer (the
    store reads through a connection per thread); ingest takes a lock so one
    request ingests at a time.
    """

    def __init__(self, db_path: str, settings: Settings = DEFAULT) -> None:
        self.db_path = db_path
        self.settings = settings
        self.store = open_store(db_path)
        self._write = threading.Lock()
        self._corpus = None

    def open(self) -> None:
        """Reopen the store if :meth:`close` closed it (an app may start more than once)."""
        try:
            self.store.count_articles()
        except StoreError:
            self.store, self._corpus = open_store(self.db_path), None

    def close(self) -> None:
        """Close the store (and the pipeline's handle on it)."""
        self.store.close()  # the corpus shares this store

    # -- stories ----------------------------------------------------------------
    def stories(self, filters: dict, limit: int, offset: int, sort: str) -> tuple[list[dict], int]:
        """Return (one page of story summaries, total matching); ConfigError for bad values."""
        doc = self._pipeline().stories(limit=limit, offset=offset, sort=sort, **filters)
        return doc["stories"], doc["total"]

    def story(self, story_id: str) -> dict:
        """Return a story with its articles, derivation edges, origins and source count.

        Raises NotFound.
        """
        # No ingest lock: reads never wait for a writer, and a pair compared here for
        # the first time is cached in its own short store transaction.
        doc = self._pipeline().story(story_id)
        return provenance.story_detail(doc)

    def facets(self, filters: dict, limit: int = FACET_LIMIT) -> dict:
        """Return ``{"total", "facets"}`` of the stories matching ``filters``; ConfigError."""
        return self._pipeline().story_facets(limit=limit, **filters)

    def export(
        self, what: str, fmt: str, filters: dict, sort: str = "size", story_id: str | None = None
    ) -> tuple[Iterator[bytes], str]:
        """Return (the encoded rows, a file name) of ``what`` in ``fmt``, to stream.

        One story's rows when ``story_id`` is given, else every story matching
        ``filters`` in ``sort`` order. Raises before any row is made:
        NotFound for an unknown story, ConfigError for a bad value,
        MissingExtra for Parquet without pyarrow.
        """
        check_writer(fmt)
        if what not in COLUMNS:
            raise ConfigError(f"what must be one of {', '.join(COLUMNS)}, got {what!r}")
        corpus = self._pipeline()
        if story_id is not None:
            self.store.get_story(story_id)  # NotFound now, not halfway through a download
            rows = corpus.export_rows(what, [story_id])
        else:
            check_listing(sort, 1, 0, filters.get("min_articles") or 1)
            rows = corpus.export_rows(what, sort=sort, **filters)
        stem = f"newstrace-{_file_part(story_id)}-{what}" if story_id else f"newstrace-{what}"
        return iter_chunks(rows, COLUMNS[what], fmt), f"{stem}.{fmt}"

    # -- articles ---------------------------------------------------------------
    def article(self, article_id: str) -> dict:
        """Return an article's fields, text and store facts (story id, language); NotFound."""
        art = self.store.get_article(article_id)
        info = self.store.article_info(article_id)
        out = asdict(art)
        out.pop("source", None)  # where the server read it from: a path, never shown to clients
        out.update({k: info[k] for k in ("story_id", "canonical_id", "n_words", "added_at")})
        out["language"] = art.language or info["language"]
        return out

    def find_article(self, ref: str) -> Article:
        """Return the stored article whose id, else URL, is ``ref``; raise NotFound.

        A URL is looked up in the store only: the server never fetches it.
        """
        ref = ref.strip()
        try:
            return self.store.get_article(ref)
        except NotFound:
            pass
        if "://" in ref:
            for n, art in enumerate(self.store.iter_articles()):
                if art.url == ref:
                    return art
                if n >= URL_SCAN_LIMIT:
                    break
        raise NotFound(
            f"no stored article has the id or URL {ref!r}",
            hint="give the id of an article in the store (see GET /api/v1/stories)",
        )

    # -- compare ----------------------------------------------------------------
    def compare(self, a: dict, b: dict) -> Comparison:
        """Compare two refs, each ``{"id": ...}`` or ``{"text": ..., meta...}``.

        Raises NotFound for an unknown id, InputError for bad text, SameInput.
        """
        return compare_pair(self.resolve(a), self.resolve(b), self.settings)

    def resolve(self, ref: dict) -> Article:
        """Return the Article a ref names: stored (by id or URL) or built from its text.

        Text always becomes an Article here, never a string, because
        ``newstrace.compare`` reads a string naming a file as that file.
        """
        if ref.get("id") and not ref.get("text"):
            # The stored source is a server path; errors and reports must not show it.
            return self.find_article(ref["id"]).with_(source=None)
        meta = {k: ref[k] for k in META_FIELDS if ref.get(k) is not None}
        return read_text(ref.get("text") or "", self.settings, source="<web>", **meta)

    # -- ingest -----------------------------------------------------------------
    def ingest(self, records: Sequence[dict]) -> list[dict]:
        """Add articles through the pipeline; return ``{"id", "status", "story_id"}`` each.

        Idempotent: an id already stored comes back as "duplicate". Raises
        InputError (before anything is written) when any record is bad.
        """
        articles = [self.resolve(_record(r, n)) for n, r in enumerate(records)]
        with self._write:
            known = {a.id for a in articles if _stored(self.store, a.id)}
            report = self._pipeline().ingest_articles(articles)
        if report.failed:
            raise InputError(report.failed[0].reason, source=report.failed[0].source)
        return [self._status(a.id, a.id in known) for a in articles]

    def _status(self, article_id: str, known: bool) -> dict:
        info = self.store.article_info(article_id)
        status = DUPLICATE if known else (EXACT_COPY if info["canonical_id"] else NEW)
        return {"id": article_id, "status": status, "story_id": info["story_id"]}

    def _pipeline(self):
        """Return the pipeline Corpus over this store.

        Made once: the corpus keeps its story graph in the store, so what other
        processes (``newstrace ingest``) write is seen without a rebuild.
        """
        from ..pipeline import Corpus

        if self._corpus is None:
            self._corpus = Corpus(self.store, settings=self.settings)
        return self._corpus


def _file_part(text: str) -> str:
    """Return ``text`` as a safe piece of a file name (letters, digits, ``._-``; at most 60)."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._")[:60] or "story"


def _stored(store, article_id: str) -> bool:
    try:
        store.get_article(article_id)
        return True
    except NotFound:
        return False


def _record(record: dict, n: int) -> dict:
    """Return an ingest record checked for text; InputError names its position."""
    if not isinstance(record.get("text"), str) or not record["text"].strip():
        raise InputError(
            "article has no text", source=f"article {n}", hint="send a non-empty 'text' field"
        )
    return {k: v for k, v in record.items() if k == "text" or k in META_FIELDS}


def article_summary(art: Article) -> dict[str, Any]:
    """Return the listing fields of an article (no text)."""
    return {k: getattr(art, k) for k in SUMMARY_FIELDS}


def check_batch(n: int, limit: int) -> None:
    """Raise TooLarge when a batch of ``n`` articles is over ``limit``."""
    if n > limit:
        raise TooLarge(
            f"batch has {n} articles, over the limit of {limit}",
            hint=f"send at most {limit} articles per request",
        )
    if n == 0:
        raise InputError("batch is empty", hint="send one article or a list of articles")
