"""Load: many clients at once against a real ``sayso serve`` on loopback, for a fixed time or number of requests.

Each client has its own HTTP/1.1 connection (kept alive) and asks, one request after the other, for the pages
and JSON of a reader's visit: the home page, searches, articles, speakers, claims, a stylesheet. The paths are
read from the corpus itself (its recent articles and top speakers, through /api). Every response must be a
200 read to the end; anything else (another status, a reset, a timeout) counts as an error. The run stops by
itself: after ``--seconds``, or once every client has made ``--requests`` requests.

    python -m benchmarks.load --db corpus.sqlite --clients 200 --seconds 30
    python -m benchmarks.load --url http://127.0.0.1:8000 --clients 50 --requests 20

Prints one JSON object (requests, errors, requests per second, latency percentiles in milliseconds) and,
with ``--json FILE``, writes it there too.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import ssl
import statistics
import sys
import time
import urllib.parse
import urllib.request
from collections import Counter
from contextlib import nullcontext
from pathlib import Path

#: Words to search for: common in news, so that searches find and highlight something.
SEARCH_WORDS = ["said", "president", "campaign", "bridge", "told", "state", "vote", "official"]


def visit_paths(base: str) -> list[str]:
    """The paths of a reader's visit to this corpus: pages and their JSON twins, in a fixed mix."""
    with urllib.request.urlopen(base + "/api", timeout=60) as r:
        home = json.load(r)
    articles = [a["id"] for a in home.get("recent_articles", [])][:5]
    speakers = [s["id"] for s in home.get("top_speakers", [])][:5]
    paths = ["/", "/api", "/claims", "/api/claims", "/speakers", "/articles", "/static/style.css"]
    for word in SEARCH_WORDS:
        paths += [f"/search?q={word}", f"/api/search?q={urllib.parse.quote(word)}&per_page=20"]
    paths += ["/api/search?sort=oldest", "/api/articles?page=2", f"/api/speakers?q={SEARCH_WORDS[1][:4]}"]
    for i in articles:
        paths += [f"/articles/{i}", f"/api/articles/{i}"]
    for i in speakers:
        paths += [f"/speakers/{i}", f"/api/speakers/{i}"]
    return paths


def route_of(path: str) -> str:
    """The route a path goes to, ids and query left out: ``/api/articles/{id}``, ``/search``."""
    parts = [("{id}" if part.isdigit() else part) for part in urllib.parse.urlsplit(path).path.split("/")]
    return "/".join(parts) or "/"


async def _client(n: int, http, paths: list[str], deadline: float | None, requests: int | None,
                  latencies: list[tuple[float, str]], errors: Counter) -> None:
    at, made = n, 0
    while (deadline is None or time.monotonic() < deadline) and (requests is None or made < requests):
        path = paths[at % len(paths)]
        at, made = at + 1, made + 1
        started = time.perf_counter()
        try:
            response = await http.get(path)
            await response.aread()
        except Exception as exc:  # noqa: BLE001 - every failure of a request is counted as what it is
            errors[type(exc).__name__] += 1
            continue
        latencies.append(((time.perf_counter() - started) * 1000, path))
        if response.status_code != 200:
            errors[f"HTTP {response.status_code}"] += 1


async def _run(base: str, clients: int, seconds: float | None, requests: int | None, timeout: float) -> dict:
    import httpx2 as httpx

    paths = visit_paths(base)
    timed: list[tuple[float, str]] = []
    errors: Counter = Counter()
    # the clients are made before the clock starts, and share one SSL context: each making its own costs 20 ms
    # of the client process's CPU, which would show as the server's latency on the first requests
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    tls = ssl.create_default_context()
    https = [httpx.AsyncClient(base_url=base, limits=limits, timeout=timeout, verify=tls) for _ in range(clients)]
    try:
        started = time.monotonic()
        deadline = started + seconds if seconds else None
        await asyncio.gather(*(_client(n, http, paths, deadline, requests, timed, errors)
                               for n, http in enumerate(https)))
        elapsed = time.monotonic() - started
    finally:
        for http in https:
            await http.aclose()
    latencies = sorted(ms for ms, _ in timed)
    by_route: dict[str, list[float]] = {}
    for ms, path in timed:
        by_route.setdefault(route_of(path), []).append(ms)

    def pct(p: float) -> float:
        return round(latencies[min(len(latencies) - 1, int(len(latencies) * p))], 1) if latencies else 0.0

    answered = len(latencies)
    return {
        "clients": clients, "seconds": round(elapsed, 1), "paths": len(paths),
        "requests": answered + sum(n for k, n in errors.items() if not k.startswith("HTTP")),
        "errors": sum(errors.values()), "error_kinds": dict(errors),
        "requests_per_s": round(answered / elapsed, 1) if elapsed else 0.0,
        "p50_ms": pct(0.50), "p90_ms": pct(0.90), "p99_ms": pct(0.99), "max_ms": round(latencies[-1], 1) if latencies else 0.0,
        "mean_ms": round(statistics.fmean(latencies), 1) if latencies else 0.0,
        "median_ms_by_route": {route: round(statistics.median(ms), 1) for route, ms in sorted(by_route.items())},
        "p99_ms_by_route": {route: round(sorted(ms)[int(len(ms) * 0.99)], 1) for route, ms in sorted(by_route.items())},
    }


def run_load(base: str, clients: int = 200, seconds: float | None = None, requests: int | None = None,
             timeout: float = 60.0) -> dict:
    """Load ``base`` with ``clients`` concurrent clients for ``seconds`` (or ``requests`` each); the figures."""
    if (seconds is None) == (requests is None):
        raise ValueError("give either seconds or requests")
    return asyncio.run(_run(base.rstrip("/"), clients, seconds, requests, timeout))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    where = ap.add_mutually_exclusive_group(required=True)
    where.add_argument("--db", type=Path, help="serve this corpus with sayso serve for the run")
    where.add_argument("--url", help="load a server that is already running")
    ap.add_argument("--clients", type=int, default=200)
    ap.add_argument("--workers", type=int, default=1, help="with --db: server processes (sayso serve --workers)")
    ap.add_argument("--seconds", type=float, help="stop after this long")
    ap.add_argument("--requests", type=int, help="stop once each client has made this many requests")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds one request may take")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args()
    if args.seconds is None and args.requests is None:
        args.seconds = 30.0
    from sayso.web.server import running

    with (running(args.db, workers=args.workers) if args.db else nullcontext(args.url)) as base:
        result = run_load(base, args.clients, args.seconds, args.requests, args.timeout)
    result["server_workers"] = args.workers if args.db else None
    result["machine"] = {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()}
    text = json.dumps(result, indent=1)
    print(text)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(text + "\n")
    sys.exit(1 if result["errors"] else 0)


if __name__ == "__main__":
    main()
