"""Input for the batch job: the bytes of each file (read by Spark) to articles and failures.

Spark reads every file with ``binaryFiles`` (local paths, ``s3a://``,
``hdfs://``, anything Hadoop reads); the parsing is the local ingest's
(:func:`newstrace.ingest.blob.iter_blob`), run on the executors. One bad
record or line becomes a failure row ``(source, offset, error, item)`` and the
rest of its file is still read.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import PurePosixPath

from ..ingest.blob import iter_blob
from ..ingest.failure import IngestFailure
from ..ingest.files import extension_format
from ..model import Article
from ..settings import Settings

_LINE = re.compile(r"^(?P<label>.+):(?P<n>\d+)$")
_RECORD = re.compile(r"^(?P<label>.+)@(?P<n>\d+)$")


def label_of(uri: str) -> str:
    """Return the label articles of ``uri`` carry: a local path without ``file:``, else the URI."""
    if uri.startswith("file://"):
        return uri[len("file://") :]
    if uri.startswith("file:"):
        return uri[len("file:") :]
    return uri


def wanted(label: str, spec: str) -> bool:
    """Return True when a listed file is read: a supported extension, or the file the source
    names."""
    return extension_format(PurePosixPath(label)) is not None or label.rstrip("/") == spec.rstrip(
        "/"
    )


def parse_file(index: int, uri: str, data: bytes, spec: str, settings: Settings) -> Iterator[tuple]:
    """Yield ``("a", order, Article)`` and ``("f", failure row)`` items for one file's bytes.

    ``order`` is (source index, label, position in file): the order the local
    ingest reads in, so the first of several articles with one id wins on both.
    """
    label = label_of(uri)
    if not wanted(label, spec):
        return
    for pos, item in enumerate(iter_blob(data, label, settings)):
        if isinstance(item, Article):
            yield "a", (index, label, pos), item
        else:
            yield "f", failure_row(item, label, data)


def failure_row(f: IngestFailure, label: str, data: bytes) -> dict:
    """Return the failure as ``{source, offset, error, item}``.

    ``offset`` is the byte offset of the bad WARC record or JSON line in the
    file (in the decompressed stream for ``.jsonl.gz``), None for a whole file;
    ``item`` is the selector ``newstrace`` accepts for it (``a.jsonl:7``, ``x.warc.gz@1234``).
    """
    offset = None
    rec, line = _RECORD.match(f.source), _LINE.match(f.source)
    if rec and rec["label"] == label:
        offset = int(rec["n"])
    elif line and line["label"] == label:
        offset = _line_offset(data, label, int(line["n"]))
    return {"source": label, "offset": offset, "error": f.reason, "item": f.source}


def _line_offset(data: bytes, label: str, n: int) -> int | None:
    """Return the byte offset of line ``n`` (1-based) of a JSON Lines file's (decompressed)
    bytes."""
    if label.lower().endswith(".gz"):
        import gzip

        try:
            data = gzip.decompress(data)
        except (OSError, EOFError):
            return None
    offset = 0
    for k, raw in enumerate(io.BytesIO(data), 1):
        if k == n:
            return offset
        offset += len(raw)
    return None
