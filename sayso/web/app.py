"""The corpus web application: HTML pages for people, each with its JSON twin under /api for programs.

One FastAPI application over one read-only store. Every page is built from the same ``sayso.store.queries``
call as its JSON twin, so the two always agree:

=====================  ==========================  ==============================================
page                   JSON twin                   what
=====================  ==========================  ==============================================
/                      /api                        corpus size, top speakers and intermediaries
/search?q=&speaker=…   /api/search?…               attributions, filtered, paginated
                       /api/search.csv|.jsonl|.parquet   every matching attribution, for download
/articles?q=&outlet=…  /api/articles?…             articles, newest first
                       /api/articles.csv|.parquet?…   every article listed, a row each, for download
                       /api/articles.jsonl?…       every article listed, whole, one a line, for download
/articles/{id}         /api/articles/{id}          the article, attributions highlighted
                       /api/articles/{id}/original the input it was read from, as a download
/speakers?q=           /api/speakers?q=            speakers by name or alias
                       /api/speakers.csv|.parquet?q=   every speaker found, a row each, for download
/speakers/{id}         /api/speakers/{id}          everything a speaker said, over time, their claims
/claims?q=&speaker=…   /api/claims?…               claims, those of the most speakers first
                       /api/claims.csv|.parquet?…  every claim kept, a row per attribution, for download
/claims/{id}           /api/claims/{id}            who asserts, denies, doubts it; quote spread; graph
/claims/{id}/edges     /api/claims/{id}/edges      every pair who agree or contradict (speaker=: of one, or two), with evidence
                       /api/claims/{id}.jsonld     the claim as schema.org Claim (application/ld+json)
                       /api/network.json|.graphml|.gexf   the speakers' network (via, about, agrees, contradicts)
/quotes?q=&outlet=…    /api/quotes?…               quotations repeated across articles, the most repeated first
                       /api/quotes.csv|.parquet?…  every quote kept, a row per sighting, for download
/quotes/{id}           /api/quotes/{id}            where and when a quote was first seen, who repeated it
/quotes/outlets        /api/quotes/outlets         per outlet: quotes first seen, repeated, without credit
/extract (form, POST)  POST /api/extract           a page's attributions, found now and not stored
=====================  ==========================  ==============================================

The OpenAPI description is at /openapi.json, rendered at /docs (Swagger UI) and /redoc, all served from
this process: no page loads anything from another site.

>>> app = create_app("corpus.sqlite")     # doctest: +SKIP
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Annotated, Any, Callable
from urllib.parse import urlencode, urlsplit

from fastapi import Depends, FastAPI, HTTPException, Path as PathParam, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..claims import STANCES, Claim
from ..claims.jsonld import claim_jsonld
from ..errors import InputError, QueryError
from ..ingest.records import SNIFF_BYTES, Record, dump_entries
from ..model import ENTITY_KINDS, KINDS
from ..nlp import MODES
from ..store import connect_readonly
from ..store import export, queries
from ..store.graph import NETWORK_FORMATS, RELATIONS, network_bytes, speaker_graph
from .chart import stance_timeline, timeline_chart
from .extract import (BODY_NAME, DOWNLOADS, Busy, Extractor, display, download, form_values, not_a_dump, not_a_page,
                      posted_record, problem, read_body)
from .graph import claim_graph
from .highlight import colours, excerpt, pieces
from .safety import DOCS_PATHS, MAX_BATCH_BYTES, MAX_PAGE_BYTES, RequestLimits, SafetyHeaders

HERE = Path(__file__).parent

DESCRIPTION = """
Search and browse a corpus of news articles by **who said what, according to whom**.

Every attribution is its `sayso.article/1` object (source, cue and content as character spans of the
article text, the chain of intermediaries `via`, whom the content names `about`) plus `speaker`, the
corpus-level speaker it was merged into (`id`, `name`, `kind`, `aliases`, `roles`), and `via_speakers`, the
intermediaries as corpus speakers; each of `about` has its corpus `speaker` id too (null for someone who does
not speak in that article).
Every HTML page of the site has its JSON twin here.

**Claims** group attributions that state the same proposition across speakers and articles (computed by
`sayso claims --db FILE`, not by ingest). `/api/claims` lists them as summaries (counts, and the main
speakers of each side); `/api/claims/{id}` is `{id, label, label_attribution, attributions, speakers,
edges}`, its attributions a page at a time: each with its `speaker` (`id`, `name`, `aliases`), `stance`
toward the label (`asserts`, `denies`, `doubts`, `neutral`), `content`, `cue`, `article_id` and
`attribution_id` (the `a3` of `/articles/{article_id}#a3`); each edge joins two speakers who `agree` or
`contradict`, with its `evidence` attributions. `/api/claims/{id}.jsonld` is the claim as a schema.org
`Claim`.

**Quotes** are quotations (six words or more) that several articles carry, found with the claims:
`/api/quotes` lists them, the most repeated first, each with where, when and from whom it was first seen and
every later article that repeated it, crediting the first outlet or not.

