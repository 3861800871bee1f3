"""The default store: one SQLite file in WAL mode (one writer, many readers)."""

from __future__ import annotations

import json
import sqlite3
import struct
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from ..errors import ConfigError, NotFound, StoreError
from ..listing import story_filters
from ..model import Article
from . import graph as _graph
from . import stories_sql as _stories
from .base import (
    DUPLICATE,
    EXACT_COPY,
    FACET_LIMIT,
    NEW,
    StoredArticle,
    article_of,
    article_row,
    check_item,
    now_utc,
    stored_json,
    to_i64,
)
from .graph_sql import SQLiteGraph
from .migrations import migrate, rollback

if TYPE_CHECKING:
    from typing_extensions import Self  # typing.Self from Python 3.11

BUSY_TIMEOUT_MS = 60_000  # a writer waits this long for another's batch

_ARTICLE_COLS = "id, text, title, url, outlet, published, language, byline, source"
_INSERT_ARTICLE = (
    "INSERT INTO articles (seq, id, exact_hash, canonical_id, text, title, url, outlet,"
    " published, language, byline, source, n_words, added_at, node)"
    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
)
# json_each turns one bound JSON array into a set, whatever its size.
_IDS = "(SELECT value FROM json_each(?))"
_BAND_HITS = """
WITH q(band, key) AS (
    SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?)),
hits(seq) AS (
    SELECT b.seq FROM q JOIN bands b ON b.band = q.band AND b.key = q.key
    UNION
    SELECT b.seq FROM q JOIN bands_recent b ON b.band = q.band AND b.key = q.key)
SELECT a.id FROM hits JOIN articles a ON a.seq = hits.seq
"""
# Merge bands_recent into bands once it holds this many rows, or a quarter of bands:
# the geometric rule keeps the amortized rewrite cost per key constant as the corpus grows.
MERGE_MIN_ROWS = 250_000


def _pack_bands(bands: Sequence[tuple[int, int]]) -> bytes:
    flat = [v for band, key in bands for v in (int(band), key)]
    return struct.pack(f"<{len(flat)}q", *flat)


def _unpack_bands(blob: bytes) -> list[tuple[int, int]]:
    flat = struct.unpack(f"<{len(blob) // 8}q", blob)
    return list(zip(flat[0::2], flat[1::2]))


