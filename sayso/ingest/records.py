"""Input records: what users point sayso at (files, folders, JSONL dumps, web archives), one record per article.

Every record has a stable id (the file path, ``FILE:LINE`` for a JSONL line, the WARC-Record-ID for a web
archive page) so that a rerun can tell what it has already done. A record that cannot be read becomes an
InputError passed to ``on_error``; it never stops the others.

The output folder of ``sayso batch`` (and its ``.parquet`` shards) holds articles that are already
annotated, not pages to read: :func:`is_batch_output` tells such an input apart, ``iter_records`` reports it
as an error instead of walking it, and ``sayso.batch.iter_shard_articles`` reads it. A dump line that is a
``sayso.article/1`` object is a record that holds its annotation too (``Record.annotated``).

>>> [r.id for r in iter_records(["examples/harbor-bridge.txt"])]   # doctest: +SKIP
['examples/harbor-bridge.txt']
"""

from __future__ import annotations

import errno
import gzip
import io
import json
import os
import re
import shutil
import stat
import tempfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Callable, Iterable, Iterator

from ..errors import InputError, SpanError
from ..layout import BATCH_MANIFEST, SHARD_SUFFIX
from ..model import SCHEMA, Article, MalformedArticle
from . import (MAX_BYTES, STDIN_NAME, os_problem, read_bytes, read_file, read_text_or_html, regular_file, stdin_stream,
               valid_unicode)

#: File name endings read as single pages.
PAGE_SUFFIXES = (".html", ".htm", ".txt", ".xhtml")
#: File name endings read as one article per line.
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson")
#: File name endings read as web archives (see warc.py).
WARC_SUFFIXES = (".warc", ".warc.gz")

#: The path that names standard input (its records and errors go by STDIN_NAME).
STDIN = "-"
#: An argument that names a web address rather than a file: "https://...", "http://...", "ftp://...".
WEB_ADDRESS = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
#: How much of standard input is read to tell a dump or an archive from a page.
SNIFF_BYTES = 64 * 1024
GZIP_MAGIC = b"\x1f\x8b"
#: How a JSON object opens: a brace, then a quoted key or the closing brace.
_JSON_OBJECT = re.compile(rb'\{\s*["}]')

OnError = Callable[[InputError], None]

#: Longest JSONL line read, in bytes: the page limit. A longer line is reported and skipped, never held whole.
MAX_LINE = MAX_BYTES


def raise_error(exc: InputError) -> None:
    """The default ``on_error``: stop at the first record that cannot be read."""
    raise exc


@dataclass
class Record:
    """One article to read: its id, its page (bytes or text) and what the input says about it."""

    id: str
    page: bytes | str
    url: str | None = None
    meta: dict = field(default_factory=dict)
    #: The charset the transport declared for ``page`` (an HTTP header), if any.
    charset: str | None = None
    #: Where the record starts in its file, in bytes (JSONL lines and web archive records).
    offset: int | None = None
    #: The article annotated already, when the record holds one rather than a page: a dump line that is a
    #: ``sayso.article/1`` object (what ``sayso extract`` and ``sayso articles --jsonl`` write). ``page`` is
    #: then its text; ``sayso ingest`` stores the annotation as it is, where reading the page would parse again.
    annotated: Article | None = None

    def to_article(self, raw: bool = False, any_language: bool = False) -> Article:
        """The clean Article (no attributions yet); InputError names this record's id. ``raw`` keeps a text
        page exactly as it is (no boilerplate removal); ``any_language`` reads a page that is not English."""
        if isinstance(self.page, bytes):
            return read_bytes(self.page, where=self.id, url=self.url, meta=self.meta, charset=self.charset,
                              raw=raw, any_language=any_language)
        return read_text_or_html(self.page, where=self.id, url=self.url, meta=self.meta, raw=raw,
                                 any_language=any_language)


@dataclass
class Scan:
    """One pass over a JSONL or web archive file, for cutting it into partitions of records.

    ``cuts`` holds ``(byte offset, ordinal)`` of every n-th record (the ordinal is the line number for JSONL,
    the record's index for a web archive); ``end`` is where reading stopped, the end of the file unless
    ``damage`` says why it stopped early.
    """

    cuts: list[tuple[int, int]] = field(default_factory=list)
    records: int = 0
    end: int = 0
    damage: InputError | None = None


def kind_of(path: Path) -> str | None:
    """'page', 'jsonl', 'warc', 'shard' (a batch output shard), or None for files sayso does not read."""
    name = path.name.lower()
    if name.endswith(JSONL_SUFFIXES):
        return "jsonl"
    if name.endswith(WARC_SUFFIXES):
        return "warc"
    if name.endswith(PAGE_SUFFIXES):
        return "page"
    if name.endswith(SHARD_SUFFIX):
        return "shard"
    return None


