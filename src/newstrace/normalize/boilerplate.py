"""Boilerplate recognition from data: syndication footers, credit lines, plugs.

Patterns live in ``newstrace/data/boilerplate.json`` (rule -> language ->
regexes) so that rules and languages can be added without code changes.
Every language's patterns are tried, since footers are often in another
language than the body (an English wire credit under a German story).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

MAX_BOILERPLATE_CHARS = 400  # a long sentence is content even if it starts like a plug


@lru_cache(maxsize=1)
def _rules() -> tuple[tuple[str, str, str], ...]:
    raw = json.loads(
        resources.files("newstrace.data").joinpath("boilerplate.json").read_text("utf-8")
    )
    return tuple(
        (rule, lang, pattern)
        for rule, by_lang in raw["rules"].items()
        for lang, patterns in sorted(by_lang.items())
        for pattern in patterns
    )


@lru_cache(maxsize=1)
def _combined() -> tuple[re.Pattern, dict[str, str]]:
    """One alternation of every pattern, each in a named group: one scan per sentence."""
    groups, names = [], {}
    for n, (rule, _lang, pattern) in enumerate(_rules()):
        names[f"r{n}"] = rule
        groups.append(f"(?P<r{n}>{pattern})")
    return re.compile("|".join(groups), re.IGNORECASE), names


def boilerplate_rule(sentence: str) -> str | None:
    """Return the name of the boilerplate rule ``sentence`` matches, or None."""
    s = sentence.strip().strip("—–-*_ ")
    if not s or len(s) > MAX_BOILERPLATE_CHARS:
        return None
    pattern, names = _combined()
    m = pattern.match(s)  # every rule is anchored at the start (or opens with .*)
    return names[m.lastgroup] if m else None


def rule_names() -> list[str]:
    """Return the sorted names of all boilerplate rules."""
    return sorted({rule for rule, _l, _p in _rules()})
