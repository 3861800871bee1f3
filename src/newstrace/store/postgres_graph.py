"""The PostgreSQL side of the story graph (:class:`~newstrace.store.graph.GraphTx`) and story
rewrites.

The same queries as ``graph_sql`` (SQLite), with arrays bound as parameters
where SQLite binds a JSON list; the member-derived story fields reuse
``stories_sql``'s SQL where both dialects read it alike. Everything here runs
inside one write transaction that holds the store's graph lock.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from . import graph as _graph
from . import stories_sql as _sql
from .graph_sql import _column, _unpack_bands

# The first article of each text, from the index articles_node_id on (node, seq) (version 6).
_FIRSTS = (
    "(SELECT node, min(seq) AS seq FROM articles WHERE node = ANY(%s::bigint[]) GROUP BY node)"
)
_EXACT = """
SELECT DISTINCT a.node, c.node, t.region, t.must
FROM articles a JOIN articles c ON c.id = a.canonical_id JOIN texts t ON t.node = c.node
WHERE a.node = ANY(%s::bigint[]) AND c.node <> a.node
"""
_OWN_BANDS = f"SELECT f.node, s.bands FROM {_FIRSTS} f JOIN signatures s ON s.seq = f.seq"
# Each band hit's text node can come from the covering index articles_seq_node (version 6), not
# the article's row.
_BANDS = """
SELECT DISTINCT q.node, a.node, t.region, t.must
FROM unnest(%s::bigint[], %s::int[], %s::bigint[]) AS q(node, band, key)
JOIN bands b ON b.band = q.band AND b.key = q.key
JOIN articles a ON a.seq = b.seq JOIN texts t ON t.node = a.node
WHERE a.node <> q.node
"""
# The representatives of every region holding a queried key, as graph_sql's.
_KEYS = """
SELECT q.node, r.node, r.region, count(*)
FROM unnest(%s::bigint[], %s::bigint[]) AS q(node, key) JOIN key_reps r ON r.key = q.key
WHERE r.node <> q.node GROUP BY q.node, r.node, r.region
"""
_TRIM = """
DELETE FROM key_reps d USING (
    SELECT key, region, node FROM (
        SELECT r.key, r.region, r.node,
               row_number() OVER (PARTITION BY r.key, r.region ORDER BY r.node) AS rk
        FROM key_reps r
        JOIN (SELECT DISTINCT * FROM unnest(%s::bigint[], %s::bigint[]) AS p(key, region)) p
        ON r.key = p.key AND r.region = p.region) x
    WHERE rk > %s) x
WHERE d.key = x.key AND d.region = x.region AND d.node = x.node
"""
_SIGNATURES = f"SELECT f.node, s.signature FROM {_FIRSTS} f JOIN signatures s ON s.seq = f.seq"
# The article ids of each group's texts can come from the covering index articles_node_id
# (version 6), not the article rows.
_GROUP_ARTICLES = """
SELECT t.must, a.id FROM texts t JOIN articles a ON a.node = t.node
WHERE t.must = ANY(%s::bigint[])
"""
_REGION_GROUPS = """
SELECT region, must, texts, first, vsum, story, fresh FROM must_groups
WHERE region = ANY(%s::bigint[]) ORDER BY region, must
"""
_WRITE_GROUPS = """
INSERT INTO must_groups (must, region, texts, first, vsum, story, fresh)
SELECT * FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[], %s::text[], %s::bytea[],
    %s::text[], %s::smallint[])
ON CONFLICT (must) DO UPDATE SET region = excluded.region, texts = excluded.texts,
    first = excluded.first, vsum = excluded.vsum, story = excluded.story,
    fresh = greatest(must_groups.fresh, excluded.fresh)
"""
# As graph_sql's: the articles in no story of each group asked for, and a story's smallest member
# (through story_members_first, version 10).
_UNSTORIED = """
SELECT t.must, u.article_id, m.story_id
FROM unstoried u JOIN texts t ON t.node = u.node
LEFT JOIN story_members m ON m.article_id = u.article_id
WHERE t.must = ANY(%s::bigint[])
"""
_FIRST_MEMBERS = """
SELECT s, (SELECT min(m.article_id) FROM story_members m WHERE m.story_id = s)
FROM unnest(%s::text[]) AS s
"""
# The texts linked since their region was last clustered, through the partial index texts_fresh
# (version 6), not by reading every text row of the regions.
_FRESH = "SELECT DISTINCT region FROM texts WHERE region = ANY(%s::bigint[]) AND linked = 1"
_CLUSTERED = "UPDATE texts SET linked = 2 WHERE region = ANY(%s::bigint[]) AND linked = 1"
_GROUP_MEMBERS = """
SELECT t.must, a.id, m.story_id FROM texts t JOIN articles a ON a.node = t.node
LEFT JOIN story_members m ON m.article_id = a.id
WHERE t.must = ANY(%s::bigint[])
"""
# As stories_sql's: a story written again starts over, its memberships change by difference.
_UPSERT_STORIES = """
INSERT INTO stories (id, members_hash) SELECT * FROM unnest(%s::text[], %s::text[])
ON CONFLICT (id) DO UPDATE SET
    members_hash = excluded.members_hash, title = NULL, n_sources = NULL, origin_id = NULL,
    payload = '{}'
