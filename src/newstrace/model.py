"""Plain, frozen data passed between the stages.

Every stage takes and returns these; none of them does I/O. Renderers
(terminal, JSON, HTML, web) all read one :class:`Comparison`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property

# Sentence labels on the derivative side (B) and the source side (A).
B_LABELS = ("verbatim", "near_verbatim", "paraphrase", "new", "boilerplate")
A_LABELS = ("kept", "omitted", "boilerplate")
VERDICTS = ("wholly_derived", "partially_derived", "not_derived")
# Direction answers: A or B is the source, both carry material from a source
# outside the pair, or None when the evidence does not decide.
DIRECTION_SOURCES = ("a", "b", "common_source")
SEVERITIES = ("meaning", "cosmetic")


@dataclass(frozen=True)
class Article:
    """One news article as read from a source, before normalization.

    ``published`` is an ISO 8601 string (date or date-time, UTC when known).
    ``id`` is stable: given by the source, else derived from the text by ingest.
    """

    text: str
    id: str = ""
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    language: str | None = None
    byline: str | None = None
    source: str | None = None  # where it was read from: path, path:line, feed entry

    def with_(self, **changes) -> Article:
        """Return a copy with ``changes`` applied."""
        return replace(self, **changes)

    @property
    def name(self) -> str:
        """Return what a person calls this article: its outlet, else its title, else its file name,
        else its id."""
        return self.outlet or self.title or _file_name(self.source) or self.id


def _file_name(source: str | None) -> str | None:
    """Return the file name of a source (``dir/a.jsonl:3`` -> ``a.jsonl:3``); None for none or
    ``<text>``."""
    if not source or source.startswith("<"):
        return None
    return source.replace("\\", "/").rsplit("/", 1)[-1] or None


@dataclass(frozen=True)
class Sentence:
    """A sentence of a normalized article.

    ``start``/``end`` are character offsets into :attr:`Document.text`.
    ``boilerplate`` names the pattern that matched, or is None for content.
    """

    i: int
    text: str
    start: int
    end: int
    paragraph: int
    boilerplate: str | None = None


@dataclass(frozen=True)
class Document:
    """A normalized article: clean text, language, sentences."""

    article: Article
    text: str
    language: str
    sentences: tuple[Sentence, ...]

    @cached_property
    def content(self) -> tuple[Sentence, ...]:
        """The sentences that are not boilerplate (worked out once: ``sentences`` is a tuple)."""
        return tuple(s for s in self.sentences if s.boilerplate is None)


@dataclass(frozen=True)
class Link:
    """One aligned B sentence: where it comes from in A, how, and how sure."""

    b: int
    a: tuple[int, ...]
    label: str  # one of B_LABELS
    score: float


@dataclass(frozen=True)
class Alignment:
    """Sentence alignment of B against A (indices are Sentence.i)."""

    links: tuple[Link, ...]  # one per B sentence, in B order
    a_labels: tuple[str, ...]  # one per A sentence: kept | omitted | boilerplate
    mode: str = "lexical"  # lexical | multilingual

    def a_to_b(self) -> dict[int, tuple[int, ...]]:
        """Map each kept A sentence to the B sentences that use it."""
        out: dict[int, list[int]] = {}
        for link in self.links:
            for i in link.a:
                out.setdefault(i, []).append(link.b)
        return {k: tuple(v) for k, v in out.items()}


@dataclass(frozen=True)
class Span:
    """A character span inside one sentence: ``[sentence, start, end)``."""

    sentence: int
    start: int
    end: int


@dataclass(frozen=True)
class Change:
    """One change in meaning (or cosmetic change) from source to derivative.

    ``type``: number | qualifier | certainty | negation | causality |
    attribution | third_source | quote | speaker | entity | date | scope.
    ``direction``: strengthened | weakened | vaguer | more_precise | added |
    removed | changed | widened | narrowed | None.
    ``confidence`` says how well the change is grounded in the word
    alignment of its two sentences; ``meaning`` is used only above a
    calibrated threshold, weaker candidates stay ``cosmetic``.
    """

    type: str
    severity: str  # meaning | cosmetic
    explanation: str
    direction: str | None = None
    a_span: Span | None = None
    b_span: Span | None = None
    a_text: str = ""
    b_text: str = ""
    confidence: float = 1.0  # in [0, 1]: how sure the grounded change is; `meaning` only when high


@dataclass(frozen=True)
class Evidence:
    """One piece of evidence about where the pair's shared text comes from.

    ``side`` is the answer the evidence points to: "a" or "b" (that article
    is the source), "common_source" (both come from a source outside the
    pair), or None when it is neutral. ``about`` is the article the evidence
    was read in or speaks of ("a", "b" or None for the pair): a footer saying
    "this article was generated from a news agency feed" is *about* its own
    article and points to no side. ``weight`` is in [0, 1].
    """

    # attribution | own_credit | footer | third_credit | common_credit | timestamp | containment |
    # only_in | no_credit
    kind: str
    side: str | None
    text: str
    weight: float
    about: str | None = None


@dataclass(frozen=True)
class Direction:
    """Which side is the source: "a", "b", "common_source", or None (undetermined).

    With "common_source" neither article took from the other: both carry
    material from a source that is not in the pair (a press release, a wire
    feed); the ``only_in`` evidence lists what each side has that the other lacks.
    """

    source: str | None
    confidence: float
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class Omission:
    """Source sentences (indices into A) left out of the derivative."""

    a: tuple[int, ...]
    salience: float
    why: str


@dataclass(frozen=True)
class Addition:
    """Derivative sentences (indices into B) with no source in A."""

    b: tuple[int, ...]
    kind: str  # claim | framing
    credits: str | None = None  # a third outlet or source it credits


@dataclass(frozen=True)
class Comparison:
    """Everything ``newstrace.compare(a, b)`` finds about a pair."""

    a: Document
    b: Document
    alignment: Alignment
    same_story: bool
    same_story_score: float
    verdict: str  # one of VERDICTS, describing derivative against source
    direction: Direction
    coverage_b_from_a: float  # share of B's content that comes from A
    coverage_a_in_b: float  # share of A's content that B uses
    omissions: tuple[Omission, ...] = ()
    additions: tuple[Addition, ...] = ()
    drift: tuple[Change, ...] = ()
    drift_source: str = "a"  # drift directions are relative to A (always "a" in version 1)
    swapped: bool = False  # True when the evidence named the second argument the source,
    # so A and B were exchanged: A is always the source; with a common source A is the
    # fuller text; when undetermined the given order stays
    mode: str = "lexical"
    timings: dict = field(default_factory=dict, compare=False, hash=False)
