"""Hostile requests to the web UI and API: SQL injection through every query parameter of every route, path
traversal on every path parameter and static route, markup in every field, oversized requests, absurd page
numbers, and the safety headers on every kind of response.

The routes and their parameters are read from the application itself, so a new route is covered on the day it
is added. Requests whose exact bytes matter (encoded dots, oversized heads) go over a socket to a real
``sayso serve``; the others through the application in this process.
"""

from __future__ import annotations

import re
import socket
import sqlite3
from urllib.parse import quote, urlencode, urlsplit

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from markupsafe import escape
from starlette.responses import PlainTextResponse

from hostile import XSS
from soundness import whole_articles
from sayso.store import queries
from sayso.web import create_app
from sayso.web.safety import (
    HEAD_BUFFER_BYTES, MAX_BODY_BYTES, MAX_HEADER_BYTES, MAX_TARGET_BYTES, PAGE_POLICY, SafetyHeaders,
)
from sayso.web.server import running

#: Classic injections: quotes that end a string, comments, UNION, stacked statements, LIKE and FTS5 syntax.
INJECTIONS = [
    "' OR '1'='1", "' OR 1=1 --", '" OR ""="', "1; DROP TABLE articles; --", "') UNION SELECT text, 1, 2 FROM articles --",
    "1 UNION SELECT name FROM sqlite_master", "%' OR '%'='", "_%_", "\\' OR 1=1 --", "articles_fts MATCH '*'",
    'NEAR("a" "b") OR text:*', "^a* OR -b", "(((", "\x00' OR 1=1", "1e999", "9" * 40,
]
#: What SQLite and Python say when injected SQL breaks a query: never shown.
SQL_ERRORS = ["syntax error", "OperationalError", "Traceback", "no such table", "no such column", "unrecognized token",
              "fts5:", "unterminated string", "malformed MATCH"]
#: Values that name nothing: what a literal-minded parameter must answer for an injection too.
NOTHING = "no-such-thing-zz"
#: Parameters whose value is looked up as it is (a name, an outlet): an injection must find what NOTHING finds.
LITERAL = {"speaker", "via", "outlet"}
#: Request targets that try to leave the routes for the file system.
TRAVERSALS = [
    "../../../../../../etc/passwd", "..%2f..%2f..%2f..%2fetc%2fpasswd", "%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd", "..%252f..%252f..%252fetc%252fpasswd", "....//....//....//etc/passwd",
    "..\\..\\..\\etc\\passwd", "%2fetc%2fpasswd", "/etc/passwd", "..%00/..%00/etc/passwd", "%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
    "../../sayso/web/app.py", "../app.py", "../../../../../../proc/self/environ",
]
#: What must never come back: the system's password file, the database's bytes, the server's source.
SECRETS = ["root:x:0:0", "SQLite format 3", "def create_app", "[build-system]", "PATH="]


@pytest.fixture(scope="module")
def app(hostile_db):
    return create_app(hostile_db)


@pytest.fixture(scope="module")
def client(app):
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


@pytest.fixture(scope="module")
def live(hostile_db):
    with running(hostile_db) as url:
        yield url


@pytest.fixture(scope="module")
def ids(hostile_db) -> dict[str, str]:
    conn = sqlite3.connect(hostile_db)
    found = {"article_id": str(conn.execute("SELECT min(id) FROM articles").fetchone()[0]),
             "speaker_id": str(conn.execute("SELECT id FROM speakers ORDER BY attributions DESC").fetchone()[0]),
             "claim_id": conn.execute("SELECT id FROM claims ORDER BY speakers DESC").fetchone()[0],
             "quote_id": str(conn.execute("SELECT min(id) FROM quotes").fetchone()[0])}
    conn.close()
    return found


def routes(app) -> list[tuple[str, list[str], list[str]]]:
    """Every GET route of the application: (path, query parameters, path parameters)."""
    def params(dependant) -> tuple[list[str], list[str]]:
        query, path = [p.alias for p in dependant.query_params], [p.alias for p in dependant.path_params]
        for sub in dependant.dependencies:
            q, p = params(sub)
            query, path = query + q, path + p
        return query, path

    found = []
    for route in app.routes:
        if isinstance(route, APIRoute) and "GET" in route.methods and not route.path.startswith("/docs"):
            found.append((route.path, *params(route.dependant)))
    return found


def fill(path: str, ids: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: ids[m.group(1)], path)


