"""Cheap provenance evidence, computed once per article, and the pair relation it decides.

The corpus graph is decided from what each article carries on its own, never
from a sentence alignment of the pair (that runs lazily, when a pair or story
is shown; see ``stories.analysis``):

- the number of distinct shingles of its content, so that the MinHash
  Jaccard of two signatures gives the share of each text found in the other
  (shingle containment, as passim and Viral Texts decide reuse from n-grams);
- its credit sentences (an attribution cue such as "reports" or "according
  to"), its lead sentence (datelines) and its syndication footers;
- its metadata: outlet, URL, byline, publication time.

The evidence sentences form a small :class:`~newstrace.model.Document` (a
*digest*), so the direction module's own evidence functions and decision
read it exactly as they read a full document: one implementation of
direction for ``compare`` and for the corpus.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from itertools import chain

import numpy as np
import xxhash
from scipy import sparse

from ..fingerprint import shingle_hashes
from ..model import Article, Direction, Document, Sentence
from ..normalize import boilerplate_rule, document_text, words
from ..normalize.weights import weight_table
from ..pairwise import direction as dirn
from ..pairwise.outlets import cue_pattern
from ..settings import DEFAULT, Settings

MAX_SENTENCES = 8  # evidence sentences kept per article (credits sit in the lead or the tail)
MAX_CHARS = 400  # longer sentences are cut: a credit names its outlet near the cue
COMMON = "common_source"
COMMON_MIN = (
    0.1  # share of each side found in the other for a common source (they must share material)
)
MIN_WORD_WEIGHT = 2.0  # words more common than this say nothing about a shared source
SENTENCE_MIN_WORDS = 3  # a shorter sentence is no anchor
SENTENCE_KEEP = 0.5  # share of a sentence's words found in the other text for it to count as taken
WORDS_BLOCK = 1024  # sentence rows intersected at a time in :func:`word_matrices`
DENSE_MAX = 200_000  # sentences x distinct words up to which those products run dense
_SPLIT = re.compile(r"(?<=[.!?…])\s+")
_TOKEN = re.compile(r"\w+")
_ALNUM = re.compile(r"[\W_]+", re.UNICODE)


@dataclass(frozen=True)
class Digest:
    """What provenance needs of one article: evidence sentences, shingle count, sentence word
    sets.

    A story's digests are held together while it is planned, and those of the next stories
    beside them, so a digest keeps only what it must: the union of its sentence word sets is
    counted (``n_words``) and made only when asked for (:attr:`words`), and :func:`lean` gives
    one whose word strings are the process's shared ones.
    """

    doc: Document  # the article, with only its evidence sentences
    n_shingles: int
    sentence_words: tuple[
        frozenset, ...
    ] = ()  # per content sentence: its words that are not common
    n_words: int = 0  # distinct words of sentence_words
    names: frozenset = frozenset()  # names and numbers, transliterated (they survive translation)
    signals: dirn.ArticleSignals | None = (
        None  # what it says about itself and whom it credits (direction)
    )
    cued: tuple[
        bool, ...
    ] = ()  # per content sentence: does it carry an attribution cue (a credited passage)

    @property
    def id(self) -> str:
        """The article id."""
        return self.doc.article.id

    @cached_property
    def words(self) -> frozenset:
        """The union of the sentence word sets (made on first use, then kept)."""
        return frozenset().union(*self.sentence_words)


def lean(d: Digest) -> Digest:
    """Return ``d`` with its word and name strings replaced by the process's interned ones.

    A digest a worker sends arrives with strings of its own: a story's digests then hold each
    word once per article. Interned, they share one string per distinct word; nothing else
    changes (equal sets, equal digests).
    """
    per = tuple(frozenset(map(sys.intern, ws)) for ws in d.sentence_words)
    return replace(d, sentence_words=per, names=frozenset(map(sys.intern, d.names)))


def _cue() -> re.Pattern:
    return cue_pattern()  # the direction module's own (``pairwise.outlets``)


def _evidence_sentences(
    text: str, rules: list[str | None] | None = None
) -> list[tuple[str, str | None]]:
    """Return (sentence, boilerplate rule) for the lead, credit sentences and footers of
    ``text``.

    ``rules``: the boilerplate rule of each paragraph of ``text`` (``text.split("\\n\\n")``),
    when the caller has them (``fingerprint.content_of``).
    """
    out: list[tuple[str, str | None]] = []
    cue = _cue()
    paras = text.split("\n\n")
    if rules is None:
        rules = [boilerplate_rule(p) if p.strip() else None for p in paras]
    kept = ((p, r) for p, r in zip(paras, rules) if p.strip())
    for n, (para, rule) in enumerate(kept):
        if rule:
            out.append((para[:MAX_CHARS], rule))
            continue
        for k, s in enumerate(_SPLIT.split(para)):
            if (n == 0 and k == 0) or cue.search(s):
                out.append((s[:MAX_CHARS], None))
    return out[:1] + out[1:][-(MAX_SENTENCES - 1) :]  # the lead, then the last credits and footers


def digest(
    article: Article,
    language: str,
    n_shingles: int,
    content: str | None = None,
    text: str | None = None,
    rules: list[str | None] | None = None,
) -> Digest:
    """Return the Digest of ``article``.

    ``n_shingles``: see :func:`shingle_counts`; ``content``: its content text;
    ``text``: its ``document_text`` (computed when not given); ``rules``: the
    boilerplate rule of each paragraph of ``text`` (see ``fingerprint.content_of``).
    """
    text = document_text(article.text) if text is None else text
    sentences, pos = [], 0
    for i, (s, rule) in enumerate(_evidence_sentences(text, rules)):
        sentences.append(
            Sentence(i=i, text=s, start=pos, end=pos + len(s), paragraph=i, boilerplate=rule)
        )
        pos += len(s) + 2
    body = "\n\n".join(s.text for s in sentences)
    doc = Document(article=article, text=body, language=language, sentences=tuple(sentences))
    content = text if content is None else content
    per, cued, n_words, names = _content_evidence(content, language)
    return Digest(doc, n_shingles, per, n_words, names, dirn.article_signals(doc), cued)


# Per-process memo of the digest parts that depend on the content text and language only
# (syndicated copies share them), keyed by a 128-bit hash of the content and the language.
_CONTENT_MEMO_MAX = 4_000
_content_memo: dict[tuple[bytes, str], tuple] = {}


def _content_evidence(content: str, language: str) -> tuple:
    """Return (sentence words, cued, how many distinct words, names) of a content text;
    memoized. The words and names are interned (see :func:`lean`)."""
    key = (xxhash.xxh3_128_digest(content.encode("utf-8", "surrogatepass")), language)
    got = _content_memo.get(key)
    if got is None:
        per, cued = sentence_words(content, language)
        per = tuple(frozenset(map(sys.intern, ws)) for ws in per)
        names = frozenset(map(sys.intern, names_of(content)))
        got = (per, cued, len(frozenset().union(*per)), names)
        if len(_content_memo) >= _CONTENT_MEMO_MAX:
            _content_memo.clear()
        _content_memo[key] = got
    return got


# Cyrillic to Latin, then digraphs folded, so that Petrovic, Petrović and Петрович meet.
_CYRILLIC = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґђћџјљњ",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "e",
            "z",
            "z",
            "i",
            "i",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "h",
            "c",
            "c",
            "s",
            "s",
            "",
            "y",
            "",
            "e",
            "iu",
            "ia",
            "i",
            "i",
            "e",
            "g",
            "d",
            "c",
            "d",
            "i",
            "l",
            "n",
        ],
    )
)
_DIGRAPHS = (
    ("shch", "s"),
    ("ch", "c"),
    ("sh", "s"),
    ("zh", "z"),
    ("kh", "h"),
    ("ts", "c"),
    ("tz", "c"),
    ("ya", "a"),
    ("yu", "u"),
    ("j", "i"),
    ("y", "i"),
    ("w", "v"),
)


@lru_cache(maxsize=200_000)
def fold(token: str) -> str:
    """Return a name folded across scripts and spellings: casefolded, transliterated, no accents."""
    t = "".join(_CYRILLIC.get(c, c) for c in token.casefold())
    t = "".join(c for c in unicodedata.normalize("NFKD", t) if not unicodedata.combining(c))
    for a, b in _DIGRAPHS:
        t = t.replace(a, b)
    return t


def names_of(text: str) -> frozenset:
    """Return the folded names (capitalized inside a sentence) and numbers (two digits or more) of
    ``text``."""
    found = set()
    for para in text.split("\n\n"):
        for s in _SPLIT.split(para):
            toks = _TOKEN.findall(s)
            found.update([t for t in toks if len(t) >= 2 and t.isdigit()])
            found.update([t for t in toks[1:] if len(t) >= 3 and t[0].isupper()])
    return frozenset(map(fold, found))


def name_overlap(a: Digest, b: Digest) -> float:
    """Return the share of the smaller set of folded names and numbers found in the other.

    The smaller set, since one language capitalizes more than another (German nouns).
    """
    small = min(len(a.names), len(b.names))
    return len(a.names & b.names) / small if small else 0.0


def sentence_words(text: str, language: str) -> tuple[tuple[frozenset, ...], tuple[bool, ...]]:
    """Return, per sentence of ``text``, the set of its uncommon casefolded words, and whether it
    credits someone."""
    common, cue = _common_words(language), _cue()
    out, cued = [], []
    for para in text.split("\n\n"):
        for s in _SPLIT.split(para):
            kept = frozenset(words(s)).difference(common)
            if kept:
                out.append(kept)
                cued.append(bool(cue.search(s)))
    return tuple(out), tuple(cued)


@lru_cache(maxsize=64)
def _common_words(language: str) -> frozenset:
    """Return the words of ``language`` weighing less than MIN_WORD_WEIGHT (unlisted ones weigh
    MAX_WEIGHT, above MIN_WORD_WEIGHT), so a sentence's uncommon words are one set difference."""
    return frozenset(w for w, v in weight_table(language).items() if v < MIN_WORD_WEIGHT)


