"""Facet counts of the story listing, shared by the SQLite and PostgreSQL stores.

A facet value's count is the number of stories its link would list, so a
count and the rows it leads to always agree:

- ``outlet`` and ``language`` are counted over the stories matching every
  *other* filter: the store keeps one value per filter, so picking another
  outlet replaces the one picked before.
- ``published`` is counted over the stories matching every filter, dates
  included, in buckets of one day, month or year (the widest span that
  keeps at most 31 days or 36 months). A story counts in each bucket it
  overlaps, as the ``since``/``until`` filters read it (last article on or
  after the start, first article on or before the end); a bucket's
  ``since``/``until`` are clipped to the range already filtered on.

The backends run the SQL (each with its own placeholders and WHERE clause);
everything else here is plain Python over the rows they return.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import replace
from datetime import date, timedelta

from ..errors import ConfigError
from .base import MAX_LIMIT

FACET_KINDS = ("outlet", "language")
MAX_DAYS, MAX_MONTHS = 31, 36
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def check_limit(limit: int) -> None:
    """Raise ConfigError unless ``limit`` (values per facet) is between 1 and MAX_LIMIT."""
    if not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise ConfigError(f"facet limit must be between 1 and {MAX_LIMIT}, got {limit!r}")


def value_sql(where: str, ph: str) -> str:
    """Return the SQL counting stories per value of one facet kind (placeholder ``ph``).

    Parameters: kind, the WHERE parameters, the selected value, the limit.
    The selected value sorts first, so it is shown even when rare.
    """
    return (
        "SELECT x.value, count(*) FROM story_facets x JOIN stories s ON s.id = x.story_id"
        f" WHERE x.kind = {ph} AND {where} GROUP BY x.value"
        f" ORDER BY CASE WHEN x.value = {ph} THEN 0 ELSE 1 END, count(*) DESC, x.value LIMIT {ph}"
    )


def span_sql(where: str) -> str:
    """Return the SQL counting stories per (first day, last day) pair, for the date buckets."""
    return (
        "SELECT substr(s.first_published, 1, 10), substr(s.last_published, 1, 10), count(*)"
        f" FROM stories s WHERE {where} AND s.first_published IS NOT NULL"
        " AND s.last_published IS NOT NULL GROUP BY 1, 2"
    )


def without(filters, kind: str):
    """Return ``filters`` (a :class:`newstrace.listing.StoryFilters`) without the ``kind``
    filter."""
    return replace(filters, **{kind: None})


def values(rows: Iterable[tuple], limit: int) -> dict:
    """Return ``{"values": [{"value", "count"}...], "truncated"}`` from up to ``limit + 1`` rows."""
    rows = list(rows)
    return {
        "values": [{"value": v, "count": int(n)} for v, n in rows[:limit]],
        "truncated": len(rows) > limit,
    }


def published(spans: Iterable[tuple], since: str | None, until: str | None, limit: int) -> dict:
    """Return the date facet from (first day, last day, count) rows and the date filters.

    ``{"unit": "day"|"month"|"year"|None, "values": [{"value", "since",
    "until", "count"}...], "truncated"}``, oldest first; only the latest
    ``limit`` buckets are kept. Rows whose days are not ISO dates are left out.
    """
    rows = [(a, b, int(n)) for a, b, n in spans if _is_day(a) and _is_day(b) and a <= b]
    lo = max([min(r[0] for r in rows)] + ([since[:10]] if since else [])) if rows else None
    hi = min([max(r[1] for r in rows)] + ([until[:10]] if until else [])) if rows else None
    if lo is None or lo > hi:
        return {"unit": None, "values": [], "truncated": False}
    unit = _unit(date.fromisoformat(lo), date.fromisoformat(hi))
    counts: dict[date, int] = {}
    for first, last, n in rows:
        for start in _buckets(max(first, lo), min(last, hi), unit):
            counts[start] = counts.get(start, 0) + n
    starts = sorted(counts)
    kept = starts[-limit:]
    return {
        "unit": unit,
        "values": [_bucket(s, unit, counts[s], since, until) for s in kept],
        "truncated": len(starts) > len(kept),
    }


def _is_day(value) -> bool:
    if not isinstance(value, str) or not _DAY.match(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _unit(lo: date, hi: date) -> str:
    if (hi - lo).days < MAX_DAYS:
        return "day"
    return "month" if _month_index(hi) - _month_index(lo) < MAX_MONTHS else "year"


def _month_index(d: date) -> int:
    return d.year * 12 + d.month - 1


def _buckets(first: str, last: str, unit: str) -> Iterable[date]:
    """Yield the start of every ``unit`` bucket from day ``first`` to day ``last``."""
    if first > last:
        return
    a, b = date.fromisoformat(first), date.fromisoformat(last)
    if unit == "day":
        yield from (a + timedelta(days=i) for i in range((b - a).days + 1))
    elif unit == "month":
        for m in range(_month_index(a), _month_index(b) + 1):
            yield date(m // 12, m % 12 + 1, 1)
    else:
        yield from (date(y, 1, 1) for y in range(a.year, b.year + 1))


def _bucket(start: date, unit: str, count: int, since: str | None, until: str | None) -> dict:
    """Return one date bucket: its label, the since/until its link filters on, its count."""
    if unit == "day":
        label, end = start.isoformat(), start
    elif unit == "month":
        label = start.isoformat()[:7]
        end = start.replace(day=calendar.monthrange(start.year, start.month)[1])
    else:
        label, end = str(start.year), start.replace(month=12, day=31)
    lo, hi = start.isoformat(), end.isoformat()
    if since and since > lo:
        lo = since  # already filtered from later in the bucket: keep that
    if until and until + "~" < hi + "~":  # '~' as the filter reads until: the whole day
        hi = until
    return {"value": label, "since": lo, "until": hi, "count": count}