def counts(db) -> dict[str, int]:
    """The rows of each table (full-text indexes aside) of a store that must be sound, its articles whole."""
    conn = sqlite3.connect(db)
    whole_articles(conn)
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%fts%'")]
    out = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    conn.close()
    return out


# ------------------------------------------------------------------------------------------------ SQL
def test_every_route_and_parameter_is_known(app):
    paths = {path for path, _, _ in routes(app)}
    assert {"/api/search", "/search", "/api/articles/{article_id}", "/speakers/{speaker_id}", "/api/claims",
            "/api/claims/{claim_id}.jsonld", "/api/search.parquet"} <= paths
    assert sum(len(q) for _, q, _ in routes(app)) >= 60


def test_sql_injection_through_every_query_parameter_of_every_route(app, client, ids, hostile_db):
    before = counts(hostile_db)
    tried = 0
    for path, query, _ in routes(app):
        url = fill(path, ids)
        for param in query:
            control = client.get(url, params={param: NOTHING})
            for injection in INJECTIONS:
                r = client.get(url, params={param: injection})
                tried += 1
                assert r.status_code in (200, 400, 404, 422), (path, param, injection, r.status_code, r.text[:300])
                body = r.text if "parquet" not in path else ""
                for leak in SQL_ERRORS:  # what SQLite says when a query is broken (a 4xx may echo the value)
                    assert leak not in body, (path, param, injection, leak)
                if param in LITERAL and r.headers["content-type"].startswith("application/json"):
                    # the value is a name like any other: it finds what a name nobody has finds
                    assert r.status_code == control.status_code
                    got, want = r.json(), control.json()
                    assert got.get("total") == want.get("total"), (path, param, injection)
    assert tried > 900
    assert counts(hostile_db) == before


def test_search_words_with_sql_and_fts_syntax_are_words(client):
    for injection in INJECTIONS:
        r = client.get("/api/search", params={"q": injection})
        assert r.status_code == 200
        data = r.json()
        assert data["total"] <= client.get("/api/search").json()["total"]
    # the words of an injection are searched for as words, and found where they are
    assert client.get("/api/search", params={"q": "print'; DROP TABLE attributions; --"}).json()["total"] == 0
    assert client.get("/api/search", params={"q": "print"}).json()["total"] > 0


# ------------------------------------------------------------------------------------------------ paths
def raw_get(base: str, target: str, extra: bytes = b"") -> tuple[int, dict[str, str], bytes]:
    """GET ``target`` exactly as given (no client normalises its dots); status, headers, body. Status 0: the
    server closed the connection before the request was sent whole (and its answer was lost with it)."""
    parts = urlsplit(base)
    data = b""
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as s:
        try:
            s.sendall(f"GET {target} HTTP/1.1\r\nHost: {parts.netloc}\r\nConnection: close\r\n".encode("latin-1")
                      + extra + b"\r\n")
            while chunk := s.recv(65536):
                data += chunk
        except (BrokenPipeError, ConnectionResetError):
            if not data.startswith(b"HTTP/"):
                return 0, {}, b""
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:] if ":" in line)}
    return status, headers, body


def test_path_traversal_on_every_path_parameter_and_static_route(app, live, ids):
    prefixes = ["/static/", "/static/docs/"]
    for path, _, path_params in routes(app):
        for param in path_params:
            prefixes.append(path.split("{" + param + "}")[0])
    tried = 0
    for prefix in prefixes:
        for attempt in TRAVERSALS:
            status, headers, body = raw_get(live, prefix + attempt.replace("\\", "%5c"))
            tried += 1
            assert status in (400, 404, 405, 422), (prefix, attempt, status, body[:200])
            for secret in SECRETS:
                assert secret.encode() not in body, (prefix, attempt, secret)
            assert headers["x-content-type-options"] == "nosniff"
    assert tried >= 14 * 10
    # the static files are still served
    assert raw_get(live, "/static/style.css")[0] == 200