def _taken(ws: frozenset, a: Digest) -> bool:
    """Return True when most of a sentence's uncommon words are in one sentence of ``a``."""
    if len(ws) < SENTENCE_MIN_WORDS or len(ws & a.words) < SENTENCE_KEEP * len(ws):
        return False
    return any(len(ws & wa) >= SENTENCE_KEEP * len(ws) for wa in a.sentence_words)


def credited_share(b: Digest, a: Digest) -> float:
    """Return the share of B (by words) in passages that credit someone and are not in A (material
    from elsewhere)."""
    total = sum(len(ws) for ws in b.sentence_words)
    own = sum(len(ws) for ws, c in zip(b.sentence_words, b.cued) if c and not _taken(ws, a))
    return round(own / total, 4) if total else 0.0


def word_coverage(b: Digest, a: Digest) -> float:
    """Return the share of B's sentences (by words) mostly found in one sentence of A: paraphrase
    anchors.

    Shingles miss a paraphrase that keeps the words and changes their order;
    this is the cheap stand-in for the lexical sentence alignment of ``compare``.
    One sentence of A, not all of A: two reports of one event share its names
    all over, but rarely most of a sentence's uncommon words in one sentence.
    """
    total = kept = 0
    for ws in b.sentence_words:
        total += len(ws)
        kept += len(ws) if _taken(ws, a) else 0
    return round(kept / total, 4) if total else 0.0


