"""Write rows (dicts with the same columns) as CSV, JSON Lines or Parquet."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
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


def write_rows(rows: Iterable[dict], columns: Sequence[str], fmt: str, out: BinaryIO) -> int:
    """Write ``rows`` to the binary stream ``out`` in ``fmt``; return how many rows were written.

    Raises ConfigError for an unknown format and MissingExtra when Parquet
    needs pyarrow and it is not installed.
    """
    check_format(fmt)
    if fmt == "parquet":
        return _write_parquet(list(rows), columns, out)
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    try:
        return (
            _write_csv(rows, columns, text) if fmt == "csv" else _write_jsonl(rows, columns, text)
        )
    finally:
        text.detach()


def _write_csv(rows: Iterable[dict], columns: Sequence[str], out) -> int:
    writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    n = 0
    for n, row in enumerate(rows, 1):
        writer.writerow(row)
    return n


def _write_jsonl(rows: Iterable[dict], columns: Sequence[str], out) -> int:
    n = 0
    for n, row in enumerate(rows, 1):
        out.write(json.dumps({c: row.get(c) for c in columns}, ensure_ascii=False) + "\n")
    return n


def _write_parquet(rows: list[dict], columns: Sequence[str], out: BinaryIO) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise MissingExtra("Parquet export", "parquet", "pyarrow") from None
    table = pa.Table.from_pydict({c: [r.get(c) for r in rows] for c in columns})
    pq.write_table(table, out)
    return len(rows)
