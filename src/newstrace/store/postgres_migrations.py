"""Schema migrations for the PostgreSQL store: versioned, transactional, one migrator at a time.

The table ``schema_version`` holds the version: ``MIGRATIONS[i]`` takes a schema
from version ``i`` to ``i + 1``. All pending scripts run in one transaction
under an advisory lock, so two processes opening a new store at once do not
both migrate, and a failed script leaves the schema as it was (DDL is
transactional in PostgreSQL). Never edit a released script; append a new one.

Text columns use the "C" collation so ids, timestamps and titles sort by code
point, as in SQLite: the same corpus lists the same stories in the same order
whatever the database's locale.
"""

from __future__ import annotations

from ..errors import StoreError
from .graph import KEY_REPS
from .migrations import rehash
from .stories_sql import _TITLES_OF, UNSTORIED_FILL

_V1 = """
CREATE TABLE meta (
    key   TEXT COLLATE "C" PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE articles (
    seq          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id           TEXT COLLATE "C" NOT NULL UNIQUE,
    exact_hash   TEXT COLLATE "C" NOT NULL,
    canonical_id TEXT COLLATE "C" REFERENCES articles(id),
    text         TEXT NOT NULL,
    title        TEXT COLLATE "C",
    url          TEXT,
    outlet       TEXT COLLATE "C",
    published    TEXT COLLATE "C",
    language     TEXT COLLATE "C",
    byline       TEXT,
    source       TEXT,
    n_words      INTEGER NOT NULL DEFAULT 0,
    added_at     TEXT NOT NULL,
    CHECK (canonical_id IS NULL OR canonical_id <> id)
);
-- One canonical article per exact hash; exact copies link to it.
CREATE UNIQUE INDEX articles_canonical_hash ON articles(exact_hash) WHERE canonical_id IS NULL;
CREATE INDEX articles_copies ON articles(canonical_id) WHERE canonical_id IS NOT NULL;

-- No foreign keys on signatures and bands: add_articles writes them with their
-- article in one transaction (as in the SQLite store).
-- bands packs the article's (band, key) pairs as little-endian int64, as in SQLite.
CREATE TABLE signatures (
    seq       BIGINT PRIMARY KEY,
    signature BYTEA NOT NULL,
    bands     BYTEA NOT NULL
);

CREATE TABLE bands (
    band INTEGER NOT NULL,
    key  BIGINT NOT NULL,
    seq  BIGINT NOT NULL,
    PRIMARY KEY (band, key, seq)
);

CREATE TABLE edges (
    lo         TEXT COLLATE "C" NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    hi         TEXT COLLATE "C" NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    a_id       TEXT COLLATE "C" NOT NULL,
    payload    TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (lo, hi),
    CHECK (lo < hi),
    CHECK (a_id IN (lo, hi))
);
CREATE INDEX edges_hi ON edges(hi);

CREATE TABLE stories (
    seq             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id              TEXT COLLATE "C" NOT NULL UNIQUE,
    title           TEXT COLLATE "C",
    n_articles      INTEGER NOT NULL DEFAULT 0,
    n_outlets       INTEGER NOT NULL DEFAULT 0,
    n_sources       INTEGER,
    first_published TEXT COLLATE "C",
    last_published  TEXT COLLATE "C",
    origin_id       TEXT COLLATE "C",
    search_text     TEXT NOT NULL DEFAULT '',
    payload         TEXT NOT NULL DEFAULT '{}',
    -- 'simple': no stemming or stop words, so a query word matches as typed (as FTS5 does).
    search_tsv      tsvector GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED
);
-- DESC NULLS LAST: the order SQLite gives, so both stores page stories alike.
CREATE INDEX stories_size ON stories(n_articles DESC, id);
CREATE INDEX stories_recent ON stories(last_published DESC NULLS LAST, id);
CREATE INDEX stories_sources ON stories(n_sources DESC NULLS LAST, id);
CREATE INDEX stories_first ON stories(first_published);
CREATE INDEX stories_search ON stories USING GIN (search_tsv);

CREATE TABLE story_members (
    article_id TEXT COLLATE "C" PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    story_id   TEXT COLLATE "C" NOT NULL REFERENCES stories(id) ON DELETE CASCADE
);
CREATE INDEX story_members_story ON story_members(story_id);

CREATE TABLE story_facets (
    kind     TEXT COLLATE "C" NOT NULL,
    value    TEXT COLLATE "C" NOT NULL,
    story_id TEXT COLLATE "C" NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    PRIMARY KEY (kind, value, story_id)
);
-- (story_id, kind, value): a summary reads its facets by one index-only range.
CREATE INDEX story_facets_story ON story_facets(story_id, kind, value);
"""

