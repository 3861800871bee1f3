"""Corpus sources to a stream of Articles: files, directories, globs, selectors.

Order is deterministic: sources in the order given; inside a directory or a
glob, files sorted by path; inside a file, records in file order.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import InputError, MissingInput
from ..model import Article
from ..settings import DEFAULT, Settings
from .failure import IngestFailure, failure
from .files import extension_format, iter_file, parse_spec, read_article

_GLOB_CHARS = frozenset("*?[")


def iter_articles(
    sources: Iterable[str | os.PathLike] | str | os.PathLike, settings: Settings = DEFAULT
) -> Iterator[Article | IngestFailure]:
    """Yield every Article in ``sources``, and an IngestFailure (never raised) per unreadable item.

    A source is a file, a directory (read recursively: supported extensions
    only, hidden entries skipped), a glob (``news/**/*.html``), or a file
    with a selector (``a.jsonl:3``). Every line of a .jsonl, object of a
    .json list, feed entry and WARC response record is an item.
    """
    if isinstance(sources, (str, os.PathLike)):
        sources = [sources]
    for spec in sources:
        yield from _iter_source(str(spec), settings)


def _iter_source(spec: str, settings: Settings) -> Iterator[Article | IngestFailure]:
    path = Path(spec)
    if path.is_dir():
        for file in walk_dir(path):
            yield from iter_file(file, str(file), settings)
    elif path.exists():
        yield from iter_file(path, spec, settings)
    elif _GLOB_CHARS & set(spec):
        yield from _iter_glob(spec, settings)
    elif parse_spec(spec)[2] is not None:
        yield _selected(spec, settings)
    else:
        yield failure(MissingInput("no such file or directory", source=spec), spec)


def _iter_glob(pattern: str, settings: Settings) -> Iterator[Article | IngestFailure]:
    matches = sorted(glob.glob(pattern, recursive=True))
    if not matches:
        yield failure(MissingInput("no files match this pattern", source=pattern), pattern)
    for match in matches:
        path = Path(match)
        files = walk_dir(path) if path.is_dir() else [path]
        for file in files:
            yield from iter_file(file, str(file), settings)


def _selected(spec: str, settings: Settings) -> Article | IngestFailure:
    try:
        return read_article(spec, settings)
    except InputError as exc:
        return failure(exc, spec)


def walk_dir(root: Path) -> list[Path]:
    """Return the supported, non-hidden files under ``root``, recursively, sorted by path."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            path = Path(dirpath, name)
            if not name.startswith(".") and extension_format(path):
                found.append(path)
    return sorted(found)
