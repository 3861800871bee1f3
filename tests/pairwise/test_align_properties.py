"""Invariants of the order-aware alignment, checked with Hypothesis on generated documents."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newstrace.model import Article
from newstrace.normalize import normalize
from newstrace.pairwise.align import align_lexical
from newstrace.pairwise.align_path import best_path
from newstrace.pairwise.align_scores import Cover
from newstrace.settings import Settings

LEX = Settings(semantic="off")
WORDS = [
    "harbour",
    "council",
    "turbine",
    "ridge",
    "farmers",
    "lease",
    "plover",
    "survey",
    "grid",
    "substation",
    "ferry",
    "bridge",
    "mayor",
    "budget",
    "school",
    "flood",
    "river",
    "quarry",
    "museum",
    "festival",
    "tram",
    "depot",
    "orchard",
    "vineyard",
]


@st.composite
def documents(draw, min_size=1, max_size=8):
    """Return distinct sentences, each with its own number, so no two can be confused."""
    n = draw(st.integers(min_size, max_size))
    out = []
    for k in range(n):
        body = draw(st.lists(st.sampled_from(WORDS), min_size=4, max_size=10))
        out.append(f"Report {100 + k * 7} says {' '.join(body)}.")
    return out


def _doc(sentences, ident):
    return normalize(Article(text="\n\n".join(sentences), id=ident, language="en"))


@settings(max_examples=40, deadline=None)
@given(documents())
def test_identical_documents_align_to_the_identity(sentences):
    a, b = _doc(sentences, "a"), _doc(sentences, "b")
    al = align_lexical(a, b, LEX)
    assert [link.a for link in al.links] == [(s.i,) for s in a.sentences]
    assert {link.label for link in al.links} == {"verbatim"}
    assert set(al.a_labels) == {"kept"}


@settings(max_examples=40, deadline=None)
@given(documents(min_size=2), st.randoms(use_true_random=False))
def test_alignment_is_deterministic_and_a_permutation_keeps_its_sources(sentences, rnd):
    order = list(range(len(sentences)))
    rnd.shuffle(order)
    a, b = _doc(sentences, "a"), _doc([sentences[i] for i in order], "b")
    first, second = align_lexical(a, b, LEX), align_lexical(a, b, LEX)
    assert first == second
    # Every sentence is a verbatim copy: however far it moved, the match is strong enough to keep.
    assert [link.a for link in first.links] == [(i,) for i in order]


def _cover(k, strength):
    return Cover(a=(k,), primary=k, share=strength, strength=strength)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.tuples(st.integers(0, 9), st.floats(0, 1)), max_size=3), max_size=8))
def test_path_never_takes_a_cover_below_the_threshold(options):
    covers = [[_cover(k, s) for k, s in opts] for opts in options]
    path = best_path(covers, 0.42)
    assert len(path) == len(covers)
    for chosen, opts in zip(path, covers):
        assert chosen is None or (chosen in opts and chosen.strength > 0.42)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(0.43, 1.0), min_size=1, max_size=8))
def test_in_order_candidates_above_the_threshold_are_all_taken(strengths):
    covers = [[_cover(k, s)] for k, s in enumerate(strengths)]
    assert best_path(covers, 0.42) == [opts[0] for opts in covers]


def _reference_path(options, threshold):
    """best_path as it was written before its transition was inlined (the specification)."""
    from newstrace.pairwise.align_path import _offer, transition

    states = {-1: (0.0, ())}
    for opts in options:
        nxt = {}
        for pos, (score, chain) in states.items():
            _offer(nxt, pos, score, (chain, None))
        for cover in opts:
            gain = cover.strength - threshold
            if gain <= 0:  # never taken (see test_path_never_takes_a_cover_below_the_threshold)
                continue
            best = max(
                (
                    (score + gain + transition(pos, cover), -pos, chain)
                    for pos, (score, chain) in states.items()
                ),
                key=lambda t: (t[0], t[1]),
            )
            _offer(nxt, cover.hi, best[0], (best[2], cover))
        states = nxt
    _pos, (_score, chain) = max(states.items(), key=lambda kv: (kv[1][0], -kv[0]))
    out = []
    while chain:
        chain, choice = chain
        out.append(choice)
    return out[::-1]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.lists(
            st.tuples(
                st.lists(st.integers(0, 12), min_size=1, max_size=3, unique=True),
                st.sampled_from([0.2, 0.42, 0.5, 0.5, 0.61, 0.8, 1.0]),
            ),
            max_size=4,
        ),
        max_size=12,
    )
)
def test_inlined_path_chooses_as_the_reference(options):
    covers = [
        [Cover(a=tuple(sorted(ks)), primary=ks[0], share=s, strength=s) for ks, s in opts]
        for opts in options
    ]
    assert best_path(covers, 0.42) == _reference_path(covers, 0.42)
