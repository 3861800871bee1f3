"""The pair API: read, normalize and compare two articles.

Every face of ``newstrace compare`` (terminal, JSON, HTML, web) is a thin
layer over :func:`compare`.
"""

from __future__ import annotations

import os
from typing import Union

from .errors import ConfigError, SameInput
from .ingest import read_article, read_text
from .ingest.files import looks_like_spec, parse_spec
from .model import Article, Change, Comparison, Document
from .normalize import normalize
from .pairwise import compare_documents
from .semantic import choose_embedder, paraphrase_embedder
from .settings import DEFAULT, Settings

ArticleLike = Union[Article, Document, str, "os.PathLike[str]"]


def to_document(item: ArticleLike, settings: Settings = DEFAULT) -> Document:
    """Return a Document for an Article, a Document, a path, a file spec, or plain text.

    A ``Path`` is always a file. A string is a file spec when it has no line
    break, is at most 4,096 characters, and names an existing file or ends in
    a supported extension, optionally with a selector (``file.jsonl:3``,
    ``file.jsonl#ID``, ``x.warc.gz@0``); a spec naming no file raises
    MissingInput. Any other string is article text (use :func:`compare_texts`
    to never guess). Raises an :class:`~newstrace.errors.InputError` subclass
    for bad input, ConfigError for another type.
    """
    if isinstance(item, Document):
        return item
    if isinstance(item, Article):
        return normalize(item)
    if isinstance(item, os.PathLike) or (isinstance(item, str) and looks_like_spec(item)):
        return normalize(read_article(os.fspath(item), settings))
    if not isinstance(item, str):
        raise ConfigError(
            f"an article must be an Article, a Document, a path or a str, got {type(item).__name__}"
        )
    return normalize(read_text(item, settings=settings))


def _check_distinct(a: ArticleLike, b: ArticleLike, da: Document, db: Document) -> None:
    paths = [_spec_key(x) for x in (a, b)]
    if None not in paths and paths[0] == paths[1]:
        raise SameInput(
            "both sides are the same file",
            source=os.fspath(a),
            hint="compare two different articles",
        )
    if da.article is db.article or (
        da.article.id
        and da.article.id == db.article.id
        and da.text == db.text
        and da.article.outlet == db.article.outlet
    ):
        raise SameInput(
            "both sides are the same article",
            source=da.article.source or da.article.id,
            hint="compare two different articles",
        )


def compare(a: ArticleLike, b: ArticleLike, settings: Settings | None = None) -> Comparison:
    """Return the Comparison of ``a`` and ``b``, oriented source first.

    Raises InputError subclasses for unreadable input and SameInput when both
    sides are the same article; MissingExtra when ``settings.semantic == "on"``
    without the [multilingual] extra.
    """
    settings = settings or DEFAULT
    da, db = to_document(a, settings), to_document(b, settings)
    _check_distinct(a, b, da, db)
    embedder = choose_embedder(settings, da.language, db.language)
    paraphraser = paraphrase_embedder(settings, da.language, db.language)
    return compare_documents(da, db, settings, embedder, paraphraser)


def _spec_key(item: ArticleLike) -> tuple[str, str | None, str | None] | None:
    """Return (real path, selector kind, value) for a file spec, None for anything else."""
    if not isinstance(item, (str, os.PathLike)) or (
        isinstance(item, str) and not looks_like_spec(item)
    ):
        return None
    path, _label, sep, value = parse_spec(os.fspath(item))
    return os.path.realpath(path), sep, value


def compare_texts(a: str, b: str, settings: Settings | None = None) -> Comparison:
    """Return the Comparison of two article texts, never reading them as file names.

    Leading header lines (``outlet:``, ``date:``, ``title:``, ...) are read as
    in a ``.txt`` file. Raises InputError subclasses (EmptyInput, TooLarge,
    MalformedInput) and ConfigError when ``a`` or ``b`` is not a str.
    """
    settings = settings or DEFAULT
    docs = [
        normalize(read_text(_text_arg(x, name), settings, headers=True, source=f"<text {name}>"))
        for x, name in ((a, "a"), (b, "b"))
    ]
    _check_distinct(None, None, docs[0], docs[1])
    embedder = choose_embedder(settings, docs[0].language, docs[1].language)
    return compare_documents(docs[0], docs[1], settings, embedder)


def _text_arg(value, name: str) -> str:
    if not isinstance(value, str):
        raise ConfigError(f"compare_texts: {name} must be a str, got {type(value).__name__}")
    return value


def drift(a: ArticleLike, b: ArticleLike, settings: Settings | None = None) -> tuple[Change, ...]:
    """Return what B changed in the meaning of what it kept from A (source first).

    Short texts work too: ``drift("Up to 300 were hurt.", "More than 300 were hurt.")``.
    """
    return compare(a, b, settings).drift
