"""Meaning drift: what a derivative sentence changed from its source sentence.

``sentence_changes(a, b)`` compares one aligned pair; ``salience`` and
``classify_addition`` help the compare stage rank omissions and label
additions. All functions are pure; lexicons load once per language.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..model import Change
from .attribution import compare_attribution, find_source
from .base import Ctx, invert
from .certainty import compare_certainty
from .dates import compare_dates, date_spans
from .document import classify_addition, salience
from .entities import compare_entities
from .grounding import FLOOR, MEANING_MIN, confidence, prior
from .lexicon import load, own_lexicon
from .numbers import compare_bounds, compare_numbers, find_quantities, same_value
from .quotes import compare_quotes, shown_by_changed_words
from .scope import compare_links, compare_scope
from .strength import claim_strength, strength_shift
from .usage import used_only
from .wordalign import align_words

__all__ = [
    "FLOOR",
    "MEANING_MIN",
    "claim_strength",
    "classify_addition",
    "figure_changes",
    "invert",
    "salience",
    "sentence_changes",
    "strength_shift",
]

# A wire dateline, "VELMORA, Nov 3 (Northgate Wire) - ": a byline, not a claim.
_DATELINE = re.compile(r"\A\s*[A-Z][A-Z .'’-]+,[^()]{0,30}\([^()]{2,40}\)\s*[-–—]+\s")


def _norm(text: str) -> str:
    # str.split() cuts at every run of what ``\s`` matches, and drops the ends
    return " ".join(text.split()).casefold()


def _skip_spans(text: str, lang: str) -> tuple:
    # Entities inside attributions and dates are reported by those detectors; a dateline credits no
    # one.
    spans = list(date_spans(text, lang))
    dateline = _DATELINE.match(text)
    if dateline:
        spans.append((dateline.start(), dateline.end()))
    src = find_source(text, lang)
    if src:
        spans.append((src.found.start, src.found.end))
    return tuple(spans)


def _sort_key(c: Change):
    b = c.b_span.start if c.b_span else -1
    a = c.a_span.start if c.a_span else -1
    return (b, c.type, c.direction or "", a, c.explanation)


_CROSS_LANGUAGE = (
    0.6  # no word alignment across languages: a detector's word is only half the evidence
)


def _scored(changes: list[Change], wa, a: str, b: str, min_confidence: float) -> list[Change]:
    """Return ``changes`` with their confidence set, `meaning` only at or above MEANING_MIN."""
    out = []
    for c in changes:
        conf = (
            confidence(c, wa, a, b) if wa else round(prior(c) * c.confidence * _CROSS_LANGUAGE, 3)
        )
        if conf < min_confidence:
            continue
        severity = "meaning" if c.severity == "meaning" and conf >= MEANING_MIN else "cosmetic"
        out.append(replace(c, confidence=conf, severity=severity))
    return out


UNALIGNED = (
    0.8  # bounds of a shared figure between sentences the aligner did not pair: a little less sure
)


def shares_figure(a: str, b: str, lang_a: str = "en", lang_b: str = "en") -> bool:
    """Return whether ``a`` and ``b`` give one figure with the same value and the same named
    unit."""
    qa, qb = find_quantities(a, lang_a), find_quantities(b, lang_b)
    return any(
        x.unit and x.unit == y.unit and same_value(x.value, y.value, x.unit) for x in qa for y in qb
    )


def figure_changes(
    a: str,
    b: str,
    lang_a: str = "en",
    lang_b: str = "en",
    a_index: int = 0,
    b_index: int = 0,
    min_confidence: float = FLOOR,
) -> list[Change]:
    """Return the bound and period Changes of the figures two unpaired sentences share.

    For a derivative sentence the aligner left unpaired that restates a source
    figure ("500,000t" for "more than 500,000 tonnes CO2e annually"): the shared
    figure with its unit anchors the comparison; nothing else is compared.
    """
    ctx = Ctx(a_index, b_index, lang_a or "en", lang_b or "en")
    # Only figures whose unit is written on both sides ("500,000 households" is not "500,000
    # tonnes"); the check does not depend on the change, so it is made once.
    if not shares_figure(a, b, ctx.lang_a, ctx.lang_b):
        return []
    wa = align_words(a, b, load(ctx.lang_a).stopwords) if ctx.lang_a == ctx.lang_b else None
    found = [replace(c, confidence=UNALIGNED) for c in compare_bounds(a, b, ctx)]
    return sorted(_scored(found, wa, a, b, min_confidence), key=_sort_key)


def _known(lang: str | None, other: str | None) -> str:
    """Return ``lang``, or the other side's language when the detector could not tell ("und")."""
    if lang and lang != "und":
        return lang
    return other if other and other != "und" else "en"


def sentence_changes(
    a: str,
    b: str,
    lang_a: str = "en",
    lang_b: str = "en",
    a_index: int = 0,
    b_index: int = 0,
    min_confidence: float = FLOOR,
) -> list[Change]:
    """Return the Changes from source sentence ``a`` to derivative sentence ``b``.

    Spans are character offsets inside each sentence, tagged with ``a_index`` /
    ``b_index``. Every change carries a confidence; those below
    ``min_confidence`` are left out (pass 0 to see every candidate). Sorted by
    derivative span start, then type. Raises nothing for any text; unknown
    languages use the English lexicon.
    """
    if _norm(a) == _norm(b):
        return []
    return _detect(a, b, lang_a, lang_b, a_index, b_index, min_confidence)


def _detect(
    a: str, b: str, lang_a: str, lang_b: str, a_index: int, b_index: int, min_confidence: float
) -> list[Change]:
    """Run every detector on the two sentences (no shortcut for equal text)."""
    lang_a, lang_b = _known(lang_a, lang_b), _known(lang_b, lang_a)
    ctx = Ctx(a_index, b_index, lang_a, lang_b)
    same = ctx.lang_a == ctx.lang_b
    wa = align_words(a, b, load(ctx.lang_a).stopwords) if same else None
    quote_changes, quotes_kept = compare_quotes(a, b, ctx)
    out = (
        compare_numbers(a, b, ctx)
        + compare_dates(a, b, ctx)
        + compare_certainty(a, b, ctx, quotes_kept)
    )
    out += quote_changes + compare_attribution(a, b, ctx, speaker=quotes_kept)
    # Names are translated ("Harbour Bridge", "Hafenbrücke"), and they are read by capitals after
    # the language's own stopwords and titles: with the English ones, a Spanish "Para" or "Según"
    # opening a clause is a name.
    if same and own_lexicon(ctx.lang_a):
        out += compare_entities(a, b, ctx, _skip_spans(a, ctx.lang_a), _skip_spans(b, ctx.lang_b))
    # Bounds of a figure both sides give, causal links (grounded by the word alignment) and scope
    # read off the word alignment need no clause check.
    out = (
        used_only(out, a, b, ctx.lang_a, ctx.lang_b)
        + compare_bounds(a, b, ctx)
        + compare_links(a, b, ctx)
    )
    out += compare_scope(a, b, ctx, wa) if wa else []
    scored = _scored(out, wa, a, b, min_confidence)
    return sorted((shown_by_changed_words(c, a, b) for c in scored), key=_sort_key)
