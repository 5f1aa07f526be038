"""The server's extraction routes: PolNeAR's texts posted one after the other to ``POST /api/extract`` of a real
``sayso serve`` on loopback (over a corpus of the bundled examples), in each mode, as a program would send
them (``?raw=true``, the text as the body), then all at once as a dump to ``POST /api/extract/batch``. Each
mode's pipeline is loaded by one request before the clock starts. Prints pages per second, the latency of a
page (median, 95th percentile) one by one, and the time to a batch's first line; one page per request is
parsed alone, where a batch is parsed 16 pages at a time as ``sayso extract`` does (``benchmarks.model``
has that speed).
Run: ``python -m benchmarks.extract_api --data ../shared/data/polnear``.
"""

from __future__ import annotations

import json
import os
import statistics
import tempfile
import time
import urllib.request
from pathlib import Path

from benchmarks.core import OUT, polnear_parser

ROOT = Path(__file__).resolve().parent.parent


def post(url: str, body: bytes) -> dict:
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "text/plain; charset=utf-8"})
    with urllib.request.urlopen(request, timeout=300) as r:
        return json.load(r)


def measure_batch(base: str, pages: list[bytes], mode: str) -> dict:
    body = b"".join(json.dumps({"text": p.decode("utf-8")}).encode() + b"\n" for p in pages)
    request = urllib.request.Request(f"{base}/api/extract/batch?raw=true&mode={mode}", data=body,
                                     headers={"Content-Type": "application/x-ndjson"})
    started = time.perf_counter()
    first, attributions, n = None, 0, 0
    with urllib.request.urlopen(request, timeout=600) as r:
        for line in r:
            first = first or time.perf_counter() - started
            attributions += len(json.loads(line)["attributions"])
            n += 1
    seconds = time.perf_counter() - started
    assert n == len(pages)
    return {"mode": mode, "pages": n, "attributions": attributions, "seconds": round(seconds, 2),
            "pages_per_s": round(n / seconds, 2), "first_line_ms": round(first * 1000)}


def measure(base: str, pages: list[bytes], mode: str) -> dict:
    url = f"{base}/api/extract?raw=true&mode={mode}"
    post(url, pages[0])  # loads the mode's pipeline
    latencies, attributions = [], 0
    started = time.perf_counter()
    for page in pages:
        t = time.perf_counter()
        attributions += len(post(url, page)["attributions"])
        latencies.append(time.perf_counter() - t)
    seconds = time.perf_counter() - started
    latencies.sort()
    return {"mode": mode, "pages": len(pages), "attributions": attributions, "seconds": round(seconds, 2),
            "pages_per_s": round(len(pages) / seconds, 2),
            "median_ms": round(statistics.median(latencies) * 1000),
            "p95_ms": round(latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))] * 1000)}


def main(argv: list[str] | None = None) -> None:
    args = polnear_parser(__doc__).parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from sayso.store import ingest
    from sayso.web.server import running

    pages = [p.read_bytes() for p in sorted((args.data / args.split / "text").glob("*.txt"))]
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "corpus.sqlite"
        ingest([ROOT / "examples"], db)
        with running(db) as base:
            rows = [measure(base, pages, mode) for mode in ("fast", "accurate")]
            batches = [measure_batch(base, pages, mode) for mode in ("fast", "accurate")]
    print(f"POST /api/extract, PolNeAR {args.split} ({len(pages)} texts), one page per request, one after the "
          f"other, {os.cpu_count()} CPU cores:")
    print(f"{'':12}{'pages/s':>10}{'median ms':>12}{'p95 ms':>10}{'attributions':>14}")
    for row in rows:
        print(f"{row['mode']:12}{row['pages_per_s']:10.2f}{row['median_ms']:12}{row['p95_ms']:10}"
              f"{row['attributions']:14}")
    print(f"POST /api/extract/batch, the same texts as one dump of {len(pages)} lines:")
    print(f"{'':12}{'pages/s':>10}{'first line ms':>15}{'attributions':>14}")
    for row in batches:
        print(f"{row['mode']:12}{row['pages_per_s']:10.2f}{row['first_line_ms']:15}{row['attributions']:14}")
    OUT.mkdir(exist_ok=True)
    (OUT / "extract_api.json").write_text(json.dumps({"one_by_one": rows, "batch": batches}, indent=1))


if __name__ == "__main__":
    main()
