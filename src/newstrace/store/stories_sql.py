"""Story tables of the SQLite store: replace in one go, filter and page in SQL."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Mapping, Sequence
from functools import cache

from ..errors import ConfigError, NotFound
from ..listing import StoryFilters
from ..stories.cluster import members_hash
from . import facets as _facets
from .base import check_listing, stored_json

# Story dict keys with their own column; every other key goes to the JSON payload.
_COLUMN_KEYS = {"id", "title", "n_sources", "origin"}
# Keys the store computes from the members; ignored when a story dict carries them.
_COMPUTED = {
    "n_articles",
    "n_outlets",
    "first_published",
    "last_published",
    "languages",
    "outlets",
    "articles",
}

_MEMBERS = "story_members m JOIN articles a ON a.id = m.article_id WHERE m.story_id = stories.id"


@cache  # a handful of statements, rewritten once each
def _indexed(sql: str) -> str:
    """Return ``sql`` (also read by PostgreSQL) with SQLite's join of story members to their
    articles made through the covering index articles_story_fields (schema version 7).

    SQLite's planner takes the unique index on ``id`` and then reads each member's whole article
    row (its text), scattered over a table far larger than the page cache: deriving a story of
    500 members read 500 rows.
    """
    return sql.replace(
        "JOIN articles a ON a.id = m.article_id",
        "JOIN articles a INDEXED BY articles_story_fields ON a.id = m.article_id",
    )


_AGGREGATE = f"""
UPDATE stories SET (n_articles, n_outlets, first_published, last_published) = (
    SELECT count(*), count(DISTINCT a.outlet), min(a.published), max(a.published)
    FROM {_MEMBERS})
"""
# Each distinct title of a story's members, once (schema version 11): ``seq`` is the first
# article with it (the search text's order), ``published``/``pseq`` its earliest article in the
# default-title order (published, undated last, then seq). A story without a given title takes
# its earliest article's title; both read these rows, not every member, so a story that gains
# articles updates its rows from the new ones alone.
_TITLES_OF = """
INSERT INTO story_titles (story_id, title, seq, published, pseq)
SELECT story_id, title, first, published, seq FROM (
    SELECT m.story_id, a.title, a.published, a.seq, min(a.seq) OVER w AS first,
           row_number() OVER (w ORDER BY a.published IS NULL, a.published, a.seq) AS rk
    FROM story_members m JOIN articles a ON a.id = m.article_id
    WHERE a.title IS NOT NULL{only}
    WINDOW w AS (PARTITION BY m.story_id, a.title)) x
WHERE rk = 1
"""
_DEFAULT_TITLE = """
UPDATE stories SET title = (
    SELECT t.title FROM story_titles t WHERE t.story_id = stories.id
    ORDER BY t.published IS NULL, t.published, t.pseq LIMIT 1)
WHERE title IS NULL
"""
# Text query matches the story title or any member's title.
_SEARCH_TEXT = """
UPDATE stories SET search_text = coalesce(title, '') || ' ' || coalesce((
    SELECT group_concat(t, ' ') FROM (
        SELECT title AS t FROM story_titles WHERE story_id = stories.id ORDER BY seq)), '')
"""
_FACETS = """
INSERT INTO story_facets (kind, value, story_id)
SELECT DISTINCT 'outlet', a.outlet, m.story_id
  FROM story_members m JOIN articles a ON a.id = m.article_id WHERE a.outlet IS NOT NULL
UNION
SELECT DISTINCT 'language', a.language, m.story_id
  FROM story_members m JOIN articles a ON a.id = m.article_id WHERE a.language IS NOT NULL
"""
_SUMMARY = """
SELECT s.id, s.title, s.n_articles, s.n_outlets, s.n_sources, s.first_published,
       s.last_published, s.origin_id, s.payload,
       (SELECT json_group_array(value) FROM (SELECT value FROM story_facets
         WHERE story_id = s.id AND kind = 'language' ORDER BY value)),
       (SELECT json_group_array(value) FROM (SELECT value FROM story_facets
         WHERE story_id = s.id AND kind = 'outlet' ORDER BY value))
