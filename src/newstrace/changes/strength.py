"""Document-level claim strength, the scale science-news studies use.

0 no relationship, 1 correlational, 2 conditional causal ("may reduce"),
3 direct causal ("reduces"). Cues live in the lexicon under ``strength``;
languages without them fall back to the English cues.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from ..model import Change
from ..normalize.sentences import split_at_breaks
from .base import Ctx, Found, make
from .lexicon import alternation, compile_list, load
from .wordalign import tokens

_MODAL_REACH = 40  # characters before a causal cue in which a hedge governs it
_NEGATOR_REACH = 30  # characters before a cue searched for an adjacent negator
_NEVER = re.compile(r"(?!x)x")


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
    return _Cues(
        *(compile_list(cues.get(k, [])) for k in ("none", "correlational", "causal", "modal")),
        negator,
    )


@dataclass(frozen=True)
class Claim:
    """The main claim of one sentence: its strength 0-3 and the words that set it."""

    strength: int
    cue: Found  # the relationship cue, or the "no relationship" phrase
    hedge: Found | None = None  # the modal or negator that governs the cue


def _found(m: re.Match, offset: int = 0) -> Found:
    return Found(m.start() + offset, m.end() + offset, m.group())


def _governor(pattern: re.Pattern, text: str, at: int, reach: int) -> Found | None:
    lo = max(0, at - reach)
    m = pattern.search(text[lo:at])
    return _found(m, lo) if m else None


def _last_governor(pattern: re.Pattern, text: str, at: int, reach: int) -> Found | None:
    lo = max(0, at - reach)
    found = list(pattern.finditer(text[lo:at]))
    return _found(found[-1], lo) if found else None


def has_cues(lang: str | None) -> bool:
    """Return whether ``lang`` has strength cues of its own (others fall back to the English ones).

    An undetermined language ("und", None: a text too short to tell) counts as
    readable; a known language without a lexicon of its own does not.
    """
    if not lang or lang == "und":
        return True
    lex = load(lang)
    return lex.lang == lang.lower().split("-")[0].split("_")[0] and bool(lex.data.get("strength"))


def sentence_claim(text: str, lang: str = "en") -> Claim | None:
    """Return the main claim of one sentence, or None when it states no relationship.

    The first relationship cue is the main claim: "associated with large
    improvements" stays correlational, "improves" is causal. A negator right
    before it ("may not have improved", "without increasing") makes it 0; a
    hedge shortly before a causal cue ("may reduce") makes it 2.
    """
    cues = _cues(lang)
    none = cues.none.search(text)
    if none:
        return Claim(0, _found(none))
    corr = cues.correlational.search(text)
    # Correlational phrases often hold causal-looking words ("reduced risk"): blank them first.
    causal = cues.causal.search(cues.correlational.sub(lambda m: " " * len(m.group()), text))
    if corr and causal and corr.start() < causal.start():
        causal = None
    cue = causal or corr
    if cue is None:
        return None
    found = Found(cue.start(), cue.end(), text[cue.start() : cue.end()])
    negator = _governor(cues.negator, text, cue.start(), _NEGATOR_REACH)
    if negator:
        return Claim(0, found, negator)
    if causal:
        modal = _last_governor(cues.modal, text, causal.start(), _MODAL_REACH)
        return Claim(2, found, modal) if modal else Claim(3, found)
    return Claim(1, found)


def sentence_strength(text: str, lang: str = "en") -> int | None:
    """Return the claim strength 0-3 of one sentence, or None when it states no relationship."""
    claim = sentence_claim(text, lang)
    return claim.strength if claim else None


@lru_cache(maxsize=1024)
def claim_strength(text: str, lang: str = "en") -> float:
    """Return the strength 0-3 of the main claim of ``text`` (its first sentence that makes one).

    A text with no claim cue scores 1 (a plain observation).
    """
    for sentence in split_at_breaks(text.strip()):
        score = sentence_strength(sentence, lang)
        if score is not None:
            return float(score)
    return 1.0


def strength_shift(
    a: str, b: str, lang_a: str = "en", lang_b: str = "en", margin: float = 0.5
) -> str:
    """Return "strengthened", "weakened" or "same": how ``b`` states ``a``'s claim."""
    diff = claim_strength(b, lang_b) - claim_strength(a, lang_a)
    if diff > margin:
        return "strengthened"
    if diff < -margin:
        return "weakened"
    return "same"


LEVELS = {0: "no relationship", 1: "correlational", 2: "conditional causal", 3: "direct causal"}
# Detector prior by how far the claim moved on the 0-3 scale: one step ("may reduce" / "reduces") is
# more often a reading error of the cues than two or three ("linked to" / "cures").
_GAP_PRIOR = {1: 0.7, 2: 0.9, 3: 0.9}
# How sure the two sentences make one claim, by the share of the shorter side's content words the
# other side also uses: a paraphrase of one finding shares its subject and outcome words.
_TOPIC = ((0.25, 1.0), (0.1, 0.75), (1e-9, 0.45))
_NO_TOPIC = 0.3
_MIN_WORD = 3  # letters: shorter words are function words or units


def _describe(claim: Claim) -> str:
    words = " ".join(f.text for f in (claim.hedge, claim.cue) if f)
    return f"{LEVELS[claim.strength]} ('{words}')"


def _span(claim: Claim) -> Found:
    return claim.hedge if claim.hedge and claim.hedge.start < claim.cue.start else claim.cue


def topic_overlap(a: str, b: str, stopwords: frozenset) -> float:
    """Return the share of the shorter sentence's content-word keys (word-alignment keys) the other
    also has."""
    ka = {
        t.key
        for t in tokens(a)
        if len(t.key) >= _MIN_WORD and t.key not in stopwords and t.key.isalpha()
    }
    kb = {
        t.key
        for t in tokens(b)
        if len(t.key) >= _MIN_WORD and t.key not in stopwords and t.key.isalpha()
    }
    return len(ka & kb) / min(len(ka), len(kb)) if ka and kb else 0.0


def _topic_factor(overlap: float) -> float:
    return next((f for floor, f in _TOPIC if overlap >= floor), _NO_TOPIC)


def compare_strength(a: str, b: str, ctx: Ctx, stopwords: frozenset = frozenset()) -> list[Change]:
    """Return the claim-strength Change (type certainty) from claim sentence ``a`` to ``b``, or [].

    Strengths are read on the 0-3 scale. Both sentences must state a
    relationship: a side with no claim cue is no claim to weaken or strengthen
    (in news, "charged with killing" or "a fire badly damaged" against a
    sentence with no cue is an event, not a causal claim; on ECB+ same-event
    pairs every such flag read was false). The confidence is the prior of the
    size of the shift times how surely the two sentences state one claim
    (shared content words).
    """
    x, y = sentence_claim(a, ctx.lang_a), sentence_claim(b, ctx.lang_b)
    if x is None or y is None:
        return []
    sx, sy = x.strength, y.strength
    if sx == sy:
        return []
    direction = "strengthened" if sy > sx else "weakened"
    overlap = topic_overlap(a, b, stopwords) if ctx.lang_a == ctx.lang_b else 0.25
    conf = round(_GAP_PRIOR[abs(sy - sx)] * _topic_factor(overlap), 3)
    return [
        make(
            "certainty",
            direction,
            "claim strength",
            _describe(x),
            _describe(y),
            _span(x),
            _span(y),
            ctx,
            confidence=conf,
        )
    ]
