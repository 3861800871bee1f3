"""Run the drift detectors over every aligned group of sentences of a comparison.

Links form groups: a B sentence merged from several A sentences, and an A
sentence split over several B sentences, are each compared as one text, so
a figure that moved to the other half of a split is not reported as dropped.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace
from functools import lru_cache

from ..changes import FLOOR, figure_changes, sentence_changes
from ..changes.base import Ctx
from ..changes.context import Context, credited, figures, in_context, words
from ..changes.grounding import MEANING_MIN
from ..changes.lexicon import load
from ..changes.numbers import find_quantities
from ..changes.strength import compare_strength, has_cues, sentence_claim
from ..model import Alignment, Change, Document, Span
from ..unionfind import Groups

# content sentences: a text this short (an abstract's conclusion, a lead) states one main claim
SHORT = 3
_CROSS_LANGUAGE = 0.6  # no shared words to check across languages
MAX_GROUP = 4  # sentences per side; larger chains fall back to one link at a time
NEAR = 2  # sentences either side of a pair where a speaker may be credited instead

Parts = list[tuple[int, int, int]]  # (sentence index, offset in joined text, length)


def _join(doc: Document, indices: tuple[int, ...]) -> tuple[str, Parts]:
    """Return the sentences joined with single spaces, and where each one sits."""
    parts, offset, texts = [], 0, []
    for i in indices:
        text = doc.sentences[i].text
        parts.append((i, offset, len(text)))
        texts.append(text)
        offset += len(text) + 1
    return " ".join(texts), parts


def _locate(span: Span | None, parts: Parts) -> Span | None:
    """Map a span inside joined sentences to the sentence it starts in."""
    if span is None:
        return None
    for index, offset, length in parts:
        if offset <= span.start <= offset + length:
            start = span.start - offset
            return Span(index, start, min(length, max(start, span.end - offset)))
    return span


def _near(content: tuple, indices: tuple[int, ...], at: tuple[int, ...]) -> tuple[str, ...]:
    """Return the texts of the ``content`` sentences (whose indices, ascending, are ``at``) within
    NEAR of ``indices``."""
    lo, hi = min(indices) - NEAR, max(indices) + NEAR
    return tuple(s.text for s in content[bisect_left(at, lo) : bisect_right(at, hi)])


@dataclass(frozen=True)
class _Docs:
    """What the context checks read of both documents, computed once per comparison."""

    a_content: tuple
    b_content: tuple
    a_figures: frozenset
    b_figures: frozenset
    a_words: frozenset
    b_words: frozenset
    a_credited: frozenset
    b_credited: frozenset
    a_at: tuple[int, ...] = ()  # Sentence.i of each content sentence, ascending
    b_at: tuple[int, ...] = ()


def _docs(a: Document, b: Document) -> _Docs:
    ca, cb = a.content, b.content
    ta, tb = [s.text for s in ca], [s.text for s in cb]
    return _Docs(
        ca,
        cb,
        figures(ta, a.language),
        figures(tb, b.language),
        words(ta),
        words(tb),
        credited(ta, a.language),
        credited(tb, b.language),
        tuple(s.i for s in ca),
        tuple(s.i for s in cb),
    )


def group_changes(
    a: Document,
    b: Document,
    a_idx: tuple[int, ...],
    b_idx: tuple[int, ...],
    min_confidence: float = FLOOR,
    docs: _Docs | None = None,
) -> list[Change]:
    """Return the changes from A sentences ``a_idx`` to B sentences ``b_idx``, each side joined.

    Each change is rescored by its document context (a figure moved to another
    sentence, a speaker credited in the next one); those below ``min_confidence`` are dropped.
    """
    a_text, a_parts = _join(a, a_idx)
    b_text, b_parts = _join(b, b_idx)
    found = sentence_changes(
        a_text, b_text, a.language, b.language, a_idx[0], b_idx[0], min_confidence=0
    )
    out = [
        replace(c, a_span=_locate(c.a_span, a_parts), b_span=_locate(c.b_span, b_parts))
        for c in found
    ]
    if len(a_idx) > 1:
        # A merged sentence can change each source differently ("may need" became
        # "will need" in the second); the detectors drop clauses the other side lacks.
        for i in a_idx:
            one = sentence_changes(
                a.sentences[i].text, b_text, a.language, b.language, i, b_idx[0], min_confidence=0
            )
            out += [replace(c, b_span=_locate(c.b_span, b_parts)) for c in one]
    if not out:
        return out
    d = docs or _docs(a, b)
    ctx = Context(
        d.a_figures,
        d.b_figures,
        d.a_words,
        d.b_words,
        _near(d.a_content, a_idx, d.a_at),
        _near(d.b_content, b_idx, d.b_at),
        a.language,
        b.language,
        a_text,
        b_text,
        d.a_credited,
        d.b_credited,
    )
    out = in_context(out, ctx, min_confidence)
    # "26 September 2013, 10:00 (GMT+05:00)": a page's date line states no claim
    return [
        replace(c, severity="cosmetic")
        if c.type in ("number", "date") and _dateline(c, a, b)
        else c
        for c in out
    ]


def _dateline(c: Change, a: Document, b: Document) -> bool:
    """Return True when the sentence either side of ``c`` sits in is a date or time line."""
    return any(
        span is not None and _stamp(doc.sentences[span.sentence].text, doc.language)
        for span, doc in ((c.a_span, a), (c.b_span, b))
    )


STAMP_WORDS = 3  # fewer words than this, besides dates, times and zones: a date line


def _stamp(text: str, lang: str) -> bool:
    """Return True when ``text`` is a date or time line: almost no words but calendar ones."""
    calendar = _calendar(lang)
    said = [w for w in re.findall(r"[^\W\d_]{2,}", text.lower()) if w not in calendar]
    return len(said) < STAMP_WORDS and bool(re.search(r"\d", text))


@lru_cache(maxsize=16)
def _calendar(lang: str | None) -> frozenset:
    """Return the words a date line may hold besides figures: months, weekdays, time words."""
    lex = load(lang)
    words_ = {*lex.words("months"), *lex.words("weekdays"), *lex.words("time_words")}
    return frozenset(
        words_ | {"updated", "published", "posted", "est", "edt", "pst", "pdt", "et", "bst"}
    )


def unpaired_changes(
    a: Document, b: Document, alignment: Alignment, min_confidence: float = FLOOR
) -> list[Change]:
    """Return bound/period changes of figures that B sentences the aligner left unpaired share with
    A."""
    out, keys = [], [(s, _figures(s.text, a.language)) for s in a.content]
    for link in alignment.links:
        if link.a or link.label != "new":
            continue
        text = b.sentences[link.b].text
        mine = _figures(text, b.language)
        for s, theirs in keys:
            shared = mine & theirs
            if shared:
                found = figure_changes(
                    s.text, text, a.language, b.language, s.i, link.b, min_confidence
                )
                # Only changes to the shared figure itself: sharing "675GWh" says nothing of the
                # sentences' other figures ("500,000 tonnes" against "500,000 households").
                out += [c for c in found if _figures(c.b_text, b.language) & shared]
    return out


def _figures(text: str, lang: str) -> set:
    # Rounded so that 500,000 tonnes and 500,000t meet; figure_changes checks the values exactly.
    return {(q.unit, round(q.value, 2)) for q in find_quantities(text, lang) if q.unit}


def link_groups(alignment: Alignment) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Return (A indices, B indices) of each connected group of links, in B order."""
    groups = Groups()
    for link in alignment.links:
        for i in link.a:
            groups.add(("a", i))
            groups.add(("b", link.b))
            groups.union(("a", i), ("b", link.b))
    out = []
    for nodes in groups.groups().values():
        a_idx = tuple(sorted(i for side, i in nodes if side == "a"))
        b_idx = tuple(sorted(i for side, i in nodes if side == "b"))
        out.append((a_idx, b_idx))
    return sorted(out, key=lambda g: g[1])


