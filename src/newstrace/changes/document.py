"""Document-level helpers for the compare stage: omission salience and addition kinds."""

from __future__ import annotations

import math

from .attribution import find_source, find_sources
from .dates import find_dates
from .entities import find_entities
from .lexicon import load
from .numbers import find_quantities
from .quotes import find_quotes

# Weight of each feature in salience; why-labels in the order they are reported.
_WEIGHTS = (
    ("numbers", 0.9),
    ("named people", 0.7),
    ("legal facts", 0.9),
    ("quotes", 0.4),
    ("dates", 0.3),
    ("attributed claims", 0.3),
    ("roles", 0.3),
)
_COLOUR = "colour or background"


def _features(text: str, lang: str) -> set[str]:
    lex = load(lang)
    ents = find_entities(text, lang)
    found = {
        "numbers": bool(find_quantities(text, lang)),
        "named people": any(e.kind == "name" for e in ents),
        "roles": any(e.kind == "role" for e in ents),
        "legal facts": bool(lex.legal.search(text)),
        "quotes": bool(find_quotes(text)),
        "dates": any(w.kind != "time" for w in find_dates(text, lang)),
        "attributed claims": find_source(text, lang) is not None,
    }
    return {k for k, v in found.items() if v}


def salience(text: str, lang: str = "en") -> tuple[float, str]:
    """Return (score in [0, 1], short why) for how much leaving ``text`` out would lose.

    Paragraphs with numbers, named people and legal facts score above colour.
    """
    feats = _features(text, lang)
    mass = sum(w for name, w in _WEIGHTS if name in feats)
    score = 0.1 + 0.9 * (1.0 - math.exp(-mass))
    why = ", ".join(name for name, _ in _WEIGHTS if name in feats) or _COLOUR
    return round(min(1.0, score), 3), why


def _credit(text: str, lang: str) -> str | None:
    src = next((s for s in find_sources(text, lang) if s.kind == "outlet"), None)
    src = src or next((s for s in find_sources(text, lang) if s.kind == "named"), None)
    if src is None:
        return None
    words = src.name.split()
    while words and words[0].lower() in load(lang).stopwords:
        words = words[1:]  # "the Guardian" -> "Guardian"
    return " ".join(words) or None


def classify_addition(text: str, lang: str = "en") -> tuple[str, str | None]:
    """Return ("framing" | "claim", credited source or None) for a derivative-only passage.

    Framing: intros ("X writes about this, citing sources"), plugs, "read more",
    context boilerplate. Anything else that asserts something is a claim.
    """
    lex = load(lang)
    credit = _credit(text, lang)
    if lex.framing.search(text):
        return "framing", credit
    words = len(text.split())
    if words < 4 and not find_quantities(text, lang):
        return "framing", credit
    return "claim", credit
