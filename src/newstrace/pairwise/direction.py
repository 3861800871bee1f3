"""Where a pair's shared text comes from: A, B, a common source outside the pair, or undetermined.

The decision is a pure function over evidence, in three steps that the
corpus can also run with its own cheap inputs:

1. ``article_signals(doc) -> ArticleSignals``, once per article: the names
   it goes by (outlet, site, domain, byline, dateline credit), its
   publication time (metadata or an inline opening date), its sentences that
   credit someone, and the footers in which it says that it is a copy.
2. ``pair_evidence(sa, sb, overlap) -> list[Evidence]``, per pair, where
   ``Overlap`` holds what share of each article's content is in the other
   (sentence alignment here, shingle containment in a corpus).
3. ``decide(evidence) -> Direction`` (``decide_pair(sa, sb, overlap)`` does 2 and 3).

Weights and thresholds are module constants, gathered in ``Rules`` so that a
benchmark can choose among alternatives with cross-validation.

Each article is read for what it says about *itself*: a footer "This article
was generated from an automated news agency feed" says that its own article
is a copy, which is evidence that it is not the original, never that the
other article is. A dateline crediting the article's own outlet says it is
the original report; one crediting the other article's outlet is a credit.

Without credits, two outlets that share text usually both took it from a
release or a feed that neither names (trade press rewriting one press
release is the common case), so the answer is "common_source" unless
publication times and containment together say who copied whom. Material
that only one side has, and that does not credit a third outlet, is shown
as ``only_in`` evidence: when the later article (or, without times, each
article) carries a substantial share of its own, it did not take the rest
from the other either.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..ingest.headers import split_headers
from ..ingest.meta import iso_date, outlet_from_text
from ..model import Direction, Document, Evidence
from ..normalize.boilerplate import copy_credit
from ..timeutil import parse_time
from .outlets import condense, credited_outlets, credits, has_cue, named_outlet, outlet_names

ATTRIBUTION_WEIGHT = 0.7
FIRST_REPORT_WEIGHT = 0.85
FOOTER_CREDIT_WEIGHT = 0.85  # a footer "first published by X" names its own source
OWN_CREDIT_WEIGHT = 0.6  # "CITY (Own Outlet) -": the article presents itself as the original
FOOTER_WEIGHT = 0.4  # a copy footer discounts its own article as the original
THIRD_CREDIT_WEIGHT = 0.3  # crediting an outlet outside the pair: part of its text is from there
COMMON_CREDIT_WEIGHT = 0.6  # both credit one outlet that neither is, or both are feed copies
TIMESTAMP_WEIGHT = 0.3
TIMESTAMP_CLOSE_WEIGHT = 0.15  # under an hour apart: clocks and time zones blur it
CONTAINMENT_WEIGHT = 0.35  # the later article lies inside the earlier one
ONLY_IN_WEIGHT = 0.4  # the later article has material of its own: it had another source
NO_CREDIT_WEIGHT = 0.35  # shared text, two outlets, no credit either way
OWN_SHARE_MIN = 0.15  # "substantial": at least this share of an article's content is its own
SHARED_MIN = 0.2  # below this the pair shares too little to have a source at all
DECIDE_MIN = 0.3  # an answer needs this much combined weight
DECIDE_MARGIN = 0.15  # and this much more than the next answer
EXCERPTS = 3
EXCERPT_CHARS = 160
ANSWERS = ("a", "b", "common_source")


@dataclass(frozen=True)
class Rules:
    """The decision's tunable weights and thresholds (defaults: the module constants).

    ``contained_max``: when set, an article whose own share (not shared, not
    credited) is at most this is "essentially contained" in the other; if,
    with ``contained_explained``, the other has nothing unexplained either
    (its own share is under ``own_share_min``; what it adds is credited),
    the pair's lack of credits is then no evidence of a common source. It is
    off by default: leave-one-pair-out on the real dev pairs prefers it off
    (docs/quality.md, "Direction rules, cross-validated").
    """

    only_in_weight: float = ONLY_IN_WEIGHT
    no_credit_weight: float = NO_CREDIT_WEIGHT
    own_share_min: float = OWN_SHARE_MIN
    shared_min: float = SHARED_MIN
    decide_min: float = DECIDE_MIN
    decide_margin: float = DECIDE_MARGIN
    contained_max: float | None = None
    contained_explained: bool = True


RULES = Rules()


@dataclass(frozen=True)
class ArticleSignals:
    """What one article says about itself and whom it credits (cheap: no alignment).

    ``own``: condensed names of its outlet (outlet field, URL domain, byline);
    ``origin``: the outlet its opening dateline credits ("CITY (Agency) -"), if any;
    ``credit_sentences``: its sentences that carry an attribution cue;
    ``credited``: names of the outlets those sentences credit, as written;
    ``footers``: its syndication footers and credit lines that mark it a copy;
    ``copy_of``: the outlets, sites or domains those footers say it first
    appeared in ("This article first appeared on renews.example").
    """

    own: frozenset[str]
    origin: str | None = None
    published: str | None = None
    credit_sentences: tuple[str, ...] = ()
    footers: tuple[str, ...] = ()
    credited: frozenset[str] = frozenset()
    copy_of: tuple[str, ...] = ()

    @property
    def names(self) -> frozenset[str]:
        """Every name the article or its text goes by (its outlet and its dateline's)."""
        return self.own | {self.origin} if self.origin else self.own


@dataclass(frozen=True)
class Overlap:
    """How much of each article's content is in the other, and what only one has.

    ``b_in_a``/``a_in_b`` are shares in [0, 1]. ``a_credited``/``b_credited``
    are the shares of each article's content in passages that credit a third
    outlet (material from elsewhere) or its own outlet (its own reporting):
    neither came from a common source. ``a_only`` and
    ``b_only`` are excerpts of what each has that the other lacks.
    """

    b_in_a: float
    a_in_b: float
    a_credited: float = 0.0
    b_credited: float = 0.0
    a_only: tuple[str, ...] = ()
    b_only: tuple[str, ...] = ()
    estimated: bool = False  # shares estimated per article (the corpus), not measured by alignment

    def own_share(self, side: str) -> float:
        """Return the share of ``side``'s content that is its own (not shared, not credited)."""
        inside, credited = (
            (self.a_in_b, self.a_credited) if side == "a" else (self.b_in_a, self.b_credited)
        )
        return max(0.0, 1.0 - inside - credited)


def _other(side: str) -> str:
    return "b" if side == "a" else "a"


def inline_date(text: str) -> str | None:
    """Return the ISO date of an opening metadata line ("date 2025-06-05", "Date: 5 June 2025"), or
    None."""
    meta, _body = split_headers(text[:2000])
    return iso_date(meta.get("published")) if "published" in meta else None


def article_signals(doc: Document) -> ArticleSignals:
    """Return the cheap per-article direction signals of a normalized document."""
    art = doc.article
    origin = outlet_from_text(doc.text)
    cited = tuple(s.text for s in doc.sentences if has_cue(s.text))
    footers = tuple(s.text for s in doc.sentences if s.boilerplate == "syndication_footer")
    return ArticleSignals(
        own=frozenset(outlet_names(art)),
        origin=condense(origin) if origin else None,
        published=art.published or inline_date(doc.text),
        credit_sentences=cited,
        footers=footers,
        credited=frozenset(n for text in cited for n in credited_outlets(text, doc.language)),
        copy_of=tuple(o for o in map(copy_credit, footers) if o),
    )


def attribution_evidence(a: ArticleSignals, b: ArticleSignals) -> list[Evidence]:
    """Return evidence from one article crediting the other's outlet, site or domain."""
    out = []
    for side, doc, other in (("a", b, a), ("b", a, b)):  # doc credits other -> other is source
        about = _other(side)
        names = other.names - doc.names
        hit = _credit_hit(doc, names) if names else None
        if hit:
            out.append(Evidence("attribution", side, hit[0], hit[1], about))
        elif doc.origin and doc.origin not in doc.own and doc.origin in other.own:
            out.append(
                Evidence(
                    "attribution",
                    side,
                    f"{about.upper()}'s dateline credits {side.upper()}'s outlet",
                    ATTRIBUTION_WEIGHT,
                    about,
                )
            )
    return out


def _credit_hit(doc: ArticleSignals, names: frozenset[str]) -> tuple[str, float] | None:
    for text in doc.footers:  # "Originally published by X": the footer names its own source
        origin = copy_credit(text)
        if origin is not None and named_outlet(origin, names):
            return text, FOOTER_CREDIT_WEIGHT
        if origin is None and any(_mentions(text, n) for n in names):
            return text, FOOTER_CREDIT_WEIGHT
    for text in doc.credit_sentences:
        hit = credits(text, set(names))
        if hit:
            return text, FIRST_REPORT_WEIGHT if hit[1] else ATTRIBUTION_WEIGHT
    return None


def _mentions(text: str, name: str) -> bool:
    return name in condense(text)


def common_credit_evidence(a: ArticleSignals, b: ArticleSignals) -> list[Evidence]:
    """Return evidence that both credit one outlet that is neither of them (both took from it)."""
    if a.origin and a.origin == b.origin and a.origin not in a.own | b.own:
        return [
            Evidence(
                "common_credit",
                "common_source",
                f"both datelines credit {a.origin}, which is neither article's outlet",
                COMMON_CREDIT_WEIGHT,
            )
        ]
    for x, y in ((a, b), (b, a)):
        for name in sorted(_outside(x, a.names | b.names)):
            if any(credits(t, {condense(name)}) for t in y.credit_sentences):
                return [
                    Evidence(
                        "common_credit",
                        "common_source",
                        f"both credit {name}, an outlet that is neither of them",
                        COMMON_CREDIT_WEIGHT,
                    )
                ]
    return []


def _outside(sig: ArticleSignals, names: frozenset[str]) -> set[str]:
    """Return the outlets ``sig`` credits that go by none of ``names``."""
    return {n for n in sig.credited if condense(n) not in names}


def self_evidence(a: ArticleSignals, b: ArticleSignals) -> list[Evidence]:
    """Return what each article says about itself: own-outlet datelines and copy footers."""
    common = common_credit_evidence(a, b)
    out = list(common)
    copies = {side: _copy_footer(sig) for side, sig in (("a", a), ("b", b))}
    if copies["a"] and copies["b"]:
        out.append(
            Evidence(
                "footer",
                "common_source",
                f"both say they are copies: {_clip(copies['a'])} / {_clip(copies['b'])}",
                COMMON_CREDIT_WEIGHT,
            )
        )
        return out
    for side, sig, other in (("a", a, b), ("b", b, a)):
        third = sorted(_outside(sig, sig.names | other.names))
        if third and not common:
            out.append(
                Evidence(
                    "third_credit",
                    None,
                    f"{side.upper()} credits {third[0]}, an outlet outside the pair: "
                    "its text is not all its own",
                    THIRD_CREDIT_WEIGHT,
                    side,
                )
            )
        if copies[side]:
            out.append(
                Evidence(
                    "footer",
                    None,
                    f"{side.upper()} says of itself: {_clip(copies[side])}",
                    FOOTER_WEIGHT,
                    side,
                )
            )
        elif sig.origin and sig.origin in sig.own:
            out.append(
                Evidence(
                    "own_credit",
                    side,
                    f"{side.upper()}'s dateline credits its own outlet: it presents "
                    "itself as the original report",
                    OWN_CREDIT_WEIGHT,
                    side,
                )
            )
    return out


def _copy_footer(sig: ArticleSignals) -> str | None:
    """Return the first footer that marks ``sig``'s article a copy ("(c) 2026 Own Outlet" is
    none)."""
    return next((t for t in sig.footers if not _names_itself(t, sig.own)), None)


def _names_itself(footer: str, own: frozenset[str]) -> bool:
    """Return True when ``footer`` names its own article's outlet ("first appeared on <own
    site>")."""
    origin = copy_credit(footer)
    if origin is not None:
        return bool(own) and named_outlet(origin, own) is not None
    return any(_mentions(footer, n) for n in own)


def time_order(a: ArticleSignals, b: ArticleSignals) -> tuple[str | None, float, str]:
    """Return (the earlier side or None, the gap in seconds, a sentence saying so)."""
    return _time_order(a.published, b.published)


@lru_cache(maxsize=4096)
def _time_order(pa: str | None, pb: str | None) -> tuple[str | None, float, str]:
    """:func:`time_order` of two publication times (memoized: a pair is read four times or
    more, once per direction of its decision)."""
    ta, tb = parse_time(pa), parse_time(pb)
    if ta is None or tb is None:
        return None, 0.0, ""
    date_only = len(pa or "") <= 10 or len(pb or "") <= 10
    if ta == tb or (date_only and ta.date() == tb.date()):
        return (
            None,
            0.0,
            (f"both published {min(pa, pb, key=len)[:10] if date_only else pa}"),
        )
    side = "a" if ta < tb else "b"
    text = (
        f"{side.upper()} published {min(ta, tb).isoformat()}, "
        f"{_other(side).upper()} {max(ta, tb).isoformat()}"
    )
    return side, abs((ta - tb).total_seconds()), text


def timestamp_evidence(a: ArticleSignals, b: ArticleSignals) -> list[Evidence]:
    """Return evidence from publication times, when both are known."""
    side, gap, text = time_order(a, b)
    if not text:
        return []
    if side is None:
        return [Evidence("timestamp", None, text, 0.0)]
    return [
        Evidence(
            "timestamp", side, text, TIMESTAMP_WEIGHT if gap >= 3600 else TIMESTAMP_CLOSE_WEIGHT
        )
    ]


def content_evidence(overlap: Overlap, earlier: str | None, rules: Rules = RULES) -> list[Evidence]:
    """Return containment and ``only_in`` evidence; ``earlier`` is the earlier side or None."""
    if max(overlap.b_in_a, overlap.a_in_b) < rules.shared_min:
        return []
    own = {s: overlap.own_share(s) for s in ("a", "b")}
    listing = {s: _only_text(s, own[s], overlap) for s in ("a", "b")}
    if earlier is not None:
        later = _other(earlier)
        if own[later] >= rules.own_share_min:
            return [
                Evidence("only_in", "common_source", listing[later], rules.only_in_weight, later),
                Evidence("only_in", None, listing[earlier], 0.0, earlier),
            ]
        text = f"{later.upper()} lies inside {earlier.upper()}: {_shares(overlap)}"
        return [Evidence("containment", earlier, text, CONTAINMENT_WEIGHT)]
    if min(own.values()) >= rules.own_share_min:  # each has substantial material the other lacks
        return [
            Evidence("only_in", "common_source", listing[s], rules.only_in_weight / 2, s)
            for s in ("a", "b")
        ]
    inner = "b" if own["b"] <= own["a"] else "a"
    text = (
        f"{inner.upper()} lies inside {_other(inner).upper()} "
        f"({_shares(overlap)}); without publication "
        "times that does not say who copied whom"
    )
    return [Evidence("containment", None, text, 0.0)] + [
        Evidence("only_in", None, listing[s], 0.0, s) for s in ("a", "b")
    ]


def _shares(o: Overlap) -> str:
    how = " (estimated)" if o.estimated else ""
    return f"{o.b_in_a:.0%} of B is in A; {o.a_in_b:.0%} of A is in B{how}"


def _only_text(side: str, share: float, o: Overlap) -> str:
    excerpts = o.a_only if side == "a" else o.b_only
    head = f"only in {side.upper()} ({share:.0%} of its content)"
    return head + (": " + " | ".join(_clip(e) for e in excerpts[:EXCERPTS]) if excerpts else "")


def _clip(text: str) -> str:
    return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1].rstrip() + "…"


