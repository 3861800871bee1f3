"""Order-aware sentence alignment on fictional pairs: moved paragraphs, merges, splits, third-outlet
credits."""

from __future__ import annotations

from newstrace.model import Article
from newstrace.normalize import normalize
from newstrace.pairwise import compare_documents
from newstrace.pairwise.align import align_lexical
from newstrace.settings import Settings

LEX = Settings(semantic="off")

# A fictional wire story: ten sentences, one per paragraph, each about its own fact.
SOURCE = [
    (
        "The Marrowby council approved a 40-turbine wind farm "
        "on Tollan Ridge on Monday after a four-hour debate."
    ),
    "Councillor Edda Varn said the vote ended a dispute that had lasted since 2019.",
    "The developer, Northmere Energy, expects construction to begin in the spring.",
    "Local farmers will lease the land for thirty years under a profit-sharing scheme.",
    "A coalition of hikers had opposed the project because of the ridge's walking trails.",
    "The company agreed to move six turbines away from the oldest footpath.",
    "Birdwatchers raised concerns about a colony of golden plovers nesting near the summit.",
    "An ecological survey commissioned by the council found the colony would not be disturbed.",
    "The turbines are expected to supply electricity to about 52,000 homes.",
    "Grid operator Veltline must still approve a new substation near Harwick.",
]


def _doc(sentences, outlet="Marrowby Wire", ident="a"):
    return normalize(Article(text="\n\n".join(sentences), id=ident, outlet=outlet, language="en"))


def _links(alignment):
    return [link for link in alignment.links if link.label != "boilerplate"]


def test_reordered_paragraph_keeps_every_strong_match():
    # B moves the two bird sentences (6, 7) up front: strong matches out of order are kept.
    order = [0, 6, 7, 1, 2, 3, 4, 5, 8, 9]
    a, b = _doc(SOURCE), _doc([SOURCE[i] for i in order], "Copy Daily", "b")
    links = _links(align_lexical(a, b, LEX))
    assert [link.a for link in links] == [(i,) for i in order]
    assert all(link.label == "verbatim" for link in links)


def test_weak_match_far_out_of_place_loses_but_in_place_it_stays():
    # The same loosely worded sentence about the substation: after sentence 3 it is far from
    # sentence 9 and the path would have to jump back; after sentence 8 it is the next sentence.
    weak = (
        "Officials said Veltline still has to approve the "
        "planned substation, a process that can take months."
    )
    early = _doc(SOURCE[:4] + [weak] + SOURCE[4:9], "Copy Daily", "b1")
    late = _doc(SOURCE[:9] + [weak], "Copy Daily", "b2")
    a = _doc(SOURCE)
    early_link = _links(align_lexical(a, early, LEX))[4]
    late_link = _links(align_lexical(a, late, LEX))[9]
    assert late_link.a == (9,) and late_link.label == "paraphrase"
    assert early_link.a == () and early_link.label == "new"


def test_merged_sentence_takes_both_sources():
    merged = (
        "Northmere Energy, the developer, expects building work to begin in the spring, "
        "and local farmers will lease the land for thirty years in a profit-sharing scheme."
    )
    b = _doc(SOURCE[:2] + [merged] + SOURCE[4:], "Copy Daily", "b")
    links = _links(align_lexical(_doc(SOURCE), b, LEX))
    assert links[2].a == (2, 3)
    assert [link.a for link in links[3:]] == [(i,) for i in range(4, 10)]


def test_split_sentence_keeps_one_source_for_both_halves():
    halves = [
        "The Marrowby council approved a 40-turbine wind farm on Tollan Ridge on Monday.",
        "The approval came after a four-hour debate in the council chamber.",
    ]
    b = _doc(halves + SOURCE[1:], "Copy Daily", "b")
    links = _links(align_lexical(_doc(SOURCE), b, LEX))
    assert links[0].a == (0,) and links[1].a == (0,)
    assert [link.a for link in links[2:]] == [(i,) for i in range(1, 10)]


def test_sentence_crediting_a_third_outlet_is_an_addition():
    # It repeats words of the lead (about half of its weight: council, wind farm, Tollan Ridge)
    # and follows it in order, but reports what another outlet found: its content is not in A,
    # so it must stay among the additions.
    credit = (
        "In early May, the Valley Herald reported that the Marrowby council had delayed "
        "the 40-turbine Tollan Ridge wind farm debate over unpaid fees."
    )
    a = _doc(SOURCE)
    b = _doc(SOURCE[:1] + [credit] + SOURCE[1:], "Copy Daily", "b")
    c = compare_documents(a, b, LEX)
    link = _links(c.alignment)[1]
    assert link.label == "new" and link.a == ()
    credited = [add for add in c.additions if add.credits]
    assert credited and "Valley Herald" in credited[0].credits


