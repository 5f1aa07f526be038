"""Input to clean article: HTML pages, scraped text pages, raw corpus texts.

>>> read_text_or_html("Harlan Wins\\n\\nHarlan said she won.").title
'Harlan Wins'
"""

from __future__ import annotations

import os
import re
import stat
import sys
from pathlib import Path
from typing import IO

from ..errors import InputError
from ..model import Article
from ..outlets import outlet_name
from .decode import decode
from .html import clean_html, looks_like_html
from .language import declared_language, language_problem
from .text import clean_text

#: Largest input accepted, in bytes: far above any real article, small enough to parse in memory.
MAX_BYTES = 10 * 1024 * 1024
#: What standard input's page, records and errors are named.
STDIN_NAME = "<stdin>"
#: Longest article text accepted, in characters: spaCy's ``nlp.max_length``. The parse of a text this long
#: takes about a minute and 3.5 GB of memory; a longer text is refused with a clear error, never cut or split
#: (a cut would drop the end of the article, a split would part quotes from their speakers).
MAX_CHARS = 1_000_000

# code points that no UTF-8 text can hold, which a JSON string can still carry ("\ud800")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def read_text_or_html(content: str, *, where: str = "<text>", url: str | None = None, raw: bool = False,
                      meta: dict | None = None, any_language: bool = False) -> Article:
    """An Article (text and metadata, no attributions yet) from page content.

    HTML is told from text by its content. ``raw=True`` keeps a text exactly as given (offsets of a corpus
    stay valid); otherwise scraped boilerplate is removed and the text is rebuilt as headline + paragraphs.
    ``meta`` (url, outlet, author, published, title) overrides what the page itself says. A text that is
    surely not English is refused (:mod:`sayso.ingest.language`) unless ``any_language``.
    """
    meta = {k: v for k, v in (meta or {}).items() if v}
    declared = None
    if not content.strip():
        raise InputError(where, "empty input (only whitespace)")
    content = valid_unicode(content)
    if raw:
        first = content.split("\n", 1)[0].strip()
        art = Article(text=content, title=first or None, url=url)
    elif looks_like_html(content):
        page = clean_html(content, where, url)
        declared = declared_language(content)
        art = Article(text=page.text, title=page.title, url=page.url, outlet=page.outlet,
                      author=page.author, published=page.published)
    else:
        page = clean_text(content)
        if not page.text:
            raise InputError(where, "no article text left after removing boilerplate")
        art = Article(text=page.text, title=page.title, url=url, author=page.author, published=page.published)
    if len(art.text) > MAX_CHARS:
        raise InputError(where, f"article text of {len(art.text):,} characters is over the {MAX_CHARS:,}-character "
                                f"limit of the parser")
    if not any_language and (problem := language_problem(art.text, declared)):
        raise InputError(where, problem)
    for key in ("url", "outlet", "author", "published", "title"):
        if key in meta:
            setattr(art, key, valid_unicode(str(meta[key])))
    if "outlet" not in meta:
        # a site that does not name itself is known by its host: "nytimes.com" is The New York Times
        art.outlet = outlet_name(art.outlet, art.url)
    return art


def valid_unicode(text: str) -> str:
    """``text`` with each lone surrogate (which a JSON string can carry, and no UTF-8 can) replaced by U+FFFD:
    one character for one, so offsets stay as they are, and the text can be stored, hashed and written.

    >>> valid_unicode("a\\ud800b") == "a\\ufffdb"
    True
    """
    return _LONE_SURROGATE.sub("\ufffd", text)


def read_bytes(data: bytes, *, where: str, url: str | None = None, raw: bool = False,
               meta: dict | None = None, charset: str | None = None, any_language: bool = False) -> Article:
    """An Article from the bytes of a page, decoded by BOM, declared charset or detection.

    ``charset`` is the one a transport declared for the bytes (an HTTP header), if any.
    """
    if len(data) > MAX_BYTES:
        raise InputError(where, f"page of {len(data):,} bytes is over the {MAX_BYTES:,}-byte limit")
    return read_text_or_html(decode(data, where, charset), where=where, url=url, raw=raw, meta=meta,
                             any_language=any_language)


def read_path(path: str | Path, *, raw: bool = False, any_language: bool = False) -> Article:
    """An Article from a file (``-`` for stdin); InputError names the file and the problem."""
    where = str(path)
    if where == "-":
        return read_bytes(stdin_stream().read(MAX_BYTES + 1), where=STDIN_NAME, raw=raw, any_language=any_language)
    return read_bytes(read_file(path, where), where=where, raw=raw, any_language=any_language)


def stdin_stream() -> IO[bytes]:
    """Standard input's bytes; InputError when the process was started with it closed ("<&-")."""
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        raise InputError(STDIN_NAME, "standard input is closed")
    return stream


def read_file(path: str | Path, where: str | None = None, info: os.stat_result | None = None) -> bytes:
    """The bytes of a page file, at most MAX_BYTES of them; InputError for anything else.

    A file over the limit is refused by its size before any byte is read, and one that grows while it is
    read by what was read; a FIFO, device or socket is refused unopened (reading one could wait forever).
    ``info`` is the file's status when the caller has just taken it (as :func:`regular_file` does).
    """
    where = str(path) if where is None else where
    try:
        info = regular_file(path, where, info)
        if info.st_size > MAX_BYTES:
            raise InputError(where, f"page of {info.st_size:,} bytes is over the {MAX_BYTES:,}-byte limit")
        # O_NONBLOCK: should the file have been swapped for a FIFO since the check, opening it does not wait
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as f:
            data = f.read(MAX_BYTES + 1)
    except OSError as exc:
        raise InputError(where, os_problem(exc)) from None
    if len(data) > MAX_BYTES:
        raise InputError(where, f"page grew past the {MAX_BYTES:,}-byte limit while it was read")
    return data


def regular_file(path: str | Path, where: str | None = None, info: os.stat_result | None = None) -> os.stat_result:
    """The status of ``path`` when it is a regular file; InputError for a directory, a FIFO, a device or a
    socket (opening one of those to read can wait forever), or a path that cannot be looked at.

    ``info``, the status already taken, is checked instead of taking it again.
    """
    where = str(path) if where is None else where
    if info is None:
        try:
            info = os.stat(path)
        except OSError as exc:
            raise InputError(where, os_problem(exc)) from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(where, "is a directory, not a page")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(where, f"is a {_special_kind(info.st_mode)}, not a regular file")
    return info


def os_problem(exc: OSError) -> str:
    """What the system said about a file, in the words of sayso's other messages.

    >>> os_problem(PermissionError(13, "Permission denied"))
    'permission denied'
    """
    if isinstance(exc, FileNotFoundError):
        return "no such file"
    if isinstance(exc, PermissionError):
        return "permission denied"
    return exc.strerror or f"cannot be read ({type(exc).__name__})"


def _special_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    return "special file"
