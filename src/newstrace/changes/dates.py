"""Dates and clock times: find them, and compare a source's with a derivative's."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from .base import Ctx, Found, make, quoted
from .lexicon import alternation, compile_map, load, lookup

_URL = re.compile(
    r"(?:https?://|www\.)\S+|\b[\w.-]+\.(?:com|org|net|biz|co\.uk|html?)(?:/\S*)?", re.IGNORECASE
)


@dataclass(frozen=True)
class When:
    """A date (fields y/m/d, None when unsaid), a weekday, or a clock time."""

    kind: str  # date | weekday | time
    fields: tuple
    found: Found


@dataclass(frozen=True)
class _Patterns:
    dated: tuple[re.Pattern, ...]
    weekday: re.Pattern
    time: tuple[re.Pattern, ...]
    months: list
    weekdays: list
    latin: bool


@cache
def _patterns(lang: str) -> _Patterns:
    lex = load(lang)
    months = alternation(lex.words("months"))
    tw = alternation(lex.words("time_words"))
    y = r"(?P<y>(?:1[89]|20)\d\d)"
    flags = re.IGNORECASE
    dated = (
        re.compile(r"(?<!\d)(?P<y>\d{4})-(?P<m>\d\d)-(?P<d>\d\d)(?!\d)"),
        re.compile(r"(?<![\d.])(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})(?!\d)"),
        re.compile(
            rf"(?<!\d)(?P<d>\d{{1,2}})(?:st|nd|rd|th|\.)?\s+(?:of\s+)?(?P<mn>{months})(?:,?\s+{y})?",
            flags,
        ),
        re.compile(
            # "Feb. 17": an abbreviated month keeps its period ("May. 17 members" is no date)
            rf"(?P<mn>{months})(?:\.(?<!may\.)(?<!june\.)(?<!july\.))?"
            rf"\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?!\d)(?:,?\s+{y})?",
            flags,
        ),
        re.compile(rf"(?P<mn>{months})(?:\s+{y})?", flags),
        re.compile(rf"(?<![\d.,]){y}(?![\d]|[.,]\d|\s+[a-zа-яіїєґ])"),
    )
    times = (
        re.compile(rf"(?<![\d.,])(?P<h>\d{{1,2}})(?:[:.](?P<min>\d\d))?\s*(?P<ap>{tw})", flags),
        re.compile(r"(?<![\d.,])(?P<h>\d{1,2}):(?P<min>\d\d)(?!\d)"),
    )
    return _Patterns(
        dated=dated,
        weekday=re.compile(alternation(lex.words("weekdays")), flags),
        time=times,
        months=compile_map(lex.words("months"))[1],
        weekdays=compile_map(lex.words("weekdays"))[1],
        latin=lang in ("en", "de"),
    )


def _free(taken: list, start: int, end: int) -> bool:
    return all(end <= s or start >= e for s, e in taken)


def _cased(p: _Patterns, text: str) -> bool:
    # Latin-script months and weekdays are capitalised; "may" and "march" are not dates.
    return not p.latin or text[:1].isupper() or text[:1].isdigit()


def _date_fields(p: _Patterns, m: re.Match) -> tuple:
    g = m.groupdict()
    month = lookup(p.months, g["mn"]) if g.get("mn") else g.get("m")
    as_int = lambda v: int(v) if v else None
    return (as_int(g.get("y")), as_int(month), as_int(g.get("d")))


def _time_fields(m: re.Match) -> tuple:
    hour, ap = int(m.group("h")), (m.groupdict().get("ap") or "").lower().replace(".", "")
    if ap == "pm" and hour < 12:
        hour += 12
    return (hour, int(m.group("min") or 0))


@lru_cache(maxsize=4096)
def find_dates(text: str, lang: str) -> tuple[When, ...]:
    """Return the dates, weekdays and times in ``text``, in text order."""
    p, taken, out = _patterns(lang), [], []
    for kind, pats in (("time", p.time), ("date", p.dated), ("weekday", (p.weekday,))):
        for pat in pats:
            for m in pat.finditer(text):
                if not _free(taken, m.start(), m.end()) or not _cased(p, m.group()):
                    continue
                fields = (
                    _time_fields(m)
                    if kind == "time"
                    else (
                        _date_fields(p, m) if kind == "date" else (lookup(p.weekdays, m.group()),)
                    )
                )
                taken.append((m.start(), m.end()))
                out.append(When(kind, fields, Found(m.start(), m.end(), m.group())))
    return tuple(sorted(out, key=lambda w: w.found.start))


def _precision(w: When) -> int:
    return sum(f is not None for f in w.fields)


def _compatible(a: When, b: When) -> bool:
    return all(x is None or y is None or x == y for x, y in zip(a.fields, b.fields))


def _pairs(xs: list, ys: list):
    """Yield (a, b) pairs: equal values first, then the rest of each kind in order."""
    left_b = list(ys)
    rest_a = []
    for a in xs:
        same = next((b for b in left_b if b.kind == a.kind and b.fields == a.fields), None)
        if same is None:
            rest_a.append(a)
        else:
            left_b.remove(same)
    for kind in ("date", "weekday", "time"):
        yield from zip([a for a in rest_a if a.kind == kind], [b for b in left_b if b.kind == kind])


def _outside_urls(text: str, lang: str) -> list[When]:
    urls = [(m.start(), m.end()) for m in _URL.finditer(text)] if "." in text else []
    return [w for w in find_dates(text, lang) if not any(s <= w.found.start < e for s, e in urls)]


# Between a full date and the clock time of a stamp ("15.02.2020 18:52", "January 1, 2020 at
# 08:18 pm", "19.06.2020 / 17:59"): separators and at most one short word.
_STAMP_GAP = re.compile(r"[\s,/|–-]*(?:\w{1,4}[\s,/|–-]+)?")
STAMP_GAP = 12  # characters at most between the date and the time of a stamp


def _stamped(t: When, whens: list[When], text: str) -> bool:
    """Return whether clock time ``t`` follows a full date: a publication or update stamp."""
    for d in whens:
        if d.kind != "date" or None in d.fields or d.found.end > t.found.start:
            continue
        gap = text[d.found.end : t.found.start]
        if len(gap) <= STAMP_GAP and _STAMP_GAP.fullmatch(gap):
            return True
    return False


def compare_dates(a: str, b: str, ctx: Ctx) -> list:
    """Return date/time Changes: changed, vaguer or more precise (meaning; cosmetic when only the
    year is left out or added).

    Two clock times that each follow a full date are publication or update stamps
    ("15.02.2020 18:52 | Updated: 18:54"): a different stamp says when each page was
    written, not that the story changed, so that change is cosmetic.
    """
    out = []
    wa, wb = _outside_urls(a, ctx.lang_a), _outside_urls(b, ctx.lang_b)
    for x, y in _pairs(wa, wb):
        if not _compatible(x, y):
            stamp = x.kind == "time" and _stamped(x, wa, a) and _stamped(y, wb, b)
            out.append(
                make(
                    "date",
                    "changed",
                    "publication time" if stamp else x.kind,
                    quoted(x.found.text),
                    quoted(y.found.text),
                    x.found,
                    y.found,
                    ctx,
                    severity="cosmetic" if stamp else "meaning",
                )
            )
        elif _precision(x) != _precision(y):
            direction = "vaguer" if _precision(y) < _precision(x) else "more_precise"
            # "December 15, 2013" / "December 15": news leaves out the current year; the day
            # and month it names are the same date.
            year_only = (
                x.kind == "date" and x.fields[1:] == y.fields[1:] and None not in x.fields[1:]
            )
            out.append(
                make(
                    "date",
                    direction,
                    x.kind,
                    quoted(x.found.text),
                    quoted(y.found.text),
                    x.found,
                    y.found,
                    ctx,
                    severity="cosmetic" if year_only else "meaning",
                )
            )
    return out


def date_spans(text: str, lang: str) -> list[tuple[int, int]]:
    """Return (start, end) of every date or time, and of every web address, for other detectors to
    skip.

    The digits of "example.com/2013/09/19/story-4873" are neither a date nor a figure of the story.
    """
    urls = [(m.start(), m.end()) for m in _URL.finditer(text)] if "." in text else []
    return [
        (w.found.start, w.found.end)
        for w in find_dates(text, lang)
        if not any(s <= w.found.start < e for s, e in urls)
    ] + urls
