"""End-to-end pair comparisons on fictional articles: labels, verdicts, direction evidence."""

from __future__ import annotations

import pytest

import newstrace
from newstrace.settings import Settings

LEX = Settings(semantic="off")


def _cmp(a, b):
    return newstrace.compare(a, b, LEX)


def _b_labels(c):
    return {link.label for link in c.alignment.links}


def test_verbatim_syndication_with_footer(corpus):
    c = _cmp(corpus / "01-northgate-wire.txt", corpus / "02-valley-herald.txt")
    assert c.verdict == "wholly_derived"
    assert c.same_story
    assert c.direction.source == "a" and not c.swapped
    kinds = {e.kind for e in c.direction.evidence if e.side == "a"}
    assert {"attribution", "timestamp"} <= kinds  # the copy keeps the wire's dateline credit
    footer = [e for e in c.direction.evidence if e.kind == "footer"]
    # The footer speaks of its own article (B is a feed copy); it names no source.
    assert footer and footer[0].about == "b" and footer[0].side is None
    labels = [link.label for link in c.alignment.links]
    assert labels.count("verbatim") >= 9
    assert labels[-1] == "boilerplate"  # the automated-feed footer
    assert c.coverage_b_from_a == pytest.approx(1.0)
    assert "boilerplate" in c.alignment.a_labels  # the wire's credit line


def test_condensed_rewrite_that_credits_the_source(corpus):
    c = _cmp(corpus / "01-northgate-wire.txt", corpus / "04-morning-ledger.txt")
    assert c.direction.source == "a"
    attribution = [e for e in c.direction.evidence if e.kind == "attribution"]
    assert attribution and attribution[0].side == "a"
    assert "Northgate Wire reports" in attribution[0].text
    assert c.verdict in ("wholly_derived", "partially_derived")
    assert "omitted" in c.alignment.a_labels and "kept" in c.alignment.a_labels
    merged = [link for link in c.alignment.links if len(link.a) > 1]
    assert merged, "the ledger condenses two wire sentences into one"


def test_rewrite_with_paragraph_from_third_outlet(corpus):
    c = _cmp(corpus / "01-northgate-wire.txt", corpus / "05-riverside-post.txt")
    assert c.verdict == "partially_derived"
    assert c.direction.source == "a"
    new = [c.b.sentences[link.b].text for link in c.alignment.links if link.label == "new"]
    assert any("Velmora Times" in s for s in new)
    credited = [add for add in c.additions if add.credits]
    assert credited and "Velmora Times" in credited[0].credits


def test_same_topic_different_event(corpus):
    c = _cmp(corpus / "01-northgate-wire.txt", corpus / "06-port-elan-bridge.txt")
    assert c.verdict == "not_derived"
    assert not c.same_story
    assert c.direction.source is None
    assert _b_labels(c) <= {"new", "boilerplate"}


def test_unrelated_topic(pairs, corpus):
    c = _cmp(corpus / "01-northgate-wire.txt", pairs / "sports-unrelated.txt")
    assert not c.same_story and c.verdict == "not_derived"
    assert c.same_story_score < 0.25  # far below the same-story threshold


def test_derivative_given_first_is_swapped(corpus):
    c = _cmp(corpus / "04-morning-ledger.txt", corpus / "01-northgate-wire.txt")
    assert c.swapped
    assert c.a.article.outlet == "Northgate Wire"
    assert c.direction.source == "a"


def test_split_and_reordered_sentences(pairs):
    c = _cmp(pairs / "split-source.txt", pairs / "split-derivative.txt")
    by_a = c.alignment.a_to_b()
    assert len(by_a[0]) == 2, "the first source sentence is split in two"
    first_b = c.alignment.links[0]
    assert first_b.a == (4,), "the derivative opens with the source's last-but-one sentence"
    # The later text carries a fifth of its own (the ferry association) and credits no one,
    # so the shared sentences need not come from A: a common source, given order kept.
    assert c.direction.source == "common_source" and not c.swapped
    only_b = [e for e in c.direction.evidence if e.kind == "only_in" and e.about == "b"]
    assert only_b and only_b[0].side == "common_source" and "ferry association" in only_b[0].text
    assert c.verdict == "partially_derived"


def test_paraphrase_labels(pairs):
    c = _cmp(pairs / "paraphrase-source.txt", pairs / "paraphrase-derivative.txt")
    labels = [link.label for link in c.alignment.links]
    assert labels.count("paraphrase") >= 2
    assert c.same_story
    assert c.verdict in ("wholly_derived", "partially_derived")
    assert c.alignment.a_labels[-1] == "omitted"  # the road-closure sentence


def test_every_b_label_is_covered(corpus, pairs):
    seen = set()
    for a, b in [
        (corpus / "01-northgate-wire.txt", corpus / "02-valley-herald.txt"),
        (corpus / "01-northgate-wire.txt", corpus / "04-morning-ledger.txt"),
        (corpus / "01-northgate-wire.txt", corpus / "05-riverside-post.txt"),
        (pairs / "paraphrase-source.txt", pairs / "paraphrase-derivative.txt"),
    ]:
        seen |= _b_labels(_cmp(a, b))
    assert seen == {"verbatim", "near_verbatim", "paraphrase", "new", "boilerplate"}


def test_html_input_reads_metadata(corpus):
    c = _cmp(corpus / "01-northgate-wire.txt", corpus / "03-coastline-daily.html")
    assert c.b.article.outlet == "Coastline Daily"
    assert c.verdict == "wholly_derived"
    assert c.direction.source == "a"


def test_translated_rewrite_aligns_with_an_embedder(corpus, fake_embedder):
    from newstrace.api import to_document
    from newstrace.pairwise import compare_documents

    a = to_document(corpus / "01-northgate-wire.txt")
    b = to_document(corpus / "07-hafenbruecke-de.txt")
    assert b.language == "de"
    lexical = compare_documents(a, b, LEX)
    groups = [
        [a.sentences[2].text, b.sentences[1].text],
        [a.sentences[5].text, b.sentences[4].text],
    ]
    semantic = compare_documents(a, b, LEX, fake_embedder(groups))
    assert semantic.mode == "multilingual"
    assert semantic.coverage_b_from_a > lexical.coverage_b_from_a
    link = semantic.alignment.links[1]
    assert link.a == (2,) and link.label == "paraphrase"
