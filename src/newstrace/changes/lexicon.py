"""Per-language word lists (JSON data files) compiled once into regexes.

A lexicon entry is a phrase: words separated by spaces, where a word ending
in ``*`` is a stem (matches any word ending). Matching is case-insensitive
and respects word boundaries.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

LANGS = ("en", "de", "ru", "uk")
QUALIFIER_CLASSES = ("upper", "lower", "approx", "exact")

# Never matches: used where a language has no entries for a list.
_NEVER = re.compile(r"(?!x)x")


def _body(phrase: str) -> str:
    words = []
    for word in phrase.split():
        stem = word.endswith("*")
        core = re.escape(word[:-1] if stem else word).replace("'", "['’]")
        words.append(core + (r"\w*" if stem else ""))
    return r"\s+".join(words)


def _edges(phrase: str) -> tuple[bool, bool]:
    # "n't" clings to its verb ("isn't"), so it has no left boundary.
    left = bool(re.match(r"\w", phrase)) and not phrase.startswith("n'")
    return left, bool(re.search(r"[\w*]$", phrase))


def phrase_regex(phrase: str) -> str:
    """Return the regex source for one lexicon phrase (stems end in ``*``)."""
    left, right = _edges(phrase)
    return (r"(?<!\w)" if left else "") + _body(phrase) + (r"(?!\w)" if right else "")


def alternation(phrases) -> str:
    """Return one non-capturing alternation, longest phrase first.

    Phrases bounded by word characters on both sides share one pair of
    boundary checks, which keeps big alternations fast.
    """
    ordered = sorted(set(phrases), key=lambda p: (-len(p), p))
    if not ordered:
        return r"(?!x)x"
    plain = [p for p in ordered if _edges(p) == (True, True)]
    other = [phrase_regex(p) for p in ordered if _edges(p) != (True, True)]
    parts = (
        [r"(?<!\w)(?:" + "|".join(_body(p) for p in plain) + r")(?!\w)"] if plain else []
    ) + other
    return "(?:" + "|".join(parts) + ")"


def compile_list(phrases) -> re.Pattern:
    """Return a case-insensitive pattern matching any of ``phrases``."""
    phrases = list(phrases)
    return re.compile(alternation(phrases), re.IGNORECASE) if phrases else _NEVER


def compile_map(mapping: dict) -> tuple[re.Pattern, list[tuple[re.Pattern, object]]]:
    """Return (pattern for any key, [(full-match pattern, value)]) to look values up."""
    lookups = [(re.compile(phrase_regex(k) + r"\Z", re.IGNORECASE), v) for k, v in mapping.items()]
    return compile_list(mapping), lookups


def lookup(lookups: list, text: str, default=None):
    """Return the value of the first key that fully matches ``text``."""
    for pattern, value in lookups:
        if pattern.match(text):
            return value
    return default


@dataclass(frozen=True)
class Lexicon:
    """The raw lists of one language plus the regexes compiled from them."""

    lang: str
    data: dict
    hedge_levels: tuple[tuple[int, re.Pattern], ...]
    qualifier_pre: re.Pattern
    qualifier_post: re.Pattern
    negation: re.Pattern
    negation_exempt: re.Pattern
    correlational: re.Pattern
    causal: re.Pattern
    booster: re.Pattern
    directive: re.Pattern
    attribution_verb: re.Pattern
    report_verb: re.Pattern
    according_to: re.Pattern
    citing: re.Pattern  # "citing", "unter Berufung auf": a reporter's source, not a credit
    hearsay: re.Pattern  # raw regexes: "soll ... angenommen haben" (is said to have), level 1
    anonymous: re.Pattern
    outlet: re.Pattern
    outlet_noun: re.Pattern
    title: re.Pattern
    role: re.Pattern
    legal: re.Pattern
    framing: re.Pattern
    stopwords: frozenset

    def words(self, key: str) -> list:
        """Return the list (or mapping) ``key``, empty when the language lacks it."""
        return self.data.get(key) or []


def _raw_union(patterns: list) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE) if patterns else _NEVER


def _read(name: str) -> dict:
    path = resources.files("newstrace.changes") / "lexicons" / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def _qualifier_pattern(groups: dict, anchor_end: bool) -> re.Pattern:
    parts = [f"(?P<{c}>{alternation(groups[c])})" for c in QUALIFIER_CLASSES if groups.get(c)]
    if not parts:
        return _NEVER
    body = "(?:" + "|".join(parts) + ")"
    # Qualifiers sit right before (or right after) the figure they bound.
    source = body + r"[\s\u00a0]*\Z" if anchor_end else r"\A[\s\u00a0-]*" + body
    return re.compile(source, re.IGNORECASE)


def own_lexicon(lang: str | None) -> bool:
    """Return whether ``lang`` is read with a lexicon of its own (an undetermined language, None or
    "und", counts as English); :func:`load` gives the others the English one."""
    return not lang or lang == "und" or lang.lower().split("-")[0].split("_")[0] in LANGS


@cache
def load(lang: str | None) -> Lexicon:
    """Return the compiled lexicon for ``lang``; unknown languages get English."""
    lang = (lang or "en").lower().split("-")[0].split("_")[0]
    if lang not in LANGS:
        lang = "en"
    data = dict(_read("common"))
    own = _read(lang)
    data.update({k: v for k, v in own.items() if k not in ("unit_words",)})
    data["unit_words"] = {**data.get("unit_words", {}), **own.get("unit_words", {})}
    return _build(lang, data)


def _build(lang: str, data: dict) -> Lexicon:
    hedges = data.get("hedges", {})
    levels = tuple(
        (float(k), compile_list(v)) for k, v in sorted(hedges.items(), key=lambda kv: float(kv[0]))
    )
    outlets = data.get("outlets", [])
    return Lexicon(
        lang=lang,
        data=data,
        hedge_levels=levels,
        qualifier_pre=_qualifier_pattern(data.get("qualifiers", {}), anchor_end=True),
        qualifier_post=_qualifier_pattern(data.get("post_qualifiers", {}), anchor_end=False),
        negation=compile_list(data.get("negations", [])),
        negation_exempt=compile_list(data.get("negation_exempt", [])),
        correlational=compile_list(data.get("correlational", [])),
        causal=compile_list(data.get("causal", [])),
        booster=compile_list(data.get("boosters", [])),
        directive=compile_list(data.get("directives", [])),
        attribution_verb=compile_list(data.get("attribution_verbs", [])),
        report_verb=compile_list(data.get("report_verbs", [])),
        according_to=compile_list(data.get("according_to", [])),
        citing=compile_list(data.get("citing", [])),
        hearsay=_raw_union(data.get("hearsay", [])),
        anonymous=compile_list(data.get("anonymous_sources", [])),
        outlet=re.compile(alternation(outlets)) if outlets else _NEVER,
        outlet_noun=compile_list(data.get("outlet_nouns", [])),
        title=compile_list(data.get("titles", [])),
        role=compile_list(data.get("roles", [])),
        legal=compile_list(data.get("legal", [])),
        framing=compile_list(data.get("framing", [])),
        stopwords=frozenset(w.lower() for w in data.get("stopwords", [])),
    )


def script(text: str) -> str:
    """Return "cyrillic" when ``text`` has Cyrillic letters, else "latin"."""
    return "cyrillic" if re.search(r"[\u0400-\u04ff]", text) else "latin"
