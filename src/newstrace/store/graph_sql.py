"""The SQLite side of the story graph (:class:`~newstrace.store.graph.GraphTx`), inside one
transaction."""

from __future__ import annotations

import json
import sqlite3
import struct
from collections.abc import Iterable, Sequence

from . import graph as _graph
from . import stories_sql as _stories

_IDS = "(SELECT value FROM json_each(?))"
_EXACT = f"""
SELECT DISTINCT a.node, c.node, t.region, t.must
FROM articles a JOIN articles c ON c.id = a.canonical_id JOIN texts t ON t.node = c.node
WHERE a.node IN {_IDS} AND c.node <> a.node
"""
_OWN_BANDS = f"""
SELECT f.node, s.bands
FROM (SELECT node, min(seq) AS seq FROM articles WHERE node IN {_IDS} GROUP BY node) f
JOIN signatures s ON s.seq = f.seq
"""
# Each band hit is mapped to its text through the covering index articles_seq_node (schema
# version 6): the rowid lookup the planner would pick reads the article's whole row, and those
# rows are scattered over a table far larger than the page cache.
_BANDS = """
WITH q(node, band, key) AS (
    SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]')
    FROM json_each(?)),
hits(node, seq) AS (
    SELECT q.node, b.seq FROM q JOIN bands b ON b.band = q.band AND b.key = q.key
    UNION
    SELECT q.node, b.seq FROM q JOIN bands_recent b ON b.band = q.band AND b.key = q.key)
SELECT DISTINCT hits.node, a.node, t.region, t.must
FROM hits JOIN articles a INDEXED BY articles_seq_node ON a.seq = hits.seq
JOIN texts t ON t.node = a.node
WHERE a.node <> hits.node
"""
# The representatives of every region holding a queried key (at most KEY_REPS per key and region).
_KEYS = """
WITH q(node, key) AS (
    SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?))
SELECT q.node, r.node, r.region, count(*) FROM q JOIN key_reps r ON r.key = q.key
WHERE r.node <> q.node GROUP BY q.node, r.node, r.region
"""
_PAIRS = (
    "(SELECT json_extract(value, '$[0]') AS key, json_extract(value, '$[1]') AS region"
    " FROM json_each(?))"
)
# Keep the KEY_REPS smallest nodes of each (key, region) asked for.
_TRIM = f"""
DELETE FROM key_reps WHERE (key, region, node) IN (
    SELECT key, region, node FROM (
        SELECT r.key, r.region, r.node,
               row_number() OVER (PARTITION BY r.key, r.region ORDER BY r.node) AS rk
        FROM key_reps r JOIN (SELECT DISTINCT key, region FROM {_PAIRS}) p
        ON r.key = p.key AND r.region = p.region)
    WHERE rk > ?)
"""
_SIGNATURES = f"""
SELECT f.node, s.signature
FROM (SELECT node, min(seq) AS seq FROM articles WHERE node IN {_IDS} GROUP BY node) f
JOIN signatures s ON s.seq = f.seq
"""
# The article ids of each group's texts come from the covering index articles_node_id (schema
# version 8), not from the article rows.
_GROUP_ARTICLES = f"""
SELECT t.must, a.id FROM texts t JOIN articles a INDEXED BY articles_node_id ON a.node = t.node
WHERE t.must IN {_IDS}
"""
_REGION_GROUPS = f"""
SELECT region, must, texts, first, vsum, story, fresh FROM must_groups
WHERE region IN {_IDS} ORDER BY region, must
"""
_GROUP_MEMBERS = f"""
SELECT t.must, a.id, m.story_id
FROM texts t JOIN articles a INDEXED BY articles_node_id ON a.node = t.node
LEFT JOIN story_members m ON m.article_id = a.id
WHERE t.must IN {_IDS}
"""
# A group row that exists keeps the higher fresh mark (2 is more than 1: see migrations._V12).
_WRITE_GROUP = """
INSERT INTO must_groups (must, region, texts, first, vsum, story, fresh) VALUES (?,?,?,?,?,?,?)
ON CONFLICT (must) DO UPDATE SET region = excluded.region, texts = excluded.texts,
    first = excluded.first, vsum = excluded.vsum, story = excluded.story,
    fresh = max(must_groups.fresh, excluded.fresh)
"""
# The articles in no story of each group asked for, from the few unstoried rows (CROSS JOIN keeps
# that order: from each of the groups' texts instead, a large group would cost a probe per text);
# their story is read too, so a row left behind is seen for what it is.
_UNSTORIED = f"""
SELECT t.must, u.article_id, m.story_id
FROM unstoried u CROSS JOIN texts t ON t.node = u.node
LEFT JOIN story_members m ON m.article_id = u.article_id
WHERE t.must IN {_IDS}
"""
# A story's smallest member, through story_members_story (it holds the article id, the primary key
# of this WITHOUT ROWID table).
_FIRST_MEMBERS = """
SELECT s.value, (SELECT min(m.article_id) FROM story_members m WHERE m.story_id = s.value)
FROM json_each(?) s
"""
# The texts linked since their region was last clustered (linked = 1) are found through the
# partial index texts_fresh (schema version 8), not by reading every text row of the regions.
_FRESH = f"SELECT DISTINCT region FROM texts WHERE region IN {_IDS} AND linked = 1"
_CLUSTERED = f"UPDATE texts SET linked = 2 WHERE region IN {_IDS} AND linked = 1"
_COLUMNS = ("region", "must")


