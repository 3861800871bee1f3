"""How wide a line of graph text is, so the server can size boxes that fit their labels.

The widths are DejaVu Sans Bold's advance widths (measured in Chromium with
canvas ``measureText``, in thousandths of an em), one of the widest common
sans-serif faces; the graph's stylesheet asks for it (or Verdana, of similar
metrics) first, so an estimate here is an upper bound in practice. Text
outside printable ASCII counts as 0.9 em, or 1 em for East Asian wide
characters, and combining marks as nothing.
"""

from __future__ import annotations

import unicodedata

# Advance widths of " " (U+0020) through "~" (U+007E), DejaVu Sans Bold, 1/1000 em.
_ASCII = (
    348,
    456,
    521,
    838,
    696,
    1002,
    872,
    306,
    457,
    457,
    523,
    838,
    380,
    415,
    380,
    365,
    696,
    696,
    696,
    696,
    696,
    696,
    696,
    696,
    696,
    696,
    400,
    400,
    838,
    838,
    838,
    580,
    1000,
    774,
    762,
    734,
    830,
    683,
    683,
    821,
    837,
    372,
    372,
    775,
    637,
    995,
    837,
    850,
    733,
    850,
    770,
    720,
    682,
    812,
    774,
    1103,
    771,
    724,
    725,
    457,
    365,
    457,
    838,
    500,
    500,
    675,
    716,
    593,
    716,
    678,
    435,
    716,
    712,
    343,
    343,
    665,
    343,
    1042,
    712,
    687,
    716,
    716,
    493,
    595,
    478,
    712,
    652,
    924,
    645,
    652,
    582,
    712,
    365,
    712,
    838,
)
MARGIN = 1.05  # room for hinting and for faces a little wider than the table
ELLIPSIS = "…"


def char_em(ch: str) -> float:
    """Return the width of one character in em."""
    code = ord(ch)
    if 32 <= code < 127:
        return _ASCII[code - 32] / 1000
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0.0
    return 1.0 if unicodedata.east_asian_width(ch) in ("W", "F") else 0.9


def text_width(text: str, size: float) -> float:
    """Return an upper estimate of ``text``'s width in pixels at font size ``size``."""
    return sum(char_em(c) for c in text) * size * MARGIN


def fit(text: str, width: float, size: float) -> str:
    """Return ``text``, cut at a character and ended with "…" when wider than ``width``."""
    text = " ".join(text.split())  # one line: newlines and runs of spaces read as one space
    if text_width(text, size) <= width:
        return text
    room = width - text_width(ELLIPSIS, size)
    used, n = 0.0, 0
    for n, ch in enumerate(text):
        used += char_em(ch) * size * MARGIN
        if used > room:
            break
    return text[:n].rstrip() + ELLIPSIS
