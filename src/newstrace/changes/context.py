"""Document context of a change: is what a sentence pair seems to drop or add really elsewhere?

A figure the derivative moved to another sentence is not dropped, and a
speaker named in the next sentence ("He said", "McNatt added") still owns
the claim. These checks read the neighbouring sentences of both articles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..model import Change
from .attribution import find_sources
from .grounding import MEANING_MIN
from .lexicon import load
from .numbers import find_quantities
from .quotes import find_quotes

ELSEWHERE = 0.2  # the figure or name is in the other article after all: a move, not a change
SPEAKER_NEAR = 0.3  # the source is credited in a neighbouring sentence of the other side
CREDITED_ELSEWHERE = (
    0.5  # the other side credits the same source elsewhere ("According to Equinor, ...")
)
_WORD = re.compile(r"[\w'’-]+")


@dataclass(frozen=True)
class Context:
    """What the two articles hold: every figure and word of their content, and the sentences near
    the pair."""

    a_figures: frozenset  # (unit, rounded value) of every figure in A's content
    b_figures: frozenset
    a_words: frozenset  # lower-cased words of A's content
    b_words: frozenset
    a_near: tuple[str, ...]
    b_near: tuple[str, ...]
    lang_a: str = "en"
    lang_b: str = "en"
    a_here: str = ""  # the compared sentences themselves, joined
    b_here: str = ""
    a_credited: frozenset = frozenset()  # name words of every source A credits anywhere
    b_credited: frozenset = frozenset()


def figures(texts, lang: str) -> frozenset:
    """Return the (unit, rounded value) of every figure in ``texts``, for :class:`Context`."""
    return frozenset((q.unit, round(q.value, 2)) for t in texts for q in find_quantities(t, lang))


def credited(texts, lang: str) -> frozenset:
    """Return the lower-cased name words of every source ``texts`` credit, for :class:`Context`."""
    return frozenset(
        n.replace("’", "'") for t in texts for src in find_sources(t, lang) for n in src.names
    )


def words(texts) -> frozenset:
    """Return the lower-cased words of ``texts``, for :class:`Context`."""
    raw = {w for t in texts for w in _WORD.findall(t)}  # each distinct word lowered once
    return frozenset(w.replace("’", "'") for w in map(str.lower, raw))


def _figure_in(text: str, lang: str, known: frozenset) -> bool:
    qs = find_quantities(text, lang)
    if not qs:
        return False
    q = qs[0]
    value = round(q.value, 2)
    # A bare count meets a figure of any unit; a figure with a unit needs that unit or none.
    return (
        (q.unit, value) in known
        or (None, value) in known
        or (q.unit is None and any(v == value for _, v in known))
    )


def _names(text: str, lang: str) -> set[str]:
    lex = load(lang)
    return {
        w.lower().replace("’", "'")
        for w in _WORD.findall(text)
        if w[:1].isupper()
        and w.lower() not in lex.stopwords
        and not lex.title.fullmatch(w)
        and not lex.role.fullmatch(w)
    }


def _named_in(text: str, lang: str, known) -> bool:
    names = _names(text, lang)
    if not names:
        return False
    if not isinstance(known, frozenset):
        known = words(known)
    return bool(names & known)


def _speaker_near(texts: tuple[str, ...], lang: str) -> bool:
    return any(s.kind == "pronoun" for t in texts for s in find_sources(t, lang))


def _credited_near(c: Change, ctx: Context) -> bool:
    """Whether B still credits the claim A attributed: by name nearby, by "he said", or by quoting
    it."""
    return (
        _named_in(c.a_text, ctx.lang_a, ctx.b_near)
        or _speaker_near(ctx.b_near, ctx.lang_b)
        or bool(find_quotes(ctx.a_here) and find_quotes(ctx.b_here))
    )


def factor(c: Change, ctx: Context) -> float:
    """Return the factor (1 when nothing is found elsewhere) to scale ``c``'s confidence by."""
    if (
        c.type == "number"
        and c.direction == "removed"
        and _figure_in(c.a_text, ctx.lang_a, ctx.b_figures)
    ):
        return ELSEWHERE
    if (
        c.type == "number"
        and c.direction == "added"
        and _figure_in(c.b_text, ctx.lang_b, ctx.a_figures)
    ):
        return ELSEWHERE
    if (
        c.type == "entity"
        and c.direction == "removed"
        and _named_in(c.a_text, ctx.lang_a, ctx.b_words)
    ):
        return ELSEWHERE
    if (
        c.type == "entity"
        and c.direction == "added"
        and _named_in(c.b_text, ctx.lang_b, ctx.a_words)
    ):
        return ELSEWHERE
    if c.type == "attribution" and c.direction == "removed" and _credited_near(c, ctx):
        return SPEAKER_NEAR
    if (
        c.type == "attribution"
        and c.direction == "removed"
        and _named_in(c.a_text, ctx.lang_a, ctx.b_credited)
    ):
        return CREDITED_ELSEWHERE
    if (
        c.type == "attribution"
        and c.direction == "added"
        and _named_in(c.b_text, ctx.lang_b, ctx.a_near)
    ):
        return SPEAKER_NEAR
    return 1.0


def in_context(changes, ctx: Context, min_confidence: float) -> list[Change]:
    """Return ``changes`` rescored by their document context, dropping those below
    ``min_confidence``."""
    out = []
    for c in changes:
        f = factor(c, ctx)
        if f == 1.0:
            out.append(c)
            continue
        conf = round(c.confidence * f, 3)
        if conf >= min_confidence:
            out.append(
                replace(
                    c,
                    confidence=conf,
                    severity="meaning"
                    if c.severity == "meaning" and conf >= MEANING_MIN
                    else "cosmetic",
                )
            )
    return out
