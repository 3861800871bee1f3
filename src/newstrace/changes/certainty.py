"""Certainty: hedges and modals, negation, correlation versus causation."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .base import Ctx, Found, make, quoted
from .lexicon import Lexicon, load
from .quotes import mask_quotes

CERTAIN = 3  # no hedge: stated as fact
_LEVEL_NAME = {
    1: "hedged",
    1.5: "a goal or intention",
    2: "expected or conditional",
    2.5: "scheduled",
    3: "stated as certain",
}
SCHEDULED = 2.5
# prior of a shift between "scheduled" and "will" or "expected": the same plan in other words
_NEAR_CERTAIN = 0.45
# "Yinson said the project would be installed": reported speech turns "will" into "would".
_BACKSHIFT = re.compile(
    r"\b(?:said|announced|stated|told\s+\w+|added|noted|explained|confirmed|reported|"
    r"wrote|indicated)\b(?:\s+(?:on\s+\w+|\w+day))?(?:\s+that)?\b[^.;!?]{0,80}\Z",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Certainty:
    """How sure a sentence is, with the words that say so."""

    level: float  # 1 hedged | 1.5 goal or intention | 2 expected/conditional | 3 certain
    hedge: Found | None
    booster: Found | None
    negations: tuple[Found, ...]
    causal: str | None  # correlational | causal | None
    causal_span: Found | None


def _found(m: re.Match) -> Found:
    return Found(m.start(), m.end(), m.group())


# "can't" is "ca" + "n't": after the modal "can" only "'t" is left.
_INABILITY = re.compile(r"\A(?:\s+not\b|n?['’]t\b|not\b)", re.IGNORECASE)
# "hadn ’ t" in text whose tokens were spaced out: the same "n't".
_SPACED_NT = re.compile(r"(?<=\w)n\s+['’]\s*t(?!\w)|(?<=\w)n['’]\s+t(?!\w)", re.IGNORECASE)


def _is_modal(m: re.Match, text: str) -> bool:
    # "May" in mid-sentence is the month, not the modal.
    if m.group()[:1].isupper() and m.start() > 0 and m.group().lower() == "may":
        return False
    # "could not say", "can't afford": an inability stated as fact, not a hedge.
    if m.group().lower() in ("could", "can") and _INABILITY.match(text[m.end() :]):
        return False
    return not (m.group().lower() == "would" and _BACKSHIFT.search(text[: m.start()]))


def _negated(hedge: Found | None, other: str) -> bool:
    """Return True when the hedge is "can" or "could" and ``other`` has it negated ("can't",
    "could not", "cannot"), as :func:`_is_modal` reads an inability."""
    if hedge is None or hedge.text.lower() not in ("can", "could"):
        return False
    modal = re.compile(rf"(?<!\w){re.escape(hedge.text)}", re.IGNORECASE)
    return any(_INABILITY.match(other[m.end() :]) for m in modal.finditer(other))


HEARSAY = 1  # "Der Minister soll Geld angenommen haben": he is said to have, as "allegedly"


def _hedge(lex: Lexicon, text: str) -> tuple[int, Found | None]:
    # German "soll" is a plan ("soll 2025 öffnen": is to open, listed as scheduled) unless a
    # perfect infinitive follows it in its clause: then it reports a claim.
    m = lex.hearsay.search(text)
    if m:
        word = re.match(r"\w+", m.group())
        return HEARSAY, Found(m.start(), m.start() + word.end(), word.group())
    for level, pattern in lex.hedge_levels:
        m = next((m for m in pattern.finditer(text) if _is_modal(m, text)), None)
        if m:
            return level, _found(m)
    return CERTAIN, None


def _negations(lex: Lexicon, text: str) -> tuple[Found, ...]:
    exempt = [(m.start(), m.end()) for m in lex.negation_exempt.finditer(text)]
    found = [
        m for m in lex.negation.finditer(text) if not any(s <= m.start() < e for s, e in exempt)
    ]
    found += [
        m for m in _SPACED_NT.finditer(text) if not any(s <= m.start() < e for s, e in exempt)
    ]
    return tuple(_found(m) for m in sorted(found, key=lambda m: m.start()))


def _causal(lex: Lexicon, text: str) -> tuple[str | None, Found | None]:
    # Blank correlational phrases first: "linked to reduced risk" holds a causal-looking word.
    rest = lex.correlational.sub(lambda m: " " * len(m.group()), text)
    m = lex.causal.search(rest)
    if m:
        return "causal", Found(m.start(), m.end(), text[m.start() : m.end()])
    m = lex.correlational.search(text)
    return ("correlational", _found(m)) if m else (None, None)


@lru_cache(maxsize=4096)
def certainty(text: str, lang: str) -> Certainty:
    """Return the certainty reading of one sentence."""
    lex = load(lang)
    level, hedge = _hedge(lex, text)
    boost = lex.booster.search(text)
    kind, span = _causal(lex, text)
    return Certainty(
        level, hedge, _found(boost) if boost else None, _negations(lex, text), kind, span
    )


def _describe(c: Certainty) -> str:
    words = f" ({quoted(c.hedge.text)})" if c.hedge else ""
    return _LEVEL_NAME[c.level] + words


def compare_certainty(a: str, b: str, ctx: Ctx, quotes_kept: bool = False) -> list:
    """Return certainty, negation and causality Changes between two sentences."""
    x, y = certainty(a, ctx.lang_a), certainty(b, ctx.lang_b)
    if quotes_kept:  # words inside a kept quote are the quote detector's business
        x, y = certainty(mask_quotes(a), ctx.lang_a), certainty(mask_quotes(b), ctx.lang_b)
    out = []
    # "Residents were asked to boil water" / "should boil water": an instruction, not a claim of
    # fact.
    directive = load(ctx.lang_a).directive.search(a) or load(ctx.lang_b).directive.search(b)
    # "can pay" / "can't pay": one change, the negation; the modal only lost its hedge by it.
    flipped = len(x.negations) % 2 != len(y.negations) % 2
    negated_modal = flipped and (_negated(x.hedge, b) or _negated(y.hedge, a))
    if x.level != y.level and not directive and not negated_modal:
        direction = "strengthened" if y.level > x.level else "weakened"
        near = SCHEDULED in (x.level, y.level) and min(x.level, y.level) >= 2
        out.append(
            make(
                "certainty",
                direction,
                "certainty",
                _describe(x),
                _describe(y),
                x.hedge or x.booster,
                y.hedge or y.booster,
                ctx,
                confidence=_NEAR_CERTAIN if near else 1.0,
            )
        )
    if flipped:
        added = len(y.negations) % 2 == 1
        a_neg, b_neg = (x.negations or (None,))[0], (y.negations or (None,))[0]
        out.append(
            make(
                "negation",
                "added" if added else "removed",
                "negation",
                quoted(a_neg.text) if a_neg else "affirmative",
                quoted(b_neg.text) if b_neg else "affirmative",
                a_neg,
                b_neg,
                ctx,
            )
        )
    if {x.causal, y.causal} == {"correlational", "causal"}:
        direction = "strengthened" if y.causal == "causal" else "weakened"
        out.append(
            make(
                "causality",
                direction,
                "claim",
                f"{x.causal} ({quoted(x.causal_span.text)})",
                f"{y.causal} ({quoted(y.causal_span.text)})",
                x.causal_span,
                y.causal_span,
                ctx,
            )
        )
    return out
