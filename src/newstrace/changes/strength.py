"""Document-level claim strength, the scale science-news studies use.

0 no relationship, 1 correlational, 2 conditional causal ("may reduce"),
3 direct causal ("reduces"). Cues live in the lexicon under ``strength``;
languages without them fall back to the English cues.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import compile_list, load

_MODAL_REACH = 40  # characters before a causal cue in which a hedge governs it
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“‘(])")


@dataclass(frozen=True)
class _Cues:
    none: re.Pattern
    correlational: re.Pattern
    causal: re.Pattern
    modal: re.Pattern


@lru_cache(maxsize=None)
def _cues(lang: str) -> _Cues:
    lex = load(lang)
    cues = lex.data.get("strength") or load("en").data["strength"]
    return _Cues(*(compile_list(cues.get(k, [])) for k in ("none", "correlational", "causal", "modal")))


def sentence_strength(text: str, lang: str = "en") -> int | None:
    """Return the claim strength 0-3 of one sentence, or None when it states no relationship."""
    cues = _cues(lang)
    if cues.none.search(text):
        return 0
    # Correlational phrases often hold causal-looking words ("reduced risk"): blank them first.
    corr = cues.correlational.search(text)
    rest = cues.correlational.sub(" ", text)
    causal = cues.causal.search(rest)
    if causal:
        # A hedge counts only when it governs the causal cue: "may reduce", not "..., may be moderated".
        modal = cues.modal.search(text[max(0, causal.start() - _MODAL_REACH):causal.start()])
        return 2 if modal else 3
    if corr:
        return 1
    return None


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