**Extraction**: `POST /api/extract` finds the attributions of a page sent in the request body (HTML or text,
or a JSON object like a line of a dump) and answers its `sayso.article/1` object, as `sayso extract` prints
it. Nothing is stored. Pages are read one at a time: a busy server answers 503 with `Retry-After`.
"""


class Corpus:
    """The read-only store, one SQLite connection per server thread."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        connect_readonly(self.path).close()  # a missing or foreign database fails here, at start
        self._local = threading.local()

    def conn(self):
        """This thread's read-only connection."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = connect_readonly(self.path)
        return conn


def search_filters(
    q: Annotated[str | None, Query(description='Full text over contents: words, "a phrase", OR, -exclude, prefix*')] = None,
    speaker: Annotated[str | None, Query(description="Speaker id, or a name or alias (Putin, a senior official)")] = None,
    via: Annotated[str | None, Query(description="Intermediary id, name or alias: attributions that came through them")] = None,
    about: Annotated[str | None, Query(description="Speaker id, name or alias (or any name): attributions whose content names them")] = None,
    outlet: Annotated[str | None, Query(description="Outlet, case-insensitive")] = None,
    kind: Annotated[str | None, Query(description=f"One of: {', '.join(KINDS)}")] = None,
    since: Annotated[str | None, Query(description="From this date: YYYY, YYYY-MM or YYYY-MM-DD")] = None,
    until: Annotated[str | None, Query(description="Up to this date, inclusive: YYYY, YYYY-MM or YYYY-MM-DD")] = None,
    sort: Annotated[str, Query(description="newest, oldest, or relevance (with q)")] = "newest",
) -> queries.Filters:
    """The search filters of a request (QueryError, a 400, for values that mean nothing)."""
    return queries.Filters.parse(q=q, speaker=speaker, via=via, about=about, outlet=outlet, kind=kind, since=since,
                                 until=until, sort=sort)


Page = Annotated[int, Query(ge=1, le=queries.MAX_PAGE, description="Page number, from 1")]
#: A stored row's id: SQLite's integers end at 2**63 - 1, so a larger number names nothing (a 422, not a crash).
ArticleId = Annotated[int, PathParam(ge=-(2**63), le=2**63 - 1, description="The article's id")]
SpeakerId = Annotated[int, PathParam(ge=-(2**63), le=2**63 - 1, description="The speaker's id")]
MinAttributions = Annotated[int, Query(ge=1, le=queries.MAX_COUNT,
                                       description="Only claims of at least this many attributions")]
PerPage = Annotated[int, Query(ge=1, le=queries.MAX_PER_PAGE, description="Results per page")]
EdgeSpeakers = Annotated[list[str] | None, Query(description="Only the pairs of this speaker (an id, a name or an "
                                                            "alias); given twice, the pair of these two")]
#: The filters of a claims listing, its pages and its CSV alike.
ClaimWords = Annotated[str | None, Query(description="Full text over what was said (as in search)")]
ClaimSpeaker = Annotated[str | None, Query(description="Speaker id, or a name or alias, who takes part")]
ClaimStance = Annotated[str | None, Query(description=f"One of: {', '.join(STANCES)}; with speaker, theirs")]
ClaimAbout = Annotated[str | None, Query(description="Speaker id, or a name or alias, whom a member's content names")]
#: The filters of a quotes listing, its pages and its CSV alike.
QuoteWords = Annotated[str | None, Query(description="Full text over the contents that hold the quote (as in search)")]
QuoteSpeaker = Annotated[str | None, Query(description="Speaker id, or a name or alias, credited with the quote")]
QuoteOutlet = Annotated[str | None, Query(description="An outlet that printed it, first or after; case-insensitive")]
MinRepeats = Annotated[int, Query(ge=1, le=queries.MAX_COUNT,
                                  description="Only quotes repeated at least this often after the first sighting")]
Uncredited = Annotated[bool, Query(description="Only quotes repeated at least once without naming the first outlet")]
QuoteId = Annotated[int, PathParam(ge=-(2**63), le=2**63 - 1, description="The quote's id")]
#: The period a claims or quotes listing keeps, as a search reads it.
Since = Annotated[str | None, Query(description="From this date: YYYY, YYYY-MM or YYYY-MM-DD")]
Until = Annotated[str | None, Query(description="Up to this date, inclusive: YYYY, YYYY-MM or YYYY-MM-DD")]
SearchFilters = Annotated[queries.Filters, Depends(search_filters)]
ArticleWords = Annotated[str | None, Query(description="Full text over titles and texts")]
ArticleOutlet = Annotated[str | None, Query(description="Outlet, case-insensitive")]
SpeakerWords = Annotated[str | None, Query(description="Words of a name or alias (prefixes count: 'vlad put')")]
SpeakerKind = Annotated[str | None, Query(description=f"One of: {', '.join(ENTITY_KINDS)}")]
ExtractMode = Annotated[str, Query(pattern=f"^({'|'.join(MODES)})$",
                                   description="fast (rules) or accurate (the trained tagger, about a third as fast)")]


#: The request bodies POST /api/extract reads, for its OpenAPI description.
EXTRACT_BODY = {"required": True, "content": {
    "text/html": {"schema": {"type": "string"}, "example": "<html><head><title>Harlan Wins</title></head><body>"
                  "<p>“We won,” Senator Maria Harlan said.</p></body></html>"},
    "text/plain": {"schema": {"type": "string"}, "example": "Harlan Wins\n\n“We won,” Senator Maria Harlan said."},
    "application/json": {"schema": {"type": "object", "properties": {
        "html": {"type": "string"}, "text": {"type": "string"}, "url": {"type": "string"},
        "title": {"type": "string"}, "outlet": {"type": "string"}, "author": {"type": "string"},
        "published": {"type": "string"}}}},
}}
BATCH_BODY = {"required": True, "content": {"application/x-ndjson": {
    "schema": {"type": "string"},
    "example": '{"text": "Harlan Wins\\n\\n“We won,” Senator Maria Harlan said.", "url": "https://example.org/a"}\n'
               '{"html": "<html><head><title>Dock Deal</title></head><body><p>“It is done,” Mayor Ana Ruiz said.</p>'
               '</body></html>"}\n'}}}
#: Waiting for the pipeline, a client is asked to come back after this many seconds.
RETRY_AFTER = "5"

#: The media type of each streamed download, by its file name's suffix.
DOWNLOAD_TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson",
                  "parquet": "application/vnd.apache.parquet"}


def attachment(name: str) -> dict[str, str]:
    """The header that makes a response a download saved as ``name``."""
    return {"Content-Disposition": f'attachment; filename="{name}"'}


def streamed(chunks, name: str) -> StreamingResponse:
    """A download of ``chunks`` (text or bytes, written as they come) saved as ``name``, its media type the
    one of its suffix (:data:`DOWNLOAD_TYPES`)."""
    return StreamingResponse(chunks, media_type=DOWNLOAD_TYPES[name.rsplit(".", 1)[1]], headers=attachment(name))


def create_app(db: str | Path, extraction: bool = True) -> FastAPI:
    """The web application over the corpus database ``db`` (opened read-only; StoreError if unusable);
    without ``extraction``, no /extract page or /api/extract route."""
    from fastapi_offline import FastAPIOffline

    corpus = Corpus(db)
    app = FastAPIOffline(title="sayso corpus", version=__version__, description=DESCRIPTION,
                         static_url="/static/docs", favicon_url="/static/favicon.svg",
                         openapi_tags=[{"name": "search", "description": "Attributions across the corpus"},
                                       {"name": "articles"}, {"name": "speakers"},
                                       {"name": "claims", "description": "Who asserts, denies and doubts the same thing"},
                                       {"name": "quotes", "description": "Quotations repeated across articles"},
                                       {"name": "corpus"},
                                       {"name": "extract", "description": "Attributions of a page, not stored"}])
    app.state.corpus = corpus
    # added last, the headers wrap everything, the refusals of the limits and the server's own 500 included
    app.add_middleware(RequestLimits)
    app.add_middleware(SafetyHeaders)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.globals.update(KINDS=KINDS, STANCES=STANCES, version=__version__, page_url=page_url,
                                 safe_url=safe_url, extraction=extraction, max_page_bytes=MAX_PAGE_BYTES)
    templates.env.filters["marked"] = marked

    def html(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        return templates.TemplateResponse(request, template, context, status_code=status)

    def wants_html(request: Request) -> bool:
        return not request.url.path.startswith(("/api", "/openapi", *DOCS_PATHS))

    @app.exception_handler(QueryError)
    async def bad_query(request: Request, exc: QueryError) -> Response:
        if wants_html(request):
            return html(request, "error.html", 400, title="That search cannot be run", message=str(exc))
        return JSONResponse({"detail": str(exc)}, status_code=400)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'][1:]))}: {e['msg']}" for e in exc.errors())
        if wants_html(request):
            return html(request, "error.html", 400, title="That address cannot be read", message=problems)
        return JSONResponse({"detail": exc.errors()}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def not_found(request: Request, exc: StarletteHTTPException) -> Response:
        if wants_html(request):
            title = "Not here" if exc.status_code in (404, 405) else "That request cannot be served"
            return html(request, "error.html", exc.status_code, title=title, message=str(exc.detail))
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)

    def conn():
        return corpus.conn()

    # ------------------------------------------------------------------------------------- home
    @app.get("/api", tags=["corpus"], summary="The corpus at a glance")
    def api_home() -> dict:
        """Corpus size, top speakers (named, and described such as "a senior official"), top intermediaries
        (most often in `via` chains or the source of an "according to"), outlets, recent articles, the top
        `claims` and when they were computed, and the most repeated `quotes`."""
        return queries.overview(conn())

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request) -> HTMLResponse:
        return html(request, "home.html", data=queries.overview(conn()), outlets=queries.outlets(conn()))

    # ------------------------------------------------------------------------------------- search
    @app.get("/api/search", tags=["search"], summary="Search attributions")
    def api_search(f: SearchFilters, page: Page = 1, per_page: PerPage = queries.PER_PAGE) -> dict:
        """One page of the attributions matching every filter given, newest first by default. With `q`,
        each hit has `matches`: the [start, end] offsets of the matched words in `content.text`.
        `named` lists the speakers that the `speaker`, `via` and `about` values stood for."""
        return queries.search(conn(), f, page, per_page)

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(request: Request, f: SearchFilters, page: Page = 1) -> HTMLResponse:
        data = queries.search(conn(), f, page)
        return html(request, "search.html", data=data, f=f, outlets=queries.outlets(conn()))

    def export_response(f: queries.Filters, request: Request, fmt: str) -> Response:
        hits = queries.iter_search(conn(), f)
        base = str(request.base_url)
        if fmt == "csv":
            chunks = export.csv_chunks(hits, base)
        elif fmt == "jsonl":
            chunks = export.jsonl_chunks(hits)
        else:
            chunks = export.parquet_chunks(hits, base)
        return streamed(chunks, f"sayso-search.{fmt}")

    def exporter(fmt: str) -> Callable[..., Response]:
        def endpoint(request: Request, f: SearchFilters) -> Response:
            return export_response(f, request, fmt)

        return endpoint

    for fmt, what in (("csv", "CSV, one row per attribution"),
                      ("jsonl", "JSON Lines, one search hit per line"),
                      ("parquet", "Parquet, one row per attribution")):
        endpoint = exporter(fmt)
        endpoint.__doc__ = (f"Every attribution matching the filters (all pages) as {what}. The columns of CSV "
                            f"and Parquet: {', '.join(export.COLUMNS)}.")
        app.add_api_route(f"/api/search.{fmt}", endpoint, methods=["GET"], tags=["search"],
                          summary=f"Export a search as {fmt.upper()}", response_class=Response,
                          name=f"export_{fmt}")

    # ------------------------------------------------------------------------------------- articles
    @app.get("/api/articles", tags=["articles"], summary="List articles")
    def api_articles(q: ArticleWords = None, outlet: ArticleOutlet = None, since: Since = None, until: Until = None,
                     page: Page = 1, per_page: PerPage = queries.PER_PAGE) -> dict:
        """Articles, newest first, each with its number of attributions."""
        return queries.list_articles(conn(), q, outlet, since, until, page, per_page)

    @app.get("/api/articles.csv", tags=["articles"], summary="Articles as CSV, a row per article",
             response_class=StreamingResponse, responses={200: {"content": {"text/csv": {}}}},
             description="Every article the list finds (the same filters, all pages, newest first) as CSV, as "
                         "`sayso articles --csv` writes it. Columns: " + ", ".join(export.ARTICLE_COLUMNS) + ".")
    def api_articles_csv(q: ArticleWords = None, outlet: ArticleOutlet = None, since: Since = None,
                         until: Until = None) -> Response:
        return streamed(export.article_csv_chunks(queries.iter_articles(conn(), q, outlet, since, until)),
                        "sayso-articles.csv")

    @app.get("/api/articles.parquet", tags=["articles"], summary="Articles as Parquet, a row per article",
             response_class=Response, responses={200: {"content": {DOWNLOAD_TYPES["parquet"]: {}}}},
             description="The rows of `/api/articles.csv` (the same filters) as a Parquet file, the id and the "
                         "count as integers, as `sayso articles --parquet` writes it.")
    def api_articles_parquet(q: ArticleWords = None, outlet: ArticleOutlet = None, since: Since = None,
                             until: Until = None) -> Response:
        return streamed(export.article_parquet_chunks(queries.iter_articles(conn(), q, outlet, since, until)),
                        "sayso-articles.parquet")

    @app.get("/api/articles.jsonl", tags=["articles"], summary="Articles as JSON Lines, whole",
             response_class=StreamingResponse, responses={200: {"content": {DOWNLOAD_TYPES["jsonl"]: {}}}},
             description="Every article the list finds (the same filters, all pages, newest first), each its whole "
                         "object as `/api/articles/{article_id}` gives it, one a line, as `sayso articles --jsonl` "
                         "writes them.")
    def api_articles_jsonl(q: ArticleWords = None, outlet: ArticleOutlet = None, since: Since = None,
                           until: Until = None) -> Response:
        db = conn()
        listed = queries.iter_articles(db, q, outlet, since, until)
        return streamed(export.jsonl_chunks(queries.article(db, a["id"]) for a in listed), "sayso-articles.jsonl")

    @app.get("/articles", response_class=HTMLResponse, include_in_schema=False)
    def articles_page(request: Request, q: str | None = None, outlet: str | None = None, since: str | None = None,
                      until: str | None = None, page: Page = 1) -> HTMLResponse:
        data = queries.list_articles(conn(), q, outlet, since, until, page)
        return html(request, "articles.html", data=data, outlets=queries.outlets(conn()))

    def find_article(article_id: int) -> dict:
        data = queries.article(conn(), article_id)
        if data is None:
            raise HTTPException(404, f"No article {article_id} in this corpus.")
        return data

    @app.get("/api/articles/{article_id}", tags=["articles"], summary="One article")
    def api_article(article_id: ArticleId) -> dict:
        """The article's `sayso.article/1` object, plus `id`, `date` (YYYY-MM-DD), `record` (where it was read
        from), each entity's corpus `speaker` id, and each attribution's `speaker` and `via_speakers`."""
        return find_article(article_id)

    @app.get("/api/articles/{article_id}/original", tags=["articles"], summary="The original input",
             response_class=Response)
    def api_original(article_id: ArticleId) -> Response:
        """The page or text the article was read from, byte for byte, as a download."""
        found = queries.original(conn(), article_id)
        if found is None:
            raise HTTPException(404, f"No original input stored for article {article_id}.")
        media_type, content, _ = found
        suffix = "html" if media_type == "text/html" else "txt"
        # a download, never rendered here: the page's own scripts must not run on this site
        return Response(content, media_type="application/octet-stream",
                        headers=attachment(f"article-{article_id}.{suffix}"))

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, article_id: ArticleId) -> HTMLResponse:
        return html(request, "article.html", **article_view(find_article(article_id)))

    # ------------------------------------------------------------------------------------- speakers
    @app.get("/api/speakers", tags=["speakers"], summary="Find speakers")
    def api_speakers(q: SpeakerWords = None, kind: SpeakerKind = None, page: Page = 1,
                     per_page: PerPage = queries.PER_PAGE) -> dict:
        """Speakers, most quoted first; with `q`, those with a name or alias containing those words; with
        `kind`, those of that kind."""
        return queries.list_speakers(conn(), q, page, per_page, kind=kind or None)

    @app.get("/api/speakers.csv", tags=["speakers"], summary="Speakers as CSV, a row per speaker",
             response_class=StreamingResponse, responses={200: {"content": {"text/csv": {}}}},
             description="Every speaker the list finds (the same filters, all pages, most quoted first) as CSV, as "
                         "`sayso speakers --csv` writes it. Columns: " + ", ".join(export.SPEAKER_COLUMNS) + ".")
    def api_speakers_csv(q: SpeakerWords = None, kind: SpeakerKind = None) -> Response:
        found = queries.iter_speakers(conn(), q, kind=kind or None)
        return streamed(export.speaker_csv_chunks(found), "sayso-speakers.csv")

    @app.get("/api/speakers.parquet", tags=["speakers"], summary="Speakers as Parquet, a row per speaker",
             response_class=Response, responses={200: {"content": {DOWNLOAD_TYPES["parquet"]: {}}}},
             description="The rows of `/api/speakers.csv` (the same filters) as a Parquet file, ids and counts as "
                         "integers, roles and aliases as lists, as `sayso speakers --parquet` writes it.")
    def api_speakers_parquet(q: SpeakerWords = None, kind: SpeakerKind = None) -> Response:
        found = queries.iter_speakers(conn(), q, kind=kind or None)
        return streamed(export.speaker_parquet_chunks(found), "sayso-speakers.parquet")

    @app.get("/speakers", response_class=HTMLResponse, include_in_schema=False)
    def speakers_page(request: Request, q: str | None = None, kind: str | None = None, page: Page = 1
                      ) -> HTMLResponse:
        return html(request, "speakers.html", data=queries.list_speakers(conn(), q, page, kind=kind or None),
                    kinds=ENTITY_KINDS)

    def find_speaker(speaker_id: int, page: int, per_page: int, prefix: str) -> dict | Response:
        data = queries.speaker_page(conn(), speaker_id, page, per_page)
        if data is None:
            merged = queries.canonical_speaker(conn(), speaker_id)
            if merged is None:
                raise HTTPException(404, f"No speaker {speaker_id} in this corpus.")
            return RedirectResponse(f"{prefix}/speakers/{merged}", status_code=301)
        return data

    @app.get("/api/speakers/{speaker_id}", tags=["speakers"], summary="One speaker and what they said")
    def api_speaker(speaker_id: SpeakerId, page: Page = 1, per_page: PerPage = queries.PER_PAGE) -> Any:
        """The speaker (`id`, `name`, `kind`, every alias and role, most frequent first), their counts,
        attributions by kind and outlet, `timeline` (attributions per month), who relayed their words
        (`intermediaries`), whom their contents name most (`talks_about`: `speaker`, or null for someone who
        is no corpus speaker, `name`, `kind`, `count`) and who names them most (`talked_about_by`: `speaker`,
        `count`), `may_be` (for a bare surname that several full names share: those people), `claims` (their
        positions, and whom they agree with and contradict), `quotes` (the `total` of their quotations that
        other articles repeated, and the most repeated, as `/api/quotes` gives them), and `said`: their
        attributions, newest first, paginated as a search.
        A speaker merged into another answers with a redirect to it."""
        return find_speaker(speaker_id, page, per_page, "/api")

    @app.get("/speakers/{speaker_id}", response_class=HTMLResponse, include_in_schema=False)
    def speaker_html(request: Request, speaker_id: SpeakerId, page: Page = 1) -> Response:
        data = find_speaker(speaker_id, page, queries.PER_PAGE, "")
        if isinstance(data, Response):
            return data
        return html(request, "speaker.html", data=data, chart=timeline_chart(data["timeline"]))

    # ------------------------------------------------------------------------------------- claims
    def claim_list(q: str | None, speaker: str | None, stance: str | None, min_attributions: int, page: int,
                   per_page: int, about: str | None, since: str | None = None, until: str | None = None) -> dict:
        return queries.list_claims(conn(), q, speaker, stance or None, min_attributions, page, per_page,
                                   about or None, since=since or None, until=until or None)

    def claims_kept(q: str | None, speaker: str | None, stance: str | None, min_attributions: int,
                    about: str | None, since: str | None, until: str | None):
        """Every claim the listing's filters keep, for a download (all pages): a row per attribution, no edges."""
        return queries.iter_claims(conn(), min_attributions, q=q, speaker=speaker, stance=stance or None,
                                   about=about or None, since=since or None, until=until or None, edges=False)

    @app.get("/api/claims", tags=["claims"], summary="List claims")
    def api_claims(q: ClaimWords = None, speaker: ClaimSpeaker = None, stance: ClaimStance = None,
                   min_attributions: MinAttributions = 1, page: Page = 1, per_page: PerPage = queries.PER_PAGE,
                   about: ClaimAbout = None, since: Since = None, until: Until = None) -> Response:
        """Claims, those of the most speakers first, each as a summary: `id`, `label`, `label_attribution`,
        `about`, its counts (`attribution_count`, `speaker_count`, `article_count`, `stances`: attributions
        per stance), `first_date` and `last_date`, `sides` (for each stance someone takes, `speaker_count`
        and the speakers with the most attributions of it, each with its count as `attributions`) and
        `relations` (how many pairs of its speakers `agree` and `contradict`). `/api/claims/{id}` has a
        claim's attributions and edges. `computed` says when the claims were computed and whether articles
        were stored since (`stale`); it is null when they never were. `since` and `until` keep the claims
        with an attribution dated in the period."""
        # the data is plain JSON already; FastAPI's generic encoder would take longer than the query
        return JSONResponse(claim_list(q, speaker, stance, min_attributions, page, per_page, about, since, until))

    # the description is given here, not as a docstring: FastAPI reads it when the route is added
    @app.get("/api/claims.csv", tags=["claims"], summary="Claims as CSV, a row per attribution",
             response_class=StreamingResponse, responses={200: {"content": {"text/csv": {}}}},
             description="Every claim the filters keep (all pages, in the list's order) as CSV, a row per "
                         "attribution of a claim, as `sayso claims --csv` writes it. Columns: "
                         + ", ".join(export.CLAIM_COLUMNS) + ".")
    def api_claims_csv(q: ClaimWords = None, speaker: ClaimSpeaker = None, stance: ClaimStance = None,
                       min_attributions: MinAttributions = 1, about: ClaimAbout = None, since: Since = None,
                       until: Until = None) -> Response:
        found = claims_kept(q, speaker, stance, min_attributions, about, since, until)
        return streamed(export.claim_csv_chunks(found), "sayso-claims.csv")

    @app.get("/api/claims.parquet", tags=["claims"], summary="Claims as Parquet, a row per attribution",
             response_class=Response, responses={200: {"content": {DOWNLOAD_TYPES["parquet"]: {}}}},
             description="The rows of `/api/claims.csv` (the same filters) as a Parquet file, ids as integers, "
                         "as `sayso claims --parquet` writes it.")
    def api_claims_parquet(q: ClaimWords = None, speaker: ClaimSpeaker = None, stance: ClaimStance = None,
                           min_attributions: MinAttributions = 1, about: ClaimAbout = None, since: Since = None,
                           until: Until = None) -> Response:
        found = claims_kept(q, speaker, stance, min_attributions, about, since, until)
        return streamed(export.claim_parquet_chunks(found), "sayso-claims.parquet")

    # ------------------------------------------------------------------------------------- network
    def add_network(fmt: str, what: str, media_type: str) -> None:
        @app.get(f"/api/network.{fmt}", tags=["speakers"], summary=f"The speakers' network as {what}",
                 response_class=Response, responses={200: {"content": {media_type: {}}}}, name=f"network_{fmt}",
                 description="Speakers (nodes: `name`, `kind`, `attributions`, `relayed`, `aliases`) and the "
                             "relations between them (edges: `relation`, `weight`): `via` (the source's words came "
                             "through the target, per step of a chain), `about` (the source's content names the "
                             "target), `agrees` and `contradicts` (the same or opposite sides of claims; once per "
                             "pair, `symmetric`), as `sayso network` writes it.")
        def api_network(
            relation: Annotated[list[str] | None, Query(description=f"Only these relations: {', '.join(RELATIONS)}")] = None,
            min_weight: Annotated[int, Query(ge=1, le=queries.MAX_COUNT, description="Only edges seen this often")] = 1,
            speaker: Annotated[str | None, Query(description="Speaker id, name or alias: only their edges")] = None,
        ) -> Response:
            around = queries.find_speakers(conn(), speaker) if speaker else None
            try:
                graph = speaker_graph(conn(), relation or RELATIONS, min_weight, around)
            except ValueError as exc:  # a relation it does not know
                raise QueryError(str(exc)) from None
            return Response(network_bytes(graph, fmt), media_type=media_type,
                            headers=attachment(f"sayso-network.{fmt}"))

    for fmt, (what, media_type) in NETWORK_FORMATS.items():
        add_network(fmt, what, media_type)

    @app.get("/claims", response_class=HTMLResponse, include_in_schema=False)
    def claims_page(request: Request, q: str | None = None, speaker: str | None = None, stance: str | None = None,
                    min_attributions: MinAttributions = 1, page: Page = 1, about: str | None = None,
                    since: str | None = None, until: str | None = None) -> HTMLResponse:
        data = claim_list(q, speaker, stance, min_attributions, page, queries.PER_PAGE, about, since, until)
        return html(request, "claims.html", data=data)

    def no_claim(claim_id: str) -> HTTPException:
        return HTTPException(404, f"No claim {claim_id} in this corpus.")

    def find_claim(claim_id: str) -> Claim:
        """The claim without its edges (a page reads the best supported ones itself), or a 404."""
        found = queries.claim(conn(), claim_id, edges=False)
        if found is None:
            raise no_claim(claim_id)
        return found

    # registered before /api/claims/{claim_id}, which would take "ID.jsonld" for an id
    @app.get("/api/claims/{claim_id}.jsonld", tags=["claims"], summary="One claim as schema.org Claim JSON-LD",
             response_class=JSONResponse, responses={200: {"content": {"application/ld+json": {}}}})
    def api_claim_jsonld(claim_id: str) -> Response:
        """The claim as a schema.org `Claim`: `text` (its label), `author` (each speaker who on balance
        asserts it, a `Person` or an `Organization`), `appearance` (a `NewsArticle` per article it is in)
        and `firstAppearance`, the vocabulary ClaimReview markup builds on."""
        return JSONResponse(claim_jsonld(find_claim(claim_id)), media_type="application/ld+json")

    @app.get("/api/claims/{claim_id}", tags=["claims"], summary="One claim")
    def api_claim(claim_id: str, page: Page = 1, per_page: PerPage = queries.CLAIM_PAGE_SIZE) -> Response:
        """The claim as in the list (`id`, `label`, `label_attribution`, `about`, counts and dates) with one
        page of its `attributions` (`page`, `per_page`, `pages`: those who assert it first, then those who
        deny, doubt and only report it), each with its `speaker`, `stance`, `content`, `cue`, `kind`,
        `article` and `evidence`: the sentence it stands in (`start`, `end`, `text`: offsets into the article
        text and the text there) and its `source`, `cue` and `content` spans. Also `speakers` (every speaker
        of the claim, with the most attributions first, with its `stances` and `side`, the stance it takes
        most), `relations` (how many pairs of them `agree` and `contradict`), `edges` (those pairs, the ones
        with the most evidence first, up to 500, each with `evidence_count` and three attributions behind it
        as `evidence`, the first of each speaker in turn; `/api/claims/{id}/edges` pages through all of
        them), `quotes` (the quotations of its attributions that other articles repeated: `text`,
        `first_seen`, `repeated_by` outlets, `sightings` each with `credits_first`) and `computed`."""
        return JSONResponse(queries.claim_details(conn(), find_claim(claim_id), page, per_page))

    def edge_speakers(speaker: list[str] | None) -> tuple[str, ...]:
        """The speaker filter of a claim's edges: one or two values (blank ones dropped), each once;
        QueryError for more."""
        chosen = tuple(dict.fromkeys(v.strip() for v in speaker or () if v.strip()))
        if len(chosen) > 2:
            raise QueryError("speaker: at most two (the pairs of one speaker, or the pair of two)")
        return chosen

    @app.get("/api/claims/{claim_id}/edges", tags=["claims"], summary="Who agrees and contradicts on one claim")
    def api_claim_edges(claim_id: str, page: Page = 1, per_page: PerPage = queries.PER_PAGE,
                        speaker: EdgeSpeakers = None) -> Response:
        """Every pair of the claim's speakers who `agree` or `contradict`, those with the most evidence first,
        a page at a time (`relations`: how many pairs `agree` and `contradict`; `total`, `page`, `per_page`,
        `pages`): each as `speakers` (`id`, `name`), `relation`, `evidence_count` and `evidence`, every
        attribution that puts one of them on their side (`article_id`, `attribution_id`), in the claim's
        order. `speaker=` (an id, a name or an alias) keeps the pairs of that speaker, given twice the pairs
        of the two; `speakers` then lists whom each value names (`value`, `found`). `/claims/{id}/edges` is
        the page that shows them, three attributions an edge."""
        data = queries.claim_edge_page(conn(), claim_id, page, per_page, speakers=edge_speakers(speaker))
        if data is None:
            raise no_claim(claim_id)
        return JSONResponse(data)

    @app.get("/claims/{claim_id}", response_class=HTMLResponse, include_in_schema=False)
    def claim_html(request: Request, claim_id: str, page: Page = 1) -> HTMLResponse:
        found = find_claim(claim_id)
        data = queries.claim_details(conn(), found, page, queries.CLAIM_PAGE_SIZE)
        groups = {s: [m for m in data["attributions"] if m["stance"] == s] for s in STANCES}
        excerpts = {(m["article_id"], m["attribution_id"]): excerpt(m["evidence"]) for m in data["attributions"]}
        timeline = stance_timeline(queries.claim_dates(conn(), claim_id), STANCES)
        return html(request, "claim.html", data=data, groups=groups, excerpts=excerpts, graph=claim_graph(data),
                    jsonld=claim_jsonld(found), timeline=timeline)

    @app.get("/claims/{claim_id}/edges", response_class=HTMLResponse, include_in_schema=False)
    def claim_edges_html(request: Request, claim_id: str, page: Page = 1,
                         speaker: EdgeSpeakers = None) -> HTMLResponse:
        found = find_claim(claim_id)
        data = queries.claim_edge_page(conn(), claim_id, page, queries.PER_PAGE, queries.EDGE_EVIDENCE_SHOWN,
                                       edge_speakers(speaker))
        wanted = {(r["article_id"], r["attribution_id"]) for e in data["results"] for r in e["evidence"]}
        members = [m for m in found.members if (m.ref.article_id, m.ref.attribution_id) in wanted]
        shown = {(m["article_id"], m["attribution_id"]): m
                 for m in queries.claim_json(conn(), found, members)["attributions"]}
        excerpts = {k: excerpt(m["evidence"]) for k, m in shown.items()}
        # the filter's values, for the pager's and the JSON twin's links
        params = {"speaker": [side["value"] for side in data.get("speakers", [])]}
        return html(request, "claim_edges.html", data=data, shown=shown, excerpts=excerpts, params=params)

    # ------------------------------------------------------------------------------------- quotes
    def quote_list(q: str | None, speaker: str | None, outlet: str | None, min_repeats: int, uncredited: bool,
                   page: int, per_page: int, since: str | None = None, until: str | None = None) -> dict:
        return queries.list_quotes(conn(), q or None, speaker or None, outlet or None, min_repeats, uncredited,
                                   page, per_page, since=since or None, until=until or None)

    def quotes_kept(q: str | None, speaker: str | None, outlet: str | None, min_repeats: int, uncredited: bool,
                    since: str | None, until: str | None):
        """Every quote the listing's filters keep, for a download (all pages)."""
        return queries.iter_quotes(conn(), q or None, speaker or None, outlet or None, min_repeats, uncredited,
                                   since=since or None, until=until or None)

    @app.get("/api/quotes", tags=["quotes"], summary="List quotes repeated across articles")
    def api_quotes(q: QuoteWords = None, speaker: QuoteSpeaker = None, outlet: QuoteOutlet = None,
                   min_repeats: MinRepeats = 1, uncredited: Uncredited = False, page: Page = 1,
                   per_page: PerPage = queries.PER_PAGE, since: Since = None, until: Until = None) -> Response:
        """Quotations (six words or more, in quotation marks inside a content) seen in several articles, the
        most repeated first: each with its `id`, `text` (the longest wording seen), `first_seen` (the first
        sighting: `article_id`, `attribution_id`, `text` as that article has it, `outlet`, `published`,
        `speaker`, `title`), `sightings` (the repeats, by date, each with `credits_first`: whether its
        article names the first outlet), `repeated_by` (their outlets), `repeats`, `credited` and `claims`
        (the claims its sightings belong to). `since` and `until` keep the quotes first seen in the period.
        Quotes are found with the claims; `computed` says when."""
        return JSONResponse(quote_list(q, speaker, outlet, min_repeats, uncredited, page, per_page, since, until))

    @app.get("/api/quotes.csv", tags=["quotes"], summary="Quotes as CSV, a row per sighting",
             response_class=StreamingResponse, responses={200: {"content": {"text/csv": {}}}},
             description="Every quote the filters keep (all pages, in the list's order) as CSV, a row per "
                         "sighting, first sighting first, as `sayso quotes --csv` writes it. Columns: "
                         + ", ".join(export.QUOTE_COLUMNS) + ".")
    def api_quotes_csv(q: QuoteWords = None, speaker: QuoteSpeaker = None, outlet: QuoteOutlet = None,
                       min_repeats: MinRepeats = 1, uncredited: Uncredited = False, since: Since = None,
                       until: Until = None) -> Response:
        found = quotes_kept(q, speaker, outlet, min_repeats, uncredited, since, until)
        return streamed(export.quote_csv_chunks(found), "sayso-quotes.csv")

    @app.get("/api/quotes.parquet", tags=["quotes"], summary="Quotes as Parquet, a row per sighting",
             response_class=Response, responses={200: {"content": {DOWNLOAD_TYPES["parquet"]: {}}}},
             description="The rows of `/api/quotes.csv` (the same filters) as a Parquet file, ids and `seq` as "
                         "integers and `credits_first` a boolean, as `sayso quotes --parquet` writes it.")
    def api_quotes_parquet(q: QuoteWords = None, speaker: QuoteSpeaker = None, outlet: QuoteOutlet = None,
                           min_repeats: MinRepeats = 1, uncredited: Uncredited = False, since: Since = None,
                           until: Until = None) -> Response:
        found = quotes_kept(q, speaker, outlet, min_repeats, uncredited, since, until)
        return streamed(export.quote_parquet_chunks(found), "sayso-quotes.parquet")

    @app.get("/quotes", response_class=HTMLResponse, include_in_schema=False)
    def quotes_page(request: Request, q: str | None = None, speaker: str | None = None, outlet: str | None = None,
                    min_repeats: MinRepeats = 1, uncredited: Uncredited = False, page: Page = 1,
                    since: str | None = None, until: str | None = None) -> HTMLResponse:
        data = quote_list(q, speaker, outlet, min_repeats, uncredited, page, queries.PER_PAGE, since, until)
        return html(request, "quotes.html", data=data)

    # registered before /api/quotes/{quote_id} and /quotes/{quote_id}, which would take "outlets" for an id
    @app.get("/api/quotes/outlets", tags=["quotes"], summary="Who repeats whom, per outlet")
    def api_quote_outlets() -> Response:
        """Per outlet: the quotes `first_seen` in it; the quotes first seen in another outlet that it
        `repeated`, of which `uncredited` did not name that outlet; and the repeats of its own first
        sightings by other outlets (`repeated_by_others`), of which `credited_by_others` named it. The
        outlets of the most first sightings first."""
        return JSONResponse(queries.quote_outlets_page(conn()))

    @app.get("/quotes/outlets", response_class=HTMLResponse, include_in_schema=False)
    def quote_outlets_page(request: Request) -> HTMLResponse:
        return html(request, "quote_outlets.html", data=queries.quote_outlets_page(conn()))

    def find_quote(quote_id: int) -> dict:
        data = queries.quote_page(conn(), quote_id)
        if data is None:
            raise HTTPException(404, f"No quote {quote_id} in this corpus.")
        return data

    @app.get("/api/quotes/{quote_id}", tags=["quotes"], summary="One quote and its spread")
    def api_quote(quote_id: QuoteId) -> Response:
        """The quote as in the list, with `computed`."""
        return JSONResponse(find_quote(quote_id))

    @app.get("/quotes/{quote_id}", response_class=HTMLResponse, include_in_schema=False)
    def quote_html(request: Request, quote_id: QuoteId) -> HTMLResponse:
        return html(request, "quote.html", data=find_quote(quote_id))

    if extraction:
        add_extraction(app, html)
    return app


