"""Web archives (WARC, WARC.gz, read with warcio): the HTML pages a crawler fetched, one record per page.

Only responses that hold an HTML page count: WARC-Type ``response``, HTTP status 200, Content-Type
``text/html`` or ``application/xhtml+xml``. Requests, metadata, redirects, images and the like are not
articles and are passed over in silence. A record's id is its WARC-Record-ID, its url the WARC-Target-URI,
and the charset of the HTTP Content-Type header goes along so that decoding respects it.

An archive that ends early (a truncated download, a damaged gzip member) yields every record before the
damage, then reports one InputError naming the file and the byte where reading stopped.

>>> [r.url for r in warc_records("crawl.warc.gz")]      # doctest: +SKIP
['https://example.org/news/harbor-bridge', ...]
"""

from __future__ import annotations

import zlib
from pathlib import Path
from typing import Iterator

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeadersParserException

from ..errors import InputError
from . import MAX_BYTES, os_problem
from .decode import declared_charset
from .records import OnError, Record, Scan, raise_error

#: Content types of the responses read as pages.
HTML_TYPES = ("text/html", "application/xhtml+xml")

# What warcio raises on damaged bytes: its own errors, gzip and I/O errors, and, for headers cut in the middle,
# whatever its parser trips over (an AttributeError on a missing header, for one).
_DAMAGE = (ArchiveLoadFailed, StatusAndHeadersParserException, EOFError, zlib.error, ValueError, OSError,
           AttributeError, IndexError, KeyError, TypeError)


class _Damage(Exception):
    """The archive cannot be read past ``offset``."""

    def __init__(self, offset: int, reason: str):
        super().__init__(reason)
        self.offset = offset
        self.reason = reason


def warc_records(path: str | Path, on_error: OnError = raise_error, *, start: int = 0,
                 end: int | None = None, name: str | None = None) -> Iterator[Record]:
    """The HTML pages of a WARC or WARC.gz file, in order.

    ``start`` and ``end`` select the records that begin in that byte range (``start`` must be a record
    boundary, as reported by :func:`scan_warc`); by default, the whole file. ``name`` is what errors and
    records without a WARC-Record-ID (``NAME@OFFSET``) call the file, the path by default.
    """
    path = Path(path)
    name = name or str(path)
    pages = 0
    try:
        for offset, rec in _walk(path, start, end, read_html=True):
            if not rec.is_page:
                continue
            pages += 1
            record_id = rec.record.rec_headers.get_header("WARC-Record-ID") or f"{name}@{offset}"
            if rec.problem:
                on_error(InputError(record_id, rec.problem))
                continue
            yield Record(id=record_id, page=rec.payload, url=rec.url, charset=rec.charset, offset=offset)
    except _Damage as exc:
        on_error(_damage_error(name, exc, pages))
    except OSError as exc:
        on_error(InputError(name, os_problem(exc)))


def scan_warc(path: str | Path, every: int) -> Scan:
    """Where every ``every``-th HTML page of the archive starts, how many there are, and where reading
    stopped (the end of the file, or the damage): what a batch needs to cut the file into partitions."""
    path = Path(path)
    scan = Scan()
    try:
        for offset, rec in _walk(path, 0, None, read_html=False):
            if rec.is_page:
                if scan.records % every == 0:
                    scan.cuts.append((offset, scan.records))
                scan.records += 1
            scan.end = rec.end
    except _Damage as exc:
        scan.end = exc.offset
        scan.damage = _damage_error(path, exc, scan.records)
    except OSError as exc:
        scan.damage = InputError(str(path), os_problem(exc))
    return scan


class _Entry:
    """One WARC record as the walk saw it: whether it is an HTML page, and (when asked) its bytes."""

    __slots__ = ("record", "is_page", "url", "charset", "payload", "problem", "end")

    def __init__(self, record: ArcWarcRecord):
        self.record = record
        self.url = record.rec_headers.get_header("WARC-Target-URI") or None
        self.charset: str | None = None
        self.payload = b""
        self.problem: str | None = None
        self.end = 0
        content_type = ""
        http = record.http_headers
        if record.rec_type == "response" and http is not None and http.get_statuscode() == "200":
            content_type = http.get_header("Content-Type") or ""
        mime = content_type.split(";", 1)[0].strip().lower()
        self.is_page = mime in HTML_TYPES
        if self.is_page:
            self.charset = declared_charset(content_type)


def _walk(path: Path, start: int, end: int | None, read_html: bool) -> Iterator[tuple[int, _Entry]]:
    """Every record beginning in [start, end) with its byte offset; raises _Damage where reading stops early.

    warcio reads a cut-off record or gzip member without complaint, so the walk checks that each record
    got all the bytes its Content-Length promised, and that the last one ends at the end of the file.
    """
    size = path.stat().st_size
    with open(path, "rb") as f:
        f.seek(start)
        archive = ArchiveIterator(f)
        offset = start
        if end is not None and start >= end:
            return
        try:
            for record in archive:
                offset = archive.offset
                # warcio also reads the older ARC format, and takes almost any line of words for an ARC header:
                # a text file named .warc would pass for an archive without pages
                if record.rec_type is None or record.format != "warc":
                    raise _Damage(offset, "not a WARC record")
                entry = _Entry(record)
                if read_html and entry.is_page:
                    try:
                        entry.payload = record.content_stream().read(MAX_BYTES + 1)
                    except _DAMAGE as exc:
                        entry.problem = f"response body cannot be decoded ({type(exc).__name__})"
                archive.read_to_end()
                if record.raw_stream.limit > 0:
                    raise _Damage(offset, f"record cut short, {record.raw_stream.limit:,} bytes missing")
                entry.end = archive.offset
                yield offset, entry
                offset = archive.offset
                # stop before parsing what lies at ``end``: another partition's record, or the damage
                if end is not None and offset >= end:
                    return
        except _DAMAGE as exc:
            raise _Damage(offset, type(exc).__name__) from None
        if end is None and archive.offset < size:
            raise _Damage(archive.offset, "truncated or damaged")


def _damage_error(name: str | Path, exc: _Damage, pages_before: int) -> InputError:
    """Where an archive named ``name`` (its path, or what it goes by: ``<stdin>``) stopped being readable."""
    if exc.offset == 0:
        return InputError(str(name), f"not a readable WARC archive ({exc.reason})")
    return InputError(str(name), f"cannot be read past byte {exc.offset:,} ({exc.reason}); "
                                 f"the {pages_before:,} pages before it were read")
