"""Boilerplate recognition from data: syndication footers, credit lines, plugs.

Patterns live in ``newstrace/data/boilerplate.json`` (rule -> language ->
regexes) so that rules and languages can be added without code changes.
Every language's patterns are tried, since footers are often in another
language than the body (an English wire credit under a German story).

Its ``origin_credits`` are the footers that name where their own article
first appeared ("This article first appeared on example.com", "Dieser
Artikel erschien zuerst bei ...", "Впервые опубликовано на ..."):
``copy_credit`` returns that name, and each such line is also a
``syndication_footer``.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

from .firstchar import FirstCharAlternation

MAX_BOILERPLATE_CHARS = 400  # a long sentence is content even if it starts like a plug
MAX_ORIGIN_WORDS = 8  # a longer "name" is a clause, not an outlet
MAX_TAIL_WORDS = 12  # after the name, a credit line says little more ("and is republished here")
_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|monday|tuesday|wednesday|thursday|friday|saturday|sunday"
)
# Where a named origin ends: punctuation, a sentence end, a licence or date clause.
_ORIGIN_END = re.compile(
    r"\s*(?:[,;()\[\]|]|\s[-—–]\s|\.(?:\s|$)|$"
    r"|\s(?:under|with|unter|mit|sous|avec|bajo|con|под|за|and|und|et|y|и|і|та)\s"
    rf"|\s(?:on|am|le|el|the|в|у)\s+(?:\d|(?:{_MONTHS})\b)"
    r"|\s(?:erschienen|veröffentlicht|publiziert|übernommen)\b)",
    re.IGNORECASE,
)
_QUOTES = "\"'“”„«»‘’`*_ "


@lru_cache(maxsize=1)
def _raw() -> dict:
    return json.loads(
        resources.files("newstrace.data").joinpath("boilerplate.json").read_text("utf-8")
    )


@lru_cache(maxsize=1)
def _rules() -> tuple[tuple[str, str, str], ...]:
    raw = _raw()
    return tuple(
        (rule, lang, pattern)
        for rule, by_lang in raw["rules"].items()
        for lang, patterns in sorted(by_lang.items())
        for pattern in patterns
    )


def _origin_rules() -> tuple[tuple[str, str], ...]:
    return tuple(
        (lang, pattern)
        for lang, patterns in sorted(_raw().get("origin_credits", {}).items())
        for pattern in patterns
    )


@lru_cache(maxsize=1)
def _origin_pattern() -> FirstCharAlternation:
    """Every origin pattern in one alternation, in order: a match is the first pattern's match."""
    return FirstCharAlternation([p for _lang, p in _origin_rules()], re.IGNORECASE)


@lru_cache(maxsize=1)
def _combined() -> tuple[FirstCharAlternation, dict[str, str]]:
    """One alternation of every pattern, each in a named group ``r{n}``: one scan per sentence,
    of the rules that can start with its first character."""
    rules = _rules()
    names = {f"r{n}": rule for n, (rule, _lang, _p) in enumerate(rules)}
    return FirstCharAlternation([p for _r, _l, p in rules], re.IGNORECASE), names


def boilerplate_rule(sentence: str) -> str | None:
    """Return the name of the boilerplate rule ``sentence`` matches, or None."""
    s = sentence.strip().strip("—–-*_ ")
    if not s or len(s) > MAX_BOILERPLATE_CHARS:
        return None
    pattern, names = _combined()
    m = pattern.match(s)  # every rule is anchored at the start (or opens with .*)
    if m:
        return names[m.lastgroup]
    return "syndication_footer" if copy_credit(s) is not None else None


def rule_names() -> list[str]:
    """Return the sorted names of all boilerplate rules."""
    return sorted({rule for rule, _l, _p in _rules()} | {"syndication_footer"})


def copy_credit(sentence: str) -> str | None:
    """Return the outlet, site or domain a footer says its own article first appeared in, or None.

    "This article first appeared on renews.example." -> "renews.example";
    "Republished with permission from the Valley Herald under a CC licence."
    -> "the Valley Herald". None when ``sentence`` is no such footer: also
    when the "name" is a date ("First published in 1851, the paper ...") or
    a long clause follows it (the sentence is content).
    """
    s = sentence.strip().strip("—–-*_ ")
    if not s or len(s) > MAX_BOILERPLATE_CHARS:
        return None
    m = _origin_pattern().match(s)
    return _origin_name(s[m.end() :]) if m else None


def _origin_name(rest: str) -> str | None:
    rest = rest.lstrip(_QUOTES + ":")
    end = _ORIGIN_END.search(rest)
    cut = end.start() if end else len(rest)
    name = rest[:cut].strip(_QUOTES + ".:!")
    words = name.split()
    if not words or len(words) > MAX_ORIGIN_WORDS or not name[:1].isalpha():
        return None
    if len(rest[cut:].split()) > MAX_TAIL_WORDS:
        return None
    return name