def add_extraction(app: FastAPI, html: Callable[..., HTMLResponse]) -> None:
    """POST /api/extract and the /extract page (sayso.web.extract)."""
    extractor = Extractor()

    def busy() -> HTTPException:
        return HTTPException(503, "Other pages are being read; try again in a few seconds.",
                             headers={"Retry-After": RETRY_AFTER})

    @app.post("/api/extract", tags=["extract"], summary="Find the attributions of a page (not stored)",
              openapi_extra={"requestBody": EXTRACT_BODY},
              responses={400: {"description": "The page cannot be read (one line: what is wrong)"},
                         413: {"description": f"The body is over {MAX_PAGE_BYTES:,} bytes"},
                         503: {"description": "Other pages are being read: retry after Retry-After seconds"}})
    async def api_extract(
        request: Request,
        url: Annotated[str | None, Query(description="The page's address (it also names the outlet)")] = None,
        mode: ExtractMode = "fast",
        raw: Annotated[bool, Query(description="Take a text page exactly as sent (offsets match the body)")] = False,
        any_language: Annotated[bool, Query(description="Read a page that is not English too")] = False,
    ) -> dict:
        """The page in the request body, read as `sayso extract` reads it: HTML or text (its charset from the
        Content-Type, else found), or a JSON object like a line of a dump (`html` or `text`, `url`, `title`,
        `outlet`, `author`, `published`). The answer is its `sayso.article/1` object: the cleaned text, the
        entities, and every attribution with its source, cue and content as spans of that text. Nothing is
        stored."""
        body = await read_body(request)
        try:
            record = posted_record(body, request.headers.get("content-type"), url)
            return await extractor.run(record, mode, raw=raw, any_language=any_language)
        except InputError as exc:
            raise HTTPException(400, problem(exc, "any_language=true reads it anyway")) from None
        except Busy:
            raise busy() from None

    @app.post("/api/extract/batch", tags=["extract"], summary="Find the attributions of many pages (not stored)",
              openapi_extra={"requestBody": BATCH_BODY},
              response_class=StreamingResponse,
              responses={200: {"description": "JSON Lines: a line for each line of the body, in its order",
                               "content": {"application/x-ndjson": {"schema": {"type": "string"}}}},
                         400: {"description": "The body holds no lines, or is no dump (a JSON array, gzipped, "
                                                "a web archive)"},
                         413: {"description": f"The body is over {MAX_BATCH_BYTES:,} bytes"},
                         503: {"description": "Other pages are being read: retry after Retry-After seconds"}})
    async def api_extract_batch(
        request: Request,
        mode: ExtractMode = "fast",
        raw: Annotated[bool, Query(description="Take text pages exactly as sent (offsets match each text)")] = False,
        any_language: Annotated[bool, Query(description="Read pages that are not English too")] = False,
    ) -> StreamingResponse:
        """A dump in the request body, a page a line as `sayso extract` reads a `.jsonl` file: each line a
        JSON object with `html` or `text`, and `url`, `title`, `outlet`, `author`, `published` if known. The
        answer is JSON Lines, one for each line of the body (blank lines aside), in its order: the page's
        `sayso.article/1` object, exactly what `POST /api/extract` answers for it, or `{"line": N, "error":
        "..."}` for a line that cannot be read (not JSON, no page, not English, ...); the other lines are read
        all the same. Pages are parsed 16 at a time, and each 16 are sent as soon as they are read. Nothing is
        stored."""
        body = await read_body(request, MAX_BATCH_BYTES, "batch")
        if what := not_a_dump(body):
            raise HTTPException(400, f"{BODY_NAME}: {what}")
        entries = dump_entries(body, BODY_NAME)
        if not entries:
            raise HTTPException(400, f"{BODY_NAME}: no lines; send a page a line, each a JSON object (JSON Lines)")
        try:
            lines = await extractor.batch(entries, mode, raw=raw, any_language=any_language)
        except Busy:
            raise busy() from None
        return StreamingResponse(lines, media_type="application/x-ndjson")

    @app.get("/extract", response_class=HTMLResponse, include_in_schema=False)
    def extract_form(request: Request) -> HTMLResponse:
        return html(request, "extract.html", values={"article": "", "url": "", "mode": MODES[0]}, modes=MODES)

    @app.post("/extract", response_class=HTMLResponse, include_in_schema=False)
    async def extract_page(request: Request) -> Response:
        try:
            values = form_values(await read_body(request))
        except InputError as exc:
            raise HTTPException(400, str(exc)) from None

        def again(status: int, message: str) -> HTMLResponse:  # the form as sent, with what went wrong
            return html(request, "extract.html", status, values=values, modes=MODES, message=message)

        if values["mode"] not in MODES:
            return again(400, f"There is no {values['mode']!r} mode: {' or '.join(MODES)}.")
        fmt = values.get("download")
        if fmt is not None and fmt not in DOWNLOADS:
            return again(400, f"There is no {fmt!r} download: {' or '.join(DOWNLOADS)}.")
        if what := not_a_page(values["article"][:SNIFF_BYTES].encode("utf-8"), "paste one page, or POST the dump "
                                                                               "to /api/extract/batch"):
            return again(400, f"{BODY_NAME}: {what}")
        record = Record(id=BODY_NAME, page=values["article"], url=values["url"].strip() or None)
        try:
            data = await extractor.run(record, values["mode"], any_language="any_language" in values)
        except InputError as exc:
            return again(400, problem(exc, "tick “any language” to read it anyway"))
        except Busy:
            response = again(503, "Other pages are being read; send it again in a few seconds.")
            response.headers["Retry-After"] = RETRY_AFTER
            return response
        if fmt is not None:
            name, media_type = DOWNLOADS[fmt]
            return Response(download(data, fmt), media_type=media_type, headers=attachment(name))
        return html(request, "extract.html", values=values, modes=MODES, **article_view(display(data)))