def test_credited_sentence_whose_content_is_in_a_is_aligned():
    credit = (
        "The Valley Herald reported that the Marrowby council approved a 40-turbine wind farm "
        "on Tollan Ridge on Monday after a four-hour debate."
    )
    b = _doc([credit] + SOURCE[1:], "Copy Daily", "b")
    link = _links(align_lexical(_doc(SOURCE), b, LEX))[0]
    assert link.a == (0,)


def test_same_credit_in_both_is_not_a_third_outlet():
    lead = (
        "The Valley Herald reported that the Marrowby council delayed the Tollan Ridge vote again."
    )
    a = _doc([lead] + SOURCE[1:])
    b = _doc(
        ["According to the Valley Herald, the Marrowby council delayed the Tollan Ridge vote."]
        + SOURCE[1:],
        "Copy Daily",
        "b",
    )
    assert _links(align_lexical(a, b, LEX))[0].a == (0,)


def test_unrelated_sentence_at_the_end_is_new():
    extra = "In other news, the town's football club signed a new goalkeeper from Harwick Rovers."
    b = _doc(SOURCE + [extra], "Copy Daily", "b")
    link = _links(align_lexical(_doc(SOURCE), b, LEX))[-1]
    assert link.label == "new" and link.a == ()


def test_alignment_is_deterministic():
    order = [8, 0, 1, 2, 5, 3, 4, 9]
    a, b = _doc(SOURCE), _doc([SOURCE[i] for i in order], "Copy Daily", "b")
    assert align_lexical(a, b, LEX) == align_lexical(a, b, LEX)


def test_deck_repeating_a_body_sentence_is_not_an_omission():
    # A opens with a deck that restates sentence 8; B uses only the body sentence.
    deck = (
        "The turbines are expected to supply electricity to about 52,000 homes, the council said."
    )
    a = _doc([deck] + SOURCE)
    b = _doc(SOURCE[1:], "Copy Daily", "b")
    al = align_lexical(a, b, LEX)
    homes = next(link for link in al.links if "52,000" in b.sentences[link.b].text)
    assert homes.a == (0, 9)
    assert al.a_labels[0] == "kept" and al.a_labels[1] == "omitted"


def test_numbers_meet_with_or_without_their_unit():
    a = _doc(["Northmere will build a 250 MW battery at Harwick for 40 million euros by 2027."])
    b = _doc(
        ["A 250MW battery is planned at Harwick, costing €40m, with completion in 2027."],
        "Copy Daily",
        "b",
    )
    link = _links(align_lexical(a, b, LEX))[0]
    assert link.a == (0,)


def test_speaker_moved_from_the_next_quote_is_not_a_second_source():
    quotes = [
        "“We listened to every objection and the turbines will stand further from the trail.",
        (
            "The ridge will stay open to walkers,” said Edda "
            "van Rijn, who heads the council's planning office."
        ),
    ]
    a = _doc(SOURCE[:2] + quotes)
    # B names the speaker of the first quote, taking the name (and the speech verb) from the second.
    moved = (
        "Edda van Rijn said: “We listened to every objection "
        "and the turbines will stand further from the trail."
    )
    b = _doc(SOURCE[:2] + [moved, quotes[1]], "Copy Daily", "b")
    links = _links(align_lexical(a, b, LEX))
    assert links[2].a == (2,)
    assert links[3].a == (3,)


def test_primary_dropped_by_pruning_stays_a_candidate_alone():
    # B: two names (n1, n2), one word only A0 has (s) and two words only A1 has (i1, i2).
    # A0 as primary draws A1 in, and pruning then drops A0 (beyond A1 it adds one light
    # word): A0 alone must still be offered, or the path can never choose it.
    from newstrace.pairwise.align_scores import Side, covers, inverted

    def side(bags, names):
        return Side(
            index=tuple(range(len(bags))),
            tokens=tuple(tuple(b) for b in bags),
            stems=tuple(bags),
            names=tuple(frozenset(n) for n in names),
            total=tuple(sum(b.values()) for b in bags),
        )

    a = side(
        [{"n1": 3.0, "n2": 3.0, "s": 2.0}, {"n1": 3.0, "n2": 3.0, "i1": 4.0, "i2": 4.0}],
        [{"n1", "n2"}, {"n1", "n2"}],
    )
    b = side([{"n1": 3.0, "n2": 3.0, "s": 2.0, "i1": 4.0, "i2": 4.0}], [{"n1", "n2"}])
    got = {c.a for c in covers(b, 0, a, inverted(a))}
    assert (0,) in got and (1,) in got


def test_two_adjacent_sentences_swapped_cost_nothing_but_further_back_costs():
    # Rewrites often swap two neighbouring sentences: taking A 4 right after A 5 follows the
    # document as a split or the next sentence does; going three back does not.
    from newstrace.pairwise.align_path import transition
    from newstrace.pairwise.align_scores import Cover

    def at(k):
        return Cover((k,), k, 0.5, 0.5)

    assert transition(5, at(4)) == transition(5, at(5)) == transition(5, at(6))
    assert transition(5, at(2)) < transition(5, at(4))
    assert transition(5, at(0)) <= transition(5, at(2))
