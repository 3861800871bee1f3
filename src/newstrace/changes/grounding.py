"""Confidence of a change: is it grounded in the word alignment of its two sentences?

A detector proposes a change from what each sentence says; the word
alignment (``wordalign``) says whether the two spans really fill one slot.
The confidence is the detector's prior for that kind of change times how well
its spans are grounded, and how far the word alignment of a loose rewrite can
be trusted. A change whose own words anchor it (``anchored``: a figure in the
same phrase, a predicate negated in the same words) keeps its prior.
``meaning`` is kept only at or above MEANING_MIN.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..model import Change
from .wordalign import Slot, WordAlignment

# checked by 5-fold CV on the case set and leave-one-pair-out on the real dev pairs
# (bench/quality_drift.py)
MEANING_MIN = 0.5
FLOOR = 0.2  # below this a change is dropped unless the caller asks for every candidate

# Prior of each (type, direction): how often such a change, once grounded, changes what a reader
# believes.
_PRIOR = {("date", "vaguer"): 0.7, ("date", "more_precise"): 0.7}
# A name or figure only on one side is new or left-out material, seldom a change of what was kept...
_ONE_SIDED = {
    ("entity", "added"),
    ("entity", "removed"),
    ("number", "added"),
    ("number", "removed"),
}
_ONE_SIDED_PRIOR = 0.45
# ...unless it was a member of a list the other side cut or extended ("850 workers and 30
# apprentices"). (A comma alone is not enough: ", McNatt concluded" is a speaker tag, not a list
# member.)
_CONJUNCT = {"and", "or", "plus", "as", "&"}
_EXTRA = 3  # tokens dropped beyond the change's own span that still count as the same edit
# ...more for a source, whose title or role often follows it: "said Mara Kell, the chief engineer".
_EXTRA_FOR = {"attribution": 6, "third_source": 6, "speaker": 6}
_KEPT = ("equal", "moved")
_NEAR = 3  # tokens between a cue and the word it bounds ("more than 500,000 tonnes CO2e annually")
_CLOSE, _LOOSE = (
    0.5,
    0.3,
)  # share of the shorter sentence's words kept: a close rewrite, a loose one
_SWAP = 4  # tokens per side of a replacement that still reads as one word or phrase swapped
_SMALL = (
    6  # tokens: a dropped or added run this short inside kept words is an edit, longer is a clause
)
# Words that stand for a name already given: the slot is filled, nothing was lost.
_REFERRING = re.compile(
    r"\A(?:(?:the\s+)?(?:latter|former)|he|she|they|it|him|her|them|his|its|their|we|our|"
    r"the\s+(?:company|firm|group|developer|operator|government|minister|ministry|agency|partners?|"
    r"project|firm's|company's|group's))\Z",
    re.IGNORECASE,
)


# Changes whose spans are cue words (a hedge, "up to", "said") rather than the thing itself: a cue
# kept on one side leaves the change grounded by what happened on the other side alone.
_CUE_TYPES = {
    "certainty",
    "qualifier",
    "causality",
    "negation",
    "attribution",
    "third_source",
    "speaker",
    "scope",
}


def _ground_pair(wa: WordAlignment, c: Change, a: str, b: str) -> float:
    sa = wa.slot("a", c.a_span.start, c.a_span.end)
    sb = wa.slot("b", c.b_span.start, c.b_span.end)
    if sa is None or sb is None:
        return 0.5
    if sa.kind in _KEPT and sb.kind in _KEPT:
        return 0.1  # both sets of words were kept: the detector paired the wrong things
    # For a cue, the other span (a figure, a verb) counts as kept when some of its words are
    # ("500,000t").
    kept_a, kept_b = sa.kind in _KEPT or sa.kind == "mixed", sb.kind in _KEPT or sb.kind == "mixed"
    if c.type in _CUE_TYPES and (kept_a or kept_b) and not (kept_a and kept_b):
        side, slot, span = ("b", sb, c.b_span) if kept_a else ("a", sa, c.a_span)
        kept = sa if side == "b" else sb
        if _near(_range(wa, side, span.start, span.end), kept.other):
            # the cue sits right by its kept figure or verb: "more than 500,000 tonnes" became
            # "500,000t"
            return 1.0
        return _ground_one(
            slot, wa.other_text(side, slot, a if side == "b" else b), _count(wa, side, span)
        )
    if c.type == "causality" and c.explanation.startswith("causal link"):
        return (
            0.8  # "for a separate reason" against "because of": they contradict wherever they sit
        )
    if not (
        _meets(_range(wa, "b", c.b_span.start, c.b_span.end), sa.other)
        or _meets(_range(wa, "a", c.a_span.start, c.a_span.end), sb.other)
    ):
        return 0.25  # the two spans sit in different slots (an unrelated name paired with another)
    return 1.0 if sa.anchored or sb.anchored else 0.8


def _near(span: tuple[int, int], other: tuple[int, int]) -> bool:
    return span[0] <= other[1] + _NEAR and other[0] <= span[1] + _NEAR


def _meets(span: tuple[int, int], slot: tuple[int, int]) -> bool:
    # Same slot, or right next to it: "60 homes" became "up to 60 homes".
    return span[0] <= slot[1] and slot[0] <= span[1]


def _count(wa: WordAlignment, side: str, span) -> int:
    lo, hi = _range(wa, side, span.start, span.end)
    return hi - lo


def _ground_one(slot: Slot | None, other_text: str, span_tokens: int = 1, extra: int = 3) -> float:
    if slot is None:
        return 0.5
    if slot.kind in _KEPT:
        return 0.1  # the words are on the other side too: nothing was dropped
    if slot.kind == "replace":
        if _REFERRING.match(other_text.strip()):
            return 0.15
        small, other = slot.size, len(other_text.split())
        own = (
            small <= _SWAP or small - span_tokens <= extra
        )  # the replaced words are (mostly) the change's own
        if slot.anchored and (
            (own and other <= _SWAP) or (min(small, other) <= 1 and max(small, other) <= _SMALL)
        ):
            # A short swap between kept words ("after" became "because"), or new words where the
            # other side has only a comma or full stop ("." became ", prompting"): the same slot.
            return 0.9
        return (
            0.7 if small <= _SMALL else 0.45
        )  # a long rewrite: the change may sit in a clause never taken
    if slot.kind == "delete":
        if not slot.anchored:
            return 0.35  # at an edge of the kept text: a clause the other side never took
        # Grounded when what was dropped is the change's own words, or a short edit around them.
        return 1.0 if slot.size <= _SMALL or slot.size - span_tokens <= extra else 0.45
    return 0.5


def _range(wa: WordAlignment, side: str, start: int, end: int) -> tuple[int, int]:
    return wa.tok_range(side, start, end)


def grounding(c: Change, wa: WordAlignment, a: str, b: str) -> float:
    """Return how well ``c``'s spans are grounded in ``wa`` (0 not at all, 1 same slot)."""
    if c.a_span and c.b_span:
        return _ground_pair(wa, c, a, b)
    extra = _EXTRA_FOR.get(c.type, _EXTRA)
    if c.a_span:
        slot = wa.slot("a", c.a_span.start, c.a_span.end)
        return _ground_one(
            slot, wa.other_text("a", slot, b) if slot else "", _count(wa, "a", c.a_span), extra
        )
    if c.b_span:
        slot = wa.slot("b", c.b_span.start, c.b_span.end)
        return _ground_one(
            slot, wa.other_text("b", slot, a) if slot else "", _count(wa, "b", c.b_span), extra
        )
    return 0.5