def _split_large(
    alignment: Alignment, group, repeat: bool = False
) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Return ``group`` whole, or one part per link when it is too large or when its B sentences
    ``repeat`` one A sentence (see :func:`_repeats`)."""
    a_idx, b_idx = group
    if len(a_idx) <= MAX_GROUP and len(b_idx) <= MAX_GROUP and not repeat:
        return [group]
    return [(link.a, (link.b,)) for link in alignment.links if link.b in b_idx and link.a]


REPEAT_SHARE = 0.5  # share of the smaller side's words from A two B sentences must have in common


def _repeats(a: Document, b: Document, a_idx: tuple[int, ...], b_idx: tuple[int, ...]) -> bool:
    """Return True when two B sentences of a one-A-sentence group carry mostly the same words of
    it: B said the sentence twice (a quote repeated), not split it in two.

    Joined, a repeat doubles every cue ("not yet known" twice against once reads as a negation
    added), so such a group is compared link by link.
    """
    if len(a_idx) != 1 or len(b_idx) < 2:
        return False
    source = words([a.sentences[a_idx[0]].text])
    taken = [words([b.sentences[i].text]) & source for i in b_idx]
    return any(
        len(x & y) >= REPEAT_SHARE * min(len(x), len(y)) > 0
        for k, x in enumerate(taken)
        for y in taken[k + 1 :]
    )


def _contradicts(c: Change) -> bool:
    """Return True for a change that makes a restatement say the opposite or another figure."""
    return c.type == "negation" or (c.type == "number" and c.direction == "changed")


def _unique(changes: list[Change]) -> list[Change]:
    """Return ``changes`` without repeats (a meaning change, then the surest, kept): the same
    type, direction and spans, the same change to one A span found in two B sentences, or the
    same change said twice in one pair of sentences ("Episode 7 Recap ... episode 7 recap"
    against "Episode 8 Recap ... episode 8 recap" is one change)."""
    seen, out = set(), []
    sentence = lambda span: span.sentence if span else None
    for c in sorted(changes, key=lambda c: (c.severity != "meaning", -c.confidence)):
        key = (c.type, c.direction, c.a_span, c.b_span)
        said = (c.type, c.direction, c.explanation, sentence(c.a_span), sentence(c.b_span))
        # One change to one A sentence that B repeats in two sentences is one change.
        again = (c.type, c.direction, c.explanation, c.a_span) if c.a_span else key
        if key not in seen and said not in seen and again not in seen:
            seen.update((key, said, again))
            out.append(c)
    return out


def _main_claim(doc: Document) -> int | None:
    """Return the index of the first content sentence that states a relationship, else of the first
    one."""
    content = doc.content
    hit = next((s.i for s in content if sentence_claim(s.text, doc.language)), None)
    return hit if hit is not None else (content[0].i if content else None)


def claim_changes(a: Document, b: Document, min_confidence: float = FLOOR) -> list[Change]:
    """Return the claim-strength change between the main claims of two short texts, or [].

    Short texts (at most SHORT content sentences each) state one main claim,
    and their paraphrases seldom align sentence to sentence, so the first
    claim sentence of each side is compared whether or not the aligner paired
    them. ``meaning`` only at or above MEANING_MIN.
    """
    if not (0 < len(a.content) <= SHORT and 0 < len(b.content) <= SHORT):
        return []
    ctx = Ctx(0, 0, a.language or "en", b.language or "en")
    if not (has_cues(ctx.lang_a) and has_cues(ctx.lang_b)):
        return []  # English cues read on another language would find "no claim" and flag a shift
    i, j = _main_claim(a), _main_claim(b)
    ctx = Ctx(i, j, ctx.lang_a, ctx.lang_b)
    stop = load(ctx.lang_a).stopwords if ctx.lang_a == ctx.lang_b else frozenset()
    out = []
    for c in compare_strength(a.sentences[i].text, b.sentences[j].text, ctx, stop):
        conf = (
            c.confidence if ctx.lang_a == ctx.lang_b else round(c.confidence * _CROSS_LANGUAGE, 3)
        )
        if conf >= min_confidence:
            out.append(
                replace(
                    c, confidence=conf, severity="meaning" if conf >= MEANING_MIN else "cosmetic"
                )
            )
    return out


def _new_claims(claims: list[Change], found: list[Change]) -> list[Change]:
    """Return the claim changes whose direction no aligned certainty or causality change already
    reports.

    Two short texts make one main claim, so a hedge change of their aligned
    sentences ("may reduce" became "reduces") is the same shift.
    """
    said = {c.direction for c in found if c.type in ("certainty", "causality")}
    return [c for c in claims if c.direction not in said]


EDITION_MIN = 2  # changed figures from which a pair whose figures mostly differ is two editions
# Said in the explanation's "what" part, so that ``invert`` still swaps its two sides.
_EDITION_NOTE = " (two editions of a recurring report, most figures differ)"


def _figure_values(doc: Document, indices) -> set:
    return {
        round(q.value, 4)
        for i in indices
        for q in find_quantities(doc.sentences[i].text, doc.language)
    }


def _editions(changes: list[Change], a: Document, b: Document, alignment: Alignment) -> list:
    """Return ``changes`` with figure and date changes made cosmetic when most figures differ.

    A daily exchange-rate report, a police bulletin or an episode recap reuses
    last time's sentences with new figures: every figure of the matched
    sentences differs, and none of it is drift. A derivative that changes a
    figure keeps most of the others, so the changes are demoted only when at
    least ``EDITION_MIN`` distinct figures or dates changed and more changed
    than the matched sentences share. They stay listed, as cosmetic.
    """
    figure = lambda c: (
        c.severity == "meaning"
        and (c.type == "number" or (c.type == "date" and c.direction == "changed"))
    )
    changed = {(c.type, c.a_text, c.b_text) for c in changes if figure(c)}
    if len(changed) < EDITION_MIN:
        return changes
    linked = [link for link in alignment.links if link.a]
    kept = _figure_values(a, {i for link in linked for i in link.a}) & _figure_values(
        b, {link.b for link in linked}
    )
    if len(changed) <= len(kept):
        return changes
    return [
        replace(c, severity="cosmetic", explanation=_noted(c)) if figure(c) else c for c in changes
    ]


def _noted(c: Change) -> str:
    what, sep, rest = c.explanation.partition(": ")
    return f"{what}{_EDITION_NOTE}{sep}{rest}"


def document_changes(
    a: Document, b: Document, alignment: Alignment, min_confidence: float = FLOOR
) -> tuple[Change, ...]:
    """Return the drift of every aligned group, meaning-changing first, then in B order.

    Changes below ``min_confidence`` are left out (0 keeps every candidate).
    """
    out, docs = [], _docs(a, b)
    score = {link.b: link.score for link in alignment.links}
    for group in link_groups(alignment):
        repeat = _repeats(a, b, *group)
        best = max(group[1], key=lambda i: (score.get(i, 0.0), -i))
        for a_idx, b_idx in _split_large(alignment, group, repeat):
            found = group_changes(a, b, a_idx, b_idx, min_confidence, docs)
            if repeat and b_idx != (best,):
                # B says the A sentence again, more loosely ("It's official: I'm hosting the
                # #Oscars!" beside the quote word for word): what its looser restatement changes
                # is shown, not flagged, unless the restatement contradicts it (a negation, or
                # the same figure with another value): B then says two things.
                found = [c if _contradicts(c) else replace(c, severity="cosmetic") for c in found]
            out.extend(found)
    out.extend(unpaired_changes(a, b, alignment, min_confidence))
    out.extend(_new_claims(claim_changes(a, b, min_confidence), out))
    out = _editions(_unique(out), a, b, alignment)
    key = lambda c: (c.severity != "meaning", c.b_span.sentence if c.b_span else -1, c.type)
    return tuple(sorted(out, key=key))