# ------------------------------------------------------------------------------------------------ markup
def test_markup_in_every_field_is_escaped_in_every_page(client, ids):
    pages = ["/", "/articles", f"/articles/{ids['article_id']}", "/speakers", f"/speakers/{ids['speaker_id']}",
             "/claims", f"/claims/{ids['claim_id']}", "/quotes", f"/quotes/{ids['quote_id']}", "/quotes/outlets",
             "/quotes?" + urlencode({"q": XSS["script"], "speaker": XSS["svg"], "outlet": XSS["img"] + " Post"}),
             "/search?q=print", "/search?" + urlencode({"q": XSS["script"]}),
             "/speakers?" + urlencode({"q": XSS["svg"]}), "/claims?" + urlencode({"speaker": XSS["attribute"]}),
             "/search?" + urlencode({"since": XSS["script"]}), "/search?" + urlencode({"outlet": XSS["img"] + " Post"})]
    for path in pages:
        r = client.get(path)
        assert r.status_code in (200, 400), path
        page = r.text
        for name, payload in XSS.items():
            if name in ("template", "separators"):
                continue
            assert payload not in page, (path, name)  # never raw
        assert "49" not in page.replace("2049", "")  # no template evaluated {{7*7}}
        assert not re.search(r"<(script|img|svg|iframe|b)\b[^>]*\b(on\w+|src=x|javascript:)", page, re.I), path
        # the JSON inside the page's script elements (the attribution panel, JSON-LD) holds the payloads with
        # every < escaped: nothing in it can close its element and open another
        for script in re.findall(r"<script\b[^>]*>(.*?)</script>", page, re.S):
            assert "<" not in script, (path, script[:200])
    article = client.get(f"/articles/{ids['article_id']}").text
    assert str(escape(XSS["script"])) in article
    assert 'href="javascript:' not in article


def test_the_json_gives_back_every_payload_as_it_was_stored(client, ids):
    data = client.get(f"/api/articles/{ids['article_id']}").json()
    assert XSS["script"] in data["title"] and data["outlet"] == f"{XSS['img']} Post"
    assert data["author"] == XSS["attribute"] and XSS["closing"] in data["text"]
    names = {e["name"] for e in data["entities"]}
    assert f"Ana {XSS['svg']} Ruiz" in names
    jsonld = client.get(f"/api/claims/{ids['claim_id']}.jsonld")
    assert jsonld.headers["content-type"].startswith("application/ld+json")


# ------------------------------------------------------------------------------------------------ sizes
def test_oversized_requests_are_refused_with_their_status(live):
    assert raw_get(live, "/api/search?q=" + "a" * (MAX_TARGET_BYTES - 100))[0] == 200
    status, headers, body = raw_get(live, "/api/search?q=" + "a" * (MAX_TARGET_BYTES + 1))
    assert status == 414 and b"at most 8,192" in body and headers["content-security-policy"] == PAGE_POLICY
    status, headers, _ = raw_get(live, "/api", b"X-Big: " + b"a" * MAX_HEADER_BYTES + b"\r\n")
    assert status == 431 and headers["x-content-type-options"] == "nosniff"
    status, _, _ = raw_get(live, "/api", b"".join(b"X-%d: y\r\n" % i for i in range(2000)))
    assert status == 431
    status, _, _ = raw_get(live, "/api", f"Content-Length: {MAX_BODY_BYTES + 1}\r\n".encode())
    assert status == 413
    # past what uvicorn buffers of a request head, its own parser answers 400 and hangs up, perhaps before
    # the whole request is sent
    status, _, _ = raw_get(live, "/api/search?q=" + "a" * (HEAD_BUFFER_BYTES * 4))
    assert status in (0, 400, 414)
    assert raw_get(live, "/api")[0] == 200  # and the server goes on answering


PAGED = ["/api/search", "/search", "/api/articles", "/articles", "/api/speakers", "/speakers", "/api/claims", "/claims",
         "/api/quotes", "/quotes", "/api/speakers/{speaker_id}", "/speakers/{speaker_id}", "/api/claims/{claim_id}",
         "/claims/{claim_id}", "/api/claims/{claim_id}/edges", "/claims/{claim_id}/edges"]


@pytest.mark.parametrize("value", ["0", "-1", "-99999999999999999999", "abc", "1.5", "1e3", "0x10", str(queries.MAX_PAGE + 1),
                                   "9" * 30, "١٢", "²"])
def test_page_numbers_that_mean_nothing_are_a_clear_4xx(client, ids, value):
    for path in PAGED:
        r = client.get(fill(path, ids), params={"page": value})
        html_page = not path.startswith("/api")
        assert r.status_code == (400 if html_page else 422), (path, value, r.status_code)
        assert "page" in r.text