# Version 2 (as SQLite's): the story graph lives in the store, so opening reads
# nothing and an ingest touches only the regions and stories its articles reach.
_V2 = """
ALTER TABLE articles ADD COLUMN node BIGINT;
CREATE INDEX articles_node ON articles(node);

-- One row per distinct text (copy key): its event vector, region and must-link group,
-- both union-find sets kept flat (every member holds the root).
CREATE TABLE texts (
    node     BIGINT PRIMARY KEY,
    copy_key TEXT COLLATE "C" NOT NULL UNIQUE,
    region   BIGINT NOT NULL,
    must     BIGINT NOT NULL,
    linked   SMALLINT NOT NULL DEFAULT 0,
    vector   BYTEA NOT NULL
);
CREATE INDEX texts_region ON texts(region);
CREATE INDEX texts_must ON texts(must);
CREATE INDEX texts_unlinked ON texts(node) WHERE linked = 0;

-- Event candidate keys (rare names) of each text: the inverted index linking reads.
CREATE TABLE text_keys (
    key  BIGINT NOT NULL,
    node BIGINT NOT NULL,
    PRIMARY KEY (key, node)
);

-- Regions a text joined since they were last clustered.
CREATE TABLE dirty_regions (
    region BIGINT PRIMARY KEY
);

-- Digest of the member ids: a story whose members did not change is not rewritten.
ALTER TABLE stories ADD COLUMN members_hash TEXT;
"""

# Version 3: the lazy sentence-level analysis of a pair (see migrations.py).
_V3 = """
CREATE TABLE pair_analyses (
    lo         TEXT COLLATE "C" NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    hi         TEXT COLLATE "C" NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    a_id       TEXT COLLATE "C" NOT NULL,
    payload    TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (lo, hi),
    CHECK (lo < hi),
    CHECK (a_id IN (lo, hi))
);
"""

# Version 4: the bounded per-(key, region) candidate lists (see migrations.py).
_V4 = f"""
CREATE TABLE key_reps (
    key    BIGINT NOT NULL,
    region BIGINT NOT NULL,
    node   BIGINT NOT NULL,
    PRIMARY KEY (key, region, node)
);
CREATE INDEX key_reps_region ON key_reps(region);
INSERT INTO key_reps (key, region, node)
SELECT key, region, node FROM (
    SELECT k.key, t.region, k.node,
           row_number() OVER (PARTITION BY k.key, t.region ORDER BY k.node) AS rk
    FROM text_keys k JOIN texts t ON t.node = k.node WHERE t.linked <> 0) x
WHERE rk <= {KEY_REPS};
"""

# Version 5: texts.linked = 2, a text clustered since it was linked (see migrations.py).
_V5 = ""

# Version 6: the indexes of SQLite's versions 6, 7 and 8, for the same reads (see migrations.py),
# as covering indexes (INCLUDE): each read below found its row through an index and then read the
# article's whole row (its text) from a heap far larger than the cache, to take one or two columns.
# - articles_seq_node: the band-neighbour read (postgres_graph._BANDS) maps each band hit's seq
#   to its text node.
# - articles_story_fields: deriving a story joins its members to their outlets, dates and
#   languages (stories_sql._AGGREGATE, postgres_graph._FACETS_OF, _SINGLES). Without the title
#   SQLite's index carries: a B-tree entry holds at most 2,704 bytes, so an article whose title
#   is longer (about 5,000 characters of prose, compressed) could no longer be stored. The reads
#   of the titles (_DEFAULT_TITLE, SEARCH_TEXT) still go to the rows.
# - articles_node_id replaces articles_node: re-clustering a region reads the article ids of the
#   texts of its must-link groups (_GROUP_ARTICLES), and the first article of each text is its
#   min(seq) (_FIRSTS), so seq is a key column here and id is carried.
# - texts_fresh: finding the settled regions and marking a region's texts clustered (settled,
#   clean) read every text row of the regions to test ``linked``; the partial index holds only
#   the few texts linked since their region was last clustered.
# Index-only scans need the pages marked all-visible (autovacuum does it for these mostly
# appended tables); until then the planner reads the heap as before.
_V6 = """
CREATE INDEX IF NOT EXISTS articles_seq_node ON articles(seq) INCLUDE (node);
CREATE INDEX IF NOT EXISTS articles_story_fields
    ON articles(id) INCLUDE (outlet, published, language);
CREATE INDEX IF NOT EXISTS articles_node_id ON articles(node, seq) INCLUDE (id);
DROP INDEX IF EXISTS articles_node;
CREATE INDEX IF NOT EXISTS texts_fresh ON texts(region) WHERE linked = 1;
"""

# Version 7: text_keys is dropped, as in SQLite's version 9 (see migrations.py): since version 4
# nothing read it but that version's script, which runs before this one on an older schema.
_V7 = "DROP TABLE IF EXISTS text_keys;"

# Version 8: the must-link group rows re-clustering reads (see migrations.py, SQLite's version 10).
# It runs the scripts of versions 6 and 7 again (no-ops after them): a store made by code that
# numbered this script 6, before the index and text_keys scripts took 6 and 7, is at version 6
# without them.
_V8 = f"""
CREATE TABLE IF NOT EXISTS must_groups (
    must   BIGINT PRIMARY KEY,
    region BIGINT NOT NULL,
    texts  BIGINT NOT NULL,
    first  TEXT COLLATE "C" NOT NULL,
    vsum   BYTEA NOT NULL,
    story  TEXT COLLATE "C",
    fresh  SMALLINT NOT NULL DEFAULT 1
);
CREATE INDEX IF NOT EXISTS must_groups_region ON must_groups(region);
CREATE INDEX IF NOT EXISTS must_groups_story ON must_groups(story);
{_V6.strip()}
{_V7}
"""

