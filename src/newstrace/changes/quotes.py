"""Quotations: find quoted text in any common quote style and spot misquotes."""

from __future__ import annotations

import re
from functools import lru_cache

from .base import Ctx, Found, make, quoted

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