def article_view(data: dict[str, Any]) -> dict[str, Any]:
    """What the article template shows of an article's JSON: its text in highlighted pieces, a colour per
    speaker, the details panel's data and the legend of speakers."""
    colour_of = colours(data)
    panel = {a["id"]: {"kind": a["kind"], "cue": a["cue"]["text"], "source": a["source"]["text"],
                       "speaker": a["speaker"], "via": a["via_speakers"], "colour": colour_of[a["id"]],
                       # a stored subject links to its corpus speaker; an extracted one has its entity id only
                       "about": [{"id": sub.get("speaker", sub["entity"]), "name": sub["name"]}
                                 for sub in a.get("about", [])]}
             for a in data["attributions"]}
    legend: dict[Any, dict] = {}
    for a in data["attributions"]:
        if a["speaker"]:
            entry = legend.setdefault(a["speaker"]["id"], {"speaker": a["speaker"], "colour": colour_of[a["id"]],
                                                           "count": 0})
            entry["count"] += 1
    return {"data": data, "pieces": pieces(data, colour_of), "colour_of": colour_of, "panel": panel,
            "legend": list(legend.values())}


#: The environment variable that names the database for the worker processes of ``sayso serve --workers``.
DB_VARIABLE = "SAYSO_SERVE_DB"
#: Set to 0 for the worker processes of ``sayso serve --workers N --no-extract``.
EXTRACT_VARIABLE = "SAYSO_SERVE_EXTRACT"


