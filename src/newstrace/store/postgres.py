"""The shared-server store: PostgreSQL through psycopg 3 (the ``[postgres]`` extra).

Same :class:`~newstrace.store.base.Store` protocol, same rules and results as
the SQLite store, and safe with many writers at once:

- every write method is one transaction;
- article batches are written under a transaction-scoped advisory lock, so two
  processes never both think they stored the first copy of a text, and
  ``INSERT ... ON CONFLICT DO NOTHING`` keeps a repeated id a no-op;
- the story graph (linking texts into regions, re-clustering dirty regions,
  rewriting stories) changes under the graph advisory lock, one writer at a
  time, as SQLite's single writer does; ``SELECT ... FOR UPDATE`` guards a
  story's provenance fields against a concurrent re-cluster;
- reads go through their own autocommit connection, so they never wait for
  this process's writes, and MVCC means they never wait for other writers.

Locks are keyed by schema, so corpora in different schemas of one database
do not wait for each other.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import xxhash

from ..errors import ConfigError, MissingExtra, NotFound, StoreError
from ..listing import story_filters
from ..model import Article
from ..stories.cluster import members_hash
from . import facets as _facets
from . import graph as _graph
from . import postgres_graph as _pg_graph
from . import stories_sql as _sql
from .base import (
    DUPLICATE,
    EXACT_COPY,
    FACET_LIMIT,
    NEW,
    StoredArticle,
    article_of,
    article_row,
    check_item,
    check_listing,
    now_utc,
    stored_json,
    to_i64,
)
from .graph_sql import _unpack_bands
from .postgres_migrations import migrate
from .sqlite import _pack_bands

if TYPE_CHECKING:
    from typing_extensions import Self  # typing.Self from Python 3.11

SCHEMES = ("postgresql://", "postgres://")
CONNECT_TIMEOUT_S = 10
_SCHEMA_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")

_ARTICLE_COLS = "id, text, title, url, outlet, published, language, byline, source"
_INSERT_ARTICLES = """
INSERT INTO articles (id, exact_hash, canonical_id, text, title, url, outlet, published,
                      language, byline, source, n_words, added_at, node)
SELECT * FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[],
                     %s::text[], %s::text[], %s::text[], %s::text[], %s::text[], %s::int[],
                     %s::text[], %s::bigint[])
ON CONFLICT (id) DO NOTHING
RETURNING seq, id
"""
_BAND_HITS = """
SELECT DISTINCT a.id FROM unnest(%s::int[], %s::bigint[]) AS q(band, key)
JOIN bands b ON b.band = q.band AND b.key = q.key JOIN articles a ON a.seq = b.seq
"""
# The SQLite summary with PostgreSQL's JSON aggregate; ::text so stories_sql parses both alike.
_FACET_LIST = (
    "(SELECT coalesce(json_agg(value ORDER BY value), '[]')::text FROM story_facets"
    " WHERE story_id = s.id AND kind = '{kind}')"
)
_SUMMARY = f"""
SELECT s.id, s.title, s.n_articles, s.n_outlets, s.n_sources, s.first_published,
       s.last_published, s.origin_id, s.payload,
       {_FACET_LIST.format(kind="language")}, {_FACET_LIST.format(kind="outlet")}
FROM stories s
"""
# PostgreSQL puts NULLs first in DESC order; SQLite puts them last.
_ORDER = {
    "size": "s.n_articles DESC, s.id",
    "recent": "s.last_published DESC NULLS LAST, s.id",
    "sources": "s.n_sources DESC NULLS LAST, s.id",
}


def _psycopg():
    try:
        import psycopg
    except ImportError as e:
        raise MissingExtra("the PostgreSQL store", "postgres", e.name or "psycopg") from e
    return psycopg


def split_url(url: str) -> tuple[str, str | None]:
    """Return (the libpq URL, the ``schema`` query parameter or None); raise ConfigError.

    ``schema`` is newstrace's own parameter: several corpora can live in one
    database, one schema each. Every other parameter goes to libpq as given.
    """
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    schemas = [v for k, v in query if k == "schema"]
    rest = urlencode([(k, v) for k, v in query if k != "schema"])
    if len(schemas) > 1 or (schemas and not _SCHEMA_NAME.match(schemas[0])):
        raise ConfigError(f"schema must be one name of letters, digits and _, got {schemas!r}")
    return urlunsplit(parts._replace(query=rest)), (schemas[0] if schemas else None)


def redact(url: str) -> str:
    """Return ``url`` without its password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=f"{parts.username}:***@{host}"))


