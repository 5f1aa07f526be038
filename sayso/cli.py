"""The ``sayso`` command line: a thin layer of click commands over the package.

User errors (bad files, bad records) are reported here, once, as one line on stderr naming the input and the
problem; the rest of the inputs are still processed, and the exit status is 2.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from collections import deque
from pathlib import Path
from typing import IO, Callable, Iterable, Iterator

import click

from . import __version__
from .attribution.tagger import SEEDS
from .batch.plan import PARTITION_SIZE
from .errors import InputError, SaysoError, SpanError, StoreError
from .model import ENTITY_KINDS, KINDS, Article
from .nlp import MODES
from .store import export
from .store.export import ARTICLE_COLUMNS, QUOTE_COLUMNS, SPEAKER_COLUMNS
from .store.graph import NETWORK_FORMATS, RELATIONS
from .store.queries import SORTS, STANCES

#: What --mode chooses (speeds: docs/benchmarks.md).
MODE_HELP = ("fast: the rule-based extractor at parser speed; accurate: the trained tagger, more accurate and"
             " about a third as fast.")
#: --any-language, the same for every command that reads pages.
any_language_option = click.option(
    "--any-language", is_flag=True,
    help="Also read pages that are not in English. By default a page whose text surely reads as another "
         "language, or is too short to judge and on a page that declares another language, is refused (one "
         "line naming the language): sayso's parser and cues are English.")

EXIT_BAD_INPUT = 2


def error(message: str) -> None:
    """One line on stderr, prefixed with the program name."""
    click.echo(f"sayso: {message}", err=True)


def open_output(output: Path | None, binary: bool = False) -> IO:
    """The file ``-o`` names (stdout without it), opened before any work; SaysoError names it when it cannot
    be written (a missing folder, no permission)."""
    if output is None:
        return sys.stdout.buffer if binary else sys.stdout
    try:
        return open(output, "wb") if binary else open(output, "w", encoding="utf-8")
    except OSError as exc:
        raise SaysoError(f"{output}: cannot be written ({exc.strerror or type(exc).__name__})") from None


#: A count that SQLite can take (its integers are 64-bit): what --limit may be.
LIMIT = click.IntRange(1, 2**63 - 1)

#: Seconds between two progress lines when stderr is a log file, not a terminal.
LOG_EVERY = 60.0


def progress(iterable, total: int | None, label: str, unit: str = "article"):
    """Progress of a long run on stderr: a bar on a terminal; in a log file (stderr redirected), a line
    such as ``sayso: claims: compare: 120/400 blocks (30%) after 2 min`` once a minute, so a run of an
    hour in a batch job says where it is (a run shorter than a minute writes nothing)."""
    if sys.stderr.isatty():
        from tqdm import tqdm

        return tqdm(iterable, total=total, desc=label, unit=unit, file=sys.stderr,
                    disable=total is not None and total <= 1, leave=False)
    return _logged(iterable, total, label, unit)


def plural(noun: str) -> str:
    """ "batch" -> "batches", "block" -> "blocks": the English plural of the units progress counts."""
    return noun + ("es" if noun.endswith(("s", "x", "z", "ch", "sh")) else "s")


class LogLines:
    """Progress as a line a minute on stderr (``tick``), for runs whose stderr is a log file."""

    def __init__(self, label: str, unit: str):
        self.label, self.unit = label, unit
        self.start = self.last = time.monotonic()

    def tick(self, n: int, total: int | None = None, detail: str = "") -> None:
        now = time.monotonic()
        if now - self.last < LOG_EVERY:
            return
        self.last = now
        units = self.unit if n == 1 and not total else plural(self.unit)
        done = f"{n}/{total} {units} ({100 * n // total}%)" if total else f"{n} {units}"
        minutes = int((now - self.start) // 60)
        after = f"{minutes // 60} h {minutes % 60} min" if minutes >= 60 else f"{minutes} min"
        click.echo(f"sayso: {self.label}: {done}{detail} after {after}", err=True)


def _logged(iterable, total: int | None, label: str, unit: str):
    lines = LogLines(label, unit)
    for n, item in enumerate(iterable, 1):
        yield item
        lines.tick(n, total)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sayso")
def main() -> None:
    """sayso: who said what, about whom, according to whom, in news articles.

    Every attribution comes with its evidence: the source, cue and content as exact character spans of the
    article text, the speaker as one entity, and the chain of intermediaries it came through.
    """


# ------------------------------------------------------------------------------------------------ extract
@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str, readable=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Write here instead of stdout.")
@click.option("--format", "fmt", type=click.Choice(["json", "jsonl", "csv"]),
              help="json: one pretty object (default for one page); jsonl: one line per article (default for "
                   "several pages, folders, JSONL dumps and web archives); csv: a table, one row per attribution "
                   "(record, attribution, kind, speaker, speaker_kind, speaker_roles, source, cue, content, via, "
                   "confidence, the spans, title, outlet, published, url), the default for -o FILE.csv.")
@click.option("--mode", type=click.Choice(MODES), default="fast", show_default=True,
              help=MODE_HELP)
@click.option("--raw", is_flag=True,
              help="Take text pages exactly as they are (no boilerplate removal), so offsets match the file.")
@any_language_option
def extract(paths: tuple[str, ...], output: Path | None, fmt: str | None, mode: str, raw: bool,
            any_language: bool) -> None:
    """Find every attribution in news pages (.html, .txt), folders of them, JSONL dumps (.jsonl: one
    {"url", "html" or "text"} per line) and web archives (.warc, .warc.gz). - reads standard input: a
    dump or an archive there (gzipped or not) is told from a page by its first bytes.

    Prints one sayso.article/1 JSON object per article, with "record" saying where it came from (the file,
    FILE:LINE of a dump, the WARC-Record-ID), or with --format csv a table row per attribution. Pages or
    records that cannot be read, or that are not in English (see --any-language), are reported on stderr by
    that name, the others are still written, and the exit status is then 2.

    \b
    Example:
      sayso extract page.html                 # pretty JSON
      sayso extract pages/ -o out.jsonl       # one line per article
      sayso extract dump.jsonl crawl.warc.gz  # one line per record
      sayso extract pages/ -o quotes.csv      # a spreadsheet, a row per attribution
    """
    from .ingest.records import STDIN, STDIN_NAME, iter_records, kind_of
    from .pipeline import annotate_many
    from .tables import attribution_rows, table_writer

    def page_file(path: str) -> bool:
        return path != STDIN and kind_of(Path(path)) in ("page", None) and not os.path.isdir(path)

    # one page gives one pretty object by default; standard input is one page unless it turns out to be a
    # dump or an archive (records named <stdin>:LINE or by their WARC-Record-ID)
    one_page = len(paths) == 1 and (paths[0] == STDIN or page_file(paths[0]))
    failed = 0
    read: deque[str] = deque()  # the records of the articles on their way through the pipeline, in order

    def report(exc: InputError) -> None:
        nonlocal failed
        failed += 1
        error(str(exc))

    def articles() -> Iterator[Article]:
        for record in iter_records(paths, on_error=report):
            try:
                article = record.to_article(raw=raw, any_language=any_language)
            except InputError as exc:
                report(exc)
                continue
            read.append(record.id)
            yield article

    def pretty(record: str) -> bool:
        if fmt is not None:
            return fmt == "json"
        return one_page and (paths[0] != STDIN or record == STDIN_NAME)

    total = len(paths) if all(page_file(p) for p in paths) else None
    if fmt is None and output is not None and output.suffix.lower() == ".csv":
        fmt = "csv"
    out = open_output(output)
    table = table_writer(out) if fmt == "csv" else None
    try:
        for article in progress(annotate_many(articles(), mode), total, "extract"):
            record = read.popleft()
            try:
                data = {**article.to_json(), "record": record}
            except SpanError as exc:  # never written: this article fails, the others go on
                failed += 1
                error(f"{record}: annotation refused ({exc})")
                continue
            if table is not None:
                table.writerows(attribution_rows(data))
            elif pretty(record):
                out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
            else:
                out.write(json.dumps(data, ensure_ascii=False) + "\n")
            out.flush()
    finally:
        if output:
            out.close()
    if failed:
        sys.exit(EXIT_BAD_INPUT)


# ------------------------------------------------------------------------------------------------ ingest
@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str, readable=False))
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default="corpus.sqlite", show_default=True,
              help="The corpus database (SQLite), created if missing.")
@click.option("--mode", type=click.Choice(MODES), default="fast", show_default=True,
              help=MODE_HELP)
@click.option("--batch-size", type=click.IntRange(1, 1000), default=16, show_default=True,
              help="Articles parsed together by spaCy.")
@any_language_option
def ingest(paths: tuple[str, ...], db: Path, mode: str, batch_size: int, any_language: bool) -> None:
    """Add news articles to a corpus database: files, folders (recursively), JSONL dumps, web archives.

    Reads .html, .htm, .txt and .xhtml pages, .jsonl, .jsonl.gz and .ndjson files with one article a line
    ({"url", "html" or "text", "published"?, "outlet"?, "title"?, "author"?}), the HTML pages of .warc and
    .warc.gz archives, and the output folders of `sayso batch` (annotated already: stored as they are). A dump
    line that is a sayso.article/1 object (what sayso extract and sayso articles --jsonl write) is stored with
    its attributions as they are too, not parsed again. An article already in the database (same url and
    clean text) is skipped, so a rerun picks up where the last one stopped.
    A path of - reads standard input: a dump or an archive (gzipped or not) by its first bytes, else one page.
    Inputs that cannot be read, or that are not in English (see --any-language), are reported on stderr
    and the others still stored; the exit status is then 2. Prints a JSON summary on stdout: new, skipped,
    failed, and each failure with its reason.

    \b
    Example:
      sayso ingest examples/ --db corpus.sqlite
      sayso ingest dumps/*.jsonl.gz pages/ --db corpus.sqlite
      sayso ingest crawl-out/ --db corpus.sqlite    # the output of sayso batch
      sayso extract --mode accurate --format jsonl pages/ > a.jsonl && sayso ingest a.jsonl
    """
    from tqdm import tqdm

    from .store import ingest as store_ingest

    bar = tqdm(desc="ingest", unit="article", file=sys.stderr, disable=None, leave=False)
    lines = None if sys.stderr.isatty() else LogLines("ingest", "record")

    def done(summary) -> None:
        bar.update(1)
        bar.set_postfix(new=summary.new, skipped=summary.skipped, failed=len(summary.failed), refresh=False)
        if lines is not None:
            lines.tick(summary.new + summary.skipped + len(summary.failed), None,
                       f" ({summary.new} new, {summary.skipped} skipped, {len(summary.failed)} failed)")

    try:
        summary = store_ingest(paths, db, mode=mode, batch_size=batch_size,
                               on_failure=lambda f: bar.write(f"sayso: {f.input}: {f.problem}", file=sys.stderr),
                               on_done=done, any_language=any_language)
    finally:
        bar.close()
    click.echo(json.dumps(summary.to_json(), ensure_ascii=False))
    error(f"{db}: {summary.new} new, {summary.skipped} skipped, {len(summary.failed)} failed "
          f"in {summary.seconds:.1f} s")
    if summary.new and db.is_file():
        from .store import connect_readonly, queries

        conn = connect_readonly(db)
        try:
            status = queries.claims_status(conn)
        finally:
            conn.close()
        if status is not None:  # ingest leaves claims as they are: they are one pass over the whole corpus
            error(f"{db}: the stored claims predate the new articles; `sayso claims --db {db}` brings them up to date")
    if summary.failed:
        sys.exit(EXIT_BAD_INPUT)


@main.command()
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default="corpus.sqlite", show_default=True,
              help="The corpus database to upgrade, in place.")
def upgrade(db: Path) -> None:
    """Bring a corpus database written by an older sayso up to this version's tables.

    A step adds tables and fills them from what is stored; nothing stored is changed, and each step is one
    transaction. Commands that write (ingest, claims) upgrade a corpus as they open it; those that only read
    (serve, search, network) refuse an older one and name this command. Prints {"db", "from", "to"}.

    \b
    Example:
      sayso upgrade --db corpus.sqlite
    """
    from .store.schema import upgrade as upgrade_store

    before, now = upgrade_store(db)
    click.echo(json.dumps({"db": str(db), "from": before, "to": now}))
    error(f"{db}: schema version {before} → {now}" if before != now else f"{db}: schema version {now} already")


# ------------------------------------------------------------------------------------------------ serve
@main.command()
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default="corpus.sqlite", show_default=True,
              help="The corpus database to serve (opened read-only).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. The server has no login: keep it on loopback unless you mean it.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Server processes; each opens the database read-only on its own (one per core serves most).")
@click.option("--extract/--no-extract", "extraction", default=True, show_default=True,
              help="Offer /extract and POST /api/extract, which find the attributions of a page sent to them "
                   "(one page at a time, nothing stored); --no-extract leaves the server to the corpus alone.")
def serve(db: Path, host: str, port: int, workers: int, extraction: bool) -> None:
    """Browse and search a corpus in the browser, with a JSON API.

    Pages: / (overview), /search, /articles/ID, /speakers/ID, /claims, /claims/ID; each has a JSON twin
    under /api/... (/api, /api/search, /api/articles/ID, /api/speakers/ID, /api/claims, /api/claims/ID),
    searches export as /api/search.csv, .jsonl and .parquet, a claim as schema.org JSON-LD at
    /api/claims/ID.jsonld, and the API is described at /docs. The database is opened read-only; its claims
    are computed by sayso claims. /extract (and POST /api/extract) finds the attributions of a pasted or
    posted page without storing it.

    \b
    Example:
      sayso serve --db corpus.sqlite            # then open http://127.0.0.1:8000/
    """
    import uvicorn

    from .store.schema import connect_readonly
    from .web import create_app
    from .web.app import DB_VARIABLE, EXTRACT_VARIABLE
    from .web.safety import HEAD_BUFFER_BYTES, MAX_CONNECTIONS

    # StoreError (missing or foreign database) stops here, before listening
    if workers == 1:
        app = create_app(db, extraction=extraction)
    else:
        connect_readonly(db).close()  # each worker process makes its own app
    if host not in ("127.0.0.1", "localhost", "::1"):
        error(f"warning: serving {db} on {host}:{port} without any login; anyone who reaches it can read it"
              + (" and have pages read (--no-extract stops that)" if extraction else ""))
    shown = f"[{host}]" if ":" in host else host
    error(f"serving {db} (read-only) at http://{shown}:{port}/ ; API at /docs ; Ctrl+C stops")
    # a bounded request head, and 503 rather than an ever longer queue past MAX_CONNECTIONS (docs/reliability.md)
    limits = dict(h11_max_incomplete_event_size=HEAD_BUFFER_BYTES, limit_concurrency=MAX_CONNECTIONS, backlog=2048,
                  timeout_keep_alive=5)
    if workers == 1:
        uvicorn.run(app, host=host, port=port, log_level="warning", **limits)
        return
    # worker processes import the application by name and find the database in their environment
    os.environ[DB_VARIABLE] = str(db.resolve())
    os.environ[EXTRACT_VARIABLE] = "1" if extraction else "0"
    uvicorn.run("sayso.web.app:app_from_environment", factory=True, workers=workers, host=host, port=port,
                log_level="warning", **limits)


# ------------------------------------------------------------------------------------------------ claims
@main.command()
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default="corpus.sqlite", show_default=True,
              help="The corpus database (made by sayso ingest).")
@click.option("--json", "as_json", is_flag=True,
              help='A JSON list of {"id", "label", "label_attribution", "attributions", "edges", "about"} instead of a '
                   'table.')
@click.option("--jsonld", is_flag=True, help="schema.org Claim JSON-LD (one @graph) instead of a table.")
@click.option("--csv", "as_csv", is_flag=True,
              help="CSV with a row per attribution of a claim (claim_id, label, speaker_id, speaker, stance, kind, "
                   "cue, content, article_id, attribution, title, outlet, published, url) instead of a table.")
@click.option("--parquet", "parquet_out", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              metavar="FILE", help="Write the CSV's rows to FILE as Parquet (ids as integers) instead of a table.")
@click.option("--recompute", is_flag=True, help="Compute the claims again even when the stored ones are up to date.")
@click.option("--min-attributions", type=click.IntRange(1), default=1, show_default=True,
              help="List only claims made by at least this many attributions.")
@click.option("--query", metavar="WORDS", help='Only claims with a member whose content holds these words '
              '(as sayso search reads them: "a phrase", OR, -excluded, prefix*).')
@click.option("--speaker", metavar="NAME", help="Only claims this speaker (a corpus id, a name or an alias) takes "
              "part in; with --stance, takes that stance in.")
@click.option("--stance", type=click.Choice(STANCES), help="Only claims with a member of this stance.")
@click.option("--about", metavar="NAME", help="Only claims with a member whose content names this speaker (an id, "
              "a name or an alias), or anyone so named.")
@click.option("--since", metavar="DATE", help="Only claims with a member said on or after: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--until", metavar="DATE", help="Only claims with a member said on or before (2016-10 runs to October 31).")
def claims(db: Path, as_json: bool, jsonld: bool, as_csv: bool, parquet_out: Path | None, recompute: bool,
           min_attributions: int, query: str | None, speaker: str | None, stance: str | None, about: str | None,
           since: str | None, until: str | None) -> None:
    """List the claims of a corpus: what several attributions state alike, and who asserts, denies or doubts it.

    Claims are computed over the whole corpus and stored in it; ingest does not compute them. This command
    reads the stored claims, and computes them first (saying so on stderr) when there are none, when
    articles were added since, or with --recompute. Computing embeds each attribution content once with
    all-MiniLM-L6-v2 (cached in the database by content hash, so a later run embeds only new contents),
    groups the contents into claims, gives every attribution its stance, derives the agreement and
    contradiction edges between speakers, and finds the quotes repeated across outlets.

    \b
    Example:
      sayso claims --db corpus.sqlite                  # a table: claim, attributions, speakers, who says what
      sayso claims --db corpus.sqlite --json           # [{"id", "label", "attributions": [...], "edges": [...]}]
      sayso claims --db corpus.sqlite --jsonld         # schema.org Claim objects
      sayso claims --db corpus.sqlite --csv > positions.csv   # who takes which stance, a row each
      sayso claims --db corpus.sqlite --parquet positions.parquet   # the same rows, for pandas or DuckDB
      sayso claims --speaker Putin --stance denies     # what Putin denies, and who asserts it
      sayso claims --about Clinton --min-attributions 3  # what is claimed about Clinton, by several
    """
    from .store import connect_readonly, queries

    _one_format({"--json": as_json, "--jsonld": jsonld, "--csv": as_csv, "--parquet": parquet_out})
    queries.Filters.parse(since=since, until=until)  # a date that means nothing fails before any computing
    out = open_output(parquet_out, binary=True) if parquet_out else None  # a file that cannot be written, too
    _claims_computed(db, recompute, "claims")
    conn = connect_readonly(db)
    try:
        found = queries.iter_claims(conn, min_attributions, q=query, speaker=speaker, stance=stance, about=about,
                                    since=since, until=until, edges=as_json)  # only the JSON lists the edges
        if as_json:
            _write_list(json.dumps(c.to_json(), ensure_ascii=False, indent=2) for c in found)
        elif jsonld:
            from .claims.jsonld import CONTEXT, claim_jsonld

            click.echo(json.dumps({"@context": CONTEXT, "@graph": [
                {k: v for k, v in claim_jsonld(c).items() if k != "@context"} for c in found]},
                ensure_ascii=False, indent=2))
        elif as_csv:
            for chunk in export.claim_csv_chunks(found):
                sys.stdout.write(chunk)
        elif out is not None:
            _write_parquet(out, parquet_out, export.claim_parquet_chunks(found))
        else:
            _claims_table(found)
    finally:
        conn.close()


@main.command()
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default="corpus.sqlite", show_default=True,
              help="The corpus database (made by sayso ingest).")
@click.option("--json", "as_json", is_flag=True,
              help='A JSON list of {"id", "text", "repeats", "credited", "first_seen", "repeated_by", "sightings", '
                   '"claims"} instead of a table.')
@click.option("--csv", "as_csv", is_flag=True,
              help="CSV with a row per sighting (" + ", ".join(QUOTE_COLUMNS) + ") instead of a table.")
@click.option("--parquet", "parquet_out", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              metavar="FILE", help="Write the CSV's rows to FILE as Parquet (ids as integers, credits_first a "
              "boolean) instead of a table.")
@click.option("--recompute", is_flag=True, help="Compute the claims and quotes again even when the stored ones are "
              "up to date.")
@click.option("--min-repeats", type=click.IntRange(1), default=1, show_default=True,
              help="List only quotes repeated at least this often after they were first seen.")
@click.option("--query", metavar="WORDS", help='Only quotes in a content that holds these words (as sayso search '
              'reads them: "a phrase", OR, -excluded, prefix*).')
@click.option("--speaker", metavar="NAME", help="Only quotes credited to this speaker (a corpus id, a name or an "
              "alias) in one of their sightings.")
@click.option("--outlet", help="Only quotes this outlet printed, first or after (case-insensitive).")
@click.option("--uncredited", is_flag=True, help="Only quotes repeated at least once without naming the outlet that "
              "had them first.")
@click.option("--since", metavar="DATE", help="Only quotes first seen on or after: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--until", metavar="DATE", help="Only quotes first seen on or before (2016-10 runs to October 31).")
@click.option("--outlets", "by_outlet", is_flag=True, help="Instead of the quotes, who repeats whom: per outlet, the "
              "quotes first seen in it, those of other outlets it repeated (and without credit), and the repeats "
              "of its own by others (and with credit).")
def quotes(db: Path, as_json: bool, as_csv: bool, parquet_out: Path | None, recompute: bool, min_repeats: int,
           query: str | None, speaker: str | None, outlet: str | None, uncredited: bool, since: str | None,
           until: str | None, by_outlet: bool) -> None:
    """List the quotations repeated across articles: where and when each was first seen, who repeated it.

    A quotation (at least six words inside quotation marks in an attribution's content) seen in several
    articles is one quote, also when an outlet trims it ("no intention of influencing the election" is
    "We have no intention of influencing the election") or transcribes it a little differently (up to one
    word in five). Each repeat says whether its article names the outlet that had the quote first. Quotes
    are found with the claims (see sayso claims), so this command computes those first, saying so on
    stderr, when there are none or articles were added since. The most repeated quotes come first.

    \b
    Example:
      sayso quotes --db corpus.sqlite                   # a table: repeats, first seen, who said it, the quote
      sayso quotes --uncredited --outlet "Valley Ledger"  # quotes repeated without credit, in or by one outlet
      sayso quotes --speaker Putin --json               # [{"id", "text", "first_seen", "sightings", ...}]
      sayso quotes --csv > spread.csv                   # a row per sighting, for a spreadsheet
      sayso quotes --outlets                            # per outlet: first seen, repeated, without credit
    """
    from .store import connect_readonly, queries

    _one_format({"--json": as_json, "--csv": as_csv, "--parquet": parquet_out})
    if by_outlet and parquet_out is not None:
        raise click.UsageError("--outlets is a table of a few rows: --json or --csv")
    if by_outlet and (query or speaker or outlet or uncredited or since or until or min_repeats > 1):
        raise click.UsageError("--outlets counts every quote: --query, --speaker, --outlet, --min-repeats, "
                               "--uncredited, --since and --until choose quotes to list")
    queries.Filters.parse(since=since, until=until)  # a date that means nothing fails before any computing
    out = open_output(parquet_out, binary=True) if parquet_out else None  # a file that cannot be written, too
    _claims_computed(db, recompute, "quotes")
    conn = connect_readonly(db)
    try:
        if by_outlet:
            _quote_outlets(queries.quote_outlets(conn), as_json, as_csv)
            return
        found = queries.iter_quotes(conn, query, speaker, outlet, min_repeats, uncredited, since=since, until=until)
        if not _write_rows(found, as_json, as_csv, out, parquet_out, export.quote_csv_chunks,
                           export.quote_parquet_chunks):
            _quotes_table(found)
    finally:
        conn.close()


def _quote_outlets(outlets: list[dict], as_json: bool, as_csv: bool) -> None:
    """``queries.quote_outlets`` as a JSON list, CSV or a table for people."""
    if as_json:
        click.echo(json.dumps(outlets, ensure_ascii=False, indent=2))
    elif as_csv:
        for chunk in export.quote_outlet_csv_chunks(outlets):
            sys.stdout.write(chunk)
    else:
        click.echo(f"{'FIRST':>6} {'REPEATED':>8} {'UNCRED':>6} {'BY OTHERS':>9} {'CREDITED':>8}  OUTLET")
        for o in outlets:
            click.echo(f"{o['first_seen']:>6} {o['repeated']:>8} {o['uncredited']:>6} {o['repeated_by_others']:>9} "
                       f"{o['credited_by_others']:>8}  {o['outlet']}")


def _quotes_table(found) -> None:
    """Quotes as a table for people: id, repeats, first seen (date, outlet, speaker), the quote, and who
    repeated it (an asterisk after an outlet that did not credit the first)."""
    import textwrap

    width = max(60, shutil.get_terminal_size((100, 24)).columns)
    indent = " " * 14
    click.echo(f"{'QUOTE':<6} {'REP':>5}  FIRST SEEN / QUOTE / REPEATED BY (* without credit)")
    for quote in found:
        first = quote["first_seen"]
        said = f" · {first['speaker']['name']}" if first["speaker"] else ""
        click.echo(f"{quote['id']:<6} {quote['repeats']:>5}  {first['published'] or 'undated'} · "
                   f"{first['outlet'] or first['title'] or 'an article'}{said}")
        click.echo(textwrap.fill(f"\u201c{quote['text']}\u201d", width, initial_indent=indent,
                                 subsequent_indent=indent))
        uncredited = {s["outlet"] for s in quote["sightings"] if s["credits_first"] is False}
        outlets = ", ".join(o + ("*" if o in uncredited else "") for o in quote["repeated_by"])
        if outlets:
            click.echo(textwrap.fill(f"repeated by {outlets}", width, initial_indent=indent,
                                     subsequent_indent=indent + "  ", break_on_hyphens=False))


# ---------------------------------------------------------------------------------------------- articles
@main.command()
@click.argument("query", required=False)
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default="corpus.sqlite", show_default=True,
              help="The corpus database (made by sayso ingest; opened read-only).")
@click.option("--show", metavar="ID", type=click.IntRange(1, 2**63 - 1), help="One article instead of a list: its "
              "title, where it came from and every attribution (source, cue, content, through whom).")
@click.option("--json", "as_json", is_flag=True, help='A JSON list of {"id", "title", "url", "outlet", "published", '
              '"date", "attributions"} instead of a table; with --show, the article\'s sayso.article/1 object as '
              "/api/articles/ID gives it.")
@click.option("--jsonl", "as_jsonl", is_flag=True, help="Each article's whole sayso.article/1 object, as "
              "/api/articles/ID gives it (with its corpus id, its record and each speaker's corpus id), one a line.")
@click.option("--csv", "as_csv", is_flag=True, help="CSV with a row per article (" + ", ".join(ARTICLE_COLUMNS) +
              "), as /api/articles.csv gives it, instead of a table.")
@click.option("--parquet", "parquet_out", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              metavar="FILE", help="Write the CSV's rows to FILE as Parquet (the id and the count as integers).")
@click.option("--outlet", metavar="NAME", help="Only articles of this outlet (case-insensitive).")
@click.option("--since", metavar="DATE", help="Only articles published on or after: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--until", metavar="DATE", help="Only articles published on or before (2016-10 runs to October 31).")
@click.option("--limit", type=LIMIT, help="At most this many articles, the newest first.")
def articles(query: str | None, db: Path, show: int | None, as_json: bool, as_jsonl: bool, as_csv: bool,
             parquet_out: Path | None, outlet: str | None, since: str | None, until: str | None,
             limit: int | None) -> None:
    """List the articles of a corpus, the newest first, or show one with its attributions.

    QUERY keeps those whose title or text holds its words (as sayso search reads them: "a phrase", OR,
    -excluded, prefix*). --jsonl writes the corpus back out as it is stored, an annotated article a line.

    \b
    Example:
      sayso articles --db corpus.sqlite --limit 20      # a table: id, date, outlet, attributions, title
      sayso articles "harbor bridge" --outlet "Valley Ledger"
      sayso articles --since 2026-06 --jsonl > june.jsonl   # June's articles with their attributions
      sayso articles --outlet Politico --csv > politico.csv # a row per article
      sayso articles --show 3                           # article 3: who said what in it
    """
    from .store import connect_readonly, queries

    _one_format({"--json": as_json, "--jsonl": as_jsonl, "--csv": as_csv, "--parquet": parquet_out})
    _show_alone("article", show, {"QUERY": query, "--jsonl": as_jsonl, "--csv": as_csv, "--parquet": parquet_out,
                                  "--outlet": outlet, "--since": since, "--until": until, "--limit": limit})
    conn = connect_readonly(db)
    try:
        out = open_output(parquet_out, binary=True) if parquet_out else None  # before any work
        if show is not None:
            found = queries.article(conn, show)
            if found is None:
                raise SaysoError(f"{db}: no article {show} (sayso articles lists them)")
            if as_json:
                click.echo(json.dumps(found, ensure_ascii=False, indent=2))
            else:
                _article_lines(found)
            return
        listed = queries.iter_articles(conn, query, outlet, since, until, limit)
        if as_jsonl:
            for line in export.jsonl_chunks(queries.article(conn, a["id"]) for a in listed):
                sys.stdout.write(line)
        elif not _write_rows(listed, as_json, as_csv, out, parquet_out, export.article_csv_chunks,
                             export.article_parquet_chunks):
            click.echo(f"{'ID':>6} {'DATE':<10} {'ATTR':>5}  OUTLET: TITLE")
            for a in listed:
                where = f"{a['outlet']}: " if a["outlet"] else ""
                click.echo(f"{a['id']:>6} {a['date'] or '':<10} {a['attributions']:>5}  {where}{a['title'] or ''}")
    finally:
        conn.close()


def _article_lines(art: dict) -> None:
    """A stored article for people: its title and origin, then each attribution: who, by what cue, what."""
    import textwrap

    width = max(60, shutil.get_terminal_size((100, 24)).columns)
    click.echo(f"{art['title'] or '(no title)'}, article {art['id']}")
    origin = [x for x in (art["outlet"], art["date"] or art["published"], art["url"] or art["record"]) if x]
    if origin:
        click.echo(" \u00b7 ".join(origin))
    for att in art["attributions"]:
        speaker = att["speaker"]["name"] if att["speaker"] else att["source"]["text"] or "(no source)"
        via = f" (via {', '.join(v['name'] for v in att['via_speakers'])})" if att["via_speakers"] else ""
        click.echo(f"\n{att['id']} {att['kind']}: {speaker}{via} \u2014 {att['cue']['text']}")
        click.echo(textwrap.fill(att["content"]["text"], width, initial_indent="    ", subsequent_indent="    "))


# ---------------------------------------------------------------------------------------------- speakers
@main.command()
@click.argument("query", required=False)
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default="corpus.sqlite", show_default=True,
              help="The corpus database (made by sayso ingest; opened read-only).")
@click.option("--show", metavar="NAME", help="One speaker instead of a list (a corpus id, a name or an alias): who "
              "they are, what they said by kind and outlet, whom they talk about, their positions on the claims, "
              "and whom they agree with and contradict.")
@click.option("--json", "as_json", is_flag=True, help='A JSON list of {"id", "name", "kind", "aliases", "roles", '
              '"attributions", "relayed", "according_to"} instead of a table; with --show, the speaker\'s object as '
              "/api/speakers/ID gives it (with their 20 newest attributions).")
@click.option("--csv", "as_csv", is_flag=True, help="CSV with a row per speaker (" + ", ".join(SPEAKER_COLUMNS) +
              "; roles and aliases joined by \" | \"), as /api/speakers.csv gives it, instead of a table.")
@click.option("--parquet", "parquet_out", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              metavar="FILE", help="Write the CSV's rows to FILE as Parquet (ids and counts as integers, roles and "
              "aliases as lists) instead of a table.")
@click.option("--kind", type=click.Choice(ENTITY_KINDS), help="Only speakers of this kind (outlet: the news "
              "outlets quoted or relayed).")
@click.option("--limit", type=LIMIT, help="At most this many speakers, the most quoted first.")
def speakers(query: str | None, db: Path, show: str | None, as_json: bool, as_csv: bool, parquet_out: Path | None,
             kind: str | None, limit: int | None) -> None:
    """Find the speakers of a corpus, the most quoted first, or show one.

    QUERY keeps those with a name or alias that holds its words (prefixes count: "vlad put" finds Vladimir
    Putin). A speaker is one person or organisation across the corpus, with every name and role the articles
    give them; RELAYED counts the attributions of others that came through them ("Putin told reporters,
    according to TASS" is one of TASS's), as the server's speaker list does.

    \b
    Example:
      sayso speakers --db corpus.sqlite --limit 20   # a table: id, attributions, relayed, name, roles
      sayso speakers putin                           # everyone with "putin" in a name or alias
      sayso speakers --kind outlet                   # the outlets quoted or relayed, the most first
      sayso speakers --csv > speakers.csv            # every speaker, a row each
      sayso speakers --parquet speakers.parquet      # the same rows, for pandas or DuckDB
      sayso speakers --show Pence                    # Mike Pence: positions, whom he contradicts
      sayso speakers --show 12 --json                # speaker 12 as /api/speakers/12 gives it
    """
    from .store import connect_readonly, queries

    _one_format({"--json": as_json, "--csv": as_csv, "--parquet": parquet_out})
    _show_alone("speaker", show, {"QUERY": query, "--csv": as_csv, "--parquet": parquet_out, "--kind": kind,
                                  "--limit": limit})
    conn = connect_readonly(db)
    try:
        out = open_output(parquet_out, binary=True) if parquet_out else None  # before any work
        if show is not None:
            _show_speaker(conn, db, show, as_json)
            return
        found = queries.iter_speakers(conn, query, limit, kind=kind)
        if not _write_rows(found, as_json, as_csv, out, parquet_out, export.speaker_csv_chunks,
                           export.speaker_parquet_chunks):
            click.echo(f"{'ID':>6} {'ATTR':>6} {'RELAYED':>7}  NAME (KIND): ROLES")
            for sp in found:
                roles = f": {', '.join(sp['roles'][:3])}" if sp["roles"] else ""
                relayed = sp["relayed"] + sp["according_to"]
                click.echo(f"{sp['id']:>6} {sp['attributions']:>6} {relayed:>7}  {sp['name']} ({sp['kind']}){roles}")
    finally:
        conn.close()


def _show_speaker(conn, db: Path, name: str, as_json: bool) -> None:
    """One speaker's page (``queries.speaker_page``) as JSON or as lines for people; SaysoError when ``name``
    names no speaker or several."""
    from .store import queries

    ids = queries.find_speakers(conn, name)
    if not ids:
        raise SaysoError(f"{db}: no speaker goes by {name!r} (sayso speakers WORDS finds names)")
    if len(ids) > 1:
        names = queries.speaker_objects(conn, set(ids))
        some = ", ".join(f"{i} {names[i]['name']}" for i in ids[:5] if i in names) + (", ..." if len(ids) > 5 else "")
        raise SaysoError(f"{db}: {name!r} names {len(ids)} speakers ({some}): give one's id")
    page = queries.speaker_page(conn, ids[0], 1, queries.PER_PAGE)
    if page is None:
        raise SaysoError(f"{db}: no speaker {ids[0]}")
    if as_json:
        click.echo(json.dumps(page, ensure_ascii=False, indent=2))
        return
    _speaker_lines(page, queries.claims_status(conn) is not None)


def _speaker_lines(sp: dict, claims_computed: bool) -> None:
    """A speaker's page for people: who, how much and where they said it, about whom, and their positions."""
    import textwrap

    width = max(60, shutil.get_terminal_size((100, 24)).columns)

    def line(label: str, text: str) -> None:
        click.echo(textwrap.fill(text, width, initial_indent=f"{label:<15}", subsequent_indent=" " * 15))

    def some(items: list[str], shown: int = 8) -> str:  # the first of a long list, and how many more
        more = f"; and {len(items) - shown} more (--json lists them)" if len(items) > shown else ""
        return "; ".join(items[:shown]) + more

    def who(entry: dict) -> str:  # a name (with its speaker id where it is a speaker's) and how often
        person = entry.get("speaker")
        return (f"{person['name']} ({person['id']})" if person else entry["name"]) + f" \u00d7{entry['count']}"

    click.echo(f"{sp['name']} ({sp['kind']}), speaker {sp['id']}")
    if sp["roles"]:
        line("roles", some(sp["roles"]))
    others = [a for a in sp["aliases"] if a != sp["name"]]
    if others:
        line("also", some(others))
    kinds = ", ".join(f"{n} {k}" for k, n in sp["kinds"].items())
    line("attributions", f"{sp['attributions']} ({kinds})" if kinds else str(sp["attributions"]))
    if sp["relayed"] + sp["according_to"]:
        line("relayed", f"{sp['relayed'] + sp['according_to']} of others' attributions came through them")
    if sp["outlets"]:
        line("outlets", "; ".join(f"{o['outlet']} {o['count']}" for o in sp["outlets"]))
    if sp["intermediaries"]:
        line("relayed by", "; ".join(who(i) for i in sp["intermediaries"]))
    if sp["talks_about"]:
        line("talks about", "; ".join(who(t) for t in sp["talks_about"]))
    if sp["talked_about_by"]:
        line("named by", "; ".join(who(t) for t in sp["talked_about_by"]))
    if sp["may_be"]:
        line("may be", "; ".join(f"{m['name']} ({m['id']})" for m in sp["may_be"]))
    claims = sp["claims"]
    if not claims_computed:
        line("claims", "not computed yet (sayso claims computes them)")
    elif claims["positions"]:
        if claims["total"] > len(claims["positions"]):
            line("positions", f"{len(claims['positions'])} of their {claims['total']} claims, those of the most "
                              f"speakers first")
        for n, pos in enumerate(claims["positions"]):
            c = pos["claim"]
            line("positions" if n == 0 and claims["total"] == len(claims["positions"]) else "",
                 f"{pos['stance']} \u201c{c['label']}\u201d (claim {c['id']})")
        for key, label in (("agrees_with", "agrees with"), ("contradicts", "contradicts")):
            if claims[key]:
                line(label, some([f"{e['speaker']['name']} ({e['speaker']['id']}) on {e['count']} "
                                  f"claim{'s' if e['count'] != 1 else ''}" for e in claims[key]], 12))
    click.echo(f"{'':15}sayso search --speaker {sp['id']} lists what they said")


# ------------------------------------------------------------------------------------------------ search
SEARCH_FORMATS = ("jsonl", "csv", "parquet")


@main.command()
@click.argument("query", required=False)
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default="corpus.sqlite", show_default=True,
              help="The corpus database (made by sayso ingest; opened read-only).")
@click.option("--speaker", metavar="NAME", help='Said by this speaker: a corpus id, a name or an alias ("Putin").')
@click.option("--via", metavar="NAME", help='Passed on by this intermediary ("TASS": who quoted TASS).')
@click.option("--about", metavar="NAME", help='Said about this speaker, or anyone so named: the content names them '
                                              '(by any of their names, or as its article resolved it).')
@click.option("--outlet", help="Published by this outlet (case-insensitive).")
@click.option("--kind", type=click.Choice(KINDS), help="Only attributions of this kind.")
@click.option("--since", metavar="DATE", help="Published on or after: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--until", metavar="DATE", help="Published on or before (2016-10 runs to October 31).")
@click.option("--sort", type=click.Choice(SORTS), default="newest", show_default=True,
              help="relevance ranks by the words of QUERY.")
@click.option("--format", "fmt", type=click.Choice(SEARCH_FORMATS), default="jsonl", show_default=True,
              help="jsonl: one search hit per line, as /api/search gives it; csv and parquet: one row per "
                   "attribution with the columns of the server's exports (article_id, attribution, kind, "
                   "speaker, source, cue, content, via, their spans, title, outlet, date, url, link...).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write here instead of stdout (Parquet goes to a file or a pipe, never to a terminal).")
@click.option("--limit", type=LIMIT, help="At most this many attributions, in the sort order.")
@click.option("--base-url", default="", metavar="URL",
              help="Where the corpus is served (http://127.0.0.1:8000), to make the link column absolute; "
                   "without it links are paths (/articles/ID#aN).")
def search(query: str | None, db: Path, speaker: str | None, via: str | None, about: str | None,
           outlet: str | None, kind: str | None, since: str | None, until: str | None, sort: str, fmt: str,
           output: Path | None, limit: int | None, base_url: str) -> None:
    """Search a corpus's attributions from the shell and export them: the server's search, without a server.

    QUERY is full text over what was said (the contents): words, "a phrase", or OR between them. Every
    filter given must hold. The number of attributions found is said on stderr.

    \b
    Example:
      sayso search Russia --speaker Pence --db corpus.sqlite       # JSON Lines on stdout
      sayso search --via TASS --format csv -o via-tass.csv          # who quoted TASS, as a table
      sayso search --about Putin --speaker Trump                    # what Trump said about Putin
      sayso search --since 2016-10 --until 2016-10 --format parquet -o october.parquet
    """
    from .store import connect_readonly, queries

    f = queries.Filters.parse(q=query, speaker=speaker, via=via, about=about, outlet=outlet, kind=kind,
                              since=since, until=until, sort=sort)
    if fmt == "parquet" and output is None and sys.stdout.isatty():
        raise click.UsageError("Parquet is binary: give -o FILE, or pipe it")
    conn = connect_readonly(db)
    try:
        hits = queries.iter_search(conn, f, limit=limit)  # a query that fails does so before -o is created
        out = open_output(output, binary=True)
        count = 0

        def counted(it):
            nonlocal count
            for hit in it:
                count += 1
                yield hit

        try:
            if fmt == "parquet":
                for piece in export.parquet_chunks(counted(hits), base_url):
                    out.write(piece)
            else:
                chunks = export.csv_chunks(counted(hits), base_url) if fmt == "csv" else export.jsonl_chunks(
                    counted(hits))
                for chunk in chunks:
                    out.write(chunk.encode("utf-8"))
            out.flush()
        finally:
            if output:
                out.close()
    finally:
        conn.close()
    error(f"{db}: {count} attribution{'s' if count != 1 else ''}" + (f" written to {output}" if output else ""))


# ------------------------------------------------------------------------------------------------ network
@main.command()
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default="corpus.sqlite", show_default=True,
              help="The corpus database (made by sayso ingest; opened read-only).")
@click.option("--relation", "relations", multiple=True, type=click.Choice(RELATIONS),
              help="Only edges of this relation (repeat for several; all by default).")
@click.option("--min-weight", type=click.IntRange(1), default=1, show_default=True,
              help="Leave out edges seen fewer times than this (attributions; claims for agrees and contradicts).")
@click.option("--speaker", metavar="NAME", help='Only the edges of this speaker (an id, a name or an alias: "Putin") '
                                                "and the speakers at their other ends.")
@click.option("--format", "fmt", type=click.Choice(list(NETWORK_FORMATS)),
              help="json: node-link JSON (networkx, D3); graphml (Gephi, Cytoscape, yEd) or gexf (Gephi). "
                   "By default the ending of -o, else json.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here instead of stdout.")
def network(db: Path, relations: tuple[str, ...], min_weight: int, speaker: str | None, fmt: str | None,
            output: Path | None) -> None:
    """The speakers of a corpus as a network: who passed on whose words, who named whom, who agrees with and
    who contradicts whom.

    Nodes are speakers (name, kind, attributions, relayed, aliases). Edges have a relation and a weight:
    via (the source's words came through the target, per step of a chain of intermediaries), about (the
    source's content names the target), agrees and contradicts (the two take the same or opposite sides of
    claims; written once per pair, symmetric). Agrees and contradicts come from the stored claims (sayso
    claims computes them). The number of nodes and edges is said on stderr.

    \b
    Example:
      sayso network --db corpus.sqlite -o speakers.gexf          # open in Gephi
      sayso network --relation contradicts --min-weight 2         # who contradicts whom, twice or more
      sayso network --speaker Putin -o putin.graphml              # Putin and those around him
      sayso network --relation via | jq '.links[] | select(.weight > 5)'
    """
    from .store import connect_readonly, queries
    from .store.graph import network_bytes, speaker_graph

    if fmt is None:
        suffix = output.suffix.lower().lstrip(".") if output else ""
        fmt = suffix if suffix in NETWORK_FORMATS else "json"
    relations = relations or RELATIONS
    conn = connect_readonly(db)
    try:
        around = queries.find_speakers(conn, speaker) if speaker else None
        if around == []:
            error(f"{db}: no speaker is named {speaker!r}")
        out = open_output(output, binary=True)
        graph = speaker_graph(conn, relations, min_weight, around)
        status = queries.claims_status(conn)
    finally:
        conn.close()
    if {"agrees", "contradicts"} & set(relations):
        if status is None:
            error(f"{db}: no claims computed yet, so no agrees or contradicts edges (sayso claims --db {db} "
                  f"computes them)")
        elif status["stale"]:
            error(f"{db}: the claims cover {status['articles']} of its {status['articles_now']} articles "
                  f"(sayso claims --db {db} brings them up to date)")
    try:
        out.write(network_bytes(graph, fmt))
        out.flush()
    finally:
        if output:
            out.close()
    error(f"{db}: {graph.number_of_nodes()} speakers, {graph.number_of_edges()} edges"
          + (f" written to {output}" if output else ""))


def _claims_computed(db: Path, recompute: bool, reading: str) -> None:
    """Make sure the corpus's claims (and the quotes found with them) are stored and up to date, computing
    them when there are none, when articles were added since, or with ``recompute``; says which on stderr."""
    from .store import connect, queries
    from .store.claims import recompute as compute

    if not db.is_file():
        raise StoreError(str(db), "no such corpus database (create it with: sayso ingest PATH... --db FILE)")
    conn = connect(db)  # upgrades a store of an older schema (it adds the tables of later versions)
    try:
        status = queries.claims_status(conn)
        articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        quotes = conn.execute("SELECT count(*) FROM quotes").fetchone()[0]
    finally:
        conn.close()
    if recompute:
        why = "computing the claims again (--recompute)"
    elif status is None:
        why = f"no claims stored yet: computing them over its {articles} articles"
    elif status["stale"]:
        why = (f"the stored claims cover {status['articles']} articles, it now has {articles}: "
               f"computing them again")
    else:
        why = None
    if why:
        error(f"{db}: {why}")
        units = {"read": "article", "embed": "batch", "compare": "block", "parse": "sentence", "label": "claim"}
        summary = compute(db, progress=lambda it, n, stage: progress(it, n, f"claims: {stage}", unit=units[stage]))
        error(f"{db}: {summary.claims} claims ({summary.shared} of several speakers, {summary.edges} edges, "
              f"{summary.quotes} repeated quote{'' if summary.quotes == 1 else 's'}) over {summary.attributions} "
              f"attributions; {summary.embedded} texts "
              f"embedded, {summary.reused} read from the database, in {summary.seconds:.1f} s")
    elif reading == "quotes":
        error(f"{db}: reading the {quotes} repeated quote{'' if quotes == 1 else 's'} stored on "
              f"{status['computed_at']}")
    else:
        error(f"{db}: reading the {status['claims']} claims stored on {status['computed_at']}")


def _write_parquet(out: IO, path: Path, pieces: Iterable[bytes]) -> None:
    """Write a Parquet file to ``out`` (``path``, opened before any work) piece by piece and close it, saying
    where."""
    size = 0
    with out:
        for piece in pieces:
            out.write(piece)
            size += len(piece)
    error(f"{path}: written ({size:,} bytes)")


def _listed(names: list[str]) -> str:
    return ", ".join(names[:-1]) + " and " + names[-1]


def _one_format(formats: dict[str, object]) -> None:
    """UsageError when more than one of ``formats`` (an option -> its value) was given: "--json, --csv and
    --parquet are three formats: choose one"."""
    if sum(v is not None and v is not False for v in formats.values()) > 1:
        count = {2: "two", 3: "three", 4: "four", 5: "five"}[len(formats)]
        raise click.UsageError(f"{_listed(list(formats))} are {count} formats: choose one")


def _show_alone(what: str, show: object, listing: dict[str, object]) -> None:
    """UsageError when ``--show`` (one ``what``) comes with any of the ``listing`` options, which choose
    what to list."""
    if show is not None and any(listing.values()):
        raise click.UsageError(f"--show shows one {what}: {_listed(list(listing))} choose {what}s to list")


def _write_rows(rows: Iterable[dict], as_json: bool, as_csv: bool, out: IO | None, path: Path | None,
                csv_chunks: Callable[[Iterable[dict]], Iterable[str]],
                parquet_chunks: Callable[[Iterable[dict]], Iterable[bytes]]) -> bool:
    """A listing in the format asked: a JSON list or CSV on stdout, or Parquet to ``out`` (``path``, opened
    before any work), written as the rows come; False when none was asked (the caller prints its table)."""
    if as_json:
        _write_list(json.dumps(r, ensure_ascii=False, indent=2) for r in rows)
    elif as_csv:
        for chunk in csv_chunks(rows):
            sys.stdout.write(chunk)
    elif out is not None:
        _write_parquet(out, path, parquet_chunks(rows))
    else:
        return False
    return True


def _write_list(items: Iterator[str]) -> None:
    """A JSON list on stdout, written item by item (a big corpus's claims are never all held as text)."""
    sys.stdout.write("[")
    for n, item in enumerate(items):
        sys.stdout.write(("," if n else "") + "\n" + item)
    sys.stdout.write("\n]\n")


def _claims_table(found) -> None:
    """Claims as a table for people: id, attributions, speakers, label, and who takes which side."""
    import textwrap

    width = max(60, shutil.get_terminal_size((100, 24)).columns)
    indent = " " * 24
    click.echo(f"{'CLAIM':<12} {'ATTR':>5} {'SPK':>4}  LABEL / WHO")
    for claim in found:
        people = {s: list(dict.fromkeys(m.speaker.name for m in claim.members if m.speaker and m.stance == s))
                  for s in STANCES}
        speakers = len({m.speaker.id for m in claim.members if m.speaker})
        head = f"{claim.id:<12} {len(claim.members):>5} {speakers:>4}  "
        click.echo(textwrap.fill(claim.label, width, initial_indent=head, subsequent_indent=indent))
        who = " · ".join(f"{s}: {', '.join(names)}" for s, names in people.items() if names)
        if who:
            click.echo(textwrap.fill(who, width, initial_indent=indent, subsequent_indent=indent + "  "))


# ------------------------------------------------------------------------------------------------ batch
@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=str, readable=False))
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the shards, errors and manifest (new, empty, or a batch to resume).")
@click.option("--workers", type=click.IntRange(min=1),
              help="Worker processes of the local cluster  [default: one per core].")
@click.option("--scheduler", metavar="ADDRESS",
              help="Run on an existing Dask cluster instead, e.g. tcp://scheduler-host:8786.")
@click.option("--partition-size", type=click.IntRange(min=1), default=PARTITION_SIZE, show_default=True,
              help="Records per partition (one task, one shard).")
@click.option("--mode", type=click.Choice(MODES), default="fast", show_default=True,
              help=MODE_HELP)
@any_language_option
def batch(inputs: tuple[str, ...], out: Path, workers: int | None, scheduler: str | None, partition_size: int,
          mode: str, any_language: bool) -> None:
    """Annotate web archives, JSONL dumps and folders of pages at scale, on Dask.

    INPUTS are .warc/.warc.gz files (their HTML responses), .jsonl/.jsonl.gz dumps (one {"url", "html" or
    "text"} object a line), page files and folders of them. The work is cut into partitions that run on a
    local Dask cluster (--workers) or on a running one (--scheduler); each partition becomes one Parquet shard
    in OUT/shards, one row per article: record_id, url, title, n_attributions, article (sayso.article/1 JSON).

    Run the same command again to resume a batch that was stopped: finished partitions are skipped and no
    article is written twice (so a batch reads files, not standard input). Records that fail (no article
    text, undecodable, not in English, ...) are listed with their reason in OUT/errors.jsonl; inputs that
    cannot be read are reported on stderr. A summary is printed as JSON on stdout; the exit status is 2 when
    anything failed.

    \b
    Example:
      sayso batch crawl/*.warc.gz --out crawl-out --workers 8
      sayso batch dumps/ --out out --scheduler tcp://scheduler-host:8786
    """
    from .batch import run_batch

    problems = 0

    def input_error(exc: InputError) -> None:
        nonlocal problems
        problems += 1
        error(str(exc))

    summary = run_batch(inputs, out, workers=workers, scheduler=scheduler, partition_size=partition_size,
                        mode=mode, on_input_error=input_error, any_language=any_language)
    for failure in summary.partitions_failed:
        error(f"partition {failure}")
    click.echo(json.dumps(summary.to_json()))
    this_run = (f"this run: {summary.articles_this_run:,} articles in {summary.elapsed_s:.1f} s "
                f"({summary.articles_per_s:.1f} articles/s on {summary.workers} workers)"
                if summary.partitions_run else "nothing was left to do")
    click.echo(f"sayso batch: {summary.articles:,} articles in {summary.shards:,}/{summary.partitions:,} shards, "
               f"{summary.failed:,} failed (see {summary.errors_file}); {this_run}", err=True)
    if summary.failed or summary.partitions_failed or problems:
        sys.exit(EXIT_BAD_INPUT)


# ------------------------------------------------------------------------------------------------ info
@main.command()
@click.option("--mode", type=click.Choice(MODES), default="fast", show_default=True,
              help="The mode to describe.")
def info(mode: str) -> None:
    """Print the package version, the spaCy pipeline in use and the mode, as JSON.

    For the accurate mode it also names the trained model, its encoder and its dev scores.
    """
    from .nlp import PIPELINE, pipeline_version

    data = {
        "version": __version__,
        "spacy_pipeline": PIPELINE,
        "spacy_pipeline_version": pipeline_version(),
        "mode": mode,
        "modes": list(MODES),
    }
    if mode == "accurate":
        from .attribution.tagger import model_info

        data["model"] = model_info()
    click.echo(json.dumps(data))


# ------------------------------------------------------------------------------------------------ eval
@main.group(name="eval")
def eval_() -> None:
    """Score sayso on an annotated corpus."""


@eval_.command()
@click.argument("data_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--split", required=True, help="Split folder under DATA_DIR: train, dev, test.")
@click.option("--predictions", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the predictions as JSONL ({doc, attributions}), the reference scorer's input.")
@click.option("--json", "json_out", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the full result as JSON.")
@click.option("--mode", type=click.Choice(MODES), default="fast", show_default=True,
              help=MODE_HELP)
def polnear(data_dir: Path, split: str, predictions: Path | None, json_out: Path | None, mode: str) -> None:
    """Score on the PolNeAR corpus (DATA_DIR/SPLIT/text/*.txt and attributions/*.ann).

    Runs on the raw texts, so offsets are the corpus's own, keeps the outermost attributions (PolNeAR
    annotates no nested ones) and prints exact and token-overlap P/R/F1 per role and per attribution.
    """
    from .evaluate.run import evaluate_polnear

    result = evaluate_polnear(data_dir, split, mode=mode, predictions=predictions,
                              show_progress=lambda it, n: progress(it, n, f"eval {split}"))
    from .evaluate.metrics import format_result

    click.echo(format_result(result, f"sayso {mode} [{split}]"))
    if json_out:
        json_out.write_text(json.dumps(result, indent=1))


@eval_.command(name="claims")
@click.argument("labels", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--data", "data_dir", required=True, type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="The PolNeAR folder the labels point into (SPLIT/text/NAME.txt, metadata.tsv).")
@click.option("--threshold", type=float, default=None,
              help="Similarity at which two contents are linked in the claim graph (default: the shipped value).")
@click.option("--resolution", type=click.FloatRange(min=0, min_open=True), default=None,
              help="Modularity resolution of the claim graph's communities; higher cuts claims finer "
                   "(default: the shipped value).")
@click.option("--neighbours", type=click.IntRange(min=0), default=None,
              help="Links each attribution keeps to the attributions most similar to it; 0 keeps every link "
                   "above the threshold (default: the shipped value).")
@click.option("--sweep", is_flag=True, help="Also score thresholds 0.25 to 0.45, to choose one on the dev part.")
@click.option("--labelled-grouping", is_flag=True,
              help="Group as labelled instead of clustering: scores the labels and stances alone.")
@click.option("--cache", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for cached content embeddings (default: $XDG_CACHE_HOME/sayso/embeddings).")
@click.option("--json", "json_out", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the full result as JSON.")
def claims_eval(labels: Path, data_dir: Path, threshold: float | None, resolution: float | None,
                neighbours: int | None, sweep: bool, labelled_grouping: bool, cache: Path | None,
                json_out: Path | None) -> None:
    """Score claim grouping and stance on a labelled set (sayso.claim-labels/1).

    Extracts every labelled article, groups all its attributions into claims and prints B-cubed and pairwise
    grouping F1 and stance accuracy for the dev and held-out parts of the set.

    \b
    Example:
      sayso eval claims sayso/claims/data/polnear-train-claims.json --data ../shared/data/polnear
    """
    from .claims.embeddings import Encoder, default_cache
    from .claims.grouping import NEIGHBOURS, RESOLUTION, THRESHOLD
    from .evaluate.claims import evaluate_claims, format_result

    encoder = Encoder(cache_dir=cache or default_cache(),
                      progress=lambda it, n: progress(it, n, "embed", unit="batch"))
    result = evaluate_claims(labels, data_dir, encoder, threshold=THRESHOLD if threshold is None else threshold,
                             resolution=RESOLUTION if resolution is None else resolution,
                             neighbours=NEIGHBOURS if neighbours is None else neighbours or None,
                             show_progress=lambda it, n: progress(it, n, "extract"),
                             thresholds=[round(0.25 + 0.02 * i, 2) for i in range(11)] if sweep else (),
                             labelled_grouping=labelled_grouping)
    click.echo(format_result(result))
    if json_out:
        json_out.write_text(json.dumps(result, indent=1))


# ------------------------------------------------------------------------------------------------ train
def _members(ctx, param, values: tuple[str, ...]) -> tuple[tuple[int, float, int], ...]:
    """--finetune SEED:LR:EPOCHS values, checked."""
    out = []
    for value in values:
        try:
            seed, lr, epochs = value.split(":")
            out.append((int(seed), float(lr), int(epochs)))
        except ValueError:
            raise click.BadParameter(f"{value!r}: expected SEED:LR:EPOCHS, e.g. 1:5e-5:11") from None
    return tuple(out)


@main.group(name="train")
def train_() -> None:
    """Train the accurate mode's attribution tagger."""


def _layers(ctx, param, value: str | None) -> tuple[int, ...] | None:
    """--layers 2,4,6, checked."""
    if value is None:
        return None
    try:
        layers = tuple(int(v) for v in value.split(","))
    except ValueError:
        raise click.BadParameter(f"{value!r}: expected layer numbers separated by commas, e.g. 2,4,6") from None
    if not layers or layers != tuple(sorted(set(layers))) or not 1 <= layers[0] <= layers[-1] <= 6:
        raise click.BadParameter(f"{value!r}: expected increasing layers of MiniLM's six, e.g. 2,4,6")
    return layers


@train_.command(name="polnear")
@click.argument("data_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Model folder to write (default: the one the package ships, sayso/models/attribution-tagger).")
@click.option("--seed", "seeds", type=int, multiple=True, default=SEEDS, show_default=True,
              help="Random seed of one head (initialisation, shuffling); repeat it for an ensemble of heads.")
@click.option("--epochs", type=int, default=12, show_default=True, help="Passes over the training split.")
@click.option("--cache", type=click.Path(file_okay=False, path_type=Path), default=Path("build/tagger-cache"),
              show_default=True, help="Where parsed and encoded articles are cached between runs.")
@click.option("--heads", type=click.Path(file_okay=False, path_type=Path), default=Path("build/tagger-heads"),
              show_default=True, help="Where each seed's head is written (seed-N/); a rerun reuses the heads there.")
@click.option("--recalibrate", is_flag=True,
              help="Keep the weights in --out; only decode dev again, recalibrate and rewrite the metrics.")
@click.option("--finetune", "members", multiple=True, callback=_members, metavar="SEED:LR:EPOCHS",
              help="Fine-tune MiniLM with one head: a member of the model (random seed, the encoder's learning "
                   "rate, epochs); repeat it for an ensemble. Replaces --seed and --epochs.")
@click.option("--device", default=None, help="Where fine-tuning runs: cuda, cpu... (default: cuda when torch sees it).")
@click.option("--tuned", type=click.Path(file_okay=False, path_type=Path), default=Path("build/tagger-tuned"),
              show_default=True, help="Where each fine-tuned member is written; a rerun reuses the members there.")
@click.option("--pack", "pack_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("build/finetune-pack"), show_default=True,
              help="Where the pack that fine-tuning reads is written (see python -m sayso.finetune --help).")
@click.option("--layers", callback=_layers, metavar="N,N,...",
              help="With --finetune: the hidden states of MiniLM each head reads, e.g. 2,4 (default: 2,4,6, "
                   "as the shipped model). The pack holds MiniLM up to the deepest; it is rewritten for others.")
def train_polnear(data_dir: Path, out: Path | None, seeds: tuple[int, ...], epochs: int, cache: Path, heads: Path,
                  recalibrate: bool, members: tuple[tuple[int, float, int], ...], device: str | None, tuned: Path,
                  pack_dir: Path, layers: tuple[int, ...] | None) -> None:
    """Train the tagger on DATA_DIR/train, choose the epoch on DATA_DIR/dev, calibrate, write the model.

    With --finetune (the shipped model), each member fine-tunes MiniLM's layers together with a new head and
    keeps its best epoch on dev; a member of 16 epochs took about 5.5 minutes on an H100 GPU shared by five
    runs, and an epoch takes about 6 minutes on two CPU cores. Without it, heads are trained over the frozen
    encoder, one per --seed. The first run parses and encodes both splits (20-30 minutes on two busy CPU
    cores) and caches them. Progress and per-epoch dev scores go to stderr; the final metrics are printed as
    JSON.

    \b
    Examples:
      sayso train polnear ../shared/data/polnear --finetune 1:5e-5:16 --finetune 13:5e-5:16
      sayso train polnear ../shared/data/polnear --epochs 12 --seed 13 --seed 7
    """
    from .attribution.encoder import TUNED_LAYERS
    from .attribution.tagger import MODEL_DIR
    from .training import recalibrate as redo, train, train_tuned

    if layers and not members:
        raise click.UsageError("--layers applies to fine-tuned members only: give --finetune SEED:LR:EPOCHS too")
    if recalibrate:
        metrics = redo(data_dir, out or MODEL_DIR, cache=cache, log=error)
    elif members:
        metrics = train_tuned(data_dir, out or MODEL_DIR, members, device, cache=cache, tuned=tuned,
                              pack_dir=pack_dir, layers=layers or TUNED_LAYERS, log=error)
    else:
        metrics = train(data_dir, out or MODEL_DIR, seeds=seeds, epochs=epochs, cache=cache, heads=heads, log=error)
    summary = {"dev": metrics["dev"], "ece": metrics["calibration"]["ece_crossfit"],
               "heads": [{k: h[k] for k in ("seed", "epoch", "lr_encoder", "epochs", "dev") if k in h}
                         for h in metrics["training"]["heads"]],
               "seconds": metrics["training"]["seconds"]}
    click.echo(json.dumps(summary, indent=1))


def run() -> None:
    """Entry point: the CLI with user errors turned into one-line messages."""
    try:
        main(standalone_mode=True)
    except SaysoError as exc:
        error(str(exc))
        sys.exit(EXIT_BAD_INPUT)
    except BrokenPipeError:
        sys.exit(0)


if __name__ == "__main__":
    run()