def app_from_environment() -> FastAPI:
    """The application over the database named by ``$SAYSO_SERVE_DB``: what each worker process of
    ``sayso serve --workers N`` runs (uvicorn imports its application by name)."""
    return create_app(os.environ[DB_VARIABLE], extraction=os.environ.get(EXTRACT_VARIABLE, "1") != "0")


def page_url(path: str, params: dict[str, Any] | None = None, **changes: Any) -> str:
    """``path`` with the query string of ``params`` updated by ``changes`` (None removes a key)."""
    merged = {**(params or {}), **changes}
    # a flag reads as a query string writes it ("uncredited=true"), not as Python prints it
    query = urlencode({k: "true" if v is True else v for k, v in merged.items()
                       if v is not None and v is not False and v != ""}, doseq=True)
    return f"{path}?{query}" if query else path


def safe_url(url: str | None) -> str | None:
    """The url when it is a web address (http or https), else None: a stored url never becomes a
    javascript: or data: link."""
    if not url:
        return None
    return url if urlsplit(url).scheme.lower() in ("http", "https") else None


def marked(text: str, matches: list[list[int]] | None) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, matched) pairs at the search matches, for the template to escape."""
    out, at = [], 0
    for s, e in matches or []:
        if s >= at:
            out += [(text[at:s], False), (text[s:e], True)]
            at = e
    out.append((text[at:], False))
    return [p for p in out if p[0]]
