"""Entities: people, organisations, places (capitalised sequences) and roles/titles.

A rule-based, offline stand-in for NER. Names match loosely ("Mr. Smith",
"John Smith" and "Smith" are one person; inflected "Москве" meets "Москва").
German capitalises every noun, so there only multi-word names and names
after a role or title count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from .base import Ctx, Found, abbreviates, make, quoted
from .lexicon import Lexicon, compile_map, load, script

_WORD = re.compile(r"[\w'’-]+(?:\.(?=\s+[A-ZА-ЯІЇЄҐ]))?")
_NAME_GLUE = {"of", "de", "von", "van", "der", "al", "bin", "la", "le", "du", "del", "di", "da"}


@dataclass(frozen=True)
class Entity:
    """A name or role found in a sentence."""

    kind: str  # name | role
    tokens: frozenset  # lower-cased name tokens (titles and stopwords dropped)
    found: Found


def _capital(word: str) -> bool:
    return word[:1].isupper()


@cache
def _calendar(lang: str):
    lex = load(lang)
    return compile_map({**lex.words("months"), **lex.words("weekdays")})[0]


# Time zones, as in "at about 2045 GMT": a clock, never a name.
_TIME_ZONES = frozenset(
    ["GMT", "UTC", "BST", "CET", "CEST", "EET", "EEST", "WET", "WEST", "EST", "EDT", "CST"]
    + ["CDT", "MST", "MDT", "PST", "PDT", "AEST", "AEDT", "IST", "JST", "MSK", "HKT"]
)


@cache
def _symbols(lang: str) -> frozenset:
    """Return the unit and currency symbols (MW, GWh, AUD) and time zones: never names."""
    data = load(lang).data
    units = {**(data.get("glued_units") or {}), **(data.get("unit_words") or {})}
    return (
        _TIME_ZONES
        | {v for v in units.values() if v[:1].isupper()}
        | {k.upper() for k, v in units.items() if v.isupper()}
    )


def _skippable(word: str, lex: Lexicon, lang: str) -> bool:
    bare = word.rstrip(".")
    return (
        bare in _symbols(lang)
        or bare.lower() in lex.stopwords
        or bool(lex.title.fullmatch(bare))
        or bool(_calendar(lang).fullmatch(bare))
        or bool(lex.outlet.fullmatch(bare))
    )


def _runs(text: str):
    """Yield runs of capitalised words as lists of regex matches."""
    run = []
    for m in _WORD.finditer(text):
        word = m.group()
        if _capital(word) or (run and word.lower() in _NAME_GLUE):
            run.append(m)
            continue
        if run:
            yield run
        run = []
    if run:
        yield run


def _name(run, text: str, lex: Lexicon, lang: str, after_role: bool) -> Entity | None:
    while run and run[-1].group().lower() in _NAME_GLUE:
        run = run[:-1]
    keep = [
        m for m in run if not _skippable(m.group(), lex, lang) and not lex.role.fullmatch(m.group())
    ]
    if not keep:
        return None
    at_start = run[0].start() == len(text) - len(text.lstrip())
    if len(keep) == 1 and at_start and len(run) == 1:
        return None  # a lone capital at sentence start is just the first word
    if lang == "de" and len(keep) < 2 and not after_role:
        return None
    start, end = keep[0].start(), keep[-1].end()
    return Entity(
        "name",
        frozenset(m.group().lower().rstrip(".") for m in keep),
        Found(start, end, text[start:end]),
    )


@lru_cache(maxsize=4096)
def find_entities(text: str, lang: str, skip: tuple = ()) -> tuple[Entity, ...]:
    """Return names and roles in ``text``, outside the ``skip`` spans, in text order."""
    lex = load(lang)
    out = []
    roles = [m for m in lex.role.finditer(text)]
    role_ends = {m.end() for m in roles}
    for run in _runs(text):
        after_role = (
            any(abs(run[0].start() - e) <= 1 for e in role_ends)
            or lex.title.fullmatch(run[0].group().rstrip(".")) is not None
        )
        ent = _name(run, text, lex, lang, after_role)
        if ent:
            out.append(ent)
    for m in roles:
        out.append(
            Entity("role", frozenset([m.group().lower()]), Found(m.start(), m.end(), m.group()))
        )
    free = [e for e in out if not any(s < e.found.end and e.found.start < t for s, t in skip)]
    return tuple(sorted(free, key=lambda e: (e.found.start, e.kind)))


def _meets(x: str, y: str) -> bool:
    if x == y:
        return True
    n = min(len(x), len(y))
    return n >= 4 and x[: max(4, n - 2)] == y[: max(4, n - 2)]


def _by_prefix(tokens: set) -> dict[str, list[str]]:
    """Return the first four characters -> the tokens of ``tokens`` that start with them.

    Two different words meet (``_meets``) only if they share their first four characters.
    """
    out: dict[str, list[str]] = {}
    for u in tokens:
        if len(u) >= 4:
            out.setdefault(u[:4], []).append(u)
    return out


class _Prefixes:
    """``_by_prefix(tokens)``, worked out at the first look-up: most names are among the tokens
    whole, and then no prefix is looked up."""

    __slots__ = ("_map", "_tokens")

    def __init__(self, tokens: set) -> None:
        self._tokens, self._map = tokens, None

    def get(self, key: str, default):
        if self._map is None:
            self._map = _by_prefix(self._tokens)
        return self._map.get(key, default)


def _meets_any(x: str, tokens: set, prefixed: dict[str, list[str]] | _Prefixes) -> bool:
    """Return ``any(_meets(x, u) for u in tokens)``, looking only where a meeting is possible."""
    if x in tokens:
        return True
    return len(x) >= 4 and any(_meets(x, u) for u in prefixed.get(x[:4], ()))


def _present(
    e: Entity, tokens: set, prefixed: dict[str, list[str]] | _Prefixes | None = None
) -> bool:
    if prefixed is None:
        prefixed = _by_prefix(tokens)
    if e.kind == "role":  # every word of the role must be there: "minister" is not "prime minister"
        return all(_meets_any(w, tokens, prefixed) for w in _tokens(e.found.text))
    return any(_meets_any(t, tokens, prefixed) for t in e.tokens)


def _tokens(text: str) -> set:
    return {w.lower().rstrip(".") for w in _WORD.findall(text)}


def _abbreviated(e: Entity, others: list[Entity]) -> Entity | None:
    """Return the entity of ``others`` that is ``e`` written as its initials, or the reverse."""
    for o in others:
        if abbreviates(o.found.text, e.found.text) or abbreviates(e.found.text, o.found.text):
            return o
    return None


def _unabbreviated(xs: list[Entity], ys: list[Entity]) -> tuple[list, list]:
    """Return ``xs`` and ``ys`` without the names one side writes as initials ("White House",
    "WH"; "United Nations", "U.N."): the same name, not a change."""
    left = list(ys)
    rest = []
    for x in xs:
        y = _abbreviated(x, left)
        if y is None:
            rest.append(x)
        else:
            left.remove(y)
    return rest, left


def compare_entities(a: str, b: str, ctx: Ctx, skip_a: tuple = (), skip_b: tuple = ()) -> list:
    """Return entity Changes: names/roles dropped, added, or swapped for another."""
    if script(a) != script(b):
        return []
    kinds = ("name",) if ctx.lang_a != ctx.lang_b else ("name", "role")
    ta, tb = _tokens(a), _tokens(b)
    pa, pb = _Prefixes(ta), _Prefixes(tb)
    out = []
    for kind in kinds:
        xs = [
            e
            for e in find_entities(a, ctx.lang_a, skip_a)
            if e.kind == kind and not _present(e, tb, pb)
        ]
        ys = [
            e
            for e in find_entities(b, ctx.lang_b, skip_b)
            if e.kind == kind and not _present(e, ta, pa)
        ]
        xs, ys = _unabbreviated(xs, ys)
        for x, y in zip(xs, ys):
            out.append(
                make(
                    "entity",
                    "changed",
                    kind,
                    quoted(x.found.text),
                    quoted(y.found.text),
                    x.found,
                    y.found,
                    ctx,
                )
            )
        n = min(len(xs), len(ys))
        out += [
            make("entity", "removed", kind, quoted(x.found.text), "none", x.found, None, ctx)
            for x in xs[n:]
        ]
        out += [
            make("entity", "added", kind, "none", quoted(y.found.text), None, y.found, ctx)
            for y in ys[n:]
        ]
    return out