class SQLiteStore:
    """A :class:`~newstrace.store.base.Store` in one SQLite file.

    Safe to share between threads of one process. Writes go through one
    connection, serialized by a lock; each thread reads through a connection
    of its own, so a read never waits for a write (WAL: readers see the last
    commit) and other processes may read and write too.
    """

    def __init__(self, path: str = "./newstrace.db") -> None:
        self.path = path
        self._lock = threading.RLock()
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self._closed = False
        self._conn: sqlite3.Connection | None = self._connect(path)
        try:
            migrate(self._conn, path)
            self.fts = _stories.fts_usable(self._conn)
        except sqlite3.Error as e:
            self.close()
            raise StoreError(f"{path}: cannot open store: {e}", hint=_hint(e)) from e
        except BaseException:
            self.close()
            raise

    @staticmethod
    def _connect(path: str) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(
                path,
                isolation_level=None,
                check_same_thread=False,
                timeout=BUSY_TIMEOUT_MS / 1000,
            )
            _configure(conn, path)
        except sqlite3.Error as e:
            raise StoreError(f"{path}: cannot open store: {e}", hint=_hint(e)) from e
        return conn

    # -- plumbing -------------------------------------------------------------
    def _live(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreError(
                f"{self.path}: store is closed", hint="open it again with open_store()"
            )
        return self._conn

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; IMMEDIATE takes the write lock up front (no upgrade deadlock)."""
        with self._lock:
            conn = self._live()
            try:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    yield conn
                    conn.execute("COMMIT")
                except BaseException:
                    rollback(conn)  # a failed COMMIT too: the next write starts clean
                    raise
            except sqlite3.Error as e:
                raise StoreError(f"{self.path}: write failed: {e}", hint=_hint(e)) from e

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """This thread's read connection: no lock, so reads never wait for the writer."""
        self._live()
        conn = getattr(self._local, "conn", None)
        if conn is None or self.path == ":memory:":
            conn = self._conn if self.path == ":memory:" else self._reader()
        try:
            yield conn
        except sqlite3.Error as e:
            raise StoreError(f"{self.path}: read failed: {e}", hint=_hint(e)) from e

    def _reader(self) -> sqlite3.Connection:
        conn = self._connect(self.path)
        with self._lock:
            self._readers.append(conn)
        self._local.conn = conn
        return conn

    def _one(self, sql: str, params: Sequence, what: str):
        with self._read() as conn:
            row = conn.execute(sql, params).fetchone()
        if row is None:
            raise NotFound(f"{what} is not in the store {self.path}")
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
        with self._tx() as conn:
            statuses, canon = _plan(conn, items)
            _insert(conn, items, statuses, canon)
        return statuses

    def get_article(self, article_id: str) -> Article:
        """Return the article; raise NotFound."""
        sql = f"SELECT {_ARTICLE_COLS} FROM articles WHERE id = ?"
        return article_of(self._one(sql, (article_id,), f"article {article_id!r}"))

    def articles_by_ids(self, ids: Sequence[str]) -> list[Article]:
        """Return the articles in the order asked; raise NotFound naming missing ids."""
        ids = list(ids)
        sql = f"SELECT {_ARTICLE_COLS} FROM articles WHERE id IN {_IDS}"
        with self._read() as conn:
            found = {r[0]: article_of(r) for r in conn.execute(sql, (json.dumps(ids),))}
        missing = [i for i in ids if i not in found]
        if missing:
            raise NotFound(f"{len(missing)} article(s) not in the store, e.g. {missing[:3]}")
        return [found[i] for i in ids]

    def iter_articles(self, batch_size: int = 1000) -> Iterator[Article]:
        """Yield every article in insertion order (keyset pages, so writes may interleave)."""
        if batch_size < 1:
            raise ConfigError(f"batch_size must be 1 or more, got {batch_size!r}")
        sql = f"SELECT seq, {_ARTICLE_COLS} FROM articles WHERE seq > ? ORDER BY seq LIMIT ?"
        last = 0
        while True:
            with self._read() as conn:
                rows = conn.execute(sql, (last, batch_size)).fetchall()
            if not rows:
                return
            last = rows[-1][0]
            yield from (article_of(r[1:]) for r in rows)

    def count_articles(self) -> int:
        """Return how many articles are stored (exact copies included)."""
        with self._read() as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]

    def article_info(self, article_id: str) -> dict:
        """Return id, exact_hash, canonical_id, language, n_words, added_at, story_id; raise
        NotFound."""
        sql = (
            "SELECT a.id, a.exact_hash, a.canonical_id, a.language, a.n_words, a.added_at,"
            " m.story_id FROM articles a LEFT JOIN story_members m ON m.article_id = a.id"
            " WHERE a.id = ?"
        )
        row = self._one(sql, (article_id,), f"article {article_id!r}")
        keys = ("id", "exact_hash", "canonical_id", "language", "n_words", "added_at", "story_id")
        return dict(zip(keys, row))

    # -- fingerprints ---------------------------------------------------------
    def signature(self, article_id: str) -> bytes:
        """Return the stored signature bytes; raise NotFound."""
        sql = "SELECT s.signature FROM signatures s JOIN articles a USING (seq) WHERE a.id = ?"
        return bytes(self._one(sql, (article_id,), f"signature of article {article_id!r}")[0])

    def band_candidates(self, bands: Iterable[tuple[int, int]]) -> set[str]:
        """Return ids of stored articles sharing at least one (band, key)."""
        pairs = [[int(b), to_i64(k)] for b, k in bands]
        if not pairs:
            return set()
        with self._read() as conn:
            return {r[0] for r in conn.execute(_BAND_HITS, (json.dumps(pairs),))}

    def candidates_for(self, article_id: str) -> set[str]:
        """Return ids sharing a band with the stored article, itself excluded; raise NotFound."""
        sql = "SELECT s.bands FROM signatures s JOIN articles a USING (seq) WHERE a.id = ?"
        blob = self._one(sql, (article_id,), f"article {article_id!r}")[0]
        return self.band_candidates(_unpack_bands(blob)) - {article_id}

    def ensure_params(self, params: Mapping[str, object]) -> None:
        """Record fingerprint params on first use; raise StoreError if they later differ.

        Band keys made with other params never match, so mixing them would silently
        lose candidates.
        """
        value = json.dumps(dict(params), sort_keys=True)
        with self._tx() as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
            if row is None:
                conn.execute("INSERT INTO meta (key, value) VALUES ('fingerprint', ?)", (value,))
        if row is not None and row[0] != value:
            raise StoreError(
                f"{self.path}: fingerprints were stored with {row[0]}, not {value}",
                hint="use the same settings as the store, or a new store path",
            )

    # -- pairwise results cache ----------------------------------------------
    def put_edges(self, edges: Iterable[tuple[str, str, dict]]) -> None:
        """Store (a_id, b_id, payload) results, replacing any earlier result for the pair.

        Raises ConfigError for a self-pair, StoreError when an id is not stored.
        """
        now, rows = now_utc(), []
        for a_id, b_id, payload in edges:
            if a_id == b_id:
                raise ConfigError(f"an edge needs two different articles, got {a_id!r} twice")
            lo, hi = sorted((a_id, b_id))
            rows.append((lo, hi, a_id, json.dumps(payload, sort_keys=True), now))
        sql = "INSERT OR REPLACE INTO edges (lo, hi, a_id, payload, updated_at) VALUES (?,?,?,?,?)"
        with self._tx() as conn:
            conn.executemany(sql, rows)

    def put_edge(self, a_id: str, b_id: str, payload: dict) -> None:
        """Store one pair result (see put_edges)."""
        self.put_edges([(a_id, b_id, payload)])

    def edges_for(self, ids: Iterable[str], *, within: bool = True) -> dict[tuple[str, str], dict]:
        """Return cached results keyed (a_id, b_id) as stored.

        ``within=True``: both ends in ``ids``; ``within=False``: at least one end.
        """
        ids_json = json.dumps(list(ids))
        join = "AND" if within else "OR"
        sql = f"SELECT lo, hi, a_id, payload FROM edges WHERE lo IN {_IDS} {join} hi IN {_IDS}"
        with self._read() as conn:
            rows = conn.execute(sql, (ids_json, ids_json)).fetchall()
        return {
            (a, hi if a == lo else lo): stored_json(p, f"edges row {(lo, hi)!r}")
            for lo, hi, a, p in rows
        }

    # -- lazy pair analyses ---------------------------------------------------
    def put_analyses(self, items: Iterable[tuple[str, str, dict]]) -> None:
        """Store (a_id, b_id, payload) sentence-level analyses, replacing earlier ones for the pair.

        Raises ConfigError for a self-pair, StoreError when an id is not stored.
        """
        now, rows = now_utc(), []
        for a_id, b_id, payload in items:
            if a_id == b_id:
                raise ConfigError(f"an analysis needs two different articles, got {a_id!r} twice")
            lo, hi = sorted((a_id, b_id))
            rows.append((lo, hi, a_id, json.dumps(payload, sort_keys=True), now))
        sql = (
            "INSERT OR REPLACE INTO pair_analyses (lo, hi, "
            "a_id, payload, updated_at) VALUES (?,?,?,?,?)"
        )
        with self._tx() as conn:
            conn.executemany(sql, rows)

    def analyses_for(self, pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], dict]:
        """Return the cached analyses of ``pairs`` (either order), keyed (a_id, b_id) as stored."""
        keys = json.dumps([sorted(p) for p in pairs])
        sql = (
            "SELECT lo, hi, a_id, payload FROM pair_analyses WHERE (lo, hi) IN "
            "(SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?))"
        )
        with self._read() as conn:
            rows = conn.execute(sql, (keys,)).fetchall()
        return {
            (a, hi if a == lo else lo): stored_json(p, f"pair_analyses row {(lo, hi)!r}")
            for lo, hi, a, p in rows
        }

    # -- story graph ----------------------------------------------------------
    def unplaced_articles(self, limit: int = 1000) -> list[Article]:
        """Return up to ``limit`` stored articles that have no text node (stored by schema 1)."""
        sql = f"SELECT {_ARTICLE_COLS} FROM articles WHERE node IS NULL ORDER BY seq LIMIT ?"
        with self._read() as conn:
            return [article_of(r) for r in conn.execute(sql, (limit,))]

    def place_texts(self, items: Sequence[StoredArticle]) -> int:
        """Give stored articles without a text node theirs (creating texts), in one transaction;
        return how many."""
        items = [it for it in items if it.copy_key is not None]
        with self._tx() as conn:
            nodes = _add_nodes(conn, items)
            rows = [(nodes[it.copy_key], it.article.id) for it in items]
            conn.executemany("UPDATE articles SET node = ? WHERE id = ? AND node IS NULL", rows)
        return len(rows)

    def link_pending(self) -> int:
        """Link every text not linked yet into the regions, in one transaction; return how many."""
        with self._tx() as conn:
            return _graph.link_pending(SQLiteGraph(conn, self.fts))

    def recluster(self) -> tuple[list[str], bool]:
        """Re-cluster some dirty regions in one transaction; return (stories written, more
        dirty?)."""
        with self._tx() as conn:
            return _graph.recluster(SQLiteGraph(conn, self.fts))

    def update_story_fields(self, updates: Mapping[str, tuple[str, dict]]) -> list[str]:
        """Set fields of stories whose members hash still matches; return the ids updated."""
        if not updates:
            return []
        with self._tx() as conn:
            return _stories.update_fields(conn, updates, fts=self.fts)

    # -- stories --------------------------------------------------------------
    def replace_stories(self, assignments: Mapping[str, str], stories: Sequence[dict]) -> None:
        """Replace all stories and memberships in one transaction (see docs/store.md).

        Raises NotFound when an assigned article is not stored, ConfigError for a
        story dict without ``id``.
        """
        with self._tx() as conn:
            _stories.replace(conn, assignments, stories, fts=self.fts)
            # The stories are no longer the clusterer's: no region keeps its partition unread.
            conn.execute("UPDATE texts SET linked = 1 WHERE linked = 2")
            conn.execute("UPDATE must_groups SET story = NULL, fresh = 2")

    def list_stories(
        self, *, limit: int = 50, offset: int = 0, sort: str = "size", **filters
    ) -> list[dict]:
        """Return one page of story summaries matching every given filter (:class:`StoryFilters`,
        by name); raise ConfigError."""
        given = story_filters(filters)
        with self._read() as conn:
            return _stories.listing(conn, given, self.fts, sort, limit, offset)

    def count_stories(self, **filters) -> int:
        """Return how many stories match the filters (for pagination)."""
        given = story_filters(filters)
        with self._read() as conn:
            return _stories.count(conn, given, self.fts)

    def story_facets(self, *, limit: int = FACET_LIMIT, **filters) -> dict:
        """Return the outlet, language and published facet counts (see ``store.facets``)."""
        given = story_filters(filters)
        with self._read() as conn:
            return _stories.facets(conn, given, self.fts, limit)

    def get_story(self, story_id: str) -> dict:
        """Return the story summary plus its ``articles`` ids (oldest first); raise NotFound."""
        with self._read() as conn:
            story = _stories.get(conn, story_id)
        if story is None:
            raise NotFound(f"story {story_id!r} is not in the store {self.path}")
        return story

    # -- lifecycle ------------------------------------------------------------
    def close(self) -> None:
        """Release the connection; further calls raise StoreError."""
        with self._lock:
            for conn in self._readers:
                conn.close()
            self._readers.clear()
            self._local = threading.local()
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"SQLiteStore({self.path!r})"


