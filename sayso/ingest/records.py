"""Input records: what users point sayso at (files, folders, JSONL dumps), one record per article.

Every record has a stable id (the file path, or ``FILE:LINE`` for a JSONL line) so that a rerun can tell what
it has already done. A record that cannot be read becomes an InputError passed to ``on_error``; it never
stops the others.

>>> [r.id for r in iter_records(["examples/harbor-bridge.txt"])]   # doctest: +SKIP
['examples/harbor-bridge.txt']
"""

from __future__ import annotations

import gzip
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..errors import InputError
from ..model import Article
from . import read_bytes, read_text_or_html

#: File name endings read as single pages.
PAGE_SUFFIXES = (".html", ".htm", ".txt", ".xhtml")
#: File name endings read as one article per line.
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson")

OnError = Callable[[InputError], None]


def _raise(exc: InputError) -> None:
    raise exc


@dataclass
class Record:
    """One article to read: its id, its page (bytes or text) and what the input says about it."""

    id: str
    page: bytes | str
    url: str | None = None
    meta: dict = field(default_factory=dict)

    def to_article(self) -> Article:
        """The clean Article (no attributions yet); InputError names this record's id."""
        if isinstance(self.page, bytes):
            return read_bytes(self.page, where=self.id, url=self.url, meta=self.meta)
        return read_text_or_html(self.page, where=self.id, url=self.url, meta=self.meta)


def kind_of(path: Path) -> str | None:
    """'page', 'jsonl', or None for files sayso does not read."""
    name = path.name.lower()
    if name.endswith(JSONL_SUFFIXES):
        return "jsonl"
    if name.endswith(PAGE_SUFFIXES):
        return "page"
    return None


def expand(paths: Iterable[str | Path], on_error: OnError = _raise) -> Iterator[Path]:
    """Files named, and the readable files under folders named (recursively, in sorted order)."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs.sort()
                for name in sorted(files):
                    child = Path(root) / name
                    if kind_of(child) is not None:
                        yield child
        elif path.exists():
            yield path
        else:
            on_error(InputError(str(path), "no such file or directory"))


def iter_records(paths: Iterable[str | Path], on_error: OnError = _raise) -> Iterator[Record]:
    """Every article record in the given files and folders, in order."""
    for path in expand(paths, on_error):
        if kind_of(path) == "jsonl":
            yield from jsonl_records(path, on_error)
        else:
            try:
                yield Record(id=str(path), page=path.read_bytes())
            except OSError as exc:
                on_error(InputError(str(path), exc.strerror or "cannot be read"))


def jsonl_records(path: Path, on_error: OnError = _raise) -> Iterator[Record]:
    """One record per line: ``{"url", "html" or "text", "published"?, "outlet"?, "title"?}``."""
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    try:
        with opener(path, "rb") as f:
            for n, line in enumerate(f, 1):
                where = f"{path}:{n}"
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                    on_error(InputError(where, f"not a JSON object ({exc.__class__.__name__})"))
                    continue
                if not isinstance(obj, dict):
                    on_error(InputError(where, "not a JSON object"))
                    continue
                page = obj.get("html") or obj.get("text")
                if not isinstance(page, str) or not page.strip():
                    on_error(InputError(where, 'no "html" or "text" field with the page'))
                    continue
                meta = {k: obj[k] for k in ("published", "outlet", "title", "author") if obj.get(k)}
                yield Record(id=where, page=page, url=obj.get("url") or None, meta=meta)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        on_error(InputError(str(path), f"cannot be read to the end ({exc.__class__.__name__})"))
