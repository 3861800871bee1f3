"""Write rows (dicts with the same columns) as CSV, JSON Lines or Parquet."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import BinaryIO

from ..errors import ConfigError, MissingExtra

FORMATS = ("csv", "jsonl", "parquet")
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson",
               "parquet": "application/vnd.apache.parquet"}  # fmt: skip


def check_format(fmt: str) -> str:
    """Return ``fmt`` if it is a supported table format; raise ConfigError naming them."""
    if fmt not in FORMATS:
        raise ConfigError(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    return fmt


def check_writer(fmt: str) -> str:
    """Return ``fmt`` when it can be written here.

    Raises ConfigError for an unknown format, MissingExtra for Parquet without pyarrow.
    """
    if check_format(fmt) == "parquet":
        _pyarrow()
    return fmt


def write_rows(rows: Iterable[dict], columns: Sequence[str], fmt: str, out: BinaryIO) -> int:
    """Write ``rows`` to the binary stream ``out`` in ``fmt``; return how many rows were written.

    Raises ConfigError for an unknown format and MissingExtra when Parquet
    needs pyarrow and it is not installed.
    """
    counted = _Counted(rows)
    # write(), not writelines(): a stream may wrap write alone (click's test runner does).
    for chunk in iter_chunks(counted, columns, fmt):  # noqa: FURB122
        out.write(chunk)
    return counted.n


def iter_chunks(
    rows: Iterable[dict], columns: Sequence[str], fmt: str, batch: int = 200
) -> Iterator[bytes]:
    """Yield ``rows`` encoded in ``fmt``, a chunk per ``batch`` rows (to stream a download).

    CSV and JSON Lines stream as the rows come; Parquet is one chunk, built
    in memory. Raises as :func:`write_rows` does, on the first ``next()``
    (call :func:`check_writer` first to fail before a response starts).
    """
    check_writer(fmt)
    if fmt == "parquet":
        buf = io.BytesIO()
        _write_parquet(list(rows), columns, buf)
        yield buf.getvalue()
        return
    text = io.StringIO()
    line = _csv_writer(text, columns) if fmt == "csv" else _jsonl_writer(text, columns)
    for n, row in enumerate(rows, 1):
        line(row)
        if n % batch == 0:
            yield _drain(text)
    if text.tell():
        yield _drain(text)


def _drain(text: io.StringIO) -> bytes:
    data = text.getvalue().encode("utf-8")
    text.seek(0)
    text.truncate()
    return data


def _csv_writer(out: io.StringIO, columns: Sequence[str]):
    writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    return writer.writerow


def _jsonl_writer(out: io.StringIO, columns: Sequence[str]):
    def line(row: dict) -> None:
        out.write(json.dumps({c: row.get(c) for c in columns}, ensure_ascii=False) + "\n")

    return line


class _Counted:
    """An iterable over ``rows`` that counts what it yielded."""

    def __init__(self, rows: Iterable[dict]) -> None:
        self.rows, self.n = rows, 0

    def __iter__(self) -> Iterator[dict]:
        for row in self.rows:
            self.n += 1
            yield row


def _pyarrow():
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise MissingExtra("Parquet export", "parquet", "pyarrow") from None
    return pa, pq


def _write_parquet(rows: list[dict], columns: Sequence[str], out: BinaryIO) -> int:
    pa, pq = _pyarrow()
    table = pa.Table.from_pydict({c: [r.get(c) for r in rows] for c in columns})
    pq.write_table(table, out)
    return len(rows)
