"""The server's extraction route: PolNeAR's texts posted one after the other to ``POST /api/extract`` of a real
``sayso serve`` on loopback (over a corpus of the bundled examples), in each mode, as a program would send
them (``?raw=true``, the text as the body). Each mode's pipeline is loaded by one request before the clock
starts. Prints pages per second and the latency of a page (median, 95th percentile); a page is parsed alone,
where ``sayso extract`` batches the parse (``benchmarks.model`` has that speed).
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
    print(f"POST /api/extract, PolNeAR {args.split} ({len(pages)} texts), one page per request, one after the "
          f"other, {os.cpu_count()} CPU cores:")
    print(f"{'':12}{'pages/s':>10}{'median ms':>12}{'p95 ms':>10}{'attributions':>14}")
    for row in rows:
        print(f"{row['mode']:12}{row['pages_per_s']:10.2f}{row['median_ms']:12}{row['p95_ms']:10}"
              f"{row['attributions']:14}")
    OUT.mkdir(exist_ok=True)
    (OUT / "extract_api.json").write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