def test_the_last_page_allowed_is_empty_not_an_error(client, ids):
    for path in PAGED:
        r = client.get(fill(path, ids), params={"page": queries.MAX_PAGE})
        assert r.status_code == 200, (path, r.text[:200])


@pytest.mark.parametrize("value", ["abc", "1.5", "9" * 30, "-99999999999999999999", "", "١٢", "0"])
def test_pair_speakers_that_name_nobody_find_no_pair(client, ids, value):
    r = client.get(fill("/api/claims/{claim_id}/edges", ids), params={"speaker": value})
    assert r.status_code == 200 and (r.json()["total"] == 0 or value == "")  # a blank value filters nothing
    r = client.get(fill("/claims/{claim_id}/edges", ids), params={"speaker": value})
    assert r.status_code == 200


@pytest.mark.parametrize("path", ["/api/articles/{n}", "/articles/{n}", "/api/speakers/{n}", "/speakers/{n}",
                                  "/api/articles/{n}/original", "/api/quotes/{n}", "/quotes/{n}"])
@pytest.mark.parametrize("n", ["0", "-1", "9223372036854775807", "9223372036854775808", "1" + "0" * 40, "abc", "1.5"])
def test_ids_that_name_nothing_are_a_404_or_a_4xx(client, path, n):
    r = client.get(path.format(n=quote(n)))
    assert r.status_code in (400, 404, 422), (path, n, r.status_code)


@pytest.mark.parametrize("params", [{"per_page": "0"}, {"per_page": "201"}, {"per_page": "-5"}, {"per_page": "9" * 30},
                                    {"min_attributions": "0"}, {"min_attributions": "9" * 30},
                                    {"speaker": "²"}, {"via": "9" * 30}, {"speaker": "٣"}])
def test_other_numbers_that_mean_nothing(client, params):
    path = "/api/claims" if "min_attributions" in params else "/api/search"
    r = client.get(path, params=params)
    if "per_page" in params or "min_attributions" in params:
        assert r.status_code == 422
    else:  # a name that is no speaker's: nothing found
        assert r.status_code == 200 and r.json()["total"] == 0


# ------------------------------------------------------------------------------------------------ headers
def test_safety_headers_on_every_route_error_and_static_file(app, client, ids, live):
    responses = {}
    for path, _, _ in routes(app):
        responses[path] = client.get(fill(path, ids), follow_redirects=False)
    responses["/docs"] = client.get("/docs")
    responses["/openapi.json"] = client.get("/openapi.json")
    responses["static"] = client.get("/static/style.css")
    responses["static 404"] = client.get("/static/no-such.css")
    responses["404"] = client.get("/no/such/page")
    responses["api 404"] = client.get("/api/articles/999999")
    responses["422"] = client.get("/api/search?page=abc")
    responses["400"] = client.get("/search?since=yesterday")
    responses["405"] = client.post("/api/search")
    assert responses["/api/articles/{article_id}/original"].headers["content-type"] == "application/octet-stream"
    for name, r in responses.items():
        assert r.headers["x-content-type-options"] == "nosniff", name
        assert r.headers["x-frame-options"] == "DENY", name
        policy = r.headers["content-security-policy"]
        assert "object-src 'none'" in policy and "frame-ancestors 'none'" in policy, name
        if name not in ("/docs", "/redoc"):
            assert policy == PAGE_POLICY and "unsafe-inline" not in policy, name
    assert {r.status_code for r in responses.values()} >= {200, 400, 404, 405, 422}
    status, headers, _ = raw_get(live, "/api/search?q=" + "a" * (MAX_TARGET_BYTES + 1))
    assert status == 414 and headers["x-frame-options"] == "DENY"


def test_an_unexpected_failure_is_a_plain_500_with_the_headers():
    async def broken(scope, receive, send):
        raise RuntimeError("a bug, with a secret path /srv/db.sqlite")

    r = TestClient(SafetyHeaders(broken), raise_server_exceptions=False).get("/anything")  # no lifespan: a bare app
    assert r.status_code == 500
    assert r.json() == {"detail": "The server failed to answer this request."}
    assert r.headers["content-security-policy"] == PAGE_POLICY and r.headers["x-content-type-options"] == "nosniff"

    async def answers(scope, receive, send):
        await PlainTextResponse("fine")(scope, receive, send)

    assert TestClient(SafetyHeaders(answers)).get("/").headers["x-frame-options"] == "DENY"
