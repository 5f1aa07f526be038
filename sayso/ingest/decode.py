"""Bytes to text: byte-order marks, declared charsets, UTF-8, and a detector as the last resort."""

from __future__ import annotations

import codecs
import re

from ..errors import InputError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def decode(data: bytes, where: str, charset: str | None = None) -> str:
    """The text of ``data``; raises InputError for empty, binary or undecodable bytes.

    ``charset`` is what the transport declared (an HTTP Content-Type header): it wins over the page's own
    ``<meta charset>`` but not over a byte-order mark or bytes that are valid UTF-8, since servers often
    send a default charset that the page does not use.

    >>> decode("café".encode("latin-1"), "page.txt")
    'café'
    >>> decode("café".encode("cp1252"), "page.html", charset="windows-1252")
    'café'
    """
    if not data.strip():
        raise InputError(where, "empty input (no text)")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _checked(_decode_as(data, encoding, where), where)
    if b"\x00" in data[:4096]:
        raise InputError(where, "binary data, not a text or HTML page")
    try:
        return _checked(data.decode("utf-8"), where)
    except UnicodeDecodeError:
        pass
    meta = _META_CHARSET.search(data[:4096])
    for declared in (charset, meta.group(1).decode("ascii") if meta else None):
        if declared:
            try:
                return _checked(data.decode(declared), where)
            except (LookupError, UnicodeDecodeError):
                pass
    return _checked(_detect(data, where), where)


def _decode_as(data: bytes, encoding: str, where: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(where, f"invalid {encoding} bytes at offset {exc.start}") from None


def _detect(data: bytes, where: str) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is None:
        raise InputError(where, "bytes decode as no known text encoding")
    try:
        return data.decode(best.encoding)
    except (LookupError, UnicodeDecodeError):
        raise InputError(where, "bytes decode as no known text encoding") from None


def _checked(text: str, where: str) -> str:
    sample = text[:20_000]
    if sample and len(_CONTROL.findall(sample)) > max(8, len(sample) // 100):
        raise InputError(where, "binary data, not a text or HTML page")
    if not text.strip():
        raise InputError(where, "empty input (only whitespace)")
    return text