def lock_key(schema: str, purpose: str) -> int:
    """Return the advisory lock key (signed 64-bit) for ``purpose`` in ``schema``."""
    return to_i64(xxhash.xxh64_intdigest(f"newstrace:{schema}:{purpose}".encode()))


class PostgresStore:
    """A :class:`~newstrace.store.base.Store` in a PostgreSQL schema.

    ``url`` is a libpq URL, ``postgresql://user@host:port/dbname``, with an
    optional ``?schema=NAME`` (created when missing; default: the server's
    search path, normally ``public``). Safe to share between threads; any
    number of processes may read and write at once.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self.where = redact(url)
        self._psycopg = _psycopg()
        libpq_url, schema = split_url(url)
        self._wlock, self._rlock = threading.RLock(), threading.RLock()
        self._write = self._read_conn = None
        self._write = self._connect(libpq_url, schema, create=True)
        try:
            self.schema = self._current_schema()
            self._keys = {p: lock_key(self.schema, p) for p in ("migrate", "articles", "graph")}
            self._guard(migrate, self._write, self._keys["migrate"], self.where)
            self._read_conn = self._connect(libpq_url, self.schema, create=False)
        except BaseException:
            self.close()
            raise
        self.fts = True  # tsvector search; False falls back to ILIKE (as SQLite without FTS5)

    # -- plumbing -------------------------------------------------------------
    def _connect(self, libpq_url: str, schema: str | None, *, create: bool):
        pg = self._psycopg
        try:
            conn = pg.connect(libpq_url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S)
        except pg.Error as e:
            raise StoreError(
                f"{self.where}: cannot connect: {_first_line(e)}", hint=_connect_hint(e)
            ) from e
        try:
            if schema:
                if create:
                    _create_schema(pg, conn, schema)
                conn.execute(f'SET search_path TO "{schema}"')
        except pg.Error as e:
            conn.close()
            raise StoreError(
                f"{self.where}: cannot use schema {schema!r}: {_first_line(e)}",
                hint="check that the user may create and use it",
            ) from e
        return conn

    def _current_schema(self) -> str:
        name = self._write.execute("SELECT current_schema()").fetchone()[0]
        if name is None:
            raise StoreError(
                f"{self.where}: no schema on the search path", hint="add ?schema=NAME to the URL"
            )
        return name

    def _guard(self, fn, *args):
        """Call ``fn``; turn a database error into StoreError naming this store."""
        try:
            return fn(*args)
        except self._psycopg.Error as e:
            raise StoreError(f"{self.where}: {_first_line(e)}", hint=_hint(e)) from e

    def _live(self, conn):
        if conn is None or conn.closed:
            raise StoreError(
                f"{self.where}: store is closed", hint="open it again with open_store()"
            )
        return conn

    @contextmanager
    def _tx(self, lock: str | None = None) -> Iterator:
        """One write transaction, holding advisory lock ``lock`` (released at commit)."""
        with self._wlock:
            conn = self._live(self._write)
            try:
                with conn.transaction(), conn.cursor() as cur:
                    if lock:
                        cur.execute("SELECT pg_advisory_xact_lock(%s)", (self._keys[lock],))
                    yield cur
            except self._psycopg.Error as e:
                raise StoreError(f"{self.where}: write failed: {_reason(e)}", hint=_hint(e)) from e

    @contextmanager
    def _read(self) -> Iterator:
        with self._rlock:
            conn = self._live(self._read_conn)
            try:
                with conn.cursor() as cur:
                    yield cur
            except self._psycopg.Error as e:
                raise StoreError(
                    f"{self.where}: read failed: {_first_line(e)}", hint=_hint(e)
                ) from e

    def _one(self, sql: str, params: Sequence, what: str):
        with self._read() as cur:
            row = cur.execute(sql, params).fetchone()
        if row is None:
            raise NotFound(f"{what} is not in the store {self.where}")
        return row

    # -- articles -------------------------------------------------------------
    def add_articles(self, items: Sequence[StoredArticle]) -> list[str]:
        """Store a batch in one transaction; return "new" | "duplicate" | "exact_copy" per item.

        Raises InputError for an item without id or hash, StoreError when the write fails.
        """
        items = list(items)
        for item in items:
            check_item(item)
        if not items:
            return []
        with self._tx("articles") as cur:
            statuses, canon = _plan(cur, items)
            _insert(cur, items, statuses, canon, self.where, self._keys["graph"])
        return statuses

    def get_article(self, article_id: str) -> Article:
        """Return the article; raise NotFound."""
        sql = f"SELECT {_ARTICLE_COLS} FROM articles WHERE id = %s"
        return article_of(self._one(sql, (article_id,), f"article {article_id!r}"))

    def articles_by_ids(self, ids: Sequence[str]) -> list[Article]:
        """Return the articles in the order asked; raise NotFound naming missing ids."""
        ids = list(ids)
        sql = f"SELECT {_ARTICLE_COLS} FROM articles WHERE id = ANY(%s::text[])"
        with self._read() as cur:
            found = {r[0]: article_of(r) for r in cur.execute(sql, (ids,))}
        missing = [i for i in ids if i not in found]
        if missing:
            raise NotFound(f"{len(missing)} article(s) not in the store, e.g. {missing[:3]}")
        return [found[i] for i in ids]

    def iter_articles(self, batch_size: int = 1000) -> Iterator[Article]:
        """Yield every article in insertion order (keyset pages, so writes may interleave)."""
        if batch_size < 1:
            raise ConfigError(f"batch_size must be 1 or more, got {batch_size!r}")
        sql = f"SELECT seq, {_ARTICLE_COLS} FROM articles WHERE seq > %s ORDER BY seq LIMIT %s"
        last = 0
        while True:
            with self._read() as cur:
                rows = cur.execute(sql, (last, batch_size)).fetchall()
            if not rows:
                return
            last = rows[-1][0]
            yield from (article_of(r[1:]) for r in rows)

    def count_articles(self) -> int:
        """Return how many articles are stored (exact copies included)."""
        with self._read() as cur:
            return cur.execute("SELECT count(*) FROM articles").fetchone()[0]

    def article_info(self, article_id: str) -> dict:
        """Return id, exact_hash, canonical_id, language, n_words, added_at, story_id; raise
        NotFound."""
        sql = (
            "SELECT a.id, a.exact_hash, a.canonical_id, a.language, a.n_words, a.added_at,"
            " m.story_id FROM articles a LEFT JOIN story_members m ON m.article_id = a.id"
            " WHERE a.id = %s"
        )
        row = self._one(sql, (article_id,), f"article {article_id!r}")
        keys = ("id", "exact_hash", "canonical_id", "language", "n_words", "added_at", "story_id")
        return dict(zip(keys, row))

    # -- fingerprints ---------------------------------------------------------
    def signature(self, article_id: str) -> bytes:
        """Return the stored signature bytes; raise NotFound."""
        sql = "SELECT s.signature FROM signatures s JOIN articles a USING (seq) WHERE a.id = %s"
        return bytes(self._one(sql, (article_id,), f"signature of article {article_id!r}")[0])

    def band_candidates(self, bands: Iterable[tuple[int, int]]) -> set[str]:
        """Return ids of stored articles sharing at least one (band, key)."""
        pairs = [(int(b), to_i64(k)) for b, k in bands]
        if not pairs:
            return set()
        with self._read() as cur:
            rows = cur.execute(_BAND_HITS, ([b for b, _ in pairs], [k for _, k in pairs]))
            return {r[0] for r in rows}

    def candidates_for(self, article_id: str) -> set[str]:
        """Return ids sharing a band with the stored article, itself excluded; raise NotFound."""
        sql = "SELECT s.bands FROM signatures s JOIN articles a USING (seq) WHERE a.id = %s"
        blob = self._one(sql, (article_id,), f"article {article_id!r}")[0]
        return self.band_candidates(_unpack_bands(bytes(blob))) - {article_id}

    def ensure_params(self, params: Mapping[str, object]) -> None:
        """Record fingerprint params on first use; raise StoreError if they later differ."""
        value = json.dumps(dict(params), sort_keys=True)
        with self._tx() as cur:
            cur.execute(
                "INSERT INTO meta (key, value) VALUES ('fingerprint', %s)"
                " ON CONFLICT (key) DO NOTHING",
                (value,),
            )
            stored = cur.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()[0]
        if stored != value:
            raise StoreError(
                f"{self.where}: fingerprints were stored with {stored}, not {value}",
                hint="use the same settings as the store, or a new store (database or schema)",
            )

    # -- pairwise results cache ----------------------------------------------
    def put_edges(self, edges: Iterable[tuple[str, str, dict]]) -> None:
        """Store (a_id, b_id, payload) results, replacing any earlier result for the pair.

        Raises ConfigError for a self-pair, StoreError when an id is not stored.
        """
        now, rows = now_utc(), {}
        for a_id, b_id, payload in edges:
            if a_id == b_id:
                raise ConfigError(f"an edge needs two different articles, got {a_id!r} twice")
            lo, hi = sorted((a_id, b_id))
            rows[lo, hi] = (lo, hi, a_id, json.dumps(payload, sort_keys=True), now)  # last wins
        if not rows:
            return
        cols = list(zip(*sorted(rows.values())))  # key order: concurrent writers lock rows alike
        sql = (
            "INSERT INTO edges (lo, hi, a_id, payload, updated_at)"
            " SELECT * FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[], %s::text[])"
            " ON CONFLICT (lo, hi) DO UPDATE SET a_id = excluded.a_id,"
            " payload = excluded.payload, updated_at = excluded.updated_at"
        )
        with self._tx() as cur:
            cur.execute(sql, [list(c) for c in cols])

    def put_edge(self, a_id: str, b_id: str, payload: dict) -> None:
        """Store one pair result (see put_edges)."""
        self.put_edges([(a_id, b_id, payload)])

    def edges_for(self, ids: Iterable[str], *, within: bool = True) -> dict[tuple[str, str], dict]:
        """Return cached results keyed (a_id, b_id) as stored.

        ``within=True``: both ends in ``ids``; ``within=False``: at least one end.
        """
        ids = list(ids)
        join = "AND" if within else "OR"
        sql = (
            "SELECT lo, hi, a_id, payload FROM edges"
            f" WHERE lo = ANY(%s::text[]) {join} hi = ANY(%s::text[])"
        )
        with self._read() as cur:
            rows = cur.execute(sql, (ids, ids)).fetchall()
        return {
            (a, hi if a == lo else lo): stored_json(p, f"edges row {(lo, hi)!r}")
            for lo, hi, a, p in rows
        }

    # -- lazy pair analyses ---------------------------------------------------
    def put_analyses(self, items: Iterable[tuple[str, str, dict]]) -> None:
        """Store (a_id, b_id, payload) sentence-level analyses, replacing earlier ones for the pair.

        Raises ConfigError for a self-pair, StoreError when an id is not stored.
        """
        now, rows = now_utc(), {}
        for a_id, b_id, payload in items:
            if a_id == b_id:
                raise ConfigError(f"an analysis needs two different articles, got {a_id!r} twice")
            lo, hi = sorted((a_id, b_id))
            rows[lo, hi] = (lo, hi, a_id, json.dumps(payload, sort_keys=True), now)
        if not rows:
            return
        cols = list(zip(*sorted(rows.values())))
        sql = (
            "INSERT INTO pair_analyses (lo, hi, a_id, payload, updated_at)"
            " SELECT * FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[], %s::text[])"
            " ON CONFLICT (lo, hi) DO UPDATE SET a_id = excluded.a_id,"
            " payload = excluded.payload, updated_at = excluded.updated_at"
        )
        with self._tx() as cur:
            cur.execute(sql, [list(c) for c in cols])

    def analyses_for(self, pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], dict]:
        """Return the cached analyses of ``pairs`` (either order), keyed (a_id, b_id) as stored."""
        keys = sorted({tuple(sorted(p)) for p in pairs})
        if not keys:
            return {}
        sql = (
            "SELECT p.lo, p.hi, p.a_id, p.payload FROM pair_analyses p"
            " JOIN unnest(%s::text[], %s::text[]) AS k(lo, hi) ON p.lo = k.lo AND p.hi = k.hi"
        )
        with self._read() as cur:
            rows = cur.execute(sql, ([k[0] for k in keys], [k[1] for k in keys])).fetchall()
        return {
            (a, hi if a == lo else lo): stored_json(p, f"pair_analyses row {(lo, hi)!r}")
            for lo, hi, a, p in rows
        }

    # -- story graph ----------------------------------------------------------
    def unplaced_articles(self, limit: int = 1000) -> list[Article]:
        """Return up to ``limit`` stored articles that have no text node (stored by schema 1)."""
        sql = f"SELECT {_ARTICLE_COLS} FROM articles WHERE node IS NULL ORDER BY seq LIMIT %s"
        with self._read() as cur:
            return [article_of(r) for r in cur.execute(sql, (limit,))]

    def place_texts(self, items: Sequence[StoredArticle]) -> int:
        """Give stored articles without a text node theirs (creating texts), in one transaction;
        return how many."""
        items = [it for it in items if it.copy_key is not None]
        with self._tx("articles") as cur:
            nodes = _add_nodes(cur, items, self._keys["graph"])
            cur.execute(
                "UPDATE articles a SET node = u.node FROM "
                "unnest(%s::bigint[], %s::text[]) AS u(node, id)"
                " WHERE a.id = u.id AND a.node IS NULL",
                ([nodes[it.copy_key] for it in items], [it.article.id for it in items]),
            )
        return len(items)

    def link_pending(self) -> int:
        """Link every text not linked yet into the regions, in one transaction; return how many."""
        with self._tx("graph") as cur:
            return _graph.link_pending(_pg_graph.PostgresGraph(cur))

    def recluster(self) -> tuple[list[str], bool]:
        """Re-cluster some dirty regions in one transaction; return (stories written, more
        dirty?)."""
        with self._tx("graph") as cur:
            return _graph.recluster(_pg_graph.PostgresGraph(cur))

    def update_story_fields(self, updates: Mapping[str, tuple[str, dict]]) -> list[str]:
        """Set fields of stories whose members hash still matches; return the ids updated."""
        if not updates:
            return []
        with self._tx("graph") as cur:
            return _pg_graph.update_fields(cur, updates)

    # -- stories --------------------------------------------------------------
    def replace_stories(self, assignments: Mapping[str, str], stories: Sequence[dict]) -> None:
        """Replace all stories and memberships in one transaction, under the stories lock.

        Readers keep seeing the old stories until the commit (DELETE, not TRUNCATE).
        Raises NotFound when an assigned article is not stored, ConfigError for a
        story dict without ``id``.
        """
        rows = _sql._story_rows(stories)
        for story_id in sorted(set(assignments.values()) - set(rows)):
            rows[story_id] = (story_id, None, None, None, "{}")
        members: dict[str, list[str]] = {}
        for article_id, story_id in assignments.items():
            members.setdefault(story_id, []).append(article_id)
        hashed = [(*r, members_hash(members.get(r[0], ()))) for r in rows.values()]
        with self._tx("graph") as cur:
            _check_articles(cur, list(assignments))
            for table in ("story_facets", "story_titles", "story_members", "stories"):
                cur.execute(f"DELETE FROM {table}")
            cur.execute(
                "INSERT INTO stories (id, title, n_sources, origin_id, payload, members_hash)"
                " SELECT * FROM unnest(%s::text[], %s::text[], %s::int[], %s::text[], %s::text[],"
                " %s::text[])",
                _columns(hashed, 6),
            )
            cur.execute(
                "INSERT INTO story_members (article_id, story_id)"
                " SELECT * FROM unnest(%s::text[], %s::text[])",
                _columns(list(assignments.items()), 2),
            )
            cur.execute("DELETE FROM unstoried")
            cur.execute(_sql.UNSTORIED_FILL)
            _pg_graph.derive(cur, None)
            # The stories are no longer the clusterer's: no region keeps its partition unread.
            cur.execute("UPDATE texts SET linked = 1 WHERE linked = 2")
            cur.execute("UPDATE must_groups SET story = NULL, fresh = 2")

    def list_stories(
        self, *, limit: int = 50, offset: int = 0, sort: str = "size", **filters
    ) -> list[dict]:
        """Return one page of story summaries matching every given filter (:class:`StoryFilters`,
        by name); raise ConfigError."""
        given = story_filters(filters)
        check_listing(sort, limit, offset, given.min_articles)
        where, params = _where(given, self.fts)
        sql = f"{_SUMMARY} WHERE {where} ORDER BY {_ORDER[sort]} LIMIT %s OFFSET %s"
        with self._read() as cur:
            return [_sql._summary(r) for r in cur.execute(sql, [*params, limit, offset])]

    def count_stories(self, **filters) -> int:
        """Return how many stories match the filters (for pagination)."""
        given = story_filters(filters)
        check_listing("size", 1, 0, given.min_articles)
        where, params = _where(given, self.fts)
        with self._read() as cur:
            return cur.execute(f"SELECT count(*) FROM stories s WHERE {where}", params).fetchone()[
                0
            ]

    def story_facets(self, *, limit: int = FACET_LIMIT, **filters) -> dict:
        """Return the outlet, language and published facet counts (see ``store.facets``)."""
        f = story_filters(filters)
        _facets.check_limit(limit)
        check_listing("size", 1, 0, f.min_articles)
        out = {}
        with self._read() as cur:
            for kind in _facets.FACET_KINDS:
                where, params = _where(_facets.without(f, kind), self.fts)
                params = [kind, *params, getattr(f, kind), limit + 1]
                rows = cur.execute(_facets.value_sql(where, "%s"), params).fetchall()
                out[kind] = _facets.values(rows, limit)
            where, params = _where(f, self.fts)
            spans = cur.execute(_facets.span_sql(where), params).fetchall()
        out["published"] = _facets.published(spans, f.since, f.until, limit)
        return out

    def get_story(self, story_id: str) -> dict:
        """Return the story summary plus its ``articles`` ids (oldest first); raise NotFound."""
        members = (
            "SELECT a.id FROM story_members m JOIN articles a ON a.id = m.article_id"
            " WHERE m.story_id = %s ORDER BY a.published IS NULL, a.published, a.seq"
        )
        with self._read() as cur:
            row = cur.execute(f"{_SUMMARY} WHERE s.id = %s", (story_id,)).fetchone()
            ids = [r[0] for r in cur.execute(members, (story_id,))] if row else []
        if row is None:
            raise NotFound(f"story {story_id!r} is not in the store {self.where}")
        story = _sql._summary(row)
        story["articles"] = ids
        return story

    # -- lifecycle ------------------------------------------------------------
    def close(self) -> None:
        """Release the connections; further calls raise StoreError."""
        with self._wlock, self._rlock:
            for conn in (self._write, self._read_conn):
                if conn is not None and not conn.closed:
                    conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"PostgresStore({self.where!r})"


def _create_schema(pg, conn, schema: str) -> None:
    try:
        conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
    except pg.errors.UniqueViolation:
        pass  # another process created it between IF NOT EXISTS and the insert: it exists now


def _first_line(error: Exception) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def _reason(error: Exception) -> str:
    """Return the error's first line, named like SQLite's for the same kind of failure."""
    name = type(error).__name__
    if name == "ForeignKeyViolation":
        return f"FOREIGN KEY constraint failed ({_first_line(error)})"
    return _first_line(error)


def _hint(error: Exception) -> str:
    name, text = type(error).__name__, str(error)
    if name == "ForeignKeyViolation":
        return "an id refers to an article that is not stored"
    if name == "DiskFull" or "No space left on device" in text:
        return (
            "the PostgreSQL server's disk is full: free some space and run again; this write was "
            "rolled back whole"
        )
    if "NUL" in text or "0x00" in text:
        return "PostgreSQL text cannot hold NUL characters; clean the input"
    if name in ("OperationalError", "AdminShutdown", "ConnectionFailure"):
        return "the connection to PostgreSQL was lost; open the store again"
    if name == "InsufficientPrivilege":
        return "grant the user rights on the database and schema"
    return "check the PostgreSQL server log"


def _connect_hint(error: Exception) -> str:
    text = str(error)
    if "does not exist" in text:
        return "create the database first (createdb NAME) or name another in the URL"
    if "authentication" in text or "password" in text:
        return "check the user and password in the URL (postgresql://user:password@host/dbname)"
    return "is PostgreSQL running and reachable? the URL form is postgresql://user@host:port/dbname"


def _columns(rows: list[tuple], width: int) -> list[list]:
    """Return ``rows`` as ``width`` column lists (the shape unnest takes)."""
    return [list(c) for c in zip(*rows)] if rows else [[] for _ in range(width)]


def _plan(cur, items: list[StoredArticle]) -> tuple[list[str], list]:
    """Decide each item's status and canonical id against the store and the batch itself.

    Exact under the articles lock: every earlier batch has committed or waits.
    """
    ids = [it.article.id for it in items]
    known = {
        r[0] for r in cur.execute("SELECT id FROM articles WHERE id = ANY(%s::text[])", (ids,))
    }
    hashes = sorted({it.exact_hash for it in items})
    sql = (
        "SELECT exact_hash, id FROM articles"
        " WHERE canonical_id IS NULL AND exact_hash = ANY(%s::text[])"
    )
    canonical = dict(cur.execute(sql, (hashes,)).fetchall())
    statuses, canon = [], []
    for it in items:
        aid = it.article.id
        if aid in known:
            statuses.append(DUPLICATE)
            canon.append(None)
            continue
        known.add(aid)
        first = canonical.setdefault(it.exact_hash, aid)
        statuses.append(NEW if first == aid else EXACT_COPY)
        canon.append(None if first == aid else first)
    return statuses, canon


def _insert(cur, items, statuses, canon, where: str, graph_lock: int) -> None:
    """Write the new rows: their texts, articles (seqs from the identity), signatures and bands."""
    now, arts, fresh = now_utc(), [], []
    nodes = _add_nodes(cur, [it for it, s in zip(items, statuses) if s != DUPLICATE], graph_lock)
    for it, status, canonical_id in zip(items, statuses, canon):
        if status == DUPLICATE:
            continue
        arts.append(article_row(it, canonical_id, now, nodes.get(it.copy_key)))
        fresh.append((it, status))
    if not arts:
        return
    seqs = {aid: seq for seq, aid in cur.execute(_INSERT_ARTICLES, _columns(arts, 14))}
    if len(seqs) != len(arts):  # cannot happen under the articles lock; never report a lost row
        raise StoreError(
            f"{where}: {len(arts) - len(seqs)} article(s) were written by another "
            "process during this batch",
            hint="run the ingest again",
        )
    unstoried = [(a[0], a[13]) for a in arts if a[13] is not None]
    if unstoried:
        cur.execute(
            "INSERT INTO unstoried (article_id, node)"
            " SELECT * FROM unnest(%s::text[], %s::bigint[])",
            _columns(unstoried, 2),
        )
    sig_rows, band_rows = [], []
    for it, status in fresh:
        seq = seqs[it.article.id]
        keyed = [(int(b), to_i64(k)) for b, k in it.bands]
        sig_rows.append((seq, bytes(it.signature), _pack_bands(keyed)))
        if status != EXACT_COPY:  # a copy's keys are its canonical's (as in the SQLite store)
            band_rows.extend((b, k, seq) for b, k in sorted(set(keyed)))
    # COPY: the seqs are new, so no row can conflict, and it beat INSERT ... unnest (see
    # docs/store.md).
    _copy(cur, "signatures (seq, signature, bands)", sig_rows)
    _copy(cur, "bands (band, key, seq)", band_rows)


def _copy(cur, target: str, rows: list[tuple]) -> None:
    """Append ``rows`` to ``target`` (``table (columns)``) with COPY, inside the caller's
    transaction."""
    if rows:
        with cur.copy(f"COPY {target} FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def _add_nodes(cur, items: list[StoredArticle], graph_lock: int) -> dict[str, int]:
    """Return the text node of each copy key in ``items``, creating the texts not seen before.

    Node numbers are max + 1, exact under the articles lock (only add_articles creates texts).
    """
    keyed = [it for it in items if it.copy_key is not None]
    if not keyed:
        return {}
    wanted = sorted({it.copy_key for it in keyed})
    nodes = dict(
        cur.execute(
            "SELECT copy_key, node FROM texts WHERE copy_key = ANY(%s::text[])", (wanted,)
        ).fetchall()
    )
    # An article joining a stored text changes that text's story: its region is re-clustered.
    # Under the graph lock too, so no concurrent link moves that region before we commit.
    if nodes:
        cur.execute("SELECT pg_advisory_xact_lock(%s)", (graph_lock,))
    cur.execute(
        "INSERT INTO dirty_regions (region) SELECT DISTINCT region FROM texts"
        " WHERE linked <> 0 AND node = ANY(%s::bigint[]) ON CONFLICT DO NOTHING",
        (sorted(nodes.values()),),
    )
    cur.execute(  # their groups gained articles (in no story yet): their stories are read again
        "UPDATE must_groups SET fresh = greatest(fresh, 1) WHERE must IN (SELECT must FROM texts"
        " WHERE linked <> 0 AND node = ANY(%s::bigint[]))",
        (sorted(nodes.values()),),
    )
    node = cur.execute("SELECT coalesce(max(node), 0) FROM texts").fetchone()[0]
    texts = []
    for it in keyed:
        if it.copy_key not in nodes:
            node += 1
            nodes[it.copy_key] = node
            texts.append((node, it.copy_key, node, node, bytes(it.vector)))
    cur.execute(
        "INSERT INTO texts (node, copy_key, region, must, vector)"
        " SELECT * FROM unnest(%s::bigint[], %s::text[], %s::bigint[], %s::bigint[], %s::bytea[])",
        _columns(texts, 5),
    )
    return nodes


def _check_articles(cur, ids: list[str]) -> None:
    sql = (
        "SELECT x FROM unnest(%s::text[]) AS x"
        " WHERE NOT EXISTS (SELECT 1 FROM articles WHERE id = x) LIMIT 3"
    )
    missing = [r[0] for r in cur.execute(sql, (ids,))]
    if missing:
        raise NotFound(f"stories assign articles that are not stored, e.g. {missing}")


def _tsquery(text: str) -> str:
    # Words only (no operators reach to_tsquery), each a prefix, all required, as with FTS5.
    return " & ".join(f"{w.lower()}:*" for w in re.findall(r"[^\W_]+", text))


def _where(f, fts: bool) -> tuple[str, list]:
    """Return the WHERE clause and its parameters for filters ``f``."""
    clauses, params = ["s.n_articles >= %s"], [f.min_articles]
    words = re.findall(r"\w+", f.query or "")
    if words and fts:
        query = _tsquery(f.query)
        clauses.append("s.search_tsv @@ to_tsquery('simple', %s)" if query else "false")
        params += [query] if query else []
    for word in words if not fts else ():
        clauses.append("s.search_text ILIKE %s ESCAPE '\\'")
        params.append(_sql._like(word))
    for kind, value in (("outlet", f.outlet), ("language", f.language)):
        if value:
            clauses.append(
                "s.id IN (SELECT story_id FROM story_facets WHERE kind = %s AND value = %s)"
            )
            params += [kind, value]
    if f.since:
        clauses.append("s.last_published >= %s")
        params.append(f.since)
    if f.until:
        clauses.append("s.first_published <= %s")  # '~' sorts after ISO 8601: the whole day
        params.append(f.until + "~")
    return " AND ".join(clauses), params
