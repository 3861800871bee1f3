"""Bytes to str: BOMs, binary sniffing, declared charsets, charset detection.

UTF-8 is tried first and is the fast path; charset-normalizer only runs when
UTF-8 fails, so plain UTF-8 corpora never pay for detection.
"""

from __future__ import annotations

import codecs
import re
from collections import Counter

from ..errors import BinaryInput, DecodeFailure

# Signatures of common binary formats that end up in news folders by mistake.
MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or DOCX/XLSX/EPUB)"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"BZh", "bzip2-compressed data"),
    (b"\xfd7zXZ\x00", "xz-compressed data"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x7fELF", "an executable"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
    (b"RIFF", "a RIFF media file"),
    (b"SQLite format 3\x00", "an SQLite database"),
)

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_SAMPLE = 8192
_CONTROL = bytes(range(9)) + bytes(range(14, 32))
_CONTROL_SHARE_MAX = 0.10
_DECLARED = re.compile(
    rb"""(?:charset|encoding)\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.IGNORECASE
)


def bom_encoding(data: bytes) -> str | None:
    """Return the codec named by a leading byte-order mark, or None."""
    for bom, name in BOMS:
        if data.startswith(bom):
            return name
    return None


def utf16_without_bom(data: bytes) -> str | None:
    """Return ``"utf-16-le"`` or ``"utf-16-be"`` when ``data`` reads as UTF-16 text with no BOM,
    else None.

    In UTF-16 the high byte of each unit repeats a few values (0 for Latin
    text, 0x04 for Cyrillic), while the low bytes vary; the decoded sample
    must also be printable text.
    """
    sample = data[: _SAMPLE - _SAMPLE % 2]
    if len(sample) < 8 or b"\x00" not in sample:
        return None
    for codec, high in (("utf-16-le", sample[1::2]), ("utf-16-be", sample[0::2])):
        top = sum(count for _b, count in Counter(high).most_common(3))
        if top >= 0.9 * len(high) and _printable(sample, codec):
            return codec
    return None


def _printable(sample: bytes, codec: str) -> bool:
    text = sample.decode(codec, errors="replace")
    good = sum(1 for ch in text if ch.isprintable() or ch in "\n\r\t")
    spaces = sum(1 for ch in text if ch.isspace())
    letters = sum(1 for ch in text if ch.isalpha())
    # Words are separated by spaces in the texts this reads; a run of one repeated unit is not text.
    return good >= 0.95 * len(text) and spaces >= 0.02 * len(text) and letters >= 0.5 * len(text)


def check_not_binary(data: bytes, source: str | None = None) -> None:
    """Raise BinaryInput if ``data`` starts with a binary magic or has NUL/control bytes."""
    for magic, what in MAGIC:
        if data.startswith(magic):
            raise BinaryInput(f"this is {what}, not text", source=source)
    sample = data[:_SAMPLE]
    if b"\x00" in sample:
        raise BinaryInput("binary data (NUL bytes), not text", source=source)
    controls = len(sample) - len(sample.translate(None, _CONTROL))
    if sample and controls / len(sample) > _CONTROL_SHARE_MAX:
        raise BinaryInput(
            f"binary data ({controls} control bytes in the first {len(sample)}), not text",
            source=source,
        )


def declared_charset(data: bytes) -> str | None:
    """Return the charset an HTML/XML head declares (meta or XML prolog), if Python knows it."""
    match = _DECLARED.search(data[:4096])
    if not match:
        return None
    try:
        name = codecs.lookup(match.group(1).decode("ascii")).name
    except LookupError:
        return None
    # Browsers read latin-1 and ASCII labels as windows-1252 (WHATWG), and so do pages.
    return "cp1252" if name in ("iso8859-1", "ascii") else name


def decode_bytes(data: bytes, source: str | None = None, declared: str | None = None) -> str:
    """Return ``data`` decoded as text.

    Order: byte-order mark, then UTF-8, then the ``declared`` charset, then
    charset-normalizer. Raises BinaryInput for binary data and DecodeFailure
    when nothing plausible decodes it.
    """
    bom = bom_encoding(data) or utf16_without_bom(data)
    if bom:
        return _decode_with(data, bom, source)
    check_not_binary(data, source)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared and declared != "utf-8":
        try:
            return data.decode(declared)
        except (UnicodeDecodeError, LookupError):
            pass
    return _detect(data, source)


def _decode_with(data: bytes, codec: str, source: str | None) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise DecodeFailure(
            f"starts with a {codec} byte-order mark but is not valid {codec} (byte {exc.start})",
            source=source,
        ) from None


def _detect(data: bytes, source: str | None) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise DecodeFailure(
            "not valid UTF-8 and no other encoding fits",
            source=source,
            hint="save the file as UTF-8",
        )
    return str(best)
