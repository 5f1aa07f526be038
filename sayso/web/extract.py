"""Extraction on the corpus server: a page posted to ``/api/extract``, or pasted into the ``/extract`` form,
is read and annotated in the server's process as ``sayso extract`` would read it, and given back without
being stored (the corpus stays read-only; ``sayso ingest`` adds articles).

Extraction costs the server a parse per request, where every other route costs it a few queries, so pages
go through the pipeline one at a time. A request waits for its turn up to ``WAIT_SECONDS``; past that, or
when ``MAX_WAITING`` requests already wait, the answer is 503 with ``Retry-After``, and the waiting holds
no server thread. A body is read up to ``safety.MAX_PAGE_BYTES`` and refused (413) past it, whether or not
it declared its length. Each mode's pipeline is loaded on its first request.

``POST /api/extract/batch`` reads a dump (JSON Lines, one page a line) of up to ``safety.MAX_BATCH_BYTES`` and
answers JSON Lines, a line for each line of the dump in its order: the page's ``sayso.article/1`` object,
or ``{"line", "error"}`` with the one-line problem of a line that cannot be read. Its pages are parsed
``BATCH_TURN`` at a time, one spaCy batch a turn, and other requests take their turns between; each turn's
lines are sent as soon as it ends. Only the first turn can be refused (503): once the answer has begun,
the batch waits for its turns.
"""

from __future__ import annotations

import asyncio
import io
import json
from typing import Any, AsyncIterator, Callable, TypeVar
from urllib.parse import parse_qs

from fastapi import HTTPException, Request
from starlette.concurrency import run_in_threadpool

from ..errors import InputError
from ..ingest.decode import declared_charset
from ..ingest.language import ANYWAY
from ..ingest.records import GZIP_MAGIC, SNIFF_BYTES, Record, dump_record, sniff
from ..nlp import MODES
from .safety import MAX_PAGE_BYTES

#: How long a request waits for the pipeline before it is answered 503, in seconds.
WAIT_SECONDS = 30.0
#: Requests allowed to wait for the pipeline at once; one more is answered 503 at once.
MAX_WAITING = 8
#: Pages of a batch parsed in one turn of the pipeline (one spaCy batch).
BATCH_TURN = 16
#: What a posted page is called in the one-line errors about it.
BODY_NAME = "<request body>"
#: The form fields of the /extract page.
FORM_FIELDS = ("article", "url", "mode", "any_language", "download")
#: What the /extract form's download buttons give: the file's name and media type.
DOWNLOADS = {"json": ("sayso-article.json", "application/json"),
             "csv": ("sayso-attributions.csv", "text/csv; charset=utf-8")}


class Busy(Exception):
    """The pipeline stayed busy with other requests for longer than a request may wait."""


T = TypeVar("T")


class Extractor:
    """Annotates posted pages one turn at a time (see the module's documentation)."""

    def __init__(self) -> None:
        self._turn = asyncio.Lock()
        self._waiting = 0

    async def run(self, record: Record, mode: str, raw: bool = False, any_language: bool = False) -> dict[str, Any]:
        """The ``sayso.article/1`` object of ``record``; InputError when its page cannot be read, Busy when
        its turn does not come."""
        await self._wait()
        return await self._work(extract_record, record, mode, raw, any_language)

    async def batch(self, entries: list[Record | InputError], mode: str, raw: bool = False,
                    any_language: bool = False) -> AsyncIterator[bytes]:
        """The JSON lines of a dump's ``entries`` (its records, and the problems of the lines that are none),
        a turn of ``BATCH_TURN`` at a time. The first turn is taken and read before this returns (Busy when it
        does not come); the others wait as long as they must."""
        turns = [entries[i:i + BATCH_TURN] for i in range(0, len(entries), BATCH_TURN)] or [[]]
        await self._wait()
        first = await self._work(batch_lines, turns[0], mode, raw, any_language)

        async def lines() -> AsyncIterator[bytes]:
            yield b"".join(first)
            for turn in turns[1:]:
                await self._wait(patient=True)
                yield b"".join(await self._work(batch_lines, turn, mode, raw, any_language))

        return lines()

    async def _wait(self, patient: bool = False) -> None:
        """Take the pipeline's turn: Busy when ``MAX_WAITING`` requests already wait, or after
        ``WAIT_SECONDS``; a ``patient`` wait (a batch under way) takes as long as it must."""
        if self._waiting >= MAX_WAITING and not patient:
            raise Busy
        self._waiting += 1
        try:
            await asyncio.wait_for(self._turn.acquire(), None if patient else WAIT_SECONDS)
        except asyncio.TimeoutError:
            raise Busy from None
        finally:
            self._waiting -= 1

    async def _work(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn(*args)`` on a worker thread, in the turn taken."""
        work = asyncio.ensure_future(run_in_threadpool(fn, *args))
        # the turn ends when the work does: a request given up (its client gone) cannot stop the thread that
        # parses its page, and the next page must not share the pipeline with it
        work.add_done_callback(lambda _: self._turn.release())
        return await asyncio.shield(work)


def extract_record(record: Record, mode: str, raw: bool = False, any_language: bool = False) -> dict[str, Any]:
    """Read and annotate one record as ``sayso extract`` does; its ``sayso.article/1`` object."""
    from ..pipeline import annotate

    return annotate(record.to_article(raw=raw, any_language=any_language), mode).to_json()


def batch_lines(entries: list[Record | InputError], mode: str, raw: bool = False,
                any_language: bool = False) -> list[bytes]:
    """A JSON line for each entry, in order: its record's ``sayso.article/1`` object, or ``{"line", "error"}``
    for a line that is no record, a page that cannot be read, or one whose annotation failed."""
    from ..pipeline import annotate_each, annotation_error

    out: list[bytes] = [b""] * len(entries)
    articles, at = [], []
    for i, entry in enumerate(entries):
        if isinstance(entry, InputError):
            out[i] = _line(error_object(entry))
            continue
        try:
            articles.append(entry.to_article(raw=raw, any_language=any_language))
            at.append(i)
        except InputError as exc:
            out[i] = _line(error_object(exc))
    for i, done in zip(at, annotate_each(articles, mode, batch_size=BATCH_TURN)):
        out[i] = _line(error_object(annotation_error(entries[i].id, done)) if isinstance(done, Exception)
                       else done.to_json())
    return out


def error_object(exc: InputError) -> dict[str, Any]:
    """A batch's line for a dump line that gave no article: its line number (the dump's lines are named
    ``<request body>:LINE``) and the one-line problem."""
    return {"line": int(exc.where.rpartition(":")[2]), "error": problem(exc, "any_language=true reads it anyway")}


def _line(obj: dict[str, Any]) -> bytes:
    return (json.dumps(obj, ensure_ascii=False) + "\n").encode("utf-8")


async def read_body(request: Request, limit: int = MAX_PAGE_BYTES, what: str = "page") -> bytes:
    """The request body, refused (413) as soon as it passes ``limit`` bytes."""
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise HTTPException(413, f"The {what} is over the {limit:,}-byte limit of extraction here.")
        chunks.append(chunk)
    return b"".join(chunks)


def posted_record(body: bytes, content_type: str | None, url: str | None) -> Record:
    """The record of a body posted to /api/extract: a JSON object as one line of a dump (``{"html" or "text",
    "url"?, "title"?, "outlet"?, "author"?, "published"?}``) when it is sent as application/json, else the
    page's own bytes, decoded by the charset the Content-Type declares, by BOM or by detection."""
    if (content_type or "").partition(";")[0].strip().lower() == "application/json":
        try:
            obj = json.loads(body)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise InputError(BODY_NAME, f"not a JSON object ({exc.__class__.__name__})") from None
        record = dump_record(obj, BODY_NAME)
        record.url = url or record.url
        return record
    if what := not_a_page(body, "send one page a request, or POST the dump to /api/extract/batch"):
        raise InputError(BODY_NAME, what)
    return Record(id=BODY_NAME, page=body, url=url or None, charset=declared_charset(content_type))