def is_batch_output(path: str | Path) -> bool:
    """True for the output folder of ``sayso batch`` or one of its Parquet shards: annotated articles."""
    path = Path(path)
    try:
        is_dir = path.is_dir()
    except OSError:  # a path that may not be looked at: reported when it is read
        return False
    return _is_batch_output(path, is_dir)


def _is_batch_output(path: Path, is_dir: bool) -> bool:
    """:func:`is_batch_output` for a path already known to be a folder or not."""
    try:
        if is_dir:
            return (path / BATCH_MANIFEST).is_file()
    except OSError:  # a folder that may not be looked into: reported when it is walked
        return False
    return kind_of(path) == "shard"


def expand(paths: Iterable[str | Path], on_error: OnError = raise_error) -> Iterator[Path]:
    """Files named, and the readable files under folders named (recursively, in sorted order)."""
    return (path for path, _ in _expand(paths, on_error))


def _expand(paths: Iterable[str | Path], on_error: OnError) -> Iterator[tuple[Path, os.stat_result]]:
    """:func:`expand`, each file with its status, taken once and passed on to the reader."""
    for raw in paths:
        path = Path(raw)
        try:
            info = _status(path)
        except OSError as exc:  # a path that may not be looked at: under a folder the user may not enter
            on_error(InputError(str(path), os_problem(exc)))
            continue
        is_dir = info is not None and stat.S_ISDIR(info.st_mode)
        if _is_batch_output(path, is_dir):
            on_error(InputError(str(path), "holds annotated articles (a sayso batch output), not pages: "
                                           "sayso ingest stores them, sayso.batch.iter_shard_articles reads them"))
        elif is_dir:
            def unlisted(exc: OSError, folder: Path = path) -> None:
                # a folder that cannot be listed is reported, not skipped in silence (os.walk's default)
                on_error(InputError(exc.filename or str(folder), os_problem(exc)))

            for root, dirs, files in os.walk(path, onerror=unlisted):
                # a batch output inside an input folder holds results, not pages (and changes as it runs)
                dirs[:] = sorted(d for d in dirs if not is_batch_output(Path(root) / d))
                for name in sorted(files):
                    child = Path(root) / name
                    if kind_of(child) not in (None, "shard"):
                        child_info = _regular(child, on_error)
                        if child_info is not None:
                            yield child, child_info
        elif info is not None:
            info = _regular(path, on_error, info)
            if info is not None:
                yield path, info
        elif WEB_ADDRESS.match(str(raw)):
            # "sayso extract https://...": the path would read "https:/..." in the message, and say nothing useful
            on_error(InputError(str(raw), "is a web address, not a file: sayso reads pages saved to disk "
                                          "(curl -sL URL -o page.html), dumps and web archives"))
        else:
            on_error(InputError(str(path), "no such file or directory"))


def _status(path: Path) -> os.stat_result | None:
    """The status of a named path; None where ``Path.exists`` says False (no such path, a link loop, a name
    the system cannot hold), and the error it raises where it raises one."""
    try:
        return path.stat()
    except OSError as exc:
        if exc.errno in (errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP):
            return None
        raise
    except ValueError:
        return None


def _regular(path: Path, on_error: OnError, info: os.stat_result | None = None) -> os.stat_result | None:
    """The status of a regular file; anything else (a FIFO, a device, a dangling link) is reported: None."""
    try:
        return regular_file(path, info=info)
    except InputError as exc:
        on_error(exc)
        return None


def iter_records(paths: Iterable[str | Path], on_error: OnError = raise_error) -> Iterator[Record]:
    """Every article record in the given files and folders, in order; ``-`` is standard input
    (:func:`stdin_records`)."""
    from .warc import warc_records

    for raw in paths:
        if str(raw) == STDIN:
            yield from stdin_records(on_error)
            continue
        for path, info in _expand([raw], on_error):
            kind = kind_of(path)
            if kind == "jsonl":
                yield from jsonl_records(path, on_error)
            elif kind == "warc":
                yield from warc_records(path, on_error)
            else:
                record = _page_record(path, str(path), on_error, info)
                if record is not None:
                    yield record


