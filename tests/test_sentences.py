"""Sentence splitting: the fast path for one-sentence paragraphs agrees with syntok."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from syntok import segmenter

from newstrace.normalize.sentences import _extend_to_gaps, split_sentences
from newstrace.normalize.text import document_text as clean_text


def _syntok_only(text: str) -> list[tuple[int, int]]:
    out = []
    for para in segmenter.analyze(text):
        for sent in para:
            if sent:
                out.append((sent[0].offset, sent[-1].offset + len(sent[-1].value), 0))
    return [(s, e) for s, e, _p in _extend_to_gaps(text, out)]


WORDS = [
    "The",
    "mayor",
    "said",
    "Dr.",
    "U.S.",
    "3.5",
    "percent",
    "on",
    "Monday",
    '"We',
    'agree,"',
    "(AP)",
    "rose.",
    "fell!",
    "why?",
    "it",
    "e.g.",
    "and",
    "…",
    "Next",
    "\n\n",
]


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=40))
def test_same_spans_as_syntok(tokens):
    text = clean_text(" ".join(tokens))
    if not text:
        return
    assert [(s, e) for s, e, _p in split_sentences(text)] == _syntok_only(text)


def test_glued_sentences_still_split():
    text = "The deal was agreed on Monday.The club confirmed it later."
    assert len(split_sentences(text)) == 2


def test_offsets_index_the_text_and_paragraphs_count():
    text = clean_text("First one. Second one.\n\nA lone paragraph without inner stops")
    spans = split_sentences(text)
    assert [text[s:e] for s, e, _p in spans] == [
        "First one.",
        "Second one.",
        "A lone paragraph without inner stops",
    ]
    assert [p for _s, _e, p in spans] == [0, 0, 1]
