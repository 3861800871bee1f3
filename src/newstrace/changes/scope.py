"""Scope and causal links: the words that say how much a claim covers, and why something happened.

Scope is read off the word alignment: a restriction the derivative cut from
a kept phrase ("imports of a key component from the firm" became "imports
from the firm") widens the claim; one it added narrows it. A causal link
("because of", "prompting") on one side only, where the other side has none
or says the reason is separate, is a causal claim added or removed.
"""

from __future__ import annotations

import re
from functools import cache

from .base import Ctx, Found, make, quoted
from .lexicon import compile_list, load
from .wordalign import WordAlignment

_MAX_RUN = 6  # tokens: a longer cut is a clause left out, not a narrower phrase
_PP_HEAD = {"of"}
_DETERMINERS = {
    "a",
    "an",
    "the",
    "its",
    "their",
    "his",
    "her",
    "some",
    "certain",
    "one",
    "two",
    "three",
    "these",
    "those",
    "this",
    "that",
    "several",
    "key",
}
_PP_NEXT = {
    "from",
    "in",
    "by",
    "to",
    "at",
    "for",
    "on",
    "with",
    "under",
    "into",
    "over",
    ".",
    ",",
    ";",
}
PP_PRIOR = 0.6  # an "of ..." restriction cut from a kept phrase: often scope, sometimes just style
_SEPARATE = 1.0  # the other side says the reason is separate: the link is surely new
_LINK = 0.8


@cache
def _lists(lang: str):
    lex = load(lang)
    return (
        compile_list(lex.words("scope_narrow")),
        compile_list(lex.words("scope_wide")),
        compile_list(lex.words("causal_links")),
        compile_list(lex.words("non_causal_links")),
    )


def _text(toks, lo: int, hi: int, text: str) -> Found | None:
    if lo >= hi:
        return None
    return Found(toks[lo].start, toks[hi - 1].end, text[toks[lo].start : toks[hi - 1].end])


def _is_pp(wa: WordAlignment, side: str, lo: int, hi: int) -> bool:
    toks = wa.a if side == "a" else wa.b
    run = [t.key for t in toks[lo:hi]]
    before = toks[lo - 1].key if lo else ""
    after = toks[hi].key if hi < len(toks) else "."
    # "of a key component", "of its shares": a determiner marks a restricting reference;
    # "memorandum of understanding" is one name.
    return (
        len(run) >= 3
        and run[0] in _PP_HEAD
        and (run[1] in _DETERMINERS or run[1][:1].isdigit())
        and before.isalpha()
        and after in _PP_NEXT
        and any(len(k) > 3 for k in run[2:])
    )


def _cut(wa, side, lo, hi, text, narrow) -> tuple[str, float] | None:
    """Return (kind, prior) when the run [lo, hi) cut on ``side`` is a restriction of scope."""
    found = _text(wa.a if side == "a" else wa.b, lo, hi, text)
    if found is None or hi - lo > _MAX_RUN:
        return None
    if narrow.fullmatch(found.text):
        return "restriction", 1.0
    if _is_pp(wa, side, lo, hi):
        return "restriction", PP_PRIOR
    return None


def _anchored(wa: WordAlignment, k: int) -> bool:
    # Kept words (or the sentence edge) on both sides: the run sits inside a phrase both sides
    # share.
    ops = wa.ops
    return (
        (k == 0 or ops[k - 1][0] == "equal")
        and (k == len(ops) - 1 or ops[k + 1][0] == "equal")
        and len(ops) > 1
    )


def compare_scope(a: str, b: str, ctx: Ctx, wa: WordAlignment) -> list:
    """Return scope Changes: a restriction cut (widened) or added (narrowed), or "some" became
    "all"."""
    narrow, wide, _, _ = _lists(ctx.lang_a)
    out = []
    for k, (tag, i1, i2, j1, j2) in enumerate(wa.ops):
        if tag == "equal" or not _anchored(wa, k):
            continue
        if tag == "delete" and (hit := _cut(wa, "a", i1, i2, a, narrow)):
            x = _text(wa.a, i1, i2, a)
            out.append(
                make(
                    "scope",
                    "widened",
                    "scope",
                    quoted(x.text),
                    "none",
                    x,
                    None,
                    ctx,
                    confidence=hit[1],
                )
            )
        elif tag == "insert" and (hit := _cut(wa, "b", j1, j2, b, narrow)):
            y = _text(wa.b, j1, j2, b)
            out.append(
                make(
                    "scope",
                    "narrowed",
                    "scope",
                    "none",
                    quoted(y.text),
                    None,
                    y,
                    ctx,
                    confidence=hit[1],
                )
            )
        elif tag == "replace" and max(i2 - i1, j2 - j1) <= 3:
            x, y = _text(wa.a, i1, i2, a), _text(wa.b, j1, j2, b)
            if narrow.fullmatch(x.text) and wide.fullmatch(y.text):
                out.append(
                    make("scope", "widened", "scope", quoted(x.text), quoted(y.text), x, y, ctx)
                )
            elif wide.fullmatch(x.text) and narrow.fullmatch(y.text):
                out.append(
                    make("scope", "narrowed", "scope", quoted(x.text), quoted(y.text), x, y, ctx)
                )
    return out


_SCHEDULE = re.compile(r"(?:\b(?:is|are|was|were|be|been|being|not)|['’]s)\s+\Z", re.IGNORECASE)


def _links(pattern: re.Pattern, text: str) -> list[Found]:
    # "The plant is due to open in May": a schedule, not a cause.
    return [
        Found(m.start(), m.end(), m.group())
        for m in pattern.finditer(text)
        if not (m.group().lower().startswith("due") and _SCHEDULE.search(text[: m.start()]))
    ]


def compare_links(a: str, b: str, ctx: Ctx) -> list:
    """Return causality Changes for a causal link only one side makes ("for a separate reason" /
    "because of")."""
    _, _, causal, separate = _lists(ctx.lang_a)
    _, _, causal_b, separate_b = _lists(ctx.lang_b)
    xs, ys = _links(causal, a), _links(causal_b, b)
    if bool(xs) == bool(ys):
        return []
    prior = _SEPARATE if separate.search(a) or separate_b.search(b) else _LINK
    if ys:
        sep = separate.search(a)
        x = Found(sep.start(), sep.end(), sep.group()) if sep else None
        return [
            make(
                "causality",
                "added",
                "causal link",
                quoted(x.text) if x else "no causal link",
                quoted(ys[0].text),
                x,
                ys[0],
                ctx,
                confidence=prior,
            )
        ]
    sep = separate_b.search(b)
    y = Found(sep.start(), sep.end(), sep.group()) if sep else None
    return [
        make(
            "causality",
            "removed",
            "causal link",
            quoted(xs[0].text),
            quoted(y.text) if y else "no causal link",
            xs[0],
            y,
            ctx,
            confidence=prior,
        )
    ]
