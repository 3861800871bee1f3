"""The same-language paraphrase pass: embeddings fill the gaps the lexical path leaves, in document
order."""

from __future__ import annotations

from newstrace.model import Article
from newstrace.normalize import normalize
from newstrace.pairwise import compare_documents
from newstrace.pairwise.semantic_pass import gap_candidates
from newstrace.semantic import paraphrase_embedder
from newstrace.settings import Settings

LEX = Settings(semantic="off")
SOURCE = [
    (
        "Negotiators from Osterby and the Lintel Islands "
        "met for a third day in the port city of Carrow."
    ),
    "It is unclear whether any deal was reached on the fishing quotas.",
    "Both delegations left the talks without speaking to reporters on Thursday evening.",
    "The islands' fleet has lost a third of its catch since the old agreement expired in March.",
    "A fourth round of talks is planned for the end of the month in Osterby.",
]
REWORDED = "It is not yet known whether the talks will succeed."


def _doc(sentences, ident):
    return normalize(Article(text="\n\n".join(sentences), id=ident, language="en"))


def _derivative(position):
    kept = [SOURCE[0], SOURCE[2], SOURCE[3], SOURCE[4]]
    return _doc(kept[:position] + [REWORDED] + kept[position:], "b")


def test_paraphrase_in_its_gap_is_aligned_not_omitted_and_added(fake_embedder):
    a, b = _doc(SOURCE, "a"), _derivative(1)
    lexical = compare_documents(a, b, LEX)
    assert lexical.alignment.links[1].label == "new" and lexical.alignment.a_labels[1] == "omitted"
    emb = fake_embedder([[SOURCE[1], REWORDED]])
    c = compare_documents(a, b, LEX, None, emb)
    link = c.alignment.links[1]
    assert link.a == (1,) and link.label == "paraphrase"
    assert c.alignment.a_labels[1] == "kept"
    assert not any(1 in o.a for o in c.omissions)
    assert not any(1 in add.b for add in c.additions)
    assert c.mode == "multilingual"


def test_paraphrase_far_out_of_its_gap_is_not_aligned(fake_embedder):
    # The same (perfect) embedding match, but the sentence now sits after the last paragraph:
    # its gap holds no omitted A sentence, so the pass does not look back to sentence 1.
    a, b = _doc(SOURCE, "a"), _derivative(4)
    emb = fake_embedder([[SOURCE[1], REWORDED]])
    c = compare_documents(a, b, LEX, None, emb)
    assert c.alignment.links[4].label == "new"
    assert c.alignment.a_labels[1] == "omitted"
    assert c.mode == "lexical"


def test_gap_candidates_are_the_omitted_sentences_between_aligned_neighbours():
    a, b = _doc(SOURCE, "a"), _derivative(1)
    alignment = compare_documents(a, b, LEX).alignment
    assert gap_candidates(a, alignment) == {1: [1]}


def test_unrelated_sentences_stay_new_with_an_embedder(fake_embedder):
    a = _doc(SOURCE, "a")
    b = _doc(
        SOURCE[:1]
        + ["The Carrow football club sacked its coach after a fifth defeat."]
        + SOURCE[2:],
        "b",
    )
    c = compare_documents(a, b, LEX, None, fake_embedder())
    assert c.alignment.links[1].label == "new"


def test_paraphrase_embedder_is_off_across_languages_and_when_switched_off():
    assert paraphrase_embedder(Settings(semantic="off"), "en", "en") is None
    assert paraphrase_embedder(Settings(semantic="auto"), "en", "de") is None