def stdin_records(on_error: OnError = raise_error, stream: IO[bytes] | None = None) -> Iterator[Record]:
    """What is piped in on standard input (or ``stream``), told apart by its first bytes as a file is by
    its name (:func:`sniff`): a web archive record by record, a JSONL dump line by line (``<stdin>:LINE``),
    gzipped or not, and anything else as one page named ``<stdin>``.

    A dump is read as it comes, a line at a time; an archive is copied to a temporary file first (reading
    one needs to seek), and a page is read up to the page limit and one byte more, never further.
    """
    from .warc import warc_records

    if stream is None:
        try:
            stream = stdin_stream()
        except InputError as exc:  # started with standard input closed: "sayso extract - <&-"
            on_error(exc)
            return
    try:
        head = _read_head(stream)
    except OSError as exc:
        on_error(InputError(STDIN_NAME, os_problem(exc)))
        return
    kind, gzipped = sniff(head)
    joined = io.BufferedReader(_Joined(head, stream))
    if kind == "page":
        try:
            page = joined.read(MAX_BYTES + 1)
        except OSError as exc:
            on_error(InputError(STDIN_NAME, os_problem(exc)))
            return
        yield Record(id=STDIN_NAME, page=page)
    elif kind == "jsonl":
        try:
            lines = gzip.GzipFile(fileobj=joined, mode="rb") if gzipped else joined
            yield from _jsonl_lines(lines, STDIN_NAME, on_error)
        except (OSError, EOFError, gzip.BadGzipFile) as exc:
            on_error(InputError(STDIN_NAME, _read_problem(exc)))
    else:
        with tempfile.TemporaryDirectory(prefix="sayso-stdin-") as tmp:
            copy = Path(tmp) / ("stdin.warc.gz" if gzipped else "stdin.warc")
            try:
                with open(copy, "wb") as f:
                    shutil.copyfileobj(joined, f)
            except OSError as exc:
                on_error(InputError(STDIN_NAME, f"cannot be copied to a temporary file ({os_problem(exc)})"))
                return
            yield from warc_records(copy, on_error, name=STDIN_NAME)


def sniff(head: bytes) -> tuple[str, bool]:
    """What the first bytes of an input say it is: ``("warc" | "jsonl" | "page", gzipped)``.

    ``WARC/`` opens a web archive; a JSON object's opening (after blank space: ``{`` and then a quoted key or
    ``}``) opens a JSONL dump; both may be gzipped. Anything else, gzipped data included, is a page (and
    gzipped data is then refused as binary): a text that opens with a brace, "{Editor's note: ...}", too.

    >>> sniff(b"WARC/1.0\\r\\n"), sniff(b'\\n{"url": "https://example.org/a", "text": "..."}'), sniff(b"<html>")
    (('warc', False), ('jsonl', False), ('page', False))
    >>> sniff(b"{Editor's note: this story was corrected.}\\n\\nBridge Reopens")
    ('page', False)
    """
    gzipped = head[:2] == GZIP_MAGIC
    if gzipped:
        try:
            head = zlib.decompressobj(wbits=31).decompress(head, SNIFF_BYTES)
        except zlib.error:
            return "page", False
    if head.startswith(b"WARC/"):
        return "warc", gzipped
    if _JSON_OBJECT.match(head.lstrip(b" \t\r\n\xef\xbb\xbf")):
        return "jsonl", gzipped
    return "page", False