def _configure(conn: sqlite3.Connection, path: str) -> None:
    """Set the per-connection pragmas; WAL persists in the file, the rest do not."""
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    # Only takes effect on a new file; larger pages made band-index inserts ~25% cheaper.
    conn.execute("PRAGMA page_size = 16384")
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if mode != "wal" and path != ":memory:":
        raise StoreError(
            f"{path}: cannot switch to WAL mode (got {mode!r})",
            hint="use a local file system; WAL does not work over network shares",
        )
    # NORMAL in WAL survives a process kill intact; only a power cut may drop the last commits.
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("PRAGMA cache_size = -65536")  # 64 MiB: band-index inserts are random access


def _hint(error: sqlite3.Error) -> str:
    text = str(error)
    if "locked" in text or "busy" in text:
        return "another process holds the write lock; only one writer at a time"
    if "not a database" in text or "malformed" in text:
        return "the file is not a newstrace store, or is damaged"
    if "FOREIGN KEY" in text:
        return "an id refers to an article that is not stored"
    if "full" in text:  # SQLITE_FULL: "database or disk is full"
        return "the disk is full: free some space and run again; this write was rolled back whole"
    return "check the path and its permissions"


def _plan(conn: sqlite3.Connection, items: list[StoredArticle]) -> tuple[list[str], list]:
    """Decide each item's status and canonical id against the store and the batch itself."""
    ids = json.dumps([it.article.id for it in items])
    known = {r[0] for r in conn.execute(f"SELECT id FROM articles WHERE id IN {_IDS}", (ids,))}
    hashes = json.dumps(list({it.exact_hash for it in items}))
    sql = f"SELECT exact_hash, id FROM articles WHERE canonical_id IS NULL AND exact_hash IN {_IDS}"
    canonical = dict(conn.execute(sql, (hashes,)).fetchall())
    statuses, canon = [], []
    for it in items:
        aid = it.article.id
        if aid in known:
            statuses.append(DUPLICATE)
            canon.append(None)
            continue
        known.add(aid)  # a repeat inside the batch is a duplicate too
        first = canonical.setdefault(it.exact_hash, aid)
        statuses.append(NEW if first == aid else EXACT_COPY)
        canon.append(None if first == aid else first)
    return statuses, canon


