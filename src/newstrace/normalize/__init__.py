"""Normalize an Article into a Document: clean text, language, sentences, boilerplate."""

from __future__ import annotations

from ..model import Article, Document, Sentence
from .boilerplate import boilerplate_rule
from .language import detect_language
from .sentences import split_sentences
from .text import document_text, paragraphs, words

__all__ = [
    "boilerplate_rule",
    "detect_language",
    "document_text",
    "normalize",
    "paragraphs",
    "words",
]


def normalize(article: Article) -> Document:
    """Return the Document for ``article``: cleaned text, language and sentences.

    The article's own ``language`` wins over detection. Whole paragraphs
    that match a boilerplate rule mark all their sentences; single sentences
    are checked too, so a footer glued onto a paragraph is still caught.
    """
    text = document_text(article.text)
    language = article.language or detect_language(text)
    rules: dict[str, str | None] = {}  # text -> its rule: a one-sentence paragraph is read once

    def rule(part: str) -> str | None:
        if part not in rules:
            rules[part] = boilerplate_rule(part)
        return rules[part]

    para_rule = {i: rule(p) for i, (_o, p) in enumerate(paragraphs(text))}
    sentences = tuple(
        Sentence(
            i=i,
            text=text[s:e],
            start=s,
            end=e,
            paragraph=p,
            boilerplate=para_rule[p] or rule(text[s:e]),
        )
        for i, (s, e, p) in enumerate(split_sentences(text))
    )
    return Document(article=article, text=text, language=language, sentences=sentences)