def _conjunct(c: Change, wa: WordAlignment) -> bool:
    side, span = ("a", c.a_span) if c.a_span else ("b", c.b_span)
    slot = wa.slot(side, span.start, span.end) if span else None
    if slot is None or slot.kind != "delete" or not slot.anchored:
        return False
    keys = wa.keys(side, slot.own)
    return bool(keys) and (keys[0] in _CONJUNCT or keys[-1] in _CONJUNCT)


def prior(c: Change, wa: WordAlignment | None = None) -> float:
    """Return the prior of ``c``'s kind: how often it matters once grounded (a list member cut or
    added counts more)."""
    if (c.type, c.direction) in _ONE_SIDED:
        return 0.9 if wa is not None and _conjunct(c, wa) else _ONE_SIDED_PRIOR
    return _PRIOR.get((c.type, c.direction), 0.9)


# The word a figure counts: "23 pirates", "66-year-old", "270 MW hydrogen" (after the unit).
_COUNTED = re.compile(r"[\s-]*([^\W\d_]{3,})")


def counted(text: str, end: int) -> str | None:
    """Return the word right after a figure that ends at ``end`` (what it counts), casefolded and
    cut to five letters ("pirates", "year" of "-year-old"), or None."""
    m = _COUNTED.match(text, end)
    return m.group(1).casefold()[:5] if m else None


