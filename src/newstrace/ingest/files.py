"""Files to Articles: format by extension (or sniffed), size and sanity checks, selectors.

Size limit: ``settings.max_bytes`` applies to the whole file for .txt, .md,
.html, .json and feeds, and to each record for the streamed formats
(.jsonl lines and WARC payloads), so archives of any size can be read.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

from ..errors import (
    AmbiguousInput,
    EmptyInput,
    InputError,
    MalformedInput,
    MissingInput,
    TooLarge,
    UnreadableInput,
    UnsupportedFormat,
)
from ..model import Article
from ..settings import DEFAULT, Settings
from .encoding import declared_charset, decode_bytes
from .failure import IngestFailure, failure
from .feeds import iter_feed, looks_like_feed
from .headers import parse_plain
from .html import html_to_article
from .jsonfmt import iter_json, iter_jsonl
from .warc import iter_warc, looks_like_warc

# Extension -> format. Longest suffix wins (".warc.gz" before ".gz").
FORMATS = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".jsonl.gz": "jsonl",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
    ".warc": "warc",
    ".warc.gz": "warc",
}
SUPPORTED_EXTENSIONS = tuple(sorted(FORMATS))
STREAMED = frozenset({"jsonl", "warc"})
CONTAINERS = frozenset({"json", "jsonl", "feed", "warc"})
_SELECTOR = re.compile(r"^(?P<path>.+?)(?:(?P<sep>[:@])(?P<num>\d+)|#(?P<id>[^#/]+))$")
_HINT_LIMIT = "raise it with --max-bytes (Settings.max_bytes)"


def extension_format(path: Path) -> str | None:
    """Return the format named by ``path``'s extension, or None if it is not supported."""
    name = path.name.lower()
    for ext in sorted(FORMATS, key=len, reverse=True):
        if name.endswith(ext):
            return FORMATS[ext]
    return None


def file_format(path: Path, label: str) -> str:
    """Return the format of the file at ``path``, sniffing feeds, WARC and HTML when the extension
    is unknown.

    Raises UnsupportedFormat listing the supported extensions.
    """
    kind = extension_format(path)
    if kind == "feed" and path.suffix.lower() == ".xml" and not looks_like_feed(_head(path)):
        raise UnsupportedFormat("XML file that is not an RSS or Atom feed", source=label)
    if kind:
        return kind
    head = _head(path)
    sniffed = _sniff(head)
    if sniffed:
        return sniffed
    raise UnsupportedFormat(
        f"unsupported file type {path.suffix or '(no extension)'!r}",
        source=label,
        hint=f"supported: {', '.join(SUPPORTED_EXTENSIONS)}",
    )


def _sniff(head: bytes) -> str | None:
    if looks_like_warc(head):
        return "warc"
    if looks_like_feed(head):
        return "feed"
    if re.match(rb"\s*<(?:!doctype html|html)[\s>]", head[:512], re.IGNORECASE):
        return "html"
    return None


def _head(path: Path, size: int = 2048) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(size)


def check_file(path: Path, label: str, kind: str | None, settings: Settings) -> int:
    """Return the file size; raise MissingInput, UnsupportedFormat (directory), EmptyInput or
    TooLarge."""
    if not path_exists(path):
        raise MissingInput("no such file", source=label, hint="check the path")
    if path.is_dir():
        raise UnsupportedFormat(
            "is a directory, not a file",
            source=label,
            hint="read directories with iter_articles / `newstrace ingest`",
        )
    size = path.stat().st_size
    if size == 0:
        raise EmptyInput("file is empty", source=label)
    if kind not in STREAMED and size > settings.max_bytes:
        raise TooLarge(
            f"file is {size:,} bytes, over the limit of {settings.max_bytes:,}",
            source=label,
            hint=_HINT_LIMIT,
        )
    return size


def iter_file(
    path: Path, label: str | None = None, settings: Settings = DEFAULT
) -> Iterator[Article | IngestFailure]:
    """Yield every Article in the file, and an IngestFailure for each unreadable part; never raises
    InputError."""
    label = label or str(path)
    try:
        yield from _iter_checked(path, label, settings)
    except InputError as exc:
        yield failure(exc, label)
    except OSError as exc:
        yield failure(unreadable(exc, label), label)
    except (EOFError, zlib.error) as exc:
        yield failure(MalformedInput(f"cannot read: {exc}", source=label), label)


def unreadable(exc: OSError, label: str) -> InputError:
    """Return the InputError for an OSError met while reading ``label`` (never re-raise the
    OSError)."""
    if isinstance(exc, FileNotFoundError):
        return MissingInput("no such file", source=label, hint="check the path")
    if isinstance(exc, PermissionError):
        return UnreadableInput(
            "permission denied", source=label, hint="check the file's permissions"
        )
    return UnreadableInput(f"cannot read: {exc.strerror or exc}", source=label)


def _iter_checked(path: Path, label: str, settings: Settings, line: int | None = None):
    check_file(path, label, extension_format(path), settings)
    kind = file_format(path, label)
    if kind == "jsonl":
        yield from iter_jsonl(path, label, settings, line=line)
    elif kind == "warc":
        yield from iter_warc(path, label, settings)
    elif kind == "feed":
        yield from iter_feed(path.read_bytes(), label)
    elif kind == "json":
        yield from iter_json(_read_text(path, label), label)
    else:
        yield _read_single(path, label, kind)