def _insert(conn: sqlite3.Connection, items, statuses, canon) -> None:
    """Write the new rows; seqs are assigned here because we hold the write lock."""
    seq = conn.execute("SELECT coalesce(max(seq), 0) FROM articles").fetchone()[0]
    now = now_utc()
    nodes = _add_nodes(conn, [it for it, s in zip(items, statuses) if s != DUPLICATE])
    arts, sigs, bands, unstoried = [], [], [], []
    for it, status, canonical_id in zip(items, statuses, canon):
        if status == DUPLICATE:
            continue
        seq += 1
        node = nodes.get(it.copy_key)
        arts.append((seq, *article_row(it, canonical_id, now, node)))
        if node is not None:
            unstoried.append((it.article.id, node))
        keyed = [(int(b), to_i64(k)) for b, k in it.bands]
        sigs.append((seq, bytes(it.signature), _pack_bands(keyed)))
        if (
            status != EXACT_COPY
        ):  # a copy's keys are its canonical's: filing them again finds nothing new
            bands.extend((b, k, seq) for b, k in keyed)
    conn.executemany(_INSERT_ARTICLE, arts)
    conn.executemany("INSERT INTO unstoried (article_id, node) VALUES (?,?)", unstoried)
    conn.executemany("INSERT INTO signatures (seq, signature, bands) VALUES (?,?,?)", sigs)
    # Sorted keys walk the index in order; OR IGNORE: a repeated (band, key) is harmless.
    bands.sort()
    conn.executemany("INSERT OR IGNORE INTO bands_recent (band, key, seq) VALUES (?,?,?)", bands)
    _maybe_merge(conn, len(bands))


