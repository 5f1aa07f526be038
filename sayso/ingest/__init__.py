"""Input to clean article: HTML pages, scraped text pages, raw corpus texts.

>>> read_text_or_html("Harlan Wins\\n\\nHarlan said she won.").title
'Harlan Wins'
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import InputError
from ..model import Article
from .decode import decode
from .html import clean_html, looks_like_html
from .text import clean_text

#: Largest input accepted, in bytes: far above any real article, small enough to parse in memory.
MAX_BYTES = 10 * 1024 * 1024


def read_text_or_html(content: str, *, where: str = "<text>", url: str | None = None, raw: bool = False,
                      meta: dict | None = None) -> Article:
    """An Article (text and metadata, no attributions yet) from page content.

    HTML is told from text by its content. ``raw=True`` keeps a text exactly as given (offsets of a corpus
    stay valid); otherwise scraped boilerplate is removed and the text is rebuilt as headline + paragraphs.
    ``meta`` (url, outlet, author, published, title) overrides what the page itself says.
    """
    meta = {k: v for k, v in (meta or {}).items() if v}
    if not content.strip():
        raise InputError(where, "empty input (only whitespace)")
    if raw:
        first = content.split("\n", 1)[0].strip()
        art = Article(text=content, title=first or None, url=url)
    elif looks_like_html(content):
        page = clean_html(content, where, url)
        art = Article(text=page.text, title=page.title, url=page.url, outlet=page.outlet,
                      author=page.author, published=page.published)
    else:
        page = clean_text(content)
        if not page.text:
            raise InputError(where, "no article text left after removing boilerplate")
        art = Article(text=page.text, title=page.title, url=url, author=page.author, published=page.published)
    for key in ("url", "outlet", "author", "published", "title"):
        if key in meta:
            setattr(art, key, str(meta[key]))
    return art


def read_bytes(data: bytes, *, where: str, url: str | None = None, raw: bool = False,
               meta: dict | None = None, charset: str | None = None) -> Article:
    """An Article from the bytes of a page, decoded by BOM, declared charset or detection.

    ``charset`` is the one a transport declared for the bytes (an HTTP header), if any.
    """
    if len(data) > MAX_BYTES:
        raise InputError(where, f"page of {len(data):,} bytes is over the {MAX_BYTES:,}-byte limit")
    return read_text_or_html(decode(data, where, charset), where=where, url=url, raw=raw, meta=meta)


def read_path(path: str | Path, *, raw: bool = False) -> Article:
    """An Article from a file (``-`` for stdin); InputError names the file and the problem."""
    where = str(path)
    if where == "-":
        return read_bytes(sys.stdin.buffer.read(MAX_BYTES + 1), where="<stdin>", raw=raw)
    p = Path(path)
    try:
        if p.is_dir():
            raise InputError(where, "is a directory, not a page")
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise InputError(where, f"page of {size:,} bytes is over the {MAX_BYTES:,}-byte limit")
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError(where, "no such file") from None
    except PermissionError:
        raise InputError(where, "permission denied") from None
    except OSError as exc:
        raise InputError(where, exc.strerror or "cannot be read") from None
    return read_bytes(data, where=where, raw=raw)