"""
_UPSERT_MEMBERS = """
INSERT INTO story_members (article_id, story_id) SELECT * FROM unnest(%s::text[], %s::text[])
ON CONFLICT (article_id) DO UPDATE SET story_id = excluded.story_id
"""
_DROP_MEMBERS = """
DELETE FROM story_members m USING unnest(%s::text[], %s::text[]) AS d(article_id, story_id)
WHERE m.article_id = d.article_id AND m.story_id = d.story_id
"""
_ONLY = " id = ANY(%s::text[])"
# The story title, then its members' distinct titles in the order they first came (story_titles).
SEARCH_TEXT = """
UPDATE stories SET search_text = coalesce(title, '') || ' ' || coalesce((
    SELECT string_agg(t.title, ' ' ORDER BY t.seq) FROM story_titles t
    WHERE t.story_id = stories.id), '')
"""
_ADD_TITLES = """
INSERT INTO story_titles (story_id, title, seq, published, pseq)
SELECT * FROM unnest(%s::text[], %s::text[], %s::bigint[], %s::text[], %s::bigint[])
ON CONFLICT (story_id, md5(title)) DO UPDATE SET
    seq = excluded.seq, published = excluded.published, pseq = excluded.pseq
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

    def key_candidates(self, keys: Sequence[tuple[int, int]]) -> list[tuple[int, int, int, int]]:
        if not keys:
            return []
        return self._rows(_KEYS, ([n for n, _ in keys], [int(k) for _, k in keys]))

    def add_reps(self, rows: Sequence[tuple[int, int, int]]) -> None:
        if rows:
            self.cur.execute(
                "INSERT INTO key_reps (key, region, node) SELECT * FROM"
                " unnest(%s::bigint[], %s::bigint[], %s::bigint[]) ON CONFLICT DO NOTHING",
                [list(c) for c in zip(*rows)],
            )
        self._trim({(k, r) for k, r, _ in rows})

    def _trim(self, pairs: set[tuple[int, int]]) -> None:
        if pairs:
            self.cur.execute(_TRIM, [*(list(c) for c in zip(*sorted(pairs))), _graph.KEY_REPS])

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
            moved = self._rows(
                "SELECT DISTINCT key, region FROM key_reps WHERE region = ANY(%s::bigint[])",
                (gone,),
            )
            self.cur.execute(
                "UPDATE key_reps r SET region = m.keep FROM unnest(%s::bigint[], %s::bigint[])"
                " AS m(gone, keep) WHERE r.region = m.gone",
                (gone, keep),
            )
            self._trim({(k, mapping[r]) for k, r in moved})
            self.cur.execute(
                "UPDATE must_groups g SET region = m.keep FROM unnest(%s::bigint[], %s::bigint[])"
                " AS m(gone, keep) WHERE g.region = m.gone",
                (gone, keep),
            )

    def mark_linked(self, nodes: Sequence[int], dirty_regions: Iterable[int]) -> None:
        self.cur.execute(
            "UPDATE texts SET linked = 1 WHERE node = ANY(%s::bigint[])", (list(nodes),)
        )
        self.cur.execute(
            "INSERT INTO dirty_regions (region) SELECT unnest(%s::bigint[]) ON CONFLICT DO NOTHING",
            (sorted(dirty_regions),),
        )

    def dirty_regions(self, max_texts: int) -> list[tuple[int, int]]:
        out, total = [], 0
        sql = (
            "SELECT d.region, (SELECT count(*) FROM texts t WHERE t.region = d.region)"
            " FROM dirty_regions d ORDER BY d.region"
        )
        for region, n in self._rows(sql):
            if out and total + n > max_texts:
                break
            out.append((region, n))
            total += n
        return out

    def copy_keys(self, nodes: Sequence[int]) -> dict[int, str]:
        sql = "SELECT node, copy_key FROM texts WHERE node = ANY(%s::bigint[])"
        return dict(self._rows(sql, (list(nodes),)))

    def groups(self, musts: Sequence[int]) -> dict[int, tuple[int, int, str, bytes, str | None]]:
        sql = (
            "SELECT must, region, texts, first, vsum, story FROM must_groups"
            " WHERE must = ANY(%s::bigint[])"
        )
        return {m: (r, n, f, bytes(v), s) for m, r, n, f, v, s in self._rows(sql, (list(musts),))}

    def region_groups(
        self, regions: Sequence[int]
    ) -> dict[int, list[tuple[int, int, str, bytes, str | None, int]]]:
        out: dict[int, list] = {}
        for r, m, n, f, v, s, fresh in self._rows(_REGION_GROUPS, (list(regions),)):
            out.setdefault(r, []).append((m, n, f, bytes(v), s, fresh))
        return out

    def group_texts(
        self, column: str, ids: Sequence[int]
    ) -> list[tuple[int, int, int, str, bytes]]:
        col = _column(column)
        sql = (
            "SELECT region, must, node, copy_key, vector FROM texts"
            f" WHERE {col} = ANY(%s::bigint[])"
        )
        return [(r, m, n, k, bytes(v)) for r, m, n, k, v in self._rows(sql, (list(ids),))]

    def write_groups(
        self,
        rows: Sequence[tuple[int, int, int, str, bytes, str | None]],
        gone: Sequence[int],
        fresh_stories: Iterable[str],
    ) -> None:
        if gone:
            self.cur.execute(
                "DELETE FROM must_groups WHERE must = ANY(%s::bigint[])", (list(gone),)
            )
        if rows:
            self.cur.execute(_WRITE_GROUPS, [list(c) for c in zip(*rows)])
        stories = sorted(fresh_stories)
        if stories:
            self.cur.execute(
                "UPDATE must_groups SET fresh = 2 WHERE story = ANY(%s::text[])", (stories,)
            )

    def group_articles(self, musts: Sequence[int]) -> dict[int, list[str]]:
        out: dict[int, list[str]] = {}
        for m, a in self._rows(_GROUP_ARTICLES, (list(musts),)):
            out.setdefault(m, []).append(a)
        return out

    def set_group_stories(self, rows: Sequence[tuple[int, str]]) -> None:
        if rows:
            self.cur.execute(
                "UPDATE must_groups g SET story = x.s, fresh = 0"
                " FROM unnest(%s::bigint[], %s::text[]) AS x(m, s) WHERE g.must = x.m",
                ([m for m, _ in rows], [s for _, s in rows]),
            )

    def group_members(self, musts: Sequence[int]) -> dict[int, list[tuple[str, str | None]]]:
        return self._by_group(_GROUP_MEMBERS, musts)

    def _by_group(self, sql: str, musts: Sequence[int]) -> dict[int, list[tuple[str, str | None]]]:
        """Return ``{must: [(article, story or None), ...]}`` of rows ``(must, article, story)``."""
        out: dict[int, list[tuple[str, str | None]]] = {}
        for m, a, s in self._rows(sql, (list(musts),)):
            out.setdefault(m, []).append((a, s))
        return out

    def story_hashes(self, story_ids: Sequence[str]) -> dict[str, str]:
        sql = "SELECT id, members_hash FROM stories WHERE id = ANY(%s::text[])"
        return dict(self._rows(sql, (list(story_ids),)))

    def write_stories(
        self,
        removed: Sequence[str],
        stories: dict[str, list[str]],
        current: dict[str, str],
        grown: dict[str, tuple[list[str], str]] | None = None,
    ) -> None:
        rewrite(self.cur, removed, stories, current, grown)

    def unstoried(self, musts: Sequence[int]) -> dict[int, list[tuple[str, str | None]]]:
        return self._by_group(_UNSTORIED, musts)

    def first_members(self, story_ids: Sequence[str]) -> dict[str, str]:
        return dict(self._rows(_FIRST_MEMBERS, (list(story_ids),)))

    def settled(self, regions: Sequence[int]) -> set[int]:
        return set(regions) - {r for (r,) in self._rows(_FRESH, (list(regions),))}

    def clean(self, regions: Sequence[int]) -> None:
        ids = (list(regions),)
        self.cur.execute(_CLUSTERED, ids)
        self.cur.execute("DELETE FROM dirty_regions WHERE region = ANY(%s::bigint[])", ids)