FROM stories s
"""
_SUMMARY_KEYS = (
    "id",
    "title",
    "n_articles",
    "n_outlets",
    "n_sources",
    "first_published",
    "last_published",
    "origin",
)
# Index-backed orders; DESC puts NULLs last in SQLite.
_ORDER = {
    "size": "s.n_articles DESC, s.id",
    "recent": "s.last_published DESC, s.id",
    "sources": "s.n_sources DESC, s.id",
}


def fts_usable(conn: sqlite3.Connection) -> bool:
    """Return True when stories_fts exists and this SQLite can query it."""
    try:
        conn.execute("SELECT rowid FROM stories_fts LIMIT 0")
        return True
    except sqlite3.OperationalError:
        return False


# The articles in no story (on both backends): each text's articles that re-clustering has not yet
# put in a story. Kept by add_articles and rewrite; made whole here when every story is replaced.
UNSTORIED_FILL = """
INSERT INTO unstoried (article_id, node)
SELECT a.id, a.node FROM articles a
WHERE a.node IS NOT NULL AND NOT EXISTS (SELECT 1 FROM story_members m WHERE m.article_id = a.id)
"""


def replace(
    conn: sqlite3.Connection, assignments: Mapping[str, str], stories: Sequence[dict], *, fts: bool
) -> None:
    """Replace every story, membership and facet; the caller holds the transaction.

    Raises ConfigError for a story without id, NotFound for an unknown article.
    """
    rows = _story_rows(stories)
    for story_id in sorted(set(assignments.values()) - set(rows)):
        rows[story_id] = (story_id, None, None, None, "{}")
    _check_articles(conn, list(assignments))
    for table in ("story_facets", "story_titles", "story_members", "stories"):
        conn.execute(f"DELETE FROM {table}")
    members: dict[str, list[str]] = {}
    for article_id, story_id in assignments.items():
        members.setdefault(story_id, []).append(article_id)
    conn.executemany(
        (
            "INSERT INTO stories (id, title, n_sources, origin_id, "
            "payload, members_hash) VALUES (?,?,?,?,?,?)"
        ),
        [(*r, members_hash(members.get(r[0], ()))) for r in rows.values()],
    )
    conn.executemany(
        "INSERT INTO story_members (article_id, story_id) VALUES (?,?)", list(assignments.items())
    )
    conn.execute("DELETE FROM unstoried")
    conn.execute(UNSTORIED_FILL)
    for sql in (_AGGREGATE, _TITLES_OF.format(only=""), _DEFAULT_TITLE, _SEARCH_TEXT, _FACETS):
        conn.execute(_indexed(sql))
    if fts:
        conn.execute("INSERT INTO stories_fts (stories_fts) VALUES ('rebuild')")


_ONLY = " id IN (SELECT value FROM json_each(?))"
_MEMBERS_OF = " AND m.story_id IN (SELECT value FROM json_each(?))"
_FACETS_OF = """
INSERT INTO story_facets (kind, value, story_id)
SELECT DISTINCT 'outlet', a.outlet, m.story_id
 FROM story_members m JOIN articles a ON a.id = m.article_id
 WHERE a.outlet IS NOT NULL AND m.story_id IN (SELECT value FROM json_each(?1))
UNION
SELECT DISTINCT 'language', a.language, m.story_id
 FROM story_members m JOIN articles a ON a.id = m.article_id
 WHERE a.language IS NOT NULL AND m.story_id IN (SELECT value FROM json_each(?1))
"""
# A story of one article is its own origin and its one independent source.
_SINGLES = f"""
UPDATE stories SET n_sources = 1,
    origin_id = (SELECT m.article_id FROM story_members m WHERE m.story_id = stories.id),
    payload = json_object('origin_outlet', (SELECT a.outlet FROM {_MEMBERS}))
