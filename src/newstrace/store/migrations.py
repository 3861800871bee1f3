"""Schema migrations for the SQLite store, applied in order inside one transaction.

``PRAGMA user_version`` holds the schema version: ``MIGRATIONS[i]`` takes a
database from version ``i`` to ``i + 1``. Never edit a released script; append
a new one. docs/store.md describes every table.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from ..errors import StoreError
from ..stories.cluster import members_hash
from .graph import KEY_REPS
from .stories_sql import _TITLES_OF, UNSTORIED_FILL, _indexed

_V1 = """
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE articles (
    seq          INTEGER PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,
    exact_hash   TEXT NOT NULL,
    canonical_id TEXT REFERENCES articles(id),
    text         TEXT NOT NULL,
    title        TEXT,
    url          TEXT,
    outlet       TEXT,
    published    TEXT,
    language     TEXT,
    byline       TEXT,
    source       TEXT,
    n_words      INTEGER NOT NULL DEFAULT 0,
    added_at     TEXT NOT NULL,
    CHECK (canonical_id IS NULL OR canonical_id <> id)
);
-- One canonical article per exact hash; exact copies link to it.
CREATE UNIQUE INDEX articles_canonical_hash ON articles(exact_hash) WHERE canonical_id IS NULL;
CREATE INDEX articles_copies ON articles(canonical_id) WHERE canonical_id IS NOT NULL;

-- signatures and bands have no FOREIGN KEY on purpose: add_articles writes them with
-- their article in one transaction, and a per-row parent check doubled insert cost.
CREATE TABLE signatures (
    seq       INTEGER PRIMARY KEY,
    signature BLOB NOT NULL,
    bands     BLOB NOT NULL
);

CREATE TABLE bands (
    band INTEGER NOT NULL,
    key  INTEGER NOT NULL,
    seq  INTEGER NOT NULL,
    PRIMARY KEY (band, key, seq)
) WITHOUT ROWID;
-- New keys land in the small bands_recent and are merged into bands in key order
-- now and then: random inserts into one big index rewrote most of it every batch.
CREATE TABLE bands_recent (
    band INTEGER NOT NULL,
    key  INTEGER NOT NULL,
    seq  INTEGER NOT NULL,
    PRIMARY KEY (band, key, seq)
) WITHOUT ROWID;

CREATE TABLE edges (
    lo         TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    hi         TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    a_id       TEXT NOT NULL,
    payload    TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (lo, hi),
    CHECK (lo < hi),
    CHECK (a_id IN (lo, hi))
) WITHOUT ROWID;
CREATE INDEX edges_hi ON edges(hi);

