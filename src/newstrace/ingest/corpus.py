"""Corpus sources to a stream of Articles: files, directories, globs, selectors.

Order is deterministic: sources in the order given; inside a directory or a
glob, files sorted by path; inside a file, records in file order.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import InputError, MalformedInput, MissingInput
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
        yield from _iter_files(walk(path), settings)
    elif path.exists():
        yield from iter_file(path, spec, settings)
    elif _GLOB_CHARS & set(spec):
        yield from _iter_glob(spec, settings)
    elif parse_spec(spec)[2] is not None:
        yield _selected(spec, settings)
    else:
        yield failure(MissingInput("no such file or directory", source=spec), spec)


def _iter_files(found: Iterable[Path | IngestFailure], settings: Settings):
    for item in found:
        if isinstance(item, IngestFailure):
            yield item
        else:
            yield from iter_file(item, str(item), settings)


def _iter_glob(pattern: str, settings: Settings) -> Iterator[Article | IngestFailure]:
    matched = False
    for item in glob_files(pattern):
        matched = True
        yield from _iter_files([item], settings)
    if not matched:
        yield failure(MissingInput("no files match this pattern", source=pattern), pattern)


def glob_files(pattern: str) -> Iterator[Path | IngestFailure]:
    """Yield the supported files matching ``pattern`` (``*``, ``?``, ``[...]``, ``**``), sorted.

    Directories are walked from the pattern's fixed prefix, each real directory
    once, so symlink loops cannot multiply the matches; a matched directory is
    read recursively. Unreadable directories come out as IngestFailures.
    """
    root, regex = _split_pattern(pattern)
    if not root.is_dir():
        return
    read: set[str] = set()
    for item in walk(root, supported_only=False, include_dirs=True):
        if isinstance(item, IngestFailure):
            yield item
        elif regex.fullmatch(_rel(item, root)):
            for found in walk(item) if item.is_dir() else [item]:
                if isinstance(found, IngestFailure) or _first_time(found, read):
                    yield found


def _first_time(path: Path, read: set[str]) -> bool:
    real = os.path.realpath(path)
    if real in read:
        return False
    read.add(real)
    return True


def _rel(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if root != Path(".") else path.as_posix()


def _split_pattern(pattern: str) -> tuple[Path, re.Pattern]:
    """Return the fixed directory prefix of ``pattern`` and a regex for the rest."""
    parts = Path(pattern).parts
    fixed = 0
    while fixed < len(parts) - 1 and not _GLOB_CHARS & set(parts[fixed]):
        fixed += 1
    root = Path(*parts[:fixed]) if fixed else Path(".")
    rest = "/".join(parts[fixed:])
    return root, re.compile(_translate(rest))


def _translate(pattern: str) -> str:
    """Return a regex for a glob ``pattern`` over ``/``-separated relative paths."""
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:[^/]*/)*")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        else:
            out.append(_translate_char(pattern, i))
            i += len(_char_token(pattern, i))
    return "".join(out)


def _char_token(pattern: str, i: int) -> str:
    if pattern[i] == "[":
        end = pattern.find("]", i + 2)
        if end != -1:
            return pattern[i : end + 1]
    return pattern[i]


def _translate_char(pattern: str, i: int) -> str:
    token = _char_token(pattern, i)
    if token == "*":
        return "[^/]*"
    if token == "?":
        return "[^/]"
    if len(token) > 1:
        body = token[1:-1]
        negate = body.startswith("!")
        body = re.escape(body[1:] if negate else body).replace("\\-", "-")
        return f"[{'^' if negate else ''}{body}]"
    return re.escape(token)


def _selected(spec: str, settings: Settings) -> Article | IngestFailure:
    try:
        return read_article(spec, settings)
    except InputError as exc:
        return failure(exc, spec)


def walk(
    root: Path, supported_only: bool = True, include_dirs: bool = False
) -> Iterator[Path | IngestFailure]:
    """Yield the non-hidden files under ``root`` recursively, sorted by path, and a failure per
    unreadable directory.

    Symbolic links to directories are followed, but each real directory is
    visited once, so a link loop (``self -> ..``) reads every file once.
    """
    seen: set[str] = set()
    yield from _walk(Path(root), seen, supported_only, include_dirs)


def _walk(directory: Path, seen: set[str], supported_only: bool, include_dirs: bool):
    real = os.path.realpath(directory)
    if real in seen:
        return
    seen.add(real)
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        yield failure(MalformedInput(f"cannot read directory: {reason}", source=str(directory)),
                      str(directory))  # fmt: skip
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(directory, entry.name)
        if _is_dir(entry):
            if include_dirs:
                yield path
            yield from _walk(path, seen, supported_only, include_dirs)
        elif not supported_only or extension_format(path):
            yield path


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def walk_dir(root: Path) -> list[Path]:
    """Return the supported, non-hidden files under ``root``, recursively, sorted by path."""
    return [p for p in walk(root) if isinstance(p, Path)]