def not_a_page(body: bytes, instead: str) -> str | None:
    """What a body sent as one page is instead, told by its first bytes as the command line tells a piped
    input (``records.sniff``): a dump of pages (JSON Lines; ``instead`` says what to do with one) or a web
    archive; None for a page."""
    kind, _ = sniff(body[:SNIFF_BYTES])
    if kind == "jsonl":
        return f"a dump of pages (JSON Lines), not a page: {instead}"
    if kind == "warc":
        return "a web archive, not a page: sayso extract and sayso ingest read web archives"
    return None


def not_a_dump(body: bytes) -> str | None:
    """What a body sent to the batch route is instead of a dump (JSON Lines): a JSON array, gzipped data or a
    web archive (``records.sniff``); None otherwise (its lines are judged one by one)."""
    if body.lstrip().startswith(b"["):
        return "a JSON array; send a page a line, each a JSON object (JSON Lines)"
    if body[:2] == GZIP_MAGIC:
        return "gzipped; send the dump as it is, a page a line"
    if sniff(body[:SNIFF_BYTES])[0] == "warc":
        return "a web archive, not a dump: sayso extract and sayso ingest read web archives"
    return None


def problem(exc: InputError, anyway: str) -> str:
    """The one-line problem of a page that cannot be read, saying how a page in another language is read anyway
    here (``anyway``) instead of on the command line."""
    return str(exc).replace(ANYWAY, anyway)


def form_values(body: bytes) -> dict[str, str]:
    """The /extract form's fields from its url-encoded body; a textarea's CRLF line ends made LF again."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(BODY_NAME, "the form is not UTF-8") from None
    fields = parse_qs(text, keep_blank_values=True, max_num_fields=len(FORM_FIELDS) + 4)
    values = {k: v[0] for k, v in fields.items() if k in FORM_FIELDS}
    values["article"] = values.get("article", "").replace("\r\n", "\n")
    values.setdefault("url", "")
    values["mode"] = values.get("mode") or MODES[0]
    return values


def display(article: dict[str, Any]) -> dict[str, Any]:
    """An extracted article's JSON as the article page shows it: each attribution's ``speaker`` and
    ``via_speakers`` are the article's own entities (an id such as ``e1``, which no speaker page has)."""
    people = {e["id"]: {"id": e["id"], "name": e["name"], "kind": e["kind"], "roles": e["roles"]}
              for e in article["entities"]}
    attributions = [{**a, "speaker": people.get(a["source"]["entity"]),
                     "via_speakers": [people[v] for v in a["via"] if v in people]}
                    for a in article["attributions"]]
    return {**article, "id": None, "attributions": attributions, "has_original": False}


def download(article: dict[str, Any], fmt: str) -> bytes:
    """An extracted article as the form's download: its ``sayso.article/1`` object (``json``), or a table of
    its attributions (``csv``), the columns of ``sayso extract --format csv``."""
    from ..tables import attribution_rows, table_writer

    if fmt == "json":
        return (json.dumps(article, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    out = io.StringIO()
    table_writer(out).writerows(attribution_rows(article))
    return out.getvalue().encode("utf-8")