def _read_head(stream: IO[bytes]) -> bytes:
    """The first SNIFF_BYTES of a stream, or all of it where it ends first."""
    chunks: list[bytes] = []
    size = 0
    while size < SNIFF_BYTES:
        chunk = stream.read(SNIFF_BYTES - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


class _Joined(io.RawIOBase):
    """The bytes already read from a stream, then the rest of the stream: a stream read from its start."""

    def __init__(self, head: bytes, rest: IO[bytes]):
        self._head = memoryview(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)


def page_records(files: Iterable[tuple[Path, str]], on_error: OnError = raise_error) -> Iterator[Record]:
    """One record per page file, given as ``(path to read, record id)``."""
    for path, record_id in files:
        record = _page_record(path, record_id, on_error)
        if record is not None:
            yield record


def _page_record(path: Path, record_id: str, on_error: OnError, info: os.stat_result | None = None
                 ) -> Record | None:
    """The record of one page file (``info``: its status, just taken), or None when it cannot be read."""
    try:
        return Record(id=record_id, page=read_file(path, record_id, info))
    except InputError as exc:
        on_error(exc)
        return None


def jsonl_records(path: Path, on_error: OnError = raise_error, *, start: int = 0, end: int | None = None,
                  first_line: int = 1, name: str | None = None) -> Iterator[Record]:
    """One record per line: ``{"url", "html" or "text", "published"?, "outlet"?, "title"?}``.

    ``start``/``first_line`` and ``end`` select the lines that begin in that byte range (``start`` must be
    the start of line ``first_line``, as found by :func:`scan_jsonl`); ``name`` is the file's name in record
    ids (``NAME:LINE``), the path by default.
    """
    name = name or str(path)
    try:
        with _open_lines(path) as f:
            if start:
                f.seek(start)
            yield from _jsonl_lines(f, name, on_error, start=start, end=end, first_line=first_line)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        on_error(InputError(name, _read_problem(exc)))


def _jsonl_lines(f: IO[bytes], name: str, on_error: OnError, *, start: int = 0, end: int | None = None,
                 first_line: int = 1) -> Iterator[Record]:
    """The records of the lines of an open dump, from byte ``start`` (line ``first_line``) on."""
    offset, n = start, first_line - 1
    # stop before reading past ``end``: the lines beyond may belong to another partition or be damaged
    while end is None or offset < end:
        line, size = _read_line(f)
        if not size:
            break
        line_offset, offset, n = offset, offset + size, n + 1
        where = f"{name}:{n}"
        if line is None:
            on_error(InputError(where, f"line of {size:,} bytes is over the {MAX_LINE:,}-byte limit"))
            continue
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            on_error(InputError(where, f"not a JSON object ({exc.__class__.__name__})"))
            continue
        try:
            record = dump_record(obj, where, line_offset)
        except InputError as exc:
            on_error(exc)
            continue
        yield record


def dump_entries(data: bytes, name: str) -> list[Record | InputError]:
    """The lines of a dump held in memory, in order: a record for each line that holds a page and the problem
    of each other line (blank lines are skipped), named ``NAME:LINE``."""
    entries: list[Record | InputError] = []
    # the reader reports a line's problem before it reads the next line, so the two kinds come in line order
    for record in _jsonl_lines(io.BytesIO(data), name, entries.append):
        entries.append(record)
    return entries


def dump_record(obj: object, where: str, offset: int | None = None) -> Record:
    """The record of one parsed dump line, ``{"url", "html" or "text", "published"?, "outlet"?, "title"?,
    "author"?}``, or of a ``sayso.article/1`` object (``annotated``); InputError (named ``where``) when it holds
    no page, or an annotation whose spans are not its text."""
    if not isinstance(obj, dict):
        raise InputError(where, "not a JSON object")
    if obj.get("schema") == SCHEMA and isinstance(obj.get("attributions"), list):
        try:
            article = Article.from_json(_valid_strings(obj))
        except MalformedArticle as exc:
            raise InputError(where, f"a {SCHEMA} article that is malformed: {exc}") from None
        except SpanError as exc:
            raise InputError(where, f"a {SCHEMA} article that does not hold together ({exc})") from None
        meta = {k: v for k in ("published", "outlet", "title", "author") if (v := getattr(article, k))}
        return Record(id=where, page=article.text, url=article.url, meta=meta, offset=offset, annotated=article)
    page = obj.get("html") or obj.get("text")
    if not isinstance(page, str) or not page.strip():
        raise InputError(where, 'no "html" or "text" field with the page')
    meta = {k: valid_unicode(str(obj[k])) for k in ("published", "outlet", "title", "author") if obj.get(k)}
    url = obj.get("url")
    return Record(id=where, page=valid_unicode(page), url=valid_unicode(url) if isinstance(url, str) and url else None,
                  meta=meta, offset=offset)


def _valid_strings(obj: Any) -> Any:
    """A parsed JSON value with every string's lone surrogates replaced (:func:`valid_unicode`: one character
    for one, so an annotation's offsets and its texts still agree)."""
    if isinstance(obj, str):
        return valid_unicode(obj)
    if isinstance(obj, list):
        return [_valid_strings(x) for x in obj]
    if isinstance(obj, dict):
        return {k: _valid_strings(v) for k, v in obj.items()}
    return obj


def scan_jsonl(path: Path, every: int) -> Scan:
    """Where every ``every``-th non-empty line starts (byte offset, line number), without parsing them."""
    scan = Scan()
    try:
        with _open_lines(path) as f:
            n = 0
            while True:
                line, size = _read_line(f)
                if not size:
                    break
                n += 1
                if line is None or line.strip():
                    if scan.records % every == 0:
                        scan.cuts.append((scan.end, n))
                    scan.records += 1
                scan.end += size
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        scan.damage = InputError(str(path), _read_problem(exc))
    return scan


def _read_problem(exc: Exception) -> str:
    """Why a file stopped: it could not be opened at all, or it broke off (a cut gzip, a bad disk)."""
    if isinstance(exc, (FileNotFoundError, PermissionError, IsADirectoryError)):
        return os_problem(exc)
    return f"cannot be read to the end ({exc.__class__.__name__})"


def _read_line(f: IO[bytes]) -> tuple[bytes | None, int]:
    """The next line and its length in bytes; None for the line when it is over MAX_LINE (read past in
    pieces, never held whole); a length of 0 at the end of the file."""
    line = f.readline(MAX_LINE + 1)
    if len(line) <= MAX_LINE or line.endswith(b"\n"):
        return line, len(line)
    size = len(line)
    while True:
        piece = f.readline(1 << 20)
        size += len(piece)
        if not piece or piece.endswith(b"\n"):
            return None, size


def _open_lines(path: Path) -> IO[bytes]:
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, "rb")
    return open(path, "rb")
