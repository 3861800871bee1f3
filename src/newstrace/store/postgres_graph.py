"""The PostgreSQL side of the story graph (:class:`~newstrace.store.graph.GraphTx`) and story
rewrites.

The same queries as ``graph_sql`` (SQLite), with arrays bound as parameters
where SQLite binds a JSON list; the member-derived story fields reuse
``stories_sql``'s SQL where both dialects read it alike. Everything here runs
inside one write transaction that holds the store's graph lock.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence

from ..stories.cluster import members_hash
from . import stories_sql as _sql
from .graph_sql import _column, _unpack_bands

_FIRSTS = (
    "(SELECT node, min(seq) AS seq FROM articles WHERE node = ANY(%s::bigint[]) GROUP BY node)"
)
_EXACT = """
SELECT DISTINCT a.node, c.node, t.region, t.must
FROM articles a JOIN articles c ON c.id = a.canonical_id JOIN texts t ON t.node = c.node
WHERE a.node = ANY(%s::bigint[]) AND c.node <> a.node
"""
_OWN_BANDS = f"SELECT f.node, s.bands FROM {_FIRSTS} f JOIN signatures s ON s.seq = f.seq"
_BANDS = """
SELECT DISTINCT q.node, a.node, t.region, t.must
FROM unnest(%s::bigint[], %s::int[], %s::bigint[]) AS q(node, band, key)
JOIN bands b ON b.band = q.band AND b.key = q.key
JOIN articles a ON a.seq = b.seq JOIN texts t ON t.node = a.node
WHERE a.node <> q.node
"""
_KEYS = """
WITH q(node, key) AS (SELECT * FROM unnest(%s::bigint[], %s::bigint[])),
c(n, o, s) AS (SELECT q.node, k.node, count(*) FROM q JOIN text_keys k ON k.key = q.key
               WHERE k.node <> q.node GROUP BY q.node, k.node),
r AS (SELECT c.n, c.o, t.region, c.s,
             row_number() OVER (PARTITION BY c.n, t.region ORDER BY c.s DESC, c.o) AS rk
      FROM c JOIN texts t ON t.node = c.o)
"""
# Best candidate (most shared keys, then smallest node) of each (text, region), as graph_sql's.
_KEYS_BEST = _KEYS + "SELECT n, o, region, s FROM r WHERE rk = 1"
_KEYS_ALL = """
SELECT q.node, k.node, t.region, count(*)
FROM unnest(%s::bigint[], %s::bigint[]) AS q(node, key)
JOIN text_keys k ON k.key = q.key JOIN texts t ON t.node = k.node
WHERE k.node <> q.node GROUP BY q.node, k.node, t.region
"""
_SIGNATURES = f"SELECT f.node, s.signature FROM {_FIRSTS} f JOIN signatures s ON s.seq = f.seq"
# ORDER BY region, node: the order SQLite's graph_sql reads them in.
_REGION_TEXTS = """
SELECT t.region, t.node, t.copy_key, t.must, t.vector,
       (SELECT coalesce(json_agg(a.id ORDER BY a.seq), '[]')::text
        FROM articles a WHERE a.node = t.node)
FROM texts t WHERE t.region = ANY(%s::bigint[]) ORDER BY t.region, t.node
"""
_STORIES_OF = """
SELECT DISTINCT s.id, s.members_hash FROM story_members m JOIN stories s ON s.id = m.story_id
WHERE m.article_id = ANY(%s::text[])
"""
_ONLY = " id = ANY(%s::text[])"
SEARCH_TEXT = f"""
UPDATE stories SET search_text = coalesce(title, '') || ' ' || coalesce((
    SELECT string_agg(DISTINCT a.title, ' ') FROM {_sql._MEMBERS} AND a.title IS NOT NULL), '')
"""
_FACETS_OF = """
INSERT INTO story_facets (kind, value, story_id)
SELECT DISTINCT 'outlet', a.outlet, m.story_id
 FROM story_members m JOIN articles a ON a.id = m.article_id
 WHERE a.outlet IS NOT NULL AND m.story_id = ANY(%(ids)s::text[])
