"""Outlet names of an article and where another text credits them."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from urllib.parse import urlparse

from ..changes.attribution import find_sources
from ..model import Article

_SECOND_LEVEL = {
    "com",
    "net",
    "org",
    "co",
    "gov",
    "ac",
    "edu",
    "or",
    "ne",
    "go",
}  # news.bbc.co.uk -> bbc
_ALNUM = re.compile(r"[\W_]+", re.UNICODE)
CUE_WINDOW = 80  # characters between an outlet name and its attribution cue


def condense(text: str) -> str:
    """Return ``text`` case-folded with every non-alphanumeric character removed."""
    return _ALNUM.sub("", text.casefold())


def _site(value: str) -> str | None:
    """Return the site label of a URL or bare domain ("offshore-energy" for offshore-energy.biz)."""
    try:
        host = urlparse(value if "//" in value else f"//{value}").hostname or ""
    except ValueError:
        return None
    labels = host.removeprefix("www.").split(".")
    if len(labels) < 2:
        return None
    labels = labels[:-1]  # the top-level domain
    if len(labels) > 1 and labels[-1] in _SECOND_LEVEL:
        labels = labels[:-1]
    return labels[-1]


def outlet_names(article: Article) -> set[str]:
    """Return the condensed names an article's outlet goes by ("dailypost", "reuters").

    They come from the outlet field (a name, a domain or a URL), the URL's
    domain and a byline such as "Jane Roe, Reuters". A leading "the" is dropped.
    """
    names = set()
    if article.outlet:
        site = (
            _site(article.outlet)
            if "." in article.outlet and " " not in article.outlet.strip()
            else None
        )
        names.add(site or article.outlet)
    if article.url:
        site = _site(article.url)
        if site:
            names.add(site)
    if article.byline and "," in article.byline:
        names.add(article.byline.rsplit(",", 1)[1])
    out = {condense(re.sub(r"^\s*the\s+", "", n, flags=re.IGNORECASE)) for n in names}
    return {n for n in out if len(n) >= 2}


@lru_cache(maxsize=1)
def _media_words() -> frozenset[str]:
    raw = json.loads(
        resources.files("newstrace.data").joinpath("attribution_cues.json").read_text("utf-8")
    )
    return frozenset(raw["media_words"])


MAX_NAME_WORDS = 5  # a longer "name" is a clause the source finder swallowed


def credited_outlets(sentence: str, lang: str) -> list[str]:
    """Return the names of the outlets ``sentence`` credits ("the Valley Herald reported" -> "Valley
    Herald")."""
    out = []
    for src in find_sources(sentence, lang):
        words = re.findall(r"\w+", src.name)
        if (src.kind == "outlet" or _media_words() & {w.casefold() for w in words}) and len(
            words
        ) <= MAX_NAME_WORDS:
            name = re.sub(r"^\s*the\s+", "", src.name, flags=re.IGNORECASE).strip()
            if len(condense(name)) >= 2:
                out.append(name)
    return out


def credits_an_outlet(sentence: str, lang: str) -> bool:
    """Return True when ``sentence`` credits another outlet ("the Valley Herald reported",
    "according to the X Times")."""
    return bool(credited_outlets(sentence, lang))


@lru_cache(maxsize=1)
def _cue_patterns() -> tuple[re.Pattern, re.Pattern]:
    raw = json.loads(
        resources.files("newstrace.data").joinpath("attribution_cues.json").read_text("utf-8")
    )
    cues = sorted({c for group in raw["cues"].values() for c in group}, key=len, reverse=True)
    any_cue = re.compile(r"(?<!\w)(" + "|".join(cues) + r")(?!\w)", re.IGNORECASE)
    first = re.compile("|".join(re.escape(c) for c in raw["first_cues"]), re.IGNORECASE)
    return any_cue, first


def _name_positions(sentence: str, name: str) -> list[int]:
    """Return character positions in ``sentence`` where condensed ``name`` starts."""
    if len(name) <= 4:  # short names (AP, BBC, dpa) must stand as a whole word
        return [
            m.start()
            for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", sentence, re.IGNORECASE)
        ]
    positions, spaced = [], re.compile(r"[\W_]*".join(re.escape(ch) for ch in name), re.IGNORECASE)
    for m in spaced.finditer(sentence):
        positions.append(m.start())
    return positions


def mentions_any(sentence: str, names: set[str]) -> bool:
    """Return True when ``sentence`` names one of the condensed outlet ``names``."""
    return any(_name_positions(sentence, n) for n in names)


def has_cue(sentence: str) -> bool:
    """Return True when ``sentence`` holds an attribution cue ("reports", "according to")."""
    return _cue_patterns()[0].search(sentence) is not None


def credits(sentence: str, names: set[str]) -> tuple[str, bool] | None:
    """Return (name, is_first_report) if ``sentence`` credits one of ``names``, else None."""
    any_cue, first = _cue_patterns()
    for name in sorted(names):
        for pos in _name_positions(sentence, name):
            lo, hi = max(0, pos - CUE_WINDOW), pos + len(name) + CUE_WINDOW
            if any_cue.search(sentence[lo:hi]):
                return name, bool(first.search(sentence))
    return None