def rewrite(
    cur,
    removed: Sequence[str],
    stories: Mapping[str, Sequence[str]],
    current: Mapping[str, str] | None = None,
    grown: Mapping[str, tuple[Sequence[str], str]] | None = None,
) -> None:
    """Delete the ``removed`` stories and make each of ``stories`` (id -> member ids) hold exactly
    its members, as ``stories_sql.rewrite`` (only the memberships that differ are written; the
    ``grown`` stories gain the articles given)."""
    plan = _sql.RewritePlan(stories, current or {}, grown or {})
    ids = plan.written
    # A story that only gained articles keeps its facets (it gets those of the new articles).
    cur.execute(
        "DELETE FROM story_facets WHERE story_id = ANY(%s::text[])",
        (sorted({*removed, *ids} - set(plan.grown)),),
    )
    if plan.hashes:
        cur.execute(_UPSERT_STORIES, tuple(list(c) for c in zip(*plan.hashes)))
    if plan.moved:
        moved = [a for a, _ in plan.moved]
        cur.execute(_UPSERT_MEMBERS, (moved, [s for _, s in plan.moved]))
        cur.execute("DELETE FROM unstoried WHERE article_id = ANY(%s::text[])", (moved,))
    if plan.left:
        cur.execute(_DROP_MEMBERS, ([a for a, _ in plan.left], [s for _, s in plan.left]))
    gone = sorted(removed)
    for table, col in (("story_members", "story_id"), ("stories", "id")):
        cur.execute(f"DELETE FROM {table} WHERE {col} = ANY(%s::text[])", (gone,))
    if ids:
        full = [sid for sid in ids if sid not in plan.grown]
        if full:
            derive(cur, full)
        _grow(cur, plan.grown)
        cur.execute(_SINGLES, (ids,))


