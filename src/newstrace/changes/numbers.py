"""Numbers and quantities: numerals and number words to values, with units and qualifiers.

"500,000", "500 000", "500.000" (de), "half a million" and "0.5m" all become
500000.0, so figures compare across formats and languages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from .base import Ctx, Found, make, quoted
from .dates import date_spans
from .lexicon import Lexicon, alternation, compile_map, load, lookup

# Rank of what a qualifier claims about size: at most < about/exactly < at least.
_RANK = {"upper": 0, "approx": 1, "exact": 1, "lower": 2}
_QUAL_NAME = {
    "upper": "an upper bound",
    "lower": "a lower bound",
    "approx": "an approximation",
    "exact": "an exact figure",
}
_DIGITS = r"\d{1,3}(?:(?:,|\.|[ \u00a0\u202f])\d{3})+(?:[.,]\d+)?(?!\d)|\d+(?:[.,]\d+)?"


@dataclass(frozen=True)
class Quantity:
    """A figure in a sentence: value, unit (None for a bare count) and qualifier."""

    value: float
    unit: str | None
    qualifier: str  # upper | lower | approx | exact
    found: Found  # the figure itself, with its unit
    qual: Found | None  # the qualifier words, when present
    period: Found | None = None  # the period a rate is given for ("annually", "a year")


@dataclass(frozen=True)
class _Patterns:
    figure: re.Pattern
    words: dict
    unit_after: re.Pattern
    unit_before: re.Pattern
    units: list
    lex: Lexicon
    period: re.Pattern


def _word_table(lex: Lexicon) -> dict:
    table = {}
    for key, kind in (
        ("number_words", "num"),
        ("multipliers", "mult"),
        ("scales", "scale"),
        ("fractions", "frac"),
    ):
        for word, value in (lex.data.get(key) or {}).items():
            table[word.lower().replace("’", "'")] = (kind, float(value))
    for word in lex.words("article_one"):
        table.setdefault(word.lower(), ("art", 1.0))
    for word in lex.words("connectors"):
        table.setdefault(word.lower(), ("conn", 0.0))
    return table


@cache
def _patterns(lang: str) -> _Patterns:
    lex = load(lang)
    table = _word_table(lex)
    word = alternation([w for w, (k, _) in table.items() if k not in ("art", "conn")])
    glue = alternation(lex.words("connectors") + lex.words("article_one"))
    scale = alternation(list((lex.data.get("scales") or {}).keys()))
    # Suffixes stick to the digits ("1.2m"), so no word boundary on their left.
    suffix = "|".join(
        re.escape(k) for k in sorted(lex.data.get("suffixes") or {}, key=len, reverse=True)
    )
    suffix = suffix or r"(?!x)x"
    lead = alternation(lex.words("article_one"))
    # Units written onto the figure: "500,000t", "250MW", "675GWh".
    glued = "|".join(
        re.escape(k) for k in sorted(lex.data.get("glued_units") or {}, key=len, reverse=True)
    )
    digits = (
        rf"(?P<digits>{_DIGITS})(?:(?P<suffix>{suffix})|(?P<glued>{glued or '(?!x)x'}))?(?!\w)"
        rf"(?:[\s\u00a0]+(?P<scale>{scale}))?"
    )
    spelled = rf"(?P<words>(?:{lead}\s+)?{word}(?:(?:[\s-]+(?:{glue}\s+)?){word})*)"
    figure = re.compile(rf"(?<![\w.,])(?<![A-Za-z]-)(?:{digits}|{spelled})", re.IGNORECASE)
    units = {
        **{k: v for k, v in lex.data.get("currency_symbols", {}).items()},
        **lex.data["unit_words"],
    }
    symbols = alternation(list(lex.data.get("currency_symbols", {}).keys()))
    unit_alt = alternation(list(units.keys()))
    return _Patterns(
        figure=figure,
        words=table,
        unit_after=re.compile(rf"\A[\s\u00a0]*(?:{unit_alt})", re.IGNORECASE),
        unit_before=re.compile(rf"(?:{symbols})[\s\u00a0]*\Z"),
        units=compile_map(units)[1],
        lex=lex,
        # A rate's period follows its figure, perhaps after what is counted: "500,000 tonnes CO2e
        # annually".
        period=re.compile(
            rf"\A(?:[\s\u00a0]+[\w₂]+){{0,3}}?[\s\u00a0]*(?P<p>{alternation(lex.words('periods'))})",
            re.IGNORECASE,
        ),
    )


def parse_digits(text: str, decimal_comma: bool) -> float:
    """Return the value of a numeral such as "1,234.5" (en) or "1.234,5" (de)."""
    text = re.sub(r"[ \u00a0\u202f]", "", text)
    thousands, decimal = (".", ",") if decimal_comma else (",", ".")
    if re.fullmatch(rf"\d{{1,3}}(?:\{thousands}\d{{3}})+(?:\{decimal}\d+)?", text):
        text = text.replace(thousands, "")
    text = text.replace(decimal, ".").replace(",", ".")
    if text.count(".") > 1:  # "207.241.233.113", "1.2.3": an address or version, read the lead part
        text = ".".join(text.split(".")[:2])
    return float(text)


def spelled_value(tokens: list[tuple[str, float]]) -> tuple[float, bool] | None:
    """Return (value, is_fraction) for tokens like two/hundred/half/a/million; None if empty."""
    total, cur, frac, prev = 0.0, None, None, None
    for kind, value in tokens:
        if kind == "num":
            cur = (cur or 0.0) + value
        elif kind == "mult":
            cur = (cur or 1.0) * value
        elif kind == "scale":
            base = (cur or 0.0) + (frac or 0.0) if (cur or frac) else 1.0
            total, cur, frac = total + base * value, None, None
        elif kind == "frac":
            if cur is not None and prev == "num":
                frac, cur = cur * value, None  # "two thirds"
            else:
                frac = value  # "a half", "two and a half"
        prev = kind
    if cur is None and frac is None:
        return (total, False) if total else None
    if total == 0 and cur is None:
        return frac, True
    return total + (cur or 0.0) + (frac or 0.0), False


def _spelled(p: _Patterns, text: str) -> tuple[float, bool] | None:
    tokens = [p.words.get(t.lower().replace("’", "'")) for t in re.findall(r"[\w'’.]+", text)]
    tokens = [t for t in tokens if t]
    if sum(k in ("num", "mult", "scale", "frac") for k, _ in tokens) == 0:
        return None
    if len(tokens) == 1 and tokens[0] == ("num", 1.0):
        return None  # a lone "one" is a pronoun far more often than a count
    return spelled_value(tokens)


def _value(p: _Patterns, m: re.Match) -> tuple[float, bool] | None:
    if m.group("digits"):
        value = parse_digits(m.group("digits"), bool(p.lex.data.get("decimal_comma")))
        factors = {**(p.lex.data.get("suffixes") or {}), **(p.lex.data.get("scales") or {})}
        for key in ("suffix", "scale"):
            if m.group(key):
                value *= float(
                    next((v for k, v in factors.items() if k.lower() == m.group(key).lower()), 1)
                )
        return value, False
    return _spelled(p, m.group("words"))


def _qualifier(p: _Patterns, text: str, start: int, end: int):
    before = p.lex.qualifier_pre.search(text[max(0, start - 40) : start])
    if before:
        off = max(0, start - 40)
        cls = before.lastgroup
        g = before.group(cls)
        s = off + before.start(cls)
        return cls, Found(s, s + len(g), g)
    after = p.lex.qualifier_post.match(text[end : end + 20])
    if after:
        cls = after.lastgroup
        return cls, Found(end + after.start(cls), end + after.end(cls), after.group(cls))
    return "exact", None


@lru_cache(maxsize=4096)
def find_quantities(text: str, lang: str) -> tuple[Quantity, ...]:
    """Return the figures in ``text`` (dates and times excluded), in text order."""
    p, skip, out = _patterns(lang), date_spans(text, lang), []
    for m in p.figure.finditer(text):
        start, end = m.start(), m.end()
        if any(s < end and start < e for s, e in skip):
            continue
        parsed = _value(p, m)
        if parsed is None:
            continue
        value, fraction = parsed
        unit = "percent" if fraction else None
        before = p.unit_before.search(text[max(0, start - 4) : start])
        after = p.unit_after.match(text[end : end + 24])
        if m.group("digits") and m.group("glued"):
            unit = p.lex.data["glued_units"][m.group("glued").lower()]
        elif before:
            unit, start = lookup(p.units, before.group().strip()), start - len(before.group())
        elif after:
            unit, end = lookup(p.units, after.group().strip()), end + after.end()
        if fraction:
            value *= 100.0
        qualifier, qual = _qualifier(p, text, start, end)
        per = p.period.match(text[end : end + 48])
        period = Found(end + per.start("p"), end + per.end("p"), per.group("p")) if per else None
        out.append(
            Quantity(value, unit, qualifier, Found(start, end, text[start:end]), qual, period)
        )
    return tuple(out)


def same_value(x: float, y: float, unit: str | None) -> bool:
    """Return whether two values are equal up to rounding ("a third" vs "33%")."""
    tolerance = 0.5 if unit == "percent" else 0.005 * max(abs(x), abs(y))
    return abs(x - y) <= tolerance + 1e-9


@cache
def _conversions() -> dict:
    return {tuple(k.split()): tuple(v) for k, v in load("en").data.get("conversions", {}).items()}


def converted(x: Quantity, y: Quantity) -> bool:
    """Return whether ``y`` is ``x`` in another unit or currency (a plausible conversion ratio)."""
    if not (x.unit and y.unit and x.unit != y.unit) or not x.value or not y.value:
        return False
    if same_value(x.value, y.value, None):
        return False  # "25 euros" became "25 dollars": the unit changed, nothing was converted
    table = _conversions()
    if (x.unit, y.unit) in table:
        low, high = table[(x.unit, y.unit)]
        return low <= y.value / x.value <= high
    if (y.unit, x.unit) in table:
        low, high = table[(y.unit, x.unit)]
        return low <= x.value / y.value <= high
    return False


_GAP = re.compile(
    r"\A[\s(\[,/]*(?:or|about|around|roughly|approximately|approx\.|some|c\.|equivalent "
    r"to)?[\s(\[]*\Z"
)


def _conversion_of_neighbour(q: Quantity, others: tuple[Quantity, ...], text: str) -> bool:
    """Return whether ``q`` restates a figure right next to it in another unit: "€150m ($178m)"."""
    for o in others:
        lo, hi = sorted((o, q), key=lambda z: z.found.start)
        if o is not q and converted(o, q) and _GAP.match(text[lo.found.end : hi.found.start]):
            return True
    return False


def _units_fit(x: Quantity, y: Quantity) -> bool:
    return x.unit is None or y.unit is None or x.unit == y.unit


def _unit_of(x: Quantity, y: Quantity) -> str | None:
    return x.unit or y.unit


def pair_quantities(xs, ys):
    """Return (pairs, unpaired_a, unpaired_b): equal values first, then by unit in order."""
    left, pairs, rest = list(ys), [], []
    for x in xs:
        # The same figure given twice ("at least $160m" here, "$160m" there): pair like with like
        # first.
        fits = [
            y for y in left if _units_fit(x, y) and same_value(x.value, y.value, _unit_of(x, y))
        ]
        same = next((y for y in fits if y.qualifier == x.qualifier), fits[0] if fits else None)
        if same is None:
            rest.append(x)
        else:
            left.remove(same)
            pairs.append((x, same))
    units = sorted({str(q.unit) for q in rest + left})
    for unit in units:
        xa = [x for x in rest if str(x.unit) == unit]
        yb = [y for y in left if str(y.unit) == unit]
        for x, y in zip(xa, yb):
            pairs.append((x, y))
            rest.remove(x)
            left.remove(y)
    for x in list(rest):  # the same amount converted: "€150m" became "$178m"
        y = next((y for y in left if converted(x, y)), None)
        if y is not None:
            pairs.append((x, y))
            rest.remove(x)
            left.remove(y)
    for x in list(rest):  # same value, other unit: "25 euros" became "25 dollars"
        y = next((y for y in left if same_value(x.value, y.value, None)), None)
        if y is not None:
            pairs.append((x, y))
            rest.remove(x)
            left.remove(y)
    if len(rest) == 1 and len(left) == 1 and _units_fit(rest[0], left[0]):
        pairs.append((rest[0], left[0]))
        rest, left = [], []
    return pairs, rest, left


def _qualifier_change(x: Quantity, y: Quantity, ctx: Ctx) -> list:
    if x.qualifier == y.qualifier:
        return []
    a_desc = f"{_QUAL_NAME[x.qualifier]} ({quoted(x.qual.text if x.qual else x.found.text)})"
    b_desc = f"{_QUAL_NAME[y.qualifier]} ({quoted(y.qual.text if y.qual else y.found.text)})"
    rx, ry = _RANK[x.qualifier], _RANK[y.qualifier]
    if rx == ry and not same_value(x.value, y.value, _unit_of(x, y)):
        return []  # the rounding change already says it
    if rx == ry:  # approximate against exact: wording, not meaning
        direction = "vaguer" if y.qualifier == "approx" else "more_precise"
        severity = "cosmetic"
    else:
        direction = "strengthened" if ry > rx else "weakened"
        severity = "meaning"
    return [
        make(
            "qualifier",
            direction,
            "qualifier",
            a_desc,
            b_desc,
            x.qual or x.found,
            y.qual or y.found,
            ctx,
            severity=severity,
        )
    ]


def _value_change(x: Quantity, y: Quantity, ctx: Ctx) -> list:
    unit = _unit_of(x, y)
    a_desc, b_desc = quoted(x.found.text), quoted(y.found.text)
    if converted(x, y):
        return []  # a correct conversion says the same thing
    if x.unit and y.unit and x.unit != y.unit:
        return [make("number", "changed", "unit", a_desc, b_desc, x.found, y.found, ctx)]
    if same_value(x.value, y.value, unit):
        return []
    close = abs(x.value - y.value) <= 0.1 * max(abs(x.value), abs(y.value))
    if close and (x.qualifier == "approx") != (y.qualifier == "approx"):
        direction = "vaguer" if y.qualifier == "approx" else "more_precise"
        return [
            make(
                "number",
                direction,
                "rounding",
                a_desc,
                b_desc,
                x.found,
                y.found,
                ctx,
                severity="cosmetic",
            )
        ]
    return [make("number", "changed", "value", a_desc, b_desc, x.found, y.found, ctx)]


def _period_change(x: Quantity, y: Quantity, a: str, b: str, ctx: Ctx) -> list:
    """A rate that lost (or gained) its period: "500,000 tonnes annually" became "500,000t"."""
    if bool(x.period) == bool(y.period):
        return []
    if x.period and not _patterns(ctx.lang_b).period.search(" " + b):
        return [
            make(
                "qualifier",
                "vaguer",
                "period",
                quoted(x.period.text),
                "none",
                x.period,
                y.found,
                ctx,
            )
        ]
    if y.period and not _patterns(ctx.lang_a).period.search(" " + a):
        return [
            make(
                "qualifier",
                "more_precise",
                "period",
                "none",
                quoted(y.period.text),
                x.found,
                y.period,
                ctx,
            )
        ]
    return []


def _same_figure(x: Quantity, y: Quantity) -> bool:
    return _units_fit(x, y) and same_value(x.value, y.value, _unit_of(x, y))


def compare_bounds(a: str, b: str, ctx: Ctx) -> list:
    """Return qualifier and period Changes of figures both sides give with the same value.

    The shared figure shows that its clause was taken, so these need no other proof of use.
    """
    pairs = pair_quantities(find_quantities(a, ctx.lang_a), find_quantities(b, ctx.lang_b))[0]
    out = []
    for x, y in pairs:
        if _same_figure(x, y):
            out += _qualifier_change(x, y, ctx) + _period_change(x, y, a, b, ctx)
    return out


def compare_numbers(a: str, b: str, ctx: Ctx) -> list:
    """Return Changes for figures whose value, unit, qualifier or period differs, or that appear on
    one side.

    A figure that only restates its neighbour in another unit ("€150m ($178m)") is no change.
    """
    qa, qb = find_quantities(a, ctx.lang_a), find_quantities(b, ctx.lang_b)
    pairs, only_a, only_b = pair_quantities(qa, qb)
    only_a = [x for x in only_a if not _conversion_of_neighbour(x, qa, a)]
    only_b = [y for y in only_b if not _conversion_of_neighbour(y, qb, b)]
    out = []
    for x, y in pairs:
        out += _value_change(x, y, ctx)
        if not _same_figure(x, y):
            out += _qualifier_change(x, y, ctx) + _period_change(x, y, a, b, ctx)
    out += [
        make("number", "removed", "figure", quoted(x.found.text), "none", x.found, None, ctx)
        for x in only_a
    ]
    out += [
        make("number", "added", "figure", "none", quoted(y.found.text), None, y.found, ctx)
        for y in only_b
    ]
    return out
