"""Signatures to bytes and back, with a header that names the format.

Layout (little-endian), 12 bytes of header then the rows::

    offset size  field
    0      4     magic  b"NTMH"
    4      1     format version (FORMAT_VERSION)
    5      1     shingle size (words)
    6      2     num_perm (uint16)
    8      4     seed (uint32)
    12     4*num_perm  signature rows, uint32 each

The version changes whenever the same text and settings could give different
rows (tokenizer, word/shingle hash, permutation family).
"""

from __future__ import annotations

import struct

import numpy as np

from ..errors import ConfigError, FingerprintFormatError
from ..settings import DEFAULT, Settings

FORMAT_VERSION = 2  # 2: permutations are a_i * x (no + b_i)
MAGIC = b"NTMH"
_HEADER = struct.Struct("<4sBBHI")


def serialize(sig: np.ndarray, settings: Settings = DEFAULT) -> bytes:
    """Return the bytes of one signature made with ``settings``.

    Raises ConfigError when ``sig`` does not have ``settings.num_perm`` rows.
    """
    if sig.shape != (settings.num_perm,):
        raise ConfigError(f"signature must have shape ({settings.num_perm},), got {sig.shape}")
    head = _HEADER.pack(
        MAGIC, FORMAT_VERSION, settings.shingle_size, settings.num_perm, settings.seed
    )
    return head + sig.astype("<u4", copy=False).tobytes()


def read_header(data: bytes) -> dict:
    """Return the header fields of serialized signature bytes.

    Raises FingerprintFormatError for bytes that are not a signature of this format version.
    """
    if len(data) < _HEADER.size or bytes(data[:4]) != MAGIC:
        raise FingerprintFormatError("not a newstrace signature (bad magic or too short)")
    _, version, size, num_perm, seed = _HEADER.unpack_from(data)
    if version != FORMAT_VERSION:
        raise FingerprintFormatError(
            f"signature format version {version}, this newstrace reads version {FORMAT_VERSION}",
            hint="recompute the fingerprints with this version of newstrace",
        )
    if len(data) != _HEADER.size + 4 * num_perm:
        raise FingerprintFormatError(
            f"signature of {num_perm} rows needs "
            f"{_HEADER.size + 4 * num_perm} bytes, got {len(data)}"
        )
    return {"version": version, "shingle_size": size, "num_perm": num_perm, "seed": seed}


def deserialize(data: bytes, settings: Settings | None = None) -> np.ndarray:
    """Return the (num_perm,) uint32 signature stored in ``data``.

    With ``settings``, also check that it was made with the same shingle size,
    num_perm and seed. Raises FingerprintFormatError on any mismatch.
    """
    head = read_header(data)
    if settings is not None:
        _check_same(head, settings)
    return np.frombuffer(data, "<u4", offset=_HEADER.size).astype(np.uint32)


def _check_same(head: dict, settings: Settings) -> None:
    for name in ("shingle_size", "num_perm", "seed"):
        want = getattr(settings, name)
        if head[name] != want:
            raise FingerprintFormatError(
                f"signature made with {name}={head[name]}, settings have {name}={want}",
                hint="use the settings the corpus was fingerprinted with, or recompute",
            )
