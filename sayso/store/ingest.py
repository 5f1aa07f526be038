"""Ingest: input records -> clean articles -> annotated articles -> the store, resumable and idempotent.

Records come from ``sayso.ingest.records.iter_records`` (files, folders, JSONL dumps, web archives). Each
is cleaned first and looked up by its content hash (``writer.article_key``), so an article already stored
costs no parse; the new ones are annotated in batches through spaCy's ``nlp.pipe`` and written one
transaction each. The output folder of ``sayso batch`` (or one of its shards) holds articles annotated
already: they are read with ``sayso.batch.iter_shard_articles`` and stored as they are, as are the lines of a
dump that are ``sayso.article/1`` objects (``Record.annotated``). A record that cannot be read, annotated or
stored is a failure with its reason; it never stops the others.

>>> summary = ingest(["examples/corpus"], "corpus.sqlite")       # doctest: +SKIP
>>> summary.new, summary.skipped, summary.failed                  # doctest: +SKIP
(5, 0, [])
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..errors import InputError, SaysoError
from ..ingest.html import looks_like_html
from ..ingest.records import Record, is_batch_output, iter_records
from ..model import Article
from ..pipeline import annotate_each
from .schema import connect
from .writer import CorpusWriter, article_key


@dataclass
class Failure:
    """One input that did not make it into the store, and why."""

    input: str
    problem: str


@dataclass
class IngestSummary:
    """What one ingest run did."""

    db: str
    new: int = 0
    skipped: int = 0
    failed: list[Failure] = field(default_factory=list)
    seconds: float = 0.0

    def to_json(self) -> dict:
        """The summary as printed by ``sayso ingest``."""
        return {"db": self.db, "new": self.new, "skipped": self.skipped, "failed": len(self.failed),
                "failures": [{"input": f.input, "problem": f.problem} for f in self.failed],
                "seconds": round(self.seconds, 2)}


@dataclass
class _Pending:
    record: Record
    article: Article


def ingest(paths: Iterable[str | Path], db: str | Path, *, mode: str = "fast", batch_size: int = 16,
           on_failure: Callable[[Failure], None] | None = None,
           on_done: Callable[[IngestSummary], None] | None = None, any_language: bool = False) -> IngestSummary:
    """Store every article under ``paths`` in the corpus ``db`` (created if needed).

    ``on_failure`` hears of each failure as it happens, ``on_done`` after each record (for progress). A page
    that is not English is a failure unless ``any_language``.
    """
    started = time.perf_counter()
    conn = connect(db)
    writer = CorpusWriter(conn)
    summary = IngestSummary(db=str(db))

    def fail(where: str, problem: str) -> None:
        failure = Failure(where, problem)
        summary.failed.append(failure)
        if on_failure:
            on_failure(failure)
        if on_done:
            on_done(summary)

    def skip() -> None:
        summary.skipped += 1
        if on_done:
            on_done(summary)

    paths = list(paths)
    batch_outputs = [p for p in paths if is_batch_output(p)]
    seen: set[str] = set()

    def new_articles() -> Iterator[_Pending]:
        pages = [p for p in paths if p not in batch_outputs]
        for record in iter_records(pages, on_error=lambda exc: fail(exc.where, exc.problem)):
            if record.annotated is not None:
                # annotated already (a line of sayso extract's output): stored as it is, never parsed again
                if is_new(record.annotated):
                    store(record.annotated, record.id, None)
                continue
            try:
                article = record.to_article(any_language=any_language)
            except InputError as exc:
                fail(exc.where, exc.problem)
                continue
            if is_new(article):
                yield _Pending(record, article)

    def is_new(article: Article) -> bool:
        """False, counted as skipped, for an article stored already or met before in this run."""
        key = article_key(article)
        if key in seen or writer.has(key):
            skip()
            return False
        seen.add(key)
        return True

    def store(annotated: Article, record_id: str, page: bytes | str | None) -> None:
        try:
            stored = writer.add(annotated, record=record_id, original=page,
                                media_type=_media_type(page) if page is not None else "text/plain")
        except (SaysoError, sqlite3.IntegrityError) as exc:
            # this article's data, not the database, is at fault: it is rolled back, the rest go on
            fail(record_id, f"not stored: {exc}")
            return
        if stored is None:
            skip()
        else:
            summary.new += 1
            if on_done:
                on_done(summary)

    try:
        pending = new_articles()
        # chunks of a few parse batches: big enough for nlp.pipe, small enough to redo one by one
        while chunk := list(islice(pending, batch_size * 4)):
            for item, annotated in _annotate(chunk, mode, batch_size):
                if isinstance(annotated, str):
                    fail(item.record.id, annotated)
                    continue
                store(annotated, item.record.id, item.record.page)
        if batch_outputs:
            # loaded only for a batch output: importing the store (as the web server does) loads no batch code
            from ..batch.shards import iter_shard_articles

            for output in batch_outputs:
                for record_id, annotated in iter_shard_articles(output, on_error=lambda e: fail(e.where, e.problem)):
                    if is_new(annotated):
                        store(annotated, record_id, None)
    finally:
        conn.close()
        summary.seconds = time.perf_counter() - started
    return summary


def _annotate(chunk: list[_Pending], mode: str, batch_size: int) -> Iterator[tuple[_Pending, Article | str]]:
    """Each pending article with its annotation, or with the reason it could not be annotated."""
    for item, done in zip(chunk, annotate_each([p.article for p in chunk], mode, batch_size)):
        yield item, (f"could not be annotated ({type(done).__name__}: {done})" if isinstance(done, Exception)
                     else done)


def _media_type(page: bytes | str) -> str:
    head = page[:5000].decode("utf-8", "replace") if isinstance(page, bytes) else page[:5000]
    return "text/html" if looks_like_html(head) else "text/plain"
