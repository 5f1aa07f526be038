"""What every response of the corpus server carries, and what no request may exceed.

Two ASGI middlewares around the application:

- ``SafetyHeaders`` puts the Content-Security-Policy, ``X-Content-Type-Options: nosniff``, ``Referrer-Policy``
  and ``X-Frame-Options`` on every response: pages, JSON, downloads, static files, redirects and errors, the
  500 of an unexpected failure included (answered here, without a traceback, instead of by the server).
- ``RequestLimits`` refuses, before any route runs, a request target (path and query string) over
  ``MAX_TARGET_BYTES`` (414), headers over ``MAX_HEADER_BYTES`` (431) and a declared body over
  ``MAX_BODY_BYTES`` (413): the API only reads the corpus, and only the extraction routes (``BODY_LIMITS``)
  read a body, a page of up to ``MAX_PAGE_BYTES`` or a dump of pages of up to ``MAX_BATCH_BYTES``.

uvicorn itself stops reading a request head at ``HEAD_BUFFER_BYTES`` (``sayso serve`` sets it), answering
400; the limits above are well below it, so the statuses above are what a client sees. ``sayso serve`` also
caps the connections served at once at ``MAX_CONNECTIONS`` (503 beyond).
"""

from __future__ import annotations

import json
import logging

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: Longest request target, path and query string together, in bytes.
MAX_TARGET_BYTES = 8 * 1024
#: Most bytes of request headers, names and values together.
MAX_HEADER_BYTES = 16 * 1024
#: Largest request body declared by Content-Length.
MAX_BODY_BYTES = 64 * 1024
#: Largest page posted for extraction (a news page's HTML, scripts and all, is rarely over 1 MB).
MAX_PAGE_BYTES = 4 * 1024 * 1024
#: Largest dump of pages posted for extraction at once (POST /api/extract/batch).
MAX_BATCH_BYTES = 32 * 1024 * 1024
#: The routes that read a body (sayso.web.extract), and the most bytes each reads.
BODY_LIMITS = {"/api/extract": MAX_PAGE_BYTES, "/extract": MAX_PAGE_BYTES, "/api/extract/batch": MAX_BATCH_BYTES}
#: How much of an unfinished request head uvicorn's HTTP parser (h11) buffers before it answers 400.
HEAD_BUFFER_BYTES = 64 * 1024
#: Connections and requests served at once by ``sayso serve``; uvicorn answers 503 to those beyond.
MAX_CONNECTIONS = 1000

#: Pages that load only this server's own scripts and styles.
PAGE_POLICY = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
               "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
#: Swagger UI and ReDoc start from an inline script and style themselves inline.
DOCS_POLICY = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
               "script-src 'self' 'unsafe-inline'; worker-src 'self' blob:; object-src 'none'; "
               "base-uri 'none'; frame-ancestors 'none'")
#: Paths whose pages are the API docs (the only ones allowed inline script).
DOCS_PATHS = ("/docs", "/redoc")

log = logging.getLogger("sayso.web")


class SafetyHeaders:
    """Safety headers on every response, and a plain 500 (with them) for any unexpected failure."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = DOCS_POLICY if scope["path"] in DOCS_PATHS else PAGE_POLICY
        started = False

        async def send_safely(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Security-Policy", policy)
                headers["X-Content-Type-Options"] = "nosniff"
                headers["Referrer-Policy"] = "no-referrer"
                headers["X-Frame-Options"] = "DENY"
            await send(message)

        try:
            await self.app(scope, receive, send_safely)
        except Exception:
            # the server log gets the traceback, the client one line; a response already begun cannot be
            # replaced, so that connection is dropped instead
            log.exception("%s %s failed", scope.get("method"), scope["path"])
            if started:
                raise
            await _answer(send_safely, 500, "The server failed to answer this request.")


class RequestLimits:
    """414, 431 or 413 for requests over the limits, before the application sees them."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            refused = over_limits(scope)
            if refused is not None:
                await _answer(send, *refused)
                return
        await self.app(scope, receive, send)


def over_limits(scope: Scope) -> tuple[int, str] | None:
    """(status, reason) when the request in ``scope`` exceeds a limit, else None."""
    target = len(scope.get("raw_path") or scope["path"].encode("utf-8")) + 1 + len(scope.get("query_string", b""))
    if target > MAX_TARGET_BYTES:
        return 414, f"The address is {target:,} bytes long; at most {MAX_TARGET_BYTES:,} are read."
    headers = scope.get("headers", [])
    size = sum(len(name) + len(value) + 4 for name, value in headers)
    if size > MAX_HEADER_BYTES:
        return 431, f"The request headers are {size:,} bytes; at most {MAX_HEADER_BYTES:,} are read."
    most = BODY_LIMITS.get(scope["path"], MAX_BODY_BYTES)
    for name, value in headers:
        if name == b"content-length":
            try:
                declared = int(value)
            except ValueError:
                return 400, "The Content-Length header is not a number."
            if declared > most:
                return 413, f"The request body is {declared:,} bytes; at most {most:,} are read."
    return None


async def _answer(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})