def _grow(cur, grown: Mapping[str, Sequence[str]]) -> None:
    """Update stories that only gained articles from those articles (``stories_sql.growth``);
    their title and search text are derived again."""
    if not grown:
        return
    ids = sorted(grown)
    old = {
        r[0]: tuple(r[1:])
        for r in cur.execute(
            "SELECT id, n_articles, first_published, last_published FROM stories WHERE" + _ONLY,
            (ids,),
        ).fetchall()
    }
    new = sorted({a for added in grown.values() for a in added})
    fields = {
        r[0]: tuple(r[1:])
        for r in cur.execute(
            "SELECT id, outlet, published, language, title, seq FROM articles"
            " WHERE id = ANY(%s::text[])",
            (new,),
        ).fetchall()
    }
    rows, facets = _sql.grown_fields(old, grown, fields)
    if facets:
        cur.execute(_ADD_FACETS, tuple(list(col) for col in zip(*facets)))
    cur.execute(_GROWN, tuple(list(col) for col in zip(*rows)))
    titles = sorted({fields[a][3] for added in grown.values() for a in added} - {None})
    held = cur.execute(
        "SELECT story_id, title, seq, published, pseq FROM story_titles"
        " WHERE story_id = ANY(%s::text[]) AND title = ANY(%s::text[])",
        (ids, titles),
    ).fetchall()
    changed = _sql.grown_titles([tuple(r) for r in held], grown, fields)
    if changed:
        cur.execute(_ADD_TITLES, tuple(list(col) for col in zip(*changed)))
    cur.execute(_sql._DEFAULT_TITLE + " AND" + _ONLY, (ids,))
    cur.execute(SEARCH_TEXT + " WHERE" + _ONLY, (ids,))


_ADD_FACETS = """
INSERT INTO story_facets (kind, value, story_id)
SELECT * FROM unnest(%s::text[], %s::text[], %s::text[]) ON CONFLICT DO NOTHING
"""
_GROWN = """
UPDATE stories s SET n_articles = x.n, first_published = x.f, last_published = x.l, n_outlets = (
    SELECT count(*) FROM story_facets WHERE story_id = s.id AND kind = 'outlet')
FROM unnest(%s::int[], %s::text[], %s::text[], %s::text[]) AS x(n, f, l, id) WHERE s.id = x.id
"""


def derive(cur, ids: list[str] | None) -> None:
    """Compute member-derived fields, facets and search text of stories ``ids`` (None: all).

    The members' outlets, dates and languages can come from the covering index
    articles_story_fields (version 6); their titles come from the article rows.
    """
    where = (" WHERE" + _ONLY, (ids,)) if ids is not None else ("", ())
    cur.execute(_sql._AGGREGATE + where[0], where[1])
    if ids is None:
        cur.execute("DELETE FROM story_titles")
        cur.execute(_sql._TITLES_OF.format(only=""))
    else:
        cur.execute("DELETE FROM story_titles WHERE story_id = ANY(%s::text[])", (ids,))
        cur.execute(_sql._TITLES_OF.format(only=" AND m.story_id = ANY(%s::text[])"), (ids,))
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
        hit = cur.execute(
            "SELECT seq FROM stories WHERE id = %s AND members_hash = %s FOR UPDATE", (sid, digest)
        ).fetchone()
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
