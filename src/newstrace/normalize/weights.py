"""Term weights: how much a shared word says about a shared source.

A weight is an inverse-frequency score from the bundled word-frequency
lists of ``wordfreq`` (offline, 40+ languages): common words ("the", "und",
"и") weigh little, rare words, names and numbers weigh most.
"""

from __future__ import annotations

import math
from functools import lru_cache

MAX_WEIGHT = 7.0  # a word absent from the frequency list (names, numbers, rare words)
MIN_WEIGHT = 0.25


@lru_cache(maxsize=64)
def _zipf_table(language: str) -> dict[str, float]:
    from wordfreq import available_languages, cB_to_freq, get_frequency_list

    lang = language if language in available_languages(wordlist="small") else "en"
    # The list is buckets of words of one frequency (a centibel each), so one
    # weight per bucket; a word in two buckets keeps the later one, as
    # ``get_frequency_dict`` does. Ten times faster than a weight per word.
    table: dict[str, float] = {}
    for index, bucket in enumerate(get_frequency_list(lang, wordlist="small")):
        table.update(dict.fromkeys(bucket, _weight_from_freq(cB_to_freq(-index))))
    return table


def _weight_from_freq(freq: float) -> float:
    zipf = math.log10(freq) + 9 if freq > 0 else 0.0
    return max(MIN_WEIGHT, min(MAX_WEIGHT, MAX_WEIGHT + 1 - zipf))


def weight_table(language: str) -> dict[str, float]:
    """Return the word -> weight table for ``language`` (English when unknown)."""
    return _zipf_table(language or "en")


def term_weight(token: str, table: dict[str, float]) -> float:
    """Return the weight of casefolded ``token`` in ``table``."""
    return table.get(token, MAX_WEIGHT)