# Version 9: the distinct titles of each story's members (see migrations.py, SQLite's version 11).
# They are unique by the md5 of the title, not the title: a B-tree entry holds at most 2,704
# bytes, and a title can be longer.
_V9 = f"""
CREATE TABLE IF NOT EXISTS story_titles (
    story_id  TEXT COLLATE "C" NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    title     TEXT COLLATE "C" NOT NULL,
    seq       BIGINT NOT NULL,
    published TEXT COLLATE "C",
    pseq      BIGINT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS story_titles_key ON story_titles (story_id, md5(title));
DELETE FROM story_titles;
{_TITLES_OF.format(only="").strip()};
"""

# Version 10: as SQLite's version 12 (migrations._V12): the unstoried table, fresh 1 read as
# "gained only articles in no story" (old 1s become 2s), digests as sums of the members' hashes
# (computed again here, migrations.rehash). And story_members by (story, article): a story's
# smallest member, which its id is derived from, is one index lookup (in SQLite the index on
# story_id already holds the article id, the table's primary key).
_V10 = f"""
CREATE TABLE IF NOT EXISTS unstoried (
    article_id TEXT COLLATE "C" PRIMARY KEY,
    node       BIGINT NOT NULL
);
DELETE FROM unstoried;
{UNSTORIED_FILL.strip()};
UPDATE must_groups SET fresh = 2 WHERE fresh = 1;
CREATE INDEX IF NOT EXISTS story_members_first ON story_members(story_id, article_id);
DROP INDEX IF EXISTS story_members_story;
"""

MIGRATIONS: tuple[str, ...] = (_V1, _V2, _V3, _V4, _V5, _V6, _V7, _V8, _V9, _V10)
LATEST = len(MIGRATIONS)


def _rehash(cur) -> None:
    ids = [sid for (sid,) in cur.execute("SELECT id FROM stories").fetchall()]
    rows = cur.execute("SELECT story_id, article_id FROM story_members").fetchall()
    new = rehash(rows, ids)
    if new:
        cur.execute(
            "UPDATE stories s SET members_hash = x.h FROM unnest(%s::text[], %s::text[])"
            " AS x(h, id) WHERE s.id = x.id",
            ([h for h, _ in new], [sid for _, sid in new]),
        )


# Steps in Python, run after the script of their version.
_STEPS = {10: _rehash}


def statements(script: str) -> list[str]:
    """Split a script on the ``;`` ending a line (the scripts hold no function bodies)."""
    out, buf = [], []
    for line in script.splitlines():
        if line.strip().startswith("--") and not buf:
            continue
        buf.append(line)
        if line.rstrip().endswith(";"):
            out.append("\n".join(buf).strip().rstrip(";"))
            buf = []
    if "".join(buf).strip():
        out.append("\n".join(buf).strip())
    return out


def check_version(version: int, where: str) -> None:
    """Raise StoreError when the schema is newer than this code understands."""
    if version > LATEST:
        raise StoreError(
            f"{where}: schema version {version} is newer than this newstrace supports ({LATEST})",
            hint="upgrade newstrace (pip install -U newstrace) to open this store",
        )


def current_version(cur) -> int:
    """Return the schema version of the search path's first schema (0 when empty)."""
    cur.execute("SELECT to_regclass('schema_version') IS NOT NULL")
    if not cur.fetchone()[0]:
        return 0
    cur.execute("SELECT coalesce(max(version), 0) FROM schema_version")
    return cur.fetchone()[0]


def migrate(conn, lock_key: int, where: str) -> int:
    """Bring the schema to LATEST in one transaction; return the version found first.

    ``conn`` is an autocommit psycopg connection whose search path starts with
    the store's schema. Raises StoreError when the schema is newer than this code.
    """
    with conn.cursor() as cur:
        found = current_version(cur)
        check_version(found, where)
        if found == LATEST:
            return found
        # A session lock taken before the transaction: the catalog lookups in a
        # transaction begun after another migrator committed see its tables
        # (a lock taken inside the transaction left them invisible to to_regclass).
        cur.execute("SELECT pg_advisory_lock(%s)", (lock_key,))
        try:
            with conn.transaction():
                current = current_version(cur)  # another process may have migrated meanwhile
                check_version(current, where)
                _apply(cur, current)
        finally:
            if not conn.closed:
                cur.execute("SELECT pg_advisory_unlock(%s)", (lock_key,))
    return found


def _apply(cur, current: int) -> None:
    if current == 0:
        cur.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
        cur.execute("INSERT INTO schema_version VALUES (0)")
    for version in range(current + 1, LATEST + 1):
        for stmt in statements(MIGRATIONS[version - 1]):
            cur.execute(stmt)
        if version in _STEPS:
            _STEPS[version](cur)
    cur.execute("UPDATE schema_version SET version = %s", (LATEST,))