WHERE n_articles = 1 AND{_ONLY}
"""


def rewrite(
    conn: sqlite3.Connection,
    removed: Sequence[str],
    stories: Mapping[str, Sequence[str]],
    current: Mapping[str, str] | None = None,
    grown: Mapping[str, tuple[Sequence[str], str]] | None = None,
    *,
    fts: bool,
) -> None:
    """Delete the ``removed`` stories and make each of ``stories`` (id -> member ids) hold exactly
    its members; the caller holds the transaction.

    ``current`` maps article ids to the story holding them now (those not in
    it are taken to be in no story). Only these rows change: a story of
    ``stories`` that exists keeps its row and ``seq``, only the memberships
    that differ are written, and its fields are reset as for a new story; every
    other story keeps its row, id and fields. The stories written get the
    computed fields; a story of one article also gets its origin and one
    source (provenance fills the others in later).

    ``grown`` maps stored stories to ``(the articles each gains, its new members hash)``: stories
    that keep every member and gain these, written without their members being known here.
    """
    plan = RewritePlan(stories, current or {}, grown or {})
    touched = json.dumps(sorted({*removed, *plan.written}))
    if fts:
        conn.execute(
            "INSERT INTO stories_fts (stories_fts, rowid, search_text) SELECT 'delete', seq,"
            f" search_text FROM stories WHERE{_ONLY}",
            (touched,),
        )
    # A story that only gained articles keeps its facets (it gets those of the new articles).
    conn.execute(
        "DELETE FROM story_facets WHERE story_id IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted({*removed, *plan.written} - set(plan.grown))),),
    )
    conn.executemany(_UPSERT_STORY, plan.hashes)
    conn.executemany(_UPSERT_MEMBER, plan.moved)
    conn.execute(
        "DELETE FROM unstoried WHERE article_id IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted(a for a, _ in plan.moved)),),
    )
    conn.executemany("DELETE FROM story_members WHERE article_id = ? AND story_id = ?", plan.left)
    gone = json.dumps(sorted(removed))
    for table, col in (("story_members", "story_id"), ("stories", "id")):
        conn.execute(
            f"DELETE FROM {table} WHERE {col} IN (SELECT value FROM json_each(?))", (gone,)
        )
    if plan.written:
        _derive(conn, [sid for sid in plan.written if sid not in plan.grown], fts)
        _grow(conn, plan.grown, fts)
        conn.execute(_indexed(_SINGLES), (json.dumps(plan.written),))


class RewritePlan:
    """What :func:`rewrite` (and the PostgreSQL store's) writes, computed once for both.

    ``written``: every story written, sorted; ``grown``: story -> the articles it gains, for the
    stories updated from their new articles alone (:func:`growth` and the given ``grown``);
    ``hashes``: ``(story, members hash)`` rows; ``moved``: ``(article, story)`` memberships to
    write; ``left``: ``(article, story)`` memberships to delete.
    """

    def __init__(
        self,
        stories: Mapping[str, Sequence[str]],
        current: Mapping[str, str],
        grown: Mapping[str, tuple[Sequence[str], str]],
    ) -> None:
        full = sorted(stories)
        self.written = sorted({*full, *grown})
        self.grown = growth(stories, current)
        self.grown.update((sid, list(added)) for sid, (added, _) in grown.items())
        self.hashes = [(sid, members_hash(stories[sid])) for sid in full]
        self.hashes += [(sid, grown[sid][1]) for sid in sorted(grown)]
        self.moved = [(a, sid) for sid in full for a in stories[sid] if current.get(a) != sid]
        self.moved += [(a, sid) for sid in sorted(grown) for a in grown[sid][0]]
        keep = {(a, sid) for sid in full for a in stories[sid]}
        self.left = [(a, s) for a, s in current.items() if s in stories and (a, s) not in keep]


def growth(
    stories: Mapping[str, Sequence[str]], current: Mapping[str, str]
) -> dict[str, list[str]]:
    """Return story id -> the articles it gains, for each of ``stories`` (id -> all its members)
    that exists and keeps every article it holds (``current``: article -> its story now, covering
    every member of the stories written): such a story is updated from its new articles alone."""
    held: dict[str, int] = {}
    for sid in current.values():
        held[sid] = held.get(sid, 0) + 1
    out = {}
    for sid, ids in stories.items():
        if held.get(sid):
            added = [a for a in ids if current.get(a) != sid]
            if len(ids) - len(added) == held[sid]:
                out[sid] = added
    return out


def grown_fields(
    old: Mapping[str, tuple], added: Mapping[str, Sequence[str]], fields: Mapping[str, tuple]
) -> tuple[list[tuple], list[tuple]]:
    """Return ``(story rows, facet rows)`` of stories that gained articles.

    ``old`` maps a story id to its stored ``(n_articles, first_published, last_published)``,
    ``added`` to the articles it gains and ``fields`` an article id to ``(outlet, published,
    language, title, seq)``. Story rows are ``(n_articles, first, last, id)``, facet rows
    ``(kind, value, story id)``: the fields :func:`_derive` would compute from all the members.
    """
    rows, facets = [], set()
    for sid in sorted(added):
        n, first, last = old[sid]
        for a in added[sid]:
            outlet, published, language = fields[a][:3]
            if published is not None:
                first = published if first is None or published < first else first
                last = published if last is None or published > last else last
            if outlet is not None:
                facets.add(("outlet", outlet, sid))
            if language is not None:
                facets.add(("language", language, sid))
        rows.append((n + len(added[sid]), first, last, sid))
    return rows, sorted(facets)


def _title_order(published: str | None, seq: int) -> tuple:
    return (published is None, published or "", seq)


def grown_titles(
    held: Sequence[tuple], added: Mapping[str, Sequence[str]], fields: Mapping[str, tuple]
) -> list[tuple]:
    """Return the ``story_titles`` rows ``(story, title, seq, published, pseq)`` that change when
    stories gain articles.

    ``held`` are the stored rows of those stories' titles (at least of the titles the new
    articles carry), ``fields`` as in :func:`grown_fields`. A new title gets a row; a known one
    keeps the smaller first seq and the earlier article in the default-title order.
    """
    rows = {(r[0], r[1]): list(r[2:]) for r in held}
    changed = set()
    for sid in sorted(added):
        for a in added[sid]:
            _outlet, published, _language, title, seq = fields[a]
            if title is None:
                continue
            row = rows.get((sid, title))
            if row is None:
                rows[sid, title] = [seq, published, seq]
            else:
                before = list(row)
                if _title_order(published, seq) < _title_order(row[1], row[2]):
                    row[1], row[2] = published, seq
                row[0] = min(row[0], seq)
                if row == before:
                    continue
            changed.add((sid, title))
    return [(sid, title, *rows[sid, title]) for sid, title in sorted(changed)]


def _grow(conn: sqlite3.Connection, grown: Mapping[str, Sequence[str]], fts: bool) -> None:
    """Update stories that only gained articles from those articles (see :func:`growth`): counts,
    dates, facets and title rows, then the default title and search text from the title rows."""
    if not grown:
        return
    ids = json.dumps(sorted(grown))
    old = {
        r[0]: r[1:]
        for r in conn.execute(
            "SELECT id, n_articles, first_published, last_published FROM stories WHERE" + _ONLY,
            (ids,),
        )
    }
    new = json.dumps(sorted({a for added in grown.values() for a in added}))
    fields = {
        r[0]: r[1:]
        for r in conn.execute(
            "SELECT id, outlet, published, language, title, seq FROM articles"
            " INDEXED BY articles_story_fields WHERE id IN (SELECT value FROM json_each(?))",
            (new,),
        )
    }
    rows, facets = grown_fields(old, grown, fields)
    conn.executemany(
        "INSERT OR IGNORE INTO story_facets (kind, value, story_id) VALUES (?,?,?)", facets
    )
    conn.executemany(
        "UPDATE stories SET n_articles = ?, first_published = ?, last_published = ?, n_outlets = ("
        "SELECT count(*) FROM story_facets WHERE story_id = stories.id AND kind = 'outlet')"
        " WHERE id = ?",
        rows,
    )
    titles = {fields[a][3] for added in grown.values() for a in added} - {None}
    held = conn.execute(
        "SELECT story_id, title, seq, published, pseq FROM story_titles WHERE story_id IN"
        " (SELECT value FROM json_each(?)) AND title IN (SELECT value FROM json_each(?))",
        (ids, json.dumps(sorted(titles))),
    ).fetchall()
    conn.executemany(
        "INSERT OR REPLACE INTO story_titles (story_id, title, seq, published, pseq)"
        " VALUES (?,?,?,?,?)",
        grown_titles(held, grown, fields),
    )
    conn.execute(_DEFAULT_TITLE + " AND" + _ONLY, (ids,))
    conn.execute(_SEARCH_TEXT + " WHERE" + _ONLY, (ids,))
    if fts:
        conn.execute(
            "INSERT INTO stories_fts (rowid, search_text) SELECT seq, search_text FROM stories"
            f" WHERE{_ONLY}",
            (ids,),
        )


# A story written again starts over as a new one: provenance fields reset, member fields derived.
_UPSERT_STORY = """
INSERT INTO stories (id, members_hash) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET
    members_hash = excluded.members_hash, title = NULL, n_sources = NULL, origin_id = NULL,
    payload = '{}'