def _read_single(path: Path, label: str, kind: str) -> Article:
    if kind == "html":
        return html_to_article(_read_text(path, label, html=True), source=label)
    return parse_plain(_read_text(path, label), source=label, markdown=kind == "markdown")


def _read_text(path: Path, label: str, html: bool = False) -> str:
    data = path.read_bytes()
    text = decode_bytes(data, label, declared_charset(data) if html else None)
    if not text.strip():
        raise EmptyInput("file holds only whitespace", source=label)
    return text


def parse_spec(spec: str | Path) -> tuple[Path, str, str | None, str | None]:
    """Return (path, label, selector kind, selector value) for ``path``, ``path:N``, ``path@N`` or
    ``path#ID``.

    The one parser of article specs (CLI, ``compare()``, ``read_article()``,
    ingest). A path that exists as written is never split; otherwise a
    trailing selector is split off whether or not the rest exists, so errors
    name the file. Kind is None, ":", "@" or "#".
    """
    label = str(spec)
    path = Path(label)
    match = None if path_exists(path) else _SELECTOR.match(label)
    if match is None:
        return path, label, None, None
    if match["id"] is not None:
        return Path(match["path"]), match["path"], "#", match["id"]
    return Path(match["path"]), match["path"], match["sep"], match["num"]


def path_exists(path: Path) -> bool:
    """Return True if ``path`` exists; False too for names the system refuses (too long, NUL)."""
    try:
        return path.exists()
    except (OSError, ValueError):
        return False


def looks_like_spec(value: str) -> bool:
    """Return True when the string ``value`` names a file rather than holding article text.

    The rule: no line break, at most 4,096 characters, and either an existing
    file (after any ``:N``, ``@N`` or ``#ID`` selector) or a name ending in a
    supported extension (``.txt``, ``.html``, ``.jsonl``, ...). Such a spec
    that names no file raises MissingInput when read.
    """
    if "\n" in value or len(value) > 4096 or not value.strip():
        return False
    path = parse_spec(value)[0]
    return path_exists(path) or extension_format(path) is not None


def read_article(spec: str | Path, settings: Settings = DEFAULT) -> Article:
    """Return the one article in the file ``spec`` names.

    Containers take a selector: ``file.jsonl:N`` (line, 1-based), ``file.json:N``
    (object), ``file.jsonl#ID`` (article id), ``feed.xml#entry-N``,
    ``x.warc.gz@OFFSET``; a container holding one article needs none.
    Raises an InputError subclass naming the file (MissingInput, EmptyInput,
    BinaryInput, UnsupportedFormat, DecodeFailure, TooLarge, MalformedInput,
    AmbiguousInput).
    """
    path, label, sep, value = parse_spec(spec)
    try:
        return _read_selected(path, label, sep, value, settings)
    except OSError as exc:
        raise unreadable(exc, label) from None
    except (EOFError, zlib.error) as exc:
        raise MalformedInput(f"cannot read: {exc}", source=label) from None


def _read_selected(path: Path, label: str, sep: str | None, value: str | None, settings: Settings):
    check_file(path, label, extension_format(path), settings)
    kind = file_format(path, label)
    if kind not in CONTAINERS:
        if sep:
            raise UnsupportedFormat(
                f"a {kind} file holds one article; drop {sep}{value}", source=label
            )
        return _read_single(path, label, kind)
    line = int(value) if sep == ":" and kind == "jsonl" else None
    items = _iter_checked(path, label, settings, line=line)
    return _select(items, label, kind, sep, value)


def _select(items, label: str, kind: str, sep: str | None, value: str | None) -> Article:
    if sep is None:
        return _only(items, label, kind)
    wanted = f"{label}{sep}{value}"
    for item in items:
        if item.source == wanted or (sep == "#" and isinstance(item, Article) and item.id == value):
            return _raise_failure(item)
    raise MissingInput(
        f"no article {sep}{value} in this file", source=label, hint=_how_to_choose(label, kind)
    )


def _only(items, label: str, kind: str) -> Article:
    first_two = list(islice(items, 2))
    if not first_two:
        raise EmptyInput("file holds no articles", source=label)
    if len(first_two) > 1:
        raise AmbiguousInput(
            "file holds several articles", source=label, hint=_how_to_choose(label, kind)
        )
    return _raise_failure(first_two[0])


def _raise_failure(item: Article | IngestFailure) -> Article:
    if isinstance(item, IngestFailure):
        raise item.error or MalformedInput(item.reason, source=item.source)
    return item


def _how_to_choose(label: str, kind: str) -> str:
    return {
        "jsonl": f"choose one with {label}:LINE (1-based) or {label}#ID",
        "json": f"choose one with {label}:N (1-based object number) or {label}#ID",
        "feed": f"choose one with {label}#entry-N (1-based)",
        "warc": f"choose one with {label}@OFFSET; `newstrace ingest` lists the offsets",
    }[kind]