UNION
SELECT DISTINCT 'language', a.language, m.story_id
 FROM story_members m JOIN articles a ON a.id = m.article_id
 WHERE a.language IS NOT NULL AND m.story_id = ANY(%(ids)s::text[])
"""
# A story of one article is its own origin and its one independent source (as in stories_sql).
_SINGLES = f"""
UPDATE stories SET n_sources = 1,
    origin_id = (SELECT m.article_id FROM story_members m WHERE m.story_id = stories.id),
    payload = json_build_object('origin_outlet', (SELECT a.outlet FROM {_sql._MEMBERS}))::text
WHERE n_articles = 1 AND{_ONLY}
"""


class PostgresGraph:
    """:class:`~newstrace.store.graph.GraphTx` over a cursor inside the write transaction."""

    def __init__(self, cur) -> None:
        self.cur = cur

    def _rows(self, sql: str, params: Sequence = ()) -> list[tuple]:
        return [tuple(r) for r in self.cur.execute(sql, params).fetchall()]

    def unlinked(self) -> list[tuple[int, int, int, bytes]]:
        sql = "SELECT node, region, must, vector FROM texts WHERE linked = 0 ORDER BY node"
        return [(n, r, m, bytes(v)) for n, r, m, v in self._rows(sql)]

    def exact_neighbours(self, nodes: Sequence[int]) -> list[tuple[int, int, int, int]]:
        return self._rows(_EXACT, (list(nodes),))

    def band_neighbours(self, nodes: Sequence[int]) -> list[tuple[int, int, int, int]]:
        own = self._rows(_OWN_BANDS, (list(nodes),))
        q = [(n, b, k) for n, blob in own for b, k in _unpack_bands(bytes(blob))]
        if not q:
            return []
        return self._rows(_BANDS, [list(c) for c in zip(*q)])

    def key_best(self, keys: Sequence[tuple[int, int]]) -> list[tuple[int, int, int, int]]:
        if not keys:
            return []
        return self._rows(_KEYS_BEST, ([n for n, _ in keys], [int(k) for _, k in keys]))

    def key_rest(
        self, keys: Sequence[tuple[int, int]], regions: Sequence[tuple[int, int]]
    ) -> list[tuple[int, int, int, int]]:
        want = set(map(tuple, regions))
        nodes = {n for n, _ in want}
        q = [k for k in keys if k[0] in nodes]
        if not q:
            return []
        rows = self._rows(_KEYS_ALL, ([n for n, _ in q], [int(k) for _, k in q]))
        return [r for r in rows if (r[0], r[2]) in want]

    def signatures(self, nodes: Iterable[int]) -> dict[int, bytes]:
        nodes = list(nodes)
        return {n: bytes(s) for n, s in self._rows(_SIGNATURES, (nodes,))} if nodes else {}

    def vectors(self, nodes: Iterable[int]) -> dict[int, bytes]:
        sql = "SELECT node, vector FROM texts WHERE node = ANY(%s::bigint[])"
        return {n: bytes(v) for n, v in self._rows(sql, (list(nodes),))}

    def set_sizes(self, column: str, ids: Iterable[int]) -> dict[int, int]:
        col = _column(column)
        sql = f"SELECT {col}, count(*) FROM texts WHERE {col} = ANY(%s::bigint[]) GROUP BY {col}"
        return dict(self._rows(sql, (list(ids),)))

    def relabel(self, column: str, mapping: dict[int, int]) -> None:
        if not mapping:
            return
        col = _column(column)
        gone, keep = [list(c) for c in zip(*sorted(mapping.items()))]
        # Every target is a final root (never itself moved), so one pass moves each text once.
        self.cur.execute(
            f"UPDATE texts t SET {col} = m.keep FROM unnest(%s::bigint[], %s::bigint[])"
            f" AS m(gone, keep) WHERE t.{col} = m.gone",
            (gone, keep),
        )
        if col == "region":
            self.cur.execute("DELETE FROM dirty_regions WHERE region = ANY(%s::bigint[])", (gone,))

    def mark_linked(self, nodes: Sequence[int], dirty_regions: Iterable[int]) -> None:
        self.cur.execute(
            "UPDATE texts SET linked = 1 WHERE node = ANY(%s::bigint[])", (list(nodes),)
        )
        self.cur.execute("INSERT INTO dirty_regions (region) SELECT unnest(%s::bigint[])"
                         " ON CONFLICT DO NOTHING", (sorted(dirty_regions),))  # fmt: skip

    def dirty_regions(self, max_texts: int) -> list[tuple[int, int]]:
        out, total = [], 0
        sql = ("SELECT d.region, (SELECT count(*) FROM texts t WHERE t.region = d.region)"
               " FROM dirty_regions d ORDER BY d.region")  # fmt: skip
        for region, n in self._rows(sql):
            if out and total + n > max_texts:
                break
            out.append((region, n))
            total += n
        return out

    def region_texts(
        self, regions: Sequence[int]
    ) -> dict[int, list[tuple[int, str, int, bytes, list[str]]]]:
        out: dict[int, list] = {}
        for r, n, k, m, v, ids in self._rows(_REGION_TEXTS, (list(regions),)):
            out.setdefault(r, []).append((n, k, m, bytes(v), json.loads(ids)))
        return out

    def stories_of(self, article_ids: Sequence[str]) -> dict[str, str]:
        return dict(self._rows(_STORIES_OF, (list(article_ids),)))

    def write_stories(self, removed: Sequence[str], stories: dict[str, list[str]]) -> None:
        rewrite(self.cur, removed, stories)

    def clean(self, regions: Sequence[int]) -> None:
        self.cur.execute(
            "DELETE FROM dirty_regions WHERE region = ANY(%s::bigint[])", (list(regions),)
        )


def rewrite(cur, removed: Sequence[str], stories: Mapping[str, Sequence[str]]) -> None:
    """Delete the ``removed`` stories and insert ``stories`` (id -> member ids), as
    ``stories_sql.rewrite``."""
    gone = sorted(removed)
    for table, col in (
        ("story_facets", "story_id"),
        ("story_members", "story_id"),
        ("stories", "id"),
    ):
        cur.execute(f"DELETE FROM {table} WHERE {col} = ANY(%s::text[])", (gone,))
    if not stories:
        return
    ids = sorted(stories)
    cur.execute(
        "INSERT INTO stories (id, members_hash) SELECT * FROM unnest(%s::text[], %s::text[])",
        (ids, [members_hash(stories[s]) for s in ids]),
    )
    pairs = [(a, sid) for sid in ids for a in stories[sid]]
    cur.execute(
        (
            "INSERT INTO story_members (article_id, story_id) "
            "SELECT * FROM unnest(%s::text[], %s::text[])"
        ),
        ([a for a, _ in pairs], [s for _, s in pairs]),
    )
    derive(cur, ids)
    cur.execute(_SINGLES, (ids,))


def derive(cur, ids: list[str] | None) -> None:
    """Compute member-derived fields, facets and search text of stories ``ids`` (None: all)."""
    where = (" WHERE" + _ONLY, (ids,)) if ids is not None else ("", ())
    cur.execute(_sql._AGGREGATE + where[0], where[1])
    cur.execute(_sql._DEFAULT_TITLE + (" AND" + _ONLY if ids is not None else ""), where[1])
    cur.execute(SEARCH_TEXT + where[0], where[1])
    if ids is None:
        cur.execute(_sql._FACETS)
    else:
        cur.execute(_FACETS_OF, {"ids": ids})


def update_fields(cur, updates: Mapping[str, tuple[str, dict]]) -> list[str]:
    """Set provenance fields of stories whose members hash still matches; return the ids updated."""
    done = []
    for sid, (digest, story) in sorted(updates.items()):
        row = _sql._story_rows([{**story, "id": sid}])[sid]
        hit = cur.execute("SELECT seq FROM stories WHERE id = %s AND members_hash = %s FOR UPDATE",
                          (sid, digest)).fetchone()  # fmt: skip
        if hit is None:
            continue
        cur.execute(
            "UPDATE stories SET title = coalesce(%s, title), n_sources = %s, origin_id = %s,"
            " payload = %s WHERE seq = %s",
            (row[1], row[2], row[3], row[4], hit[0]),
        )
        cur.execute(SEARCH_TEXT + " WHERE seq = %s", (hit[0],))
        done.append(sid)
    return done
