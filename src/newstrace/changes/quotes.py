"""Quotations: find quoted text in any common quote style and spot misquotes."""

from __future__ import annotations

import re
from dataclasses import replace
from difflib import SequenceMatcher
from functools import lru_cache

from ..model import Change
from .base import BECAME, Ctx, Found, make, quoted

# Each style: opening mark, body, closing mark. ‘…’ only at word edges, so
# apostrophes ("don’t") are not read as quote marks.
_QUOTE = re.compile(
    r"“(?P<a>[^“”]+)”|„(?P<b>[^„“”]+)[“”]|«(?P<c>[^«»]+)»|\"(?P<d>[^\"]+)\"|"
    r"(?:(?<=\s)|(?<=^)|(?<=\())‘(?P<e>[^‘’]+)’(?!\w)|‚(?P<f>[^‚‘]+)‘"
)
_PARTIAL = 0.6  # a quote this much shorter than its source is a partial quote
# Where a quote leaves the speaker's words: an ellipsis, or an editor's words in brackets
# ("[President Trump]" for "he"), which stand for words the reader is not shown.
_ELLIPSIS = re.compile(r"\[[^\[\]]*\]|\(\s*(?:\.\.\.|…)\s*\)|\.\.\.|…")


@lru_cache(maxsize=4096)
def find_quotes(text: str) -> tuple[Found, ...]:
    """Return the body of every quotation in ``text`` (marks excluded)."""
    out = []
    for m in _QUOTE.finditer(text):
        group = m.lastgroup
        out.append(Found(m.start(group), m.end(group), m.group(group)))
    return tuple(out)


def mask_quotes(text: str) -> str:
    """Return ``text`` with quotation bodies blanked (same length), so offsets still hold."""
    for q in find_quotes(text):
        text = text[: q.start] + " " * (q.end - q.start) + text[q.end :]
    return text


_SCALE = (
    (re.compile(r"(\d)\s*(?:million|mn|m)\b"), r"\1m"),
    (re.compile(r"(\d)\s*(?:billion|bn)\b"), r"\1bn"),
    (re.compile(r"(\d)\s*(?:per cent|percent|%)"), r"\1 percent"),
    (re.compile(r"(?<=\d),(?=\d{3})"), ""),
)


_SPACED = re.compile(r"(?<=\w) ?' ?(?=\w)")  # "It ’ s" in spaced-out text is "It's"


def fragments(body: str) -> list[str]:
    """Return the normalized pieces of a quote, split at ellipses and at an editor's bracketed
    words, case and edge punctuation dropped.

    House style is not a misquote: "€118 million" and "€118m", "40 per cent" and "40%", "can't"
    and "cant" read the same.
    """
    body = _SPACED.sub("'", body.lower().replace("’", "'").replace("‘", "'"))
    # An apostrophe lost in copying ("cant", "dont") is the same word.
    body = re.sub(r"(?<=\w)'(?=\w)", "", body)
    for pattern, repl in _SCALE:
        body = pattern.sub(repl, body)
    pieces = _ELLIPSIS.split(body)
    words = [" ".join(re.findall(r"[\w']+", p)) for p in pieces]
    return [w for w in words if w]


def _inside(small: list[str], big: str) -> bool:
    pos = 0
    for piece in small:
        pos = big.find(piece, pos)
        if pos < 0:
            return False
        pos += len(piece)
    return True


def faithful(x: str, y: str) -> bool:
    """Return whether one quote is the other, or an excerpt of it.

    An excerpt is marked with ellipses, or is a short fragment (a partial quote
    woven into the sentence). Dropping a few words silently is a misquote.
    """
    fx, fy = fragments(x), fragments(y)
    wx, wy = len(" ".join(fx).split()), len(" ".join(fy).split())
    if wx == wy or len(fx) > 1 or len(fy) > 1:
        return _inside(fy, " ".join(fx)) or _inside(fx, " ".join(fy))
    short, long_ = (fx, fy) if wx < wy else (fy, fx)
    partial = min(wx, wy) <= _PARTIAL * max(wx, wy)
    return partial and _inside(short, " ".join(long_))


