"""A story's publication timeline as plain data: when, how long after the first, where."""

from __future__ import annotations

from collections.abc import Iterable

from ..timeutil import parse_time

WIDTH = 100  # the timeline's SVG width in user units; x is a share of it


def short_time(value: str | None) -> str:
    """Return ``value`` as "2026-11-03 07:40" (UTC), the raw text when unreadable, or ""."""
    t = parse_time(value)
    if t is None:
        return value or ""
    return t.strftime("%Y-%m-%d") if len(value) == 10 else t.strftime("%Y-%m-%d %H:%M")


def after(seconds: float) -> str:
    """Return a delay as "+0 min", "+35 min", "+2 h 5 min" or "+3 d"."""
    minutes = int(seconds // 60)
    if minutes < 60:
        return f"+{minutes} min"
    if minutes < 48 * 60:
        h, m = divmod(minutes, 60)
        return f"+{h} h {m} min" if m else f"+{h} h"
    return f"+{minutes // 1440} d"


def timeline(articles: list[dict], origins: Iterable[str]) -> list[dict]:
    """Return one row per article in time order: ``when``, ``after``, ``x`` (0-100), ``origin``.

    Articles without a readable time come last, with no position.
    """
    origins = set(origins)
    timed = [(parse_time(a.get("published")), a) for a in articles]
    # A bare date may be any time that day: it sorts after that day's times, undrawn.
    known = sorted(
        ((t, _day_only(a), n, a) for n, (t, a) in enumerate(timed) if t is not None),
        key=lambda r: (r[0].date(), r[1], r[0], r[2]),
    )
    exact = [t for t, day, _, _ in known if not day]
    first, last = (exact[0], exact[-1]) if exact else (None, None)
    span = max((last - first).total_seconds(), 1.0) if exact else 1.0
    rows = []
    for t, day, _, a in known:
        if day:
            rows.append(
                dict(
                    a, when=f"{t:%Y-%m-%d} (day only)", after="", x=None, origin=a["id"] in origins
                )
            )
            continue
        delay = (t - first).total_seconds()
        rows.append(
            dict(
                a,
                when=t.strftime("%Y-%m-%d %H:%M UTC"),
                after=after(delay),
                x=round(4 + 92 * delay / span, 1),
                origin=a["id"] in origins,
            )
        )
    rows += [
        dict(a, when="time unknown", after="", x=None, origin=a["id"] in origins)
        for t, a in timed
        if t is None
    ]
    return rows


def _day_only(article: dict) -> bool:
    return len(article.get("published") or "") == 10