CREATE TABLE stories (
    seq             INTEGER PRIMARY KEY,
    id              TEXT NOT NULL UNIQUE,
    title           TEXT,
    n_articles      INTEGER NOT NULL DEFAULT 0,
    n_outlets       INTEGER NOT NULL DEFAULT 0,
    n_sources       INTEGER,
    first_published TEXT,
    last_published  TEXT,
    origin_id       TEXT,
    search_text     TEXT NOT NULL DEFAULT '',
    payload         TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX stories_size ON stories(n_articles DESC, id);
CREATE INDEX stories_recent ON stories(last_published DESC, id);
CREATE INDEX stories_sources ON stories(n_sources DESC, id);
CREATE INDEX stories_first ON stories(first_published);

CREATE TABLE story_members (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    story_id   TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX story_members_story ON story_members(story_id);

-- Denormalized (kind, value) per story so outlet/language filters are index lookups.
CREATE TABLE story_facets (
    kind     TEXT NOT NULL,
    value    TEXT NOT NULL,
    story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    PRIMARY KEY (kind, value, story_id)
) WITHOUT ROWID;
CREATE INDEX story_facets_story ON story_facets(story_id);
"""

# Applied with version 1 only when this sqlite3 has FTS5; list_stories falls back to LIKE.
FTS_V1 = """
CREATE VIRTUAL TABLE stories_fts USING fts5(
    search_text, content='stories', content_rowid='seq'
);
"""

# Version 2: the story graph lives in the store, so opening it reads nothing up front
# and an ingest touches only the regions (and stories) its articles reach.
_V2 = """
ALTER TABLE articles ADD COLUMN node INTEGER;
CREATE INDEX articles_node ON articles(node);

-- One row per distinct text (copy key): its event vector, region and must-link group.
-- region and must are the ids of union-find sets kept flat: every member holds the root.
CREATE TABLE texts (
    node     INTEGER PRIMARY KEY,
    copy_key TEXT NOT NULL UNIQUE,
    region   INTEGER NOT NULL,
    must     INTEGER NOT NULL,
    linked   INTEGER NOT NULL DEFAULT 0,
    vector   BLOB NOT NULL
);
CREATE INDEX texts_region ON texts(region);
CREATE INDEX texts_must ON texts(must);
CREATE INDEX texts_unlinked ON texts(node) WHERE linked = 0;

-- Event candidate keys (rare names) of each text: the inverted index linking reads.
CREATE TABLE text_keys (
    key  INTEGER NOT NULL,
    node INTEGER NOT NULL,
    PRIMARY KEY (key, node)
) WITHOUT ROWID;

-- Regions (connected components of the link graph) a text joined since they were last clustered.
CREATE TABLE dirty_regions (
    region INTEGER PRIMARY KEY
);

-- Digest of the member ids: a story whose members did not change is not rewritten.
ALTER TABLE stories ADD COLUMN members_hash TEXT;
"""

# Version 3: the sentence-level analysis of a pair (alignment, omissions, additions,
# drift), computed lazily when a story or pair is shown, cached here. Kept apart from
# ``edges`` (the cheap relation the corpus graph is decided from) so each is replaced alone.
_V3 = """
CREATE TABLE pair_analyses (
    lo         TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    hi         TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    a_id       TEXT NOT NULL,
    payload    TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (lo, hi),
    CHECK (lo < hi),
    CHECK (a_id IN (lo, hi))
) WITHOUT ROWID;
"""

# Version 4: per (key, region), the few texts a new text sharing that key is compared with
# (the KEY_REPS smallest nodes), so linking reads a bounded list however common the key is.
# Filled from the linked texts of a store made before.
_V4 = f"""
CREATE TABLE key_reps (
    key    INTEGER NOT NULL,
    region INTEGER NOT NULL,
    node   INTEGER NOT NULL,
    PRIMARY KEY (key, region, node)
) WITHOUT ROWID;
CREATE INDEX key_reps_region ON key_reps(region);
INSERT INTO key_reps (key, region, node)
SELECT key, region, node FROM (
    SELECT k.key, t.region, k.node,
           row_number() OVER (PARTITION BY k.key, t.region ORDER BY k.node) AS rk
    FROM text_keys k JOIN texts t ON t.node = k.node WHERE t.linked <> 0)
WHERE rk <= {KEY_REPS};
"""

# Version 5: texts.linked = 2 marks a linked text whose region was re-clustered since it was
# linked. A dirty region whose texts are all 2 only gained articles of stored texts: its
# partition is kept, not re-clustered (code that reads 2 as "not linked" must not open it).
# No table changes: stores of version 4 hold no 2, so every region is re-clustered in full
# once more before its partition is kept.
_V5 = ""

# Version 6: a covering index from an article's seq to its text node. The band-neighbour read
# (graph_sql._BANDS) maps each band hit to its text through it: a lookup by rowid reads the
# article's whole row, scattered over a table far larger than the page cache.
_V6 = "CREATE INDEX IF NOT EXISTS articles_seq_node ON articles(seq, node);"

# Version 7: a covering index of the article fields a story is derived from (its members' outlets,
# dates, languages and titles). Deriving a story joins its members to their articles; through the
# table each member costs a read of the article's whole row (its text), scattered over a table far
# larger than the page cache, so a follow-up that reached a story of 500 members read 500 rows.
_V7 = (
    "CREATE INDEX IF NOT EXISTS articles_story_fields"
    " ON articles(id, outlet, published, language, seq, title);"
)

# Version 8: the index of articles by text node also holds their ids, replacing articles_node.
# Re-clustering a region reads the article ids of each of its texts (graph_sql._REGION_TEXTS);
# through articles_node each id cost a read of the article's whole row (its text), scattered over a
# table far larger than the page cache: a region of 50,000 texts read 86,000 rows.
# And a partial index of the texts linked since their region was last clustered (linked = 1):
# finding the settled regions and marking a region's texts clustered read each text's row (its
# vector) to test ``linked``; the index holds only the few texts of that state.
_V8 = """
CREATE INDEX IF NOT EXISTS articles_node_id ON articles(node, id);
DROP INDEX IF EXISTS articles_node;
CREATE INDEX IF NOT EXISTS texts_fresh ON texts(region) WHERE linked = 1;
"""

# Version 9: text_keys is dropped. Every ingest wrote each new text's event keys there (random
# inserts that dirtied about a quarter of the pages an addition to a large store commits), but
# since version 4 linking reads key_reps, and a text's keys are in its packed vector
# (texts.vector, stories.cluster.unpack_vector) for whatever needs them. Only the version-4
# script reads the table: a store of version 3 or below fills key_reps from it before this script
# drops it, in the same transaction.
_V9 = "DROP TABLE IF EXISTS text_keys;"

# Version 10: per must-link group, the exact (fixed-point) sum of its texts' event vectors, its
# number of texts and smallest copy key (stories.group_sums): re-clustering a region reads one row
# per group instead of one per text (a region of 50,000 texts holds about 1,000 groups). ``story``
# is the story holding the group's articles at the last clustering and ``fresh`` marks a group
# that changed since (a text or article joined it, or groups merged): a story whose groups are
# all as they were is not read again. Rows are made as texts are linked; a region whose rows do
# not count all its texts (a store made before) gets them from its texts when next re-clustered.
# It drops text_keys again (a no-op after version 9): a store made by code that numbered this
# script 9, before the text_keys one took that number, is at version 9 with text_keys kept.
_V10 = """
CREATE TABLE IF NOT EXISTS must_groups (
    must   INTEGER PRIMARY KEY,
    region INTEGER NOT NULL,
    texts  INTEGER NOT NULL,
    first  TEXT NOT NULL,
    vsum   BLOB NOT NULL,
    story  TEXT,
    fresh  INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX IF NOT EXISTS must_groups_region ON must_groups(region);
CREATE INDEX IF NOT EXISTS must_groups_story ON must_groups(story);
DROP TABLE IF EXISTS text_keys;
"""

# Version 11: each distinct title of a story's members, once, with its first article (seq) and
# its earliest article in the default-title order (published, undated last, then seq). A story's
# default title and search text are read from these rows instead of from every member, so a
# story that only gains articles is updated from the new ones (stories_sql.grown_titles). The
# rows of the stories already stored are made here, from their members, by the statement the
# store derives them with.
_V11 = f"""
CREATE TABLE IF NOT EXISTS story_titles (
    story_id  TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    title     TEXT NOT NULL,
    seq       INTEGER NOT NULL,
    published TEXT,
    pseq      INTEGER NOT NULL,
    PRIMARY KEY (story_id, title)
) WITHOUT ROWID;
DELETE FROM story_titles;
{_indexed(_TITLES_OF.format(only="")).strip()};
"""

# Version 12: re-clustering a story that only gains articles no longer reads its members.
# - ``unstoried``: each article in no story yet (and its text), so the articles a group gained
#   are read alone; add_articles files them, writing their memberships takes them out.
# - A group's ``fresh`` now says what changed: 1, it gained only articles in no story (its other
#   articles are all in its story); 2, anything else (groups of other stories merged into it, or
#   its story lost a group). Version 11 wrote 1 for both, so its 1s become 2s.
# - ``stories.members_hash`` becomes the sum of the members' hashes (stories.cluster.members_hash),
#   so a growing story's digest is computed from its new articles; every stored story's digest is
#   computed again from its members here (migrations.rehash).
_V12 = f"""
CREATE TABLE IF NOT EXISTS unstoried (
    article_id TEXT PRIMARY KEY,
    node       INTEGER NOT NULL
) WITHOUT ROWID;
DELETE FROM unstoried;
{UNSTORIED_FILL.strip()};
UPDATE must_groups SET fresh = 2 WHERE fresh = 1;
"""

MIGRATIONS: tuple[str, ...] = (_V1, _V2, _V3, _V4, _V5, _V6, _V7, _V8, _V9, _V10, _V11, _V12)
LATEST = len(MIGRATIONS)
_OPTIONAL = {1: FTS_V1}


def rehash(rows: Iterable[tuple[str, str]], story_ids: Iterable[str]) -> list[tuple[str, str]]:
    """Return ``(members hash, story id)`` of each of ``story_ids`` from ``(story id, article id)``
    membership rows (both backends' version-12 step)."""
    members: dict[str, list[str]] = {}
    for sid, aid in rows:
        members.setdefault(sid, []).append(aid)
    return [(members_hash(members.get(sid, ())), sid) for sid in story_ids]


def _rehash(conn: sqlite3.Connection) -> None:
    ids = [sid for (sid,) in conn.execute("SELECT id FROM stories")]
    rows = conn.execute("SELECT story_id, article_id FROM story_members")
    conn.executemany("UPDATE stories SET members_hash = ? WHERE id = ?", rehash(rows, ids))


# Steps in Python, run after the script of their version.
_STEPS = {12: _rehash}


def has_fts5() -> bool:
    """Return True when the linked SQLite library has the FTS5 module."""
    probe = sqlite3.connect(":memory:")
    try:
        probe.execute("CREATE VIRTUAL TABLE t USING fts5(x)")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        probe.close()


def statements(script: str) -> list[str]:
    """Split a script into complete statements (executescript would commit early)."""
    out, buf = [], ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out


def user_version(conn: sqlite3.Connection) -> int:
    """Return the schema version recorded in the database header."""
    return conn.execute("PRAGMA user_version").fetchone()[0]


def check_version(version: int, where: str) -> None:
    """Raise StoreError when the database is newer than this code understands."""
    if version > LATEST:
        raise StoreError(
            f"{where}: schema version {version} is newer than this newstrace supports ({LATEST})",
            hint="upgrade newstrace (pip install -U newstrace) to open this store",
        )


def migrate(conn: sqlite3.Connection, where: str) -> int:
    """Bring the schema to LATEST in one transaction; return the version found first.

    Raises StoreError when the database is newer than this code.
    """
    found = user_version(conn)
    check_version(found, where)
    if found == LATEST:
        return found
    conn.execute("BEGIN IMMEDIATE")
    try:
        # Another process may have migrated between our read and the lock.
        current = user_version(conn)
        check_version(current, where)
        _apply(conn, current)
        conn.execute("COMMIT")
    except BaseException:
        rollback(conn)
        raise
    return found


def rollback(conn: sqlite3.Connection) -> None:
    """Roll back the open transaction, if SQLite has not already (it does on a full disk).

    A failed ROLLBACK would hide the error that caused it, so it is not raised.
    """
    if conn.in_transaction:
        try:
            conn.execute("ROLLBACK")
        except sqlite3.Error:
            pass


def _apply(conn: sqlite3.Connection, current: int) -> None:
    fts = has_fts5()
    for version in range(current + 1, LATEST + 1):
        script = MIGRATIONS[version - 1]
        if fts and version in _OPTIONAL:
            script += _OPTIONAL[version]
        for stmt in statements(script):
            conn.execute(stmt)
        if version in _STEPS:
            _STEPS[version](conn)
    # PRAGMA user_version is part of the transaction: a failed migration leaves it unchanged.
    conn.execute(f"PRAGMA user_version = {LATEST}")