def _overlap(x: str, y: str) -> float:
    wx, wy = set(" ".join(fragments(x)).split()), set(" ".join(fragments(y)).split())
    return len(wx & wy) / max(1, min(len(wx), len(wy)))


def pair_quotes(xs, ys) -> list[tuple[Found, Found]]:
    """Return quotes of A and B paired by word overlap (greedy, best first)."""
    scored = sorted(
        ((_overlap(x.text, y.text), i, j) for i, x in enumerate(xs) for j, y in enumerate(ys)),
        key=lambda t: (-t[0], t[1] + t[2], t[1], t[2]),
    )
    used_a, used_b, out = set(), set(), []
    for score, i, j in scored:
        if score >= 0.5 and i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            out.append((xs[i], ys[j]))
    return out


_WORDS = re.compile(r"[\w'’]+")
SHORT_QUOTE = 12  # words: a quote this short is shown whole; a longer one by its changed words


def _changed_words(x: Found, y: Found) -> tuple[Found, Found, int] | None:
    """Return the words around the first change between two quotes (one word of context on
    each side), as spans of the sentence, and how many other changed places the quotes have;
    None when the quotes' words are the same (only punctuation or case differs)."""
    wx, wy = list(_WORDS.finditer(x.text)), list(_WORDS.finditer(y.text))
    blocks = [
        op
        for op in SequenceMatcher(
            None, [m.group().lower() for m in wx], [m.group().lower() for m in wy], autojunk=False
        ).get_opcodes()
        if op[0] != "equal"
    ]
    if not blocks:
        return None
    _, i1, i2, j1, j2 = blocks[0]

    def window(found: Found, words: list, lo: int, hi: int) -> Found:
        lo, hi = max(0, lo - 1), min(len(words), hi + 1)
        if lo >= hi:  # the quote has no words left here
            return found
        start, end = found.start + words[lo].start(), found.start + words[hi - 1].end()
        text = found.text[words[lo].start() : words[hi - 1].end()]
        return Found(start, end, text)

    return window(x, wx, i1, i2), window(y, wy, j1, j2), len(blocks) - 1


def shown_by_changed_words(c: Change, a: str, b: str) -> Change:
    """Return misquote ``c`` (between sentences ``a`` and ``b``) shown by its changed words when
    its quotes are long: the spans and texts cover the first changed place and a word each side
    of it, so a reader sees what changed. Decided and scored on the whole quotes before this."""
    if c.type != "quote" or not c.explanation.startswith("quote: ") or not (c.a_span and c.b_span):
        return c
    x = Found(c.a_span.start, c.a_span.end, a[c.a_span.start : c.a_span.end])
    y = Found(c.b_span.start, c.b_span.end, b[c.b_span.start : c.b_span.end])
    if max(len(_WORDS.findall(x.text)), len(_WORDS.findall(y.text))) <= SHORT_QUOTE:
        return c
    narrowed = _changed_words(x, y)
    if narrowed is None:
        return c
    nx, ny, more = narrowed
    what = "quote, words changed" + (f" (and {more} more place(s))" if more else "")
    return replace(
        c,
        explanation=f"{what}: {quoted(nx.text)}{BECAME}{quoted(ny.text)}",
        a_span=replace(c.a_span, start=nx.start, end=nx.end),
        b_span=replace(c.b_span, start=ny.start, end=ny.end),
        a_text=nx.text,
        b_text=ny.text,
    )


def compare_quotes(a: str, b: str, ctx: Ctx) -> tuple[list, bool]:
    """Return (misquote Changes, whether any quote was paired). Only same-language pairs."""
    if ctx.lang_a != ctx.lang_b:
        return [], False
    pairs = pair_quotes(find_quotes(a), find_quotes(b))
    out = [
        make("quote", "changed", "quote", quoted(x.text), quoted(y.text), x, y, ctx)
        for x, y in pairs
        if not faithful(x.text, y.text)
    ]
    return out, bool(pairs)