def _column(name: str) -> str:
    if name not in _COLUMNS:
        raise ValueError(f"set column must be one of {_COLUMNS}, got {name!r}")
    return name


def _unpack_bands(blob: bytes) -> list[tuple[int, int]]:
    flat = struct.unpack(f"<{len(blob) // 8}q", blob)
    return list(zip(flat[0::2], flat[1::2]))


class SQLiteGraph:
    """:class:`~newstrace.store.graph.GraphTx` over a connection that holds the write
    transaction."""

    def __init__(self, conn: sqlite3.Connection, fts: bool) -> None:
        self.conn, self.fts = conn, fts

    def unlinked(self) -> list[tuple[int, int, int, bytes]]:
        sql = "SELECT node, region, must, vector FROM texts WHERE linked = 0 ORDER BY node"
        return [(n, r, m, bytes(v)) for n, r, m, v in self.conn.execute(sql)]

    def exact_neighbours(self, nodes: Sequence[int]) -> list[tuple[int, int, int, int]]:
        return self.conn.execute(_EXACT, (json.dumps(list(nodes)),)).fetchall()

    def band_neighbours(self, nodes: Sequence[int]) -> list[tuple[int, int, int, int]]:
        own = self.conn.execute(_OWN_BANDS, (json.dumps(list(nodes)),)).fetchall()
        q = [[n, b, k] for n, blob in own for b, k in _unpack_bands(blob)]
        return self.conn.execute(_BANDS, (json.dumps(q),)).fetchall() if q else []

    def key_candidates(self, keys: Sequence[tuple[int, int]]) -> list[tuple[int, int, int, int]]:
        if not keys:
            return []
        return self.conn.execute(_KEYS, (json.dumps([list(k) for k in keys]),)).fetchall()

    def add_reps(self, rows: Sequence[tuple[int, int, int]]) -> None:
        self.conn.executemany(
            "INSERT OR IGNORE INTO key_reps (key, region, node) VALUES (?,?,?)", rows
        )
        self._trim({(k, r) for k, r, _ in rows})

    def _trim(self, pairs: set[tuple[int, int]]) -> None:
        if pairs:
            self.conn.execute(_TRIM, (json.dumps(sorted(pairs)), _graph.KEY_REPS))

    def signatures(self, nodes: Iterable[int]) -> dict[int, bytes]:
        nodes = list(nodes)
        if not nodes:
            return {}
        return {n: bytes(s) for n, s in self.conn.execute(_SIGNATURES, (json.dumps(nodes),))}

    def vectors(self, nodes: Iterable[int]) -> dict[int, bytes]:
        sql = f"SELECT node, vector FROM texts WHERE node IN {_IDS}"
        return {n: bytes(v) for n, v in self.conn.execute(sql, (json.dumps(list(nodes)),))}

    def set_sizes(self, column: str, ids: Iterable[int]) -> dict[int, int]:
        col = _column(column)
        sql = f"SELECT {col}, count(*) FROM texts WHERE {col} IN {_IDS} GROUP BY {col}"
        return dict(self.conn.execute(sql, (json.dumps(list(ids)),)).fetchall())

    def relabel(self, column: str, mapping: dict[int, int]) -> None:
        col = _column(column)
        pairs = sorted((keep, gone) for gone, keep in mapping.items())
        self.conn.executemany(f"UPDATE texts SET {col} = ? WHERE {col} = ?", pairs)
        if col == "region" and pairs:
            self.conn.executemany(
                "DELETE FROM dirty_regions WHERE region = ?", [(g,) for _, g in pairs]
            )
            moved = self.conn.execute(
                f"SELECT DISTINCT key, region FROM key_reps WHERE region IN {_IDS}",
                (json.dumps(sorted(mapping)),),
            ).fetchall()
            self.conn.executemany("UPDATE key_reps SET region = ? WHERE region = ?", pairs)
            self.conn.executemany("UPDATE must_groups SET region = ? WHERE region = ?", pairs)
            self._trim({(k, mapping[r]) for k, r in moved})

    def mark_linked(self, nodes: Sequence[int], dirty_regions: Iterable[int]) -> None:
        self.conn.execute(
            f"UPDATE texts SET linked = 1 WHERE node IN {_IDS}", (json.dumps(list(nodes)),)
        )
        self.conn.executemany(
            "INSERT OR IGNORE INTO dirty_regions (region) VALUES (?)",
            [(r,) for r in sorted(dirty_regions)],
        )

    def dirty_regions(self, max_texts: int) -> list[tuple[int, int]]:
        out, total = [], 0
        sql = (
            "SELECT d.region, (SELECT count(*) FROM texts t WHERE "
            "t.region = d.region) FROM dirty_regions d ORDER BY d.region"
        )
        for region, n in self.conn.execute(sql):
            if out and total + n > max_texts:
                break
            out.append((region, n))
            total += n
        return out

    def copy_keys(self, nodes: Sequence[int]) -> dict[int, str]:
        sql = f"SELECT node, copy_key FROM texts WHERE node IN {_IDS}"
        return dict(self.conn.execute(sql, (json.dumps(list(nodes)),)).fetchall())

    def groups(self, musts: Sequence[int]) -> dict[int, tuple[int, int, str, bytes, str | None]]:
        sql = (
            f"SELECT must, region, texts, first, vsum, story FROM must_groups WHERE must IN {_IDS}"
        )
        rows = self.conn.execute(sql, (json.dumps(list(musts)),))
        return {m: (r, n, f, bytes(v), s) for m, r, n, f, v, s in rows}

    def region_groups(
        self, regions: Sequence[int]
    ) -> dict[int, list[tuple[int, int, str, bytes, str | None, int]]]:
        out: dict[int, list] = {}
        for r, *row in self.conn.execute(_REGION_GROUPS, (json.dumps(list(regions)),)):
            m, n, f, v, s, fresh = row
            out.setdefault(r, []).append((m, n, f, bytes(v), s, fresh))
        return out

    def group_texts(
        self, column: str, ids: Sequence[int]
    ) -> list[tuple[int, int, int, str, bytes]]:
        col = _column(column)
        sql = f"SELECT region, must, node, copy_key, vector FROM texts WHERE {col} IN {_IDS}"
        return [
            (r, m, n, k, bytes(v)) for r, m, n, k, v in self.conn.execute(sql, (json.dumps(ids),))
        ]

    def write_groups(
        self,
        rows: Sequence[tuple[int, int, int, str, bytes, str | None, int]],
        gone: Sequence[int],
        fresh_stories: Iterable[str],
    ) -> None:
        if gone:
            self.conn.execute(
                f"DELETE FROM must_groups WHERE must IN {_IDS}", (json.dumps(list(gone)),)
            )
        self.conn.executemany(_WRITE_GROUP, rows)
        stories = sorted(fresh_stories)
        if stories:
            self.conn.execute(
                f"UPDATE must_groups SET fresh = 2 WHERE story IN {_IDS}", (json.dumps(stories),)
            )

    def group_articles(self, musts: Sequence[int]) -> dict[int, list[str]]:
        out: dict[int, list[str]] = {}
        for m, a in self.conn.execute(_GROUP_ARTICLES, (json.dumps(list(musts)),)):
            out.setdefault(m, []).append(a)
        return out

    def set_group_stories(self, rows: Sequence[tuple[int, str]]) -> None:
        self.conn.executemany(
            "UPDATE must_groups SET story = ?, fresh = 0 WHERE must = ?", [(s, m) for m, s in rows]
        )

    def group_members(self, musts: Sequence[int]) -> dict[int, list[tuple[str, str | None]]]:
        return self._by_group(_GROUP_MEMBERS, musts)

    def _by_group(self, sql: str, musts: Sequence[int]) -> dict[int, list[tuple[str, str | None]]]:
        """Return ``{must: [(article, story or None), ...]}`` of rows ``(must, article, story)``."""
        out: dict[int, list[tuple[str, str | None]]] = {}
        for m, a, s in self.conn.execute(sql, (json.dumps(list(musts)),)):
            out.setdefault(m, []).append((a, s))
        return out

    def story_hashes(self, story_ids: Sequence[str]) -> dict[str, str]:
        sql = f"SELECT id, members_hash FROM stories WHERE id IN {_IDS}"
        return dict(self.conn.execute(sql, (json.dumps(list(story_ids)),)).fetchall())

    def unstoried(self, musts: Sequence[int]) -> dict[int, list[tuple[str, str | None]]]:
        return self._by_group(_UNSTORIED, musts)

    def first_members(self, story_ids: Sequence[str]) -> dict[str, str]:
        return dict(self.conn.execute(_FIRST_MEMBERS, (json.dumps(list(story_ids)),)).fetchall())

    def write_stories(
        self,
        removed: Sequence[str],
        stories: dict[str, list[str]],
        current: dict[str, str],
        grown: dict[str, tuple[list[str], str]] | None = None,
    ) -> None:
        _stories.rewrite(self.conn, removed, stories, current, grown, fts=self.fts)

    def settled(self, regions: Sequence[int]) -> set[int]:
        fresh = {r for (r,) in self.conn.execute(_FRESH, (json.dumps(list(regions)),))}
        return set(regions) - fresh

    def clean(self, regions: Sequence[int]) -> None:
        ids = (json.dumps(list(regions)),)
        self.conn.execute(_CLUSTERED, ids)
        self.conn.execute(f"DELETE FROM dirty_regions WHERE region IN {_IDS}", ids)
