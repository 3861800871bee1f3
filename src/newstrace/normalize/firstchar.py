"""An ordered alternation of anchored patterns, tried only where its first character can match.

Python's ``re`` tries the alternatives of ``p1|p2|...`` one after another at
the start of the text, so one alternation of 55 boilerplate rules costs about
16 µs a sentence although nearly every sentence fails each rule at its first
character. :class:`FirstCharAlternation` reads, from each pattern's parse
tree, which characters its match can start with, and for a text starting
with character ``c`` matches the alternation of only the patterns that can
start with ``c``, in their order. The first pattern that matches is the same
as in the whole alternation (an alternative that cannot start with ``c``
cannot match), so results are identical; a pattern whose first character
cannot be read (``.*``, a back reference, an empty match) is always tried.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

try:  # Python 3.11+
    from re import _constants as _c
    from re import _parser as _parse
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _parse  # type: ignore[no-redef]

_CATEGORY = {
    _c.CATEGORY_DIGIT: r"\d",
    _c.CATEGORY_NOT_DIGIT: r"\D",
    _c.CATEGORY_SPACE: r"\s",
    _c.CATEGORY_NOT_SPACE: r"\S",
    _c.CATEGORY_WORD: r"\w",
    _c.CATEGORY_NOT_WORD: r"\W",
}
_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT} | (
    {_c.POSSESSIVE_REPEAT} if hasattr(_c, "POSSESSIVE_REPEAT") else set()
)
_ZERO_WIDTH = {_c.AT, _c.ASSERT, _c.ASSERT_NOT}
MAX_CACHED = 4_096  # first characters whose alternation is kept


def first_pieces(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """Return one-character regexes, one of which the first character of any match of
    ``pattern`` matches; None when that cannot be read (the pattern may match anything, or
    the empty string)."""
    try:
        pieces, nullable = _first(_parse.parse(pattern, flags))
    except Exception:  # noqa: BLE001 - a parse tree of another shape: try the pattern always
        return None
    return None if pieces is None or nullable else frozenset(pieces)


def _first(items) -> tuple[set[str] | None, bool]:
    """Return (pieces of the first character, whether the sequence can match empty)."""
    out: set[str] = set()
    for op, av in items:
        pieces, nullable = _first_item(op, av)
        if pieces is None:
            return None, False
        out |= pieces
        if not nullable:
            return out, False
    return out, True


def _first_item(op, av) -> tuple[set[str] | None, bool]:
    if op is _c.LITERAL:
        return {re.escape(chr(av))}, False
    if op is _c.IN:
        piece = _char_class(av)
        return (None, False) if piece is None else ({piece}, False)
    if op in _ZERO_WIDTH:  # skipping an assertion can only admit more characters
        return set(), True
    if op is _c.SUBPATTERN:
        return _first(av[3])
    if op is getattr(_c, "ATOMIC_GROUP", None):
        return _first(av)
    if op is _c.BRANCH:
        out: set[str] = set()
        nullable = False
        for alt in av[1]:
            pieces, empty = _first(alt)
            if pieces is None:
                return None, False
            out |= pieces
            nullable = nullable or empty
        return out, nullable
    if op in _REPEATS:
        lo, _hi, sub = av
        pieces, empty = _first(sub)
        return (None, False) if pieces is None else (pieces, empty or lo == 0)
    return None, False  # ANY, NOT_LITERAL, GROUPREF, ...: any character may come first


def _char_class(items) -> str | None:
    parts = []
    for op, av in items:
        if op is _c.NEGATE:
            parts.insert(0, "^")
        elif op is _c.LITERAL:
            parts.append(re.escape(chr(av)))
        elif op is _c.RANGE:
            parts.append(f"{re.escape(chr(av[0]))}-{re.escape(chr(av[1]))}")
        elif op is _c.CATEGORY and av in _CATEGORY:
            parts.append(_CATEGORY[av])
        else:
            return None
    return "[" + "".join(parts) + "]" if parts else None


class FirstCharAlternation:
    """``re.compile("|".join(f"(?P<r{n}>{p})" ...), flags).match``, trying only the patterns
    that can start with the text's first character.

    ``match(text)`` returns the match of the first pattern (in order) that
    matches at the start of ``text``, or None; its ``lastgroup`` is ``r{n}``,
    ``n`` the pattern's position in ``patterns``.
    """

    def __init__(self, patterns: Sequence[str], flags: int = 0) -> None:
        self.patterns = tuple(patterns)
        self.flags = flags
        # A pattern's own inline flags may add case-insensitivity: testing with it admits more.
        tests = [first_pieces(p, flags) for p in self.patterns]
        self._tests = [
            None if t is None else [re.compile(x, flags | re.IGNORECASE) for x in sorted(t)]
            for t in tests
        ]
        self._by_char: dict[str, re.Pattern | None] = {}

    def _for(self, ch: str) -> re.Pattern | None:
        wanted = [
            n
            for n, tests in enumerate(self._tests)
            if tests is None or any(t.fullmatch(ch) for t in tests)
        ]
        if not wanted:
            return None
        alternation = "|".join(f"(?P<r{n}>{self.patterns[n]})" for n in wanted)
        return re.compile(alternation, self.flags)

    def match(self, text: str) -> re.Match | None:
        """Return the match at the start of ``text`` of the first pattern that matches, or
        None."""
        ch = text[:1]
        try:
            pattern = self._by_char[ch]
        except KeyError:
            if len(self._by_char) >= MAX_CACHED:
                self._by_char.clear()
            pattern = self._by_char[ch] = self._for(ch)
        return pattern.match(text) if pattern is not None else None