@dataclass(frozen=True)
class WordMatrices:
    """Sentence-anchor counts of every ordered pair of a story's digests (see
    :func:`word_matrices`).

    ``kept[b, a]``: words of B's sentences mostly found in one sentence of A;
    ``own[b, a]``: words of B's credit passages not taken from A; ``total[b]``:
    the words of B's sentences. All are exact integer counts.
    """

    kept: np.ndarray
    own: np.ndarray
    total: np.ndarray

    def coverage(self) -> np.ndarray:
        """Return ``cover[b, a]``, :func:`word_coverage` of B by A (unrounded)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(self.total[:, None] > 0, self.kept / self.total[:, None], 0.0)

    def pair(self, i: int, j: int) -> tuple[float, float, float, float]:
        """Return (word_coverage(j by i), word_coverage(i by j), credited_share(i, j),
        credited_share(j, i))."""
        return (
            _ratio(self.kept[j, i], self.total[j]),
            _ratio(self.kept[i, j], self.total[i]),
            _ratio(self.own[i, j], self.total[i]),
            _ratio(self.own[j, i], self.total[j]),
        )


def _ratio(part: float, total: float) -> float:
    return round(int(part) / int(total), 4) if total else 0.0


def word_matrices(digests: list[Digest]) -> WordMatrices:
    """Return the sentence-anchor counts of every pair of ``digests`` at once (sparse products).

    Equal to :func:`word_coverage` and :func:`credited_share` pair by pair: a
    sentence of B is taken from A when at least ``SENTENCE_KEEP`` of its
    uncommon words (and ``SENTENCE_MIN_WORDS``) are in one sentence of A.
    Near duplicates repeat most of their sentences, so the words each sentence
    shares with another are counted once per distinct word set of the story
    (an exact count, equal for equal sets).
    """
    n = len(digests)
    distinct: dict[frozenset, int] = {}  # word set -> its row of the product
    rows: list[int] = []  # per sentence of the story: its distinct set
    columns: list[int] = []  # per article in turn: its distinct sets, each once
    starts: list[int] = []  # where each article with sentences begins in ``columns``
    lens: list[int] = []
    owner: list[int] = []
    cued: list[bool] = []
    for k, d in enumerate(digests):
        if not d.sentence_words:
            continue
        starts.append(len(columns))
        mine: set[int] = set()
        for ws in d.sentence_words:
            u = distinct.setdefault(ws, len(distinct))
            rows.append(u)
            if u not in mine:
                mine.add(u)
                columns.append(u)
        lens += map(len, d.sentence_words)
        cued += d.cued
        owner += [k] * len(d.sentence_words)
    total = np.bincount(np.array(owner, np.int64), weights=lens, minlength=n)
    kept, own = np.zeros((n, n)), np.zeros((n, n))
    if not rows:
        return WordMatrices(kept, own, total)
    length, owner_ = np.array(lens, np.float64), np.array(owner, np.int64)
    present = np.unique(owner_)  # articles with sentences; their rows are contiguous
    row_starts = np.searchsorted(owner_, present)
    vocab = {w: i for i, w in enumerate(dict.fromkeys(chain.from_iterable(distinct)))}
    cols = np.fromiter(map(vocab.__getitem__, chain.from_iterable(distinct)), np.int64)
    m = len(distinct)
    at = np.repeat(np.arange(m), np.fromiter(map(len, distinct), np.int64, m))
    if m * len(vocab) <= DENSE_MAX:  # small stories: dense products beat sparse overhead
        words = np.zeros((m, len(vocab)), np.float32)
        words[at, cols] = 1.0
    else:
        words = sparse.csr_matrix(
            (np.ones(len(cols), np.float32), (at, cols)), shape=(m, len(vocab))
        )
    columns_, starts_ = np.array(columns, np.int64), np.array(starts, np.int64)
    best = np.zeros((m, n), np.float32)  # per word set and article: most words in one sentence
    for s in range(0, m, WORDS_BLOCK):
        inter = words[s : s + WORDS_BLOCK] @ words.T
        inter = inter.toarray() if sparse.issparse(inter) else inter
        best[s : s + WORDS_BLOCK, present] = np.maximum.reduceat(
            inter[:, columns_], starts_, axis=1
        )
    best = best[np.array(rows, np.int64)]  # per sentence
    taken = (length[:, None] >= SENTENCE_MIN_WORDS) & (best >= SENTENCE_KEEP * length[:, None])
    kept[present] = np.add.reduceat(taken * length[:, None], row_starts, axis=0)
    credited = length * np.array(cued, bool)
    own[present] = np.add.reduceat(~taken * credited[:, None], row_starts, axis=0)
    return WordMatrices(kept, own, total)


def shingle_counts(texts: list[str], settings: Settings = DEFAULT) -> list[int]:
    """Return the number of distinct shingles of each content text (the sets MinHash signs)."""
    hashes, offsets = shingle_hashes(texts, settings.shingle_size)
    return [int(np.unique(hashes[offsets[k] : offsets[k + 1]]).size) for k in range(len(texts))]


def containment(jaccard: float, n_a: int, n_b: int) -> tuple[float, float]:
    """Return (share of B's shingles in A, share of A's in B) from their Jaccard and set sizes."""
    if jaccard <= 0 or not n_a or not n_b:
        return 0.0, 0.0
    shared = jaccard / (1 + jaccard) * (n_a + n_b)
    return round(min(1.0, shared / n_b), 4), round(min(1.0, shared / n_a), 4)


def _decide(
    a: Digest,
    b: Digest,
    cov: tuple[float, float],
    settings: Settings,
    credited: tuple[float, float] | None = None,
) -> Direction:
    """Return the direction module's decision on the pair's signals and estimated overlap."""
    if credited is None:
        credited = (credited_share(a, b), credited_share(b, a))
    overlap = dirn.Overlap(
        b_in_a=cov[0],
        a_in_b=cov[1],
        a_credited=credited[0],
        b_credited=credited[1],
        estimated=True,
    )
    d = dirn.decide_pair(a.signals, b.signals, overlap)
    if max(cov) < settings.partially_min:
        return Direction(None, 0.0, d.evidence)  # nothing was taken, so neither side is a source
    if d.source == COMMON and min(cov) < COMMON_MIN:
        return Direction(
            None, 0.0, d.evidence
        )  # one side holds none of the other: no shared material to draw from
    return d


def _evidence_docs(d: Direction) -> list[dict]:
    return [
        {
            "kind": e.kind,
            "side": e.side,
            "text": e.text,
            "weight": e.weight,
            "about": getattr(e, "about", None),
        }
        for e in d.evidence
    ]


def _verdict(share: float, settings: Settings) -> str:
    if share >= settings.wholly_min:
        return "wholly_derived"
    return "partially_derived" if share >= settings.partially_min else "not_derived"


def relation(
    a: Digest,
    b: Digest,
    jaccard: float,
    settings: Settings = DEFAULT,
    words: tuple[float, float, float, float] | None = None,
) -> dict:
    """Return the relation of two articles decided from their digests (``stories.provenance``
    shape).

    Source first, as ``compare`` orients it: when B is the source the two are
    exchanged. For a common source, A is the fuller text. ``omissions``,
    ``additions`` and ``drift`` are empty: the sentence-level analysis is lazy.
    ``words``: the pair's sentence-anchor shares when known (``WordMatrices.pair``).
    """
    if words is None:
        words = (
            word_coverage(b, a),
            word_coverage(a, b),
            credited_share(a, b),
            credited_share(b, a),
        )
    shingled = containment(jaccard, a.n_shingles, b.n_shingles)
    cov = (max(shingled[0], words[0]), max(shingled[1], words[1]))
    credited = (words[2], words[3])
    d = _decide(a, b, cov, settings, credited)
    if d.source == "b" or (
        d.source == COMMON and a.n_words < b.n_words
    ):  # for a common source A is the fuller
        a, b, cov, credited = b, a, cov[::-1], credited[::-1]
        d = _decide(a, b, cov, settings, credited)
    share = cov[0] if d.source in ("a", None) else max(cov)
    credit = next((e.side for e in d.evidence if e.kind == "attribution"), None)
    return {
        "a": a.id,
        "b": b.id,
        "source": d.source,
        "confidence": round(d.confidence, 3),
        "verdict": _verdict(share if d.source else max(cov), settings),
        "same_story": True,
        "same_story_score": round(min(1.0, sum(cov) / 2 + 0.1 * max(cov)), 4),
        "coverage": {"b_from_a": cov[0], "a_in_b": cov[1]},
        "credits": credit,
        "mode": "evidence",
        "evidence": _evidence_docs(d),
        "omissions": [],
        "additions": [],
        "drift": [],
    }


def translation_relation(a: Digest, b: Digest, cosine: float, settings: Settings = DEFAULT) -> dict:
    """Return the relation of a likely translation (two languages, close leads, shared names).

    Shingles cannot meet across languages, so the share taken is estimated by
    the share of names and numbers kept; the direction comes from credits and
    times. The sentence-level analysis (lazy) has the measured coverage.
    """
    share = round(name_overlap(a, b), 4)
    cov = (share, share)
    d = dirn.decide(
        dirn.attribution_evidence(a.signals, b.signals)
        + dirn.timestamp_evidence(a.signals, b.signals)
    )
    if d.source == "b":
        a, b = b, a
        d = dirn.decide(
            dirn.attribution_evidence(a.signals, b.signals)
            + dirn.timestamp_evidence(a.signals, b.signals)
        )
    credit = next((e.side for e in d.evidence if e.kind == "attribution"), None)
    text = (
        f"leads embed {cosine:.2f} apart across languages; {share:.0%} of names and numbers shared"
    )
    evidence = [{"kind": "translation", "side": None, "text": text, "weight": 0.0}]
    return {
        "a": a.id,
        "b": b.id,
        "source": d.source if d.source != COMMON else None,
        "confidence": round(d.confidence, 3),
        "verdict": _verdict(share, settings),
        "same_story": True,
        "same_story_score": round(cosine, 4),
        "coverage": {"b_from_a": cov[0], "a_in_b": cov[1]},
        "credits": credit,
        "mode": "multilingual",
        "evidence": _evidence_docs(d) + evidence,
        "omissions": [],
        "additions": [],
        "drift": [],
    }
