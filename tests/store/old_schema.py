"""Put a store written by today's code in the state older code left it in, to test migrations.

What the later scripts change is undone, and the version set back, so opening the store runs
those scripts on it:

- SQLite version 8: ``text_keys`` (dropped by version 9) holds every text's keys, and there is no
  ``must_groups`` (version 10) and no ``story_titles`` (version 11; every state below lacks it,
  PostgreSQL's version 9). Every state below also lacks what SQLite's version 12 (PostgreSQL's
  10) adds: no ``unstoried``, group rows marked fresh 1 for every change, members hashes of the
  old kind (of the sorted ids joined) and, on PostgreSQL, ``story_members_story`` instead of
  ``story_members_first``.
- SQLite version 3: also no ``key_reps`` (version 4), no ``linked = 2`` (version 5), and the index
  ``articles_node`` instead of the indexes of versions 6 to 8.
- PostgreSQL version 5: ``text_keys`` (dropped by version 7), ``articles_node`` instead of the
  indexes of version 6, and no ``must_groups`` (version 8).
- PostgreSQL version 3: also no ``key_reps`` and no ``linked = 2``.

``groups_first``: the state of a store made by code that numbered the ``must_groups`` script 9
(SQLite) or 6 (PostgreSQL), before the ``text_keys`` and index scripts took those numbers: at that
version with ``must_groups``, ``text_keys`` and (PostgreSQL) ``articles_node`` still there.

The keys older code wrote to ``text_keys`` are the candidate keys of each text's packed event
vector: the pipeline took both from one ``EventVector``.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing

import xxhash

from newstrace.stories.cluster import unpack_vector

# (version, groups_first) of each state to test, per backend.
STATES = {
    "sqlite": ((3, False), (8, False), (9, True)),
    "postgres": ((3, False), (5, False), (6, True)),
}

_SQLITE_TEXT_KEYS = """
CREATE TABLE text_keys (
    key  INTEGER NOT NULL,
    node INTEGER NOT NULL,
    PRIMARY KEY (key, node)
) WITHOUT ROWID;
"""
_PG_TEXT_KEYS = """
CREATE TABLE text_keys (
    key  BIGINT NOT NULL,
    node BIGINT NOT NULL,
    PRIMARY KEY (key, node)
)
"""
# The indexes of SQLite's versions 6 to 8 and PostgreSQL's version 6 (the same names).
_NEWER_INDEXES = ("articles_seq_node", "articles_story_fields", "articles_node_id", "texts_fresh")


def old_hash(members) -> str:
    """Return a members hash as versions before SQLite 12 (PostgreSQL 10) computed it."""
    return xxhash.xxh3_128_hexdigest("\x00".join(sorted(members)).encode())


def _old_hashes(rows) -> list[tuple[str, str]]:
    """Return ``(old hash, story)`` from ``(story, article)`` membership rows."""
    members: dict[str, list[str]] = {}
    for sid, aid in rows:
        members.setdefault(sid, []).append(aid)
    return [(old_hash(ids), sid) for sid, ids in sorted(members.items())]


def keys_of(vector: bytes) -> list[int]:
    """Return the distinct candidate keys of a packed event vector, smallest first."""
    return sorted(set(unpack_vector(bytes(vector)).keys.tolist()))


def sqlite_texts(db) -> dict[int, tuple[int, int, list[int]]]:
    """Return ``{node: (region, linked, keys)}`` of every text of the SQLite store at ``db``."""
    with closing(sqlite3.connect(db)) as conn:
        rows = conn.execute("SELECT node, region, linked, vector FROM texts").fetchall()
    return {n: (r, linked, keys_of(v)) for n, r, linked, v in rows}


def _check(backend: str, version: int, groups_first: bool) -> None:
    if (version, groups_first) not in STATES[backend]:
        raise ValueError(f"no {backend} state {(version, groups_first)}, only {STATES[backend]}")


def sqlite_at(db, version: int, groups_first: bool = False) -> None:
    """Put the SQLite store at ``db`` (of the latest version) in the state of ``version``."""
    _check("sqlite", version, groups_first)
    rows = [(k, n) for n, (_, _, keys) in sqlite_texts(db).items() for k in keys]
    with closing(sqlite3.connect(db)) as conn:
        conn.executescript(_SQLITE_TEXT_KEYS)
        conn.executemany("INSERT INTO text_keys (key, node) VALUES (?, ?)", rows)
        conn.execute("DROP TABLE story_titles")  # version 11
        conn.execute("DROP TABLE unstoried")  # version 12
        conn.execute("UPDATE must_groups SET fresh = 1 WHERE fresh = 2")
        members = conn.execute("SELECT story_id, article_id FROM story_members").fetchall()
        conn.executemany("UPDATE stories SET members_hash = ? WHERE id = ?", _old_hashes(members))
        if not groups_first:
            conn.execute("DROP TABLE must_groups")
        if version == 3:
            for name in _NEWER_INDEXES:
                conn.execute(f"DROP INDEX {name}")
            conn.execute("CREATE INDEX articles_node ON articles(node)")
            conn.execute("DROP TABLE key_reps")
            conn.execute("UPDATE texts SET linked = 1 WHERE linked = 2")
        conn.execute(f"PRAGMA user_version = {version}")
        conn.commit()


def pg_at(admin_url: str, schema: str, version: int, groups_first: bool = False) -> None:
    """Put the PostgreSQL store in ``schema`` (of the latest version) in the state of
    ``version``, through the server at ``admin_url``."""
    import psycopg

    _check("postgres", version, groups_first)
    with psycopg.connect(admin_url) as conn:  # one transaction, committed on leaving
        conn.execute(f'SET LOCAL search_path TO "{schema}"')
        texts = conn.execute("SELECT node, vector FROM texts").fetchall()
        conn.execute(_PG_TEXT_KEYS)
        with conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO text_keys (key, node) VALUES (%s, %s)",
                [(k, n) for n, v in texts for k in keys_of(v)],
            )
        for name in _NEWER_INDEXES:
            conn.execute(f"DROP INDEX {name}")
        conn.execute("CREATE INDEX articles_node ON articles(node)")
        conn.execute("DROP TABLE story_titles")  # version 9
        conn.execute("DROP TABLE unstoried")  # version 10
        conn.execute("UPDATE must_groups SET fresh = 1 WHERE fresh = 2")
        members = conn.execute("SELECT story_id, article_id FROM story_members").fetchall()
        with conn.cursor() as cur:
            cur.executemany(
                "UPDATE stories SET members_hash = %s WHERE id = %s", _old_hashes(members)
            )
        conn.execute("DROP INDEX story_members_first")
        conn.execute("CREATE INDEX story_members_story ON story_members(story_id)")
        if not groups_first:
            conn.execute("DROP TABLE must_groups")
        if version == 3:
            conn.execute("DROP TABLE key_reps")
            conn.execute("UPDATE texts SET linked = 1 WHERE linked = 2")
        conn.execute("UPDATE schema_version SET version = %s", (version,))
