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
_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ESCAPED = re.compile("[\udc80-\udcff]")
_WIDE_UNICODE = re.compile(r"^utf[-_]?(16|32)", re.I)
_WIDE = re.compile("[^\x00-\x7f]")


def declared_charset(content_type: str | None) -> str | None:
    """The charset a Content-Type header declares, if any: what :func:`decode` takes as ``charset``.

    >>> declared_charset('text/html; charset="Windows-1252"'), declared_charset("text/plain")
    ('Windows-1252', None)
    """
    found = _CHARSET.search(content_type or "")
    return found.group(1) if found else None


def decode(data: bytes, where: str, charset: str | None = None) -> str:
    """The text of ``data``; raises InputError for empty, binary or undecodable bytes.

    ``charset`` is what the transport declared (an HTTP Content-Type header): it wins over the page's own
    ``<meta charset>`` but not over a byte-order mark or bytes that are valid UTF-8, since servers often
    send a default charset that the page does not use.

    >>> decode("Le café est fermé, a dit le maire.".encode("latin-1"), "page.txt")
    'Le café est fermé, a dit le maire.'
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
    mixed = _mostly_utf8(data)
    if mixed is not None:
        return _checked(mixed, where)
    meta = _META_CHARSET.search(data[:4096])
    # a <meta> that could be read as ASCII never declares UTF-16 or UTF-32 truly (the HTML standard reads
    # such a declaration as UTF-8): decoding by it would turn the page into CJK-looking noise
    declared_in_page = meta.group(1).decode("ascii") if meta else None
    if declared_in_page and _WIDE_UNICODE.match(declared_in_page):
        declared_in_page = None
    for declared in (charset, declared_in_page):
        if declared:
            try:
                return _checked(data.decode(declared), where)
            except (LookupError, UnicodeDecodeError):
                pass
    return _checked(_detect(data, where), where)


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 with a few bytes of another encoding in it (a Windows-1252 quote pasted into a UTF-8 page), when
    the valid UTF-8 sequences are at least as many as the bytes that are not: those few bytes are read as
    Windows-1252, the rest as UTF-8. None when the bytes do not look like UTF-8 at all.

    >>> _mostly_utf8("Café ".encode() + "naïve".encode("cp1252"))
    'Café naïve'
    """
    text = data.decode("utf-8", "surrogateescape")  # each byte that is not UTF-8 becomes one lone surrogate
    stray = len(_ESCAPED.findall(text))
    wide = len(_WIDE.findall(text)) - stray
    if not stray or wide < stray:
        return None
    return _ESCAPED.sub(lambda m: bytes([ord(m.group()) - 0xDC00]).decode("cp1252", "replace"), text)


def _decode_as(data: bytes, encoding: str, where: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(where, f"invalid {encoding} bytes at offset {exc.start}") from None


def _detect(data: bytes, where: str) -> str:
    from charset_normalizer import from_bytes

    for guess in from_bytes(data[:200_000]):
        # without a byte-order mark (those were read above) a UTF-16 or UTF-32 guess is a guess on noise: short
        # Latin-1 text ("caf\xe9") reads as one CJK character per two bytes
        if _WIDE_UNICODE.match(guess.encoding):
            continue
        try:
            return data.decode(guess.encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    raise InputError(where, "bytes decode as no known text encoding")


def _checked(text: str, where: str) -> str:
    sample = text[:20_000]
    if sample and len(_CONTROL.findall(sample)) > max(8, len(sample) // 100):
        raise InputError(where, "binary data, not a text or HTML page")
    if not text.strip():
        raise InputError(where, "empty input (only whitespace)")
    return text
