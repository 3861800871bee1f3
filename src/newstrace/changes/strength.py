"""Document-level claim strength, the scale science-news studies use.

0 no relationship, 1 correlational, 2 conditional causal ("may reduce"),
3 direct causal ("reduces"). Cues live in the lexicon under ``strength``;
languages without them fall back to the English cues.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from .lexicon import alternation, compile_list, load

_MODAL_REACH = 40  # characters before a causal cue in which a hedge governs it
_NEGATOR_REACH = 30  # characters before a cue searched for an adjacent negator
_NEVER = re.compile(r"(?!x)x")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“‘(])")


@dataclass(frozen=True)
class _Cues:
    none: re.Pattern
    correlational: re.Pattern
    causal: re.Pattern
    modal: re.Pattern
    negator: re.Pattern  # anchored: matches only a negator that ends right before the cue


@cache
def _cues(lang: str) -> _Cues:
    lex = load(lang)
    cues = lex.data.get("strength") or load("en").data["strength"]
    negators = cues.get("negators")
    negator = re.compile(alternation(negators) + r"\s*\Z", re.IGNORECASE) if negators else _NEVER
    return _Cues(*(compile_list(cues.get(k, [])) for k in ("none", "correlational", "causal", "modal")), negator)


def _governed(pattern: re.Pattern, text: str, at: int, reach: int) -> bool:
    return pattern.search(text[max(0, at - reach):at]) is not None


def sentence_strength(text: str, lang: str = "en") -> int | None:
    """Return the claim strength 0-3 of one sentence, or None when it states no relationship.

    The first relationship cue is the main claim: "associated with large
    improvements" stays correlational, "improves" is causal. A negator right
    before it ("may not have improved", "without increasing") makes it 0; a
    hedge shortly before a causal cue ("may reduce") makes it 2.
    """
    cues = _cues(lang)
    if cues.none.search(text):
        return 0
    corr = cues.correlational.search(text)
    # Correlational phrases often hold causal-looking words ("reduced risk"): blank them first.
    causal = cues.causal.search(cues.correlational.sub(lambda m: " " * len(m.group()), text))
    if corr and causal and corr.start() < causal.start():
        causal = None
    cue = causal or corr
    if cue is None:
        return None
    if _governed(cues.negator, text, cue.start(), _NEGATOR_REACH):
        return 0
    if causal:
        return 2 if _governed(cues.modal, text, causal.start(), _MODAL_REACH) else 3
    return 1


@lru_cache(maxsize=1024)
def claim_strength(text: str, lang: str = "en") -> float:
    """Return the strength 0-3 of the main claim of ``text`` (its first sentence that makes one).

    A text with no claim cue scores 1 (a plain observation).
    """
    for sentence in _SENTENCE.split(text.strip()):
        score = sentence_strength(sentence, lang)
        if score is not None:
            return float(score)
    return 1.0


def strength_shift(a: str, b: str, lang_a: str = "en", lang_b: str = "en", margin: float = 0.5) -> str:
    """Return "strengthened", "weakened" or "same": how ``b`` states ``a``'s claim."""
    diff = claim_strength(b, lang_b) - claim_strength(a, lang_a)
    if diff > margin:
        return "strengthened"
    if diff < -margin:
        return "weakened"
    return "same"
