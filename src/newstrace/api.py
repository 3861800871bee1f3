"""The pair API: read, normalize and compare two articles.

Every face of ``newstrace compare`` (terminal, JSON, HTML, web) is a thin
layer over :func:`compare`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Union

from .errors import SameInput
from .ingest import read_article, read_text
from .model import Article, Change, Comparison, Document
from .normalize import normalize
from .pairwise import compare_documents
from .semantic import choose_embedder, paraphrase_embedder
from .settings import DEFAULT, Settings

ArticleLike = Union[Article, Document, str, "os.PathLike[str]"]


def _looks_like_path(value: str) -> bool:
    if "\n" in value or len(value) > 4096:
        return False
    base = value.rsplit("#", 1)[0]
    if ":" in base and base.rsplit(":", 1)[1].isdigit():
        base = base.rsplit(":", 1)[0]
    try:
        return Path(base).is_file()
    except (OSError, ValueError):  # a one-line text longer than a file name is text, not a path
        return False


def to_document(item: ArticleLike, settings: Settings = DEFAULT) -> Document:
    """Return a Document for an Article, a Document, a file spec, or plain text.

    A string that names an existing file (optionally ``file.jsonl:N`` or
    ``file.jsonl#ID``) is read as that file; any other string is article text.
    Raises an :class:`~newstrace.errors.InputError` subclass for bad input.
    """
    if isinstance(item, Document):
        return item
    if isinstance(item, Article):
        return normalize(item)
    if isinstance(item, os.PathLike) or (isinstance(item, str) and _looks_like_path(item)):
        return normalize(read_article(os.fspath(item), settings))
    return normalize(read_text(str(item), settings=settings))


def _check_distinct(a: ArticleLike, b: ArticleLike, da: Document, db: Document) -> None:
    paths = [os.path.realpath(os.fspath(x)) for x in (a, b) if isinstance(x, (str, os.PathLike)) and _looks_like_path(os.fspath(x))]
    if len(paths) == 2 and paths[0] == paths[1]:
        raise SameInput("both sides are the same file", source=os.fspath(a), hint="compare two different articles")
    if da.article is db.article or (da.article.id and da.article.id == db.article.id and da.text == db.text and da.article.outlet == db.article.outlet):
        raise SameInput("both sides are the same article", source=da.article.source or da.article.id, hint="compare two different articles")


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


def drift(a: ArticleLike, b: ArticleLike, settings: Settings | None = None) -> tuple[Change, ...]:
    """Return what B changed in the meaning of what it kept from A (source first).

    Short texts work too: ``drift("Up to 300 were hurt.", "More than 300 were hurt.")``.
    """
    return compare(a, b, settings).drift