def _meta_int(conn: sqlite3.Connection, key: str) -> int:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return int(row[0]) if row else 0


def _maybe_merge(conn: sqlite3.Connection, added: int) -> None:
    """Move bands_recent into bands, in key order, when it has grown large enough."""
    recent = _meta_int(conn, "bands_recent_rows") + added
    main = _meta_int(conn, "bands_rows")
    if recent >= max(MERGE_MIN_ROWS, main // 4):
        conn.execute(
            "INSERT OR IGNORE INTO bands SELECT band, key, seq FROM bands_recent"
            " ORDER BY band, key, seq"
        )
        conn.execute("DELETE FROM bands_recent")
        main, recent = main + recent, 0
    conn.executemany(
        "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
        [("bands_recent_rows", str(recent)), ("bands_rows", str(main))],
    )


def _add_nodes(conn: sqlite3.Connection, items: list[StoredArticle]) -> dict[str, int]:
    """Return the text node of each copy key in ``items``, creating the texts not seen before."""
    keyed = [it for it in items if it.copy_key is not None]
    if not keyed:
        return {}
    wanted = json.dumps(sorted({it.copy_key for it in keyed}))
    nodes = dict(
        conn.execute(
            f"SELECT copy_key, node FROM texts WHERE copy_key IN {_IDS}", (wanted,)
        ).fetchall()
    )
    # An article joining a stored text changes that text's story: its region is re-clustered.
    conn.execute(
        f"INSERT OR IGNORE INTO dirty_regions (region) SELECT DISTINCT region FROM texts"
        f" WHERE linked <> 0 AND node IN {_IDS}",
        (json.dumps(sorted(nodes.values())),),
    )
    conn.execute(  # their groups gained articles (in no story yet): their stories are read again
        f"UPDATE must_groups SET fresh = max(fresh, 1) WHERE must IN (SELECT must FROM texts"
        f" WHERE linked <> 0 AND node IN {_IDS})",
        (json.dumps(sorted(nodes.values())),),
    )
    node = conn.execute("SELECT coalesce(max(node), 0) FROM texts").fetchone()[0]
    texts = []
    for it in keyed:
        if it.copy_key not in nodes:
            node += 1
            nodes[it.copy_key] = node
            texts.append((node, it.copy_key, node, node, bytes(it.vector)))
    conn.executemany(
        "INSERT INTO texts (node, copy_key, region, must, vector) VALUES (?,?,?,?,?)", texts
    )
    return nodes