_BEFORE = re.compile(r"(\w+)\W*\Z")


def same_quantity(c: Change, a: str, b: str) -> bool:
    """Return True for a figure that changed value while it still stands in the same phrase: the
    word after it (what it counts) and the word before it are the same ("More than 50
    firefighters" became "More than 100 firefighters"; "por solo 2 votos", a margin, against
    "de 167 votos", a count, is not)."""
    if c.type != "number" or c.direction != "changed" or not (c.a_span and c.b_span):
        return False
    noun = counted(a, c.a_span.end)
    if noun is None or noun != counted(b, c.b_span.end):
        return False
    before_a = _BEFORE.search(a, 0, c.a_span.start)
    before_b = _BEFORE.search(b, 0, c.b_span.start)
    return (
        bool(before_a and before_b) and before_a.group(1).casefold() == before_b.group(1).casefold()
    )


# English auxiliaries a "not" follows (other languages' negations are not spans "not"/"never").
_AUX = frozenset(
    {"is", "are", "was", "were", "be", "been", "has", "have", "had", "will", "would", "can"}
    | {"could", "should", "do", "does", "did", "may", "might", "must"}
)
_AFTER = re.compile(r"\W*([^\W\d_]{3,})")


def negated_predicate(c: Change, a: str, b: str) -> bool:
    """Return True for a "not" (or "never") put into a predicate the other side states in the same
    words: "was charged" became "was not charged", however loosely the rest was reworded."""
    if c.type != "negation" or c.direction not in ("added", "removed"):
        return False
    text, span, other = (b, c.b_span, a) if c.direction == "added" else (a, c.a_span, b)
    if span is None or text[span.start : span.end].casefold() not in ("not", "never"):
        return False
    aux, verb = _BEFORE.search(text, 0, span.start), _AFTER.match(text, span.end)
    if aux is None or verb is None or aux.group(1).casefold() not in _AUX:
        return False
    said = rf"\b{re.escape(aux.group(1))}\s+{re.escape(verb.group(1))}\b"
    return re.search(said, other, re.IGNORECASE) is not None


@lru_cache(maxsize=4096)  # asked twice per change: by the clause check and by confidence
def anchored(c: Change, a: str, b: str) -> bool:
    """Return True when the words around the change say by themselves that both sides state the
    same thing (see :func:`same_quantity` and :func:`negated_predicate`): such a change is
    grounded however loosely the rest of its sentence was reworded."""
    return same_quantity(c, a, b) or negated_predicate(c, a, b)


def _kinship(c: Change, wa: WordAlignment) -> float:
    """Return how far a slot can be trusted: in a loose paraphrase, few words are shared and slots
    are guesses.

    A bound or period is exempt: the figure both sides give anchors it.
    """
    if c.type == "qualifier":
        return 1.0
    kept = wa.kept
    return 1.0 if kept >= _CLOSE else 0.75 if kept >= _LOOSE else 0.45


def confidence(c: Change, wa: WordAlignment, a: str, b: str) -> float:
    """Return the confidence in [0, 1] that ``c`` is a real, grounded change."""
    p = prior(c, wa) * c.confidence
    if anchored(c, a, b):
        return round(p, 3)
    return round(p * grounding(c, wa, a, b) * _kinship(c, wa), 3)