"""
_UPSERT_MEMBER = """
INSERT INTO story_members (article_id, story_id) VALUES (?, ?)
ON CONFLICT (article_id) DO UPDATE SET story_id = excluded.story_id
"""


def _derive(conn: sqlite3.Connection, ids: list[str], fts: bool) -> None:
    """Compute the member-derived fields, facets and search text of stories ``ids``."""
    if not ids:
        return
    only = json.dumps(ids)
    conn.execute(_indexed(_AGGREGATE + " WHERE" + _ONLY), (only,))
    conn.execute(
        "DELETE FROM story_titles WHERE story_id IN (SELECT value FROM json_each(?))", (only,)
    )
    conn.execute(_indexed(_TITLES_OF.format(only=_MEMBERS_OF)), (only,))
    conn.execute(_DEFAULT_TITLE + " AND" + _ONLY, (only,))
    conn.execute(_SEARCH_TEXT + " WHERE" + _ONLY, (only,))
    conn.execute(_indexed(_FACETS_OF), (only,))
    if fts:
        conn.execute(
            (
                "INSERT INTO stories_fts (rowid, search_text) "
                f"SELECT seq, search_text FROM stories WHERE{_ONLY}"
            ),
            (only,),
        )


def update_fields(
    conn: sqlite3.Connection, updates: Mapping[str, tuple[str, dict]], *, fts: bool
) -> list[str]:
    """Set provenance fields of stories whose members hash still matches; return the ids updated.

    ``updates`` maps a story id to ``(members hash, story dict)`` (keys as in
    :func:`replace`). A story whose members changed since (another writer) is
    left alone: its own provenance run will fill it in.
    """
    done = []
    for sid, (digest, story) in sorted(updates.items()):
        row = _story_rows([{**story, "id": sid}])[sid]
        hit = conn.execute(
            "SELECT seq, search_text FROM stories WHERE id = ? AND members_hash = ?", (sid, digest)
        ).fetchone()
        if hit is None:
            continue
        if fts:
            conn.execute(
                "INSERT INTO stories_fts (stories_fts, rowid, search_text) VALUES ('delete', ?, ?)",
                hit,
            )
        conn.execute(
            "UPDATE stories SET title = coalesce(?, title), "
            "n_sources = ?, origin_id = ?, payload = ?"
            " WHERE seq = ?",
            (row[1], row[2], row[3], row[4], hit[0]),
        )
        conn.execute(_SEARCH_TEXT + " WHERE seq = ?", (hit[0],))
        if fts:
            conn.execute(
                "INSERT INTO stories_fts (rowid, search_text) SELECT seq, search_text FROM stories"
                " WHERE seq = ?",
                (hit[0],),
            )
        done.append(sid)
    return done


def _story_rows(stories: Sequence[dict]) -> dict[str, tuple]:
    rows: dict[str, tuple] = {}
    for story in stories:
        sid = story.get("id")
        if not sid or not isinstance(sid, str):
            raise ConfigError(f"every story needs a string 'id', got {sid!r}")
        payload = {k: v for k, v in story.items() if k not in _COLUMN_KEYS | _COMPUTED}
        rows[sid] = (
            sid,
            story.get("title"),
            story.get("n_sources"),
            story.get("origin"),
            json.dumps(payload, sort_keys=True, default=str),
        )
    return rows


def _check_articles(conn: sqlite3.Connection, ids: list[str]) -> None:
    sql = "SELECT value FROM json_each(?) WHERE value NOT IN (SELECT id FROM articles) LIMIT 3"
    missing = [r[0] for r in conn.execute(sql, (json.dumps(ids),))]
    if missing:
        raise NotFound(f"stories assign articles that are not stored, e.g. {missing}")


def _fts_query(text: str) -> str:
    # Quote every word so user text never parses as FTS syntax; '*' allows prefixes.
    return " ".join(f'"{w}"*' for w in re.findall(r"\w+", text))


def _like(word: str) -> str:
    return "%" + re.sub(r"([\\%_])", r"\\\1", word) + "%"


def _where(f: StoryFilters, fts: bool) -> tuple[str, list]:
    """Return the WHERE clause and its parameters for ``f``."""
    clauses, params = ["s.n_articles >= ?"], [f.min_articles]
    words = re.findall(r"\w+", f.query or "")
    if words and fts:
        clauses.append("s.seq IN (SELECT rowid FROM stories_fts WHERE stories_fts MATCH ?)")
        params.append(_fts_query(f.query))
    for word in words if not fts else ():
        clauses.append("s.search_text LIKE ? ESCAPE '\\'")
        params.append(_like(word))
    for kind, value in (("outlet", f.outlet), ("language", f.language)):
        if value:
            clauses.append(
                "s.id IN (SELECT story_id FROM story_facets WHERE kind = ? AND value = ?)"
            )
            params += [kind, value]
    if f.since:
        clauses.append("s.last_published >= ?")
        params.append(f.since)
    if f.until:
        # '~' sorts after every ISO 8601 character, so "until a date" includes that whole day.
        clauses.append("s.first_published <= ?")
        params.append(f.until + "~")
    return " AND ".join(clauses), params


def _summary(row: Sequence) -> dict:
    out = stored_json(row[8], f"stories row {row[0]!r}")
    out.update(zip(_SUMMARY_KEYS, row[:8]))
    out["languages"] = json.loads(row[9])
    out["outlets"] = json.loads(row[10])
    return out


def listing(
    conn: sqlite3.Connection, f: StoryFilters, fts: bool, sort: str, limit: int, offset: int
) -> list[dict]:
    """Return one page of summaries; raise ConfigError for bad sort/limit/offset."""
    check_listing(sort, limit, offset, f.min_articles)
    where, params = _where(f, fts)
    sql = f"{_SUMMARY} WHERE {where} ORDER BY {_ORDER[sort]} LIMIT ? OFFSET ?"
    return [_summary(r) for r in conn.execute(sql, [*params, limit, offset])]


def count(conn: sqlite3.Connection, f: StoryFilters, fts: bool) -> int:
    """Return how many stories match ``f``."""
    check_listing("size", 1, 0, f.min_articles)
    where, params = _where(f, fts)
    return conn.execute(f"SELECT count(*) FROM stories s WHERE {where}", params).fetchone()[0]


def facets(conn: sqlite3.Connection, f: StoryFilters, fts: bool, limit: int) -> dict:
    """Return the outlet, language and published facets of the stories matching ``f``.

    See ``store.facets`` for what each count counts; raises ConfigError for a bad limit.
    """
    _facets.check_limit(limit)
    check_listing("size", 1, 0, f.min_articles)
    out = {}
    for kind in _facets.FACET_KINDS:
        where, params = _where(_facets.without(f, kind), fts)
        sql = _facets.value_sql(where, "?")
        rows = conn.execute(sql, [kind, *params, getattr(f, kind), limit + 1]).fetchall()
        out[kind] = _facets.values(rows, limit)
    where, params = _where(f, fts)
    spans = conn.execute(_facets.span_sql(where), params).fetchall()
    out["published"] = _facets.published(spans, f.since, f.until, limit)
    return out


def get(conn: sqlite3.Connection, story_id: str) -> dict | None:
    """Return the summary with ``articles`` (oldest first), or None when absent."""
    row = conn.execute(f"{_SUMMARY} WHERE s.id = ?", (story_id,)).fetchone()
    if row is None:
        return None
    story = _summary(row)
    sql = (
        "SELECT a.id FROM story_members m JOIN articles a ON a.id = m.article_id"
        " WHERE m.story_id = ? ORDER BY a.published IS NULL, a.published, a.seq"
    )
    story["articles"] = [r[0] for r in conn.execute(_indexed(sql), (story_id,))]
    return story