def _same_outlet(a: ArticleSignals, b: ArticleSignals) -> bool:
    return bool(a.own & b.own)


def pair_evidence(
    a: ArticleSignals, b: ArticleSignals, overlap: Overlap, rules: Rules = RULES
) -> list[Evidence]:
    """Return every piece of direction evidence for a pair (pure; no alignment needed)."""
    credit = attribution_evidence(a, b)
    earlier, _gap, _text = time_order(a, b)
    evidence = (
        credit
        + self_evidence(a, b)
        + timestamp_evidence(a, b)
        + content_evidence(overlap, earlier, rules)
    )
    shared = max(overlap.b_in_a, overlap.a_in_b) >= rules.shared_min
    if shared and not credit and not _same_outlet(a, b):
        evidence.append(_no_credit(overlap, rules))
    return evidence


def _no_credit(overlap: Overlap, rules: Rules) -> Evidence:
    if _contained(overlap, rules):
        inner = min(("a", "b"), key=overlap.own_share)
        return Evidence(
            "no_credit",
            None,
            f"neither credits the other, but {inner.upper()} has nothing of its own that "
            f"{_other(inner).upper()} lacks: no sign of a source outside the pair",
            0.0,
        )
    return Evidence(
        "no_credit",
        "common_source",
        "the two share text, and neither credits the other: "
        "text shared by two outlets usually comes from a release or feed neither names",
        rules.no_credit_weight,
    )


def _contained(overlap: Overlap, rules: Rules) -> bool:
    """Return True when ``rules`` say one article is essentially contained in the other."""
    if rules.contained_max is None:
        return False
    inner, outer = sorted(("a", "b"), key=overlap.own_share)
    if overlap.own_share(inner) > rules.contained_max:
        return False
    return not rules.contained_explained or overlap.own_share(outer) < rules.own_share_min


def decide_pair(
    a: ArticleSignals, b: ArticleSignals, overlap: Overlap, rules: Rules = RULES
) -> Direction:
    """Return the Direction of a pair from its two articles' signals and their overlap."""
    return decide(pair_evidence(a, b, overlap, rules), rules)


def _noisy_or(weights) -> float:
    p = 1.0
    for w in weights:
        p *= 1.0 - w
    return 1.0 - p


def scores(evidence) -> dict[str, float]:
    """Return the combined weight of each answer: noisy-or of the evidence pointing to it.

    Neutral evidence *about* an article (a copy footer) discounts that
    article as the source by its weight, and adds nothing to the other.
    """
    out = {s: _noisy_or(e.weight for e in evidence if e.side == s) for s in ANSWERS}
    for e in evidence:
        if e.side is None and e.about in ("a", "b") and e.weight:
            out[e.about] *= 1.0 - e.weight
    return out


def decide(evidence, rules: Rules = RULES) -> Direction:
    """Return the Direction the evidence supports ("a", "b", "common_source"), or an undetermined
    one."""
    score = scores(evidence)
    ranked = sorted(ANSWERS, key=lambda s: (-score[s], ANSWERS.index(s)))
    best, second = ranked[0], ranked[1]
    margin = score[best] - score[second]
    ordered = tuple(sorted(evidence, key=lambda e: -e.weight))
    if score[best] < rules.decide_min or margin < rules.decide_margin:
        return Direction(None, 0.0, ordered)
    return Direction(best, round(margin, 3), ordered)
