"""Batch scaling: ``sayso batch`` on 1 and on 2 workers, next to what 2 processes can give on this machine.

A web archive of at least 500 pages is made from the PolNeAR texts of a split (each text wrapped in simple
HTML, with as many copies under their own URLs as needed; written under bench-out/, never committed). It is
run through :func:`sayso.batch.run_batch` on a local Dask cluster of 1 worker, then of 2, each into a fresh
output folder. The time that counts is the annotating (``Summary.work_s``: reading the archive, cleaning,
parsing, writing shards), after the cluster has started and each worker has loaded its pipeline.

The machine's own ceiling is measured in the same run: a trivially parallel, CPU-bound pure-Python job, in
1 and in 2 processes (two vCPUs may not give 2x). The goal is a 2-worker speed-up of at least 0.9x that
ceiling. The measurements alternate, twice, and each keeps its best, so that load from elsewhere on the
machine hits them alike. The workers' CPU seconds per article are reported too: equal on 1 and 2 workers,
they show that a second worker adds no work of its own, so a shortfall in speed-up is the machine's. Run: ``python -m benchmarks.batch --data ../shared/data/polnear``.
"""

from __future__ import annotations

import argparse
import html
import io
import json
import logging
import math
import os
import resource
import shutil
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

OUT = Path("bench-out")
GOAL = 0.9


def make_warc(data: Path, split: str, pages: int, path: Path) -> int:
    """Write ``pages`` HTML responses made from the split's texts into a WARC.gz; returns how many."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    from sayso.evaluate.polnear import list_articles, read_text

    names = list_articles(data, split)
    texts = [read_text(data / split / "text" / f"{n}.txt") for n in names]
    copies = math.ceil(pages / len(texts))
    path.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    with open(path, "wb") as f:
        writer = WARCWriter(f, gzip=True)
        for copy in range(copies):
            for name, text in zip(names, texts):
                if written == pages:
                    break
                body = _page(text).encode("utf-8")
                http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                        protocol="HTTP/1.1")
                url = f"https://bench.example.org/{copy}/{name}"
                writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                              http_headers=http))
                written += 1
    return written


def _page(text: str) -> str:
    title, _, body = text.strip().partition("\n")
    paragraphs = "\n".join(f"<p>{html.escape(p.strip())}</p>" for p in body.split("\n") if p.strip())
    return (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title></head>"
            f"<body><article><h1>{html.escape(title)}</h1>\n{paragraphs}\n</article></body></html>")


def run_sayso(warc: Path, workers: int, partition_size: int) -> dict:
    """One batch over the archive on a fresh local cluster of ``workers`` processes, as ``sayso batch
    --workers N`` makes it; the workers' CPU seconds are read before and after the annotating."""
    from distributed import Client, LocalCluster

    from sayso.batch import run_batch
    from sayso.batch.run import pipeline_plugin

    out = OUT / f"batch-{workers}w"
    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
        client.register_plugin(pipeline_plugin("fast"))  # load the pipelines first: loading is no annotating
        cpu_before = client.run(_cpu_seconds)
        summary = run_batch([warc], out, client=client, partition_size=partition_size, show_progress=False)
        cpu_after = client.run(_cpu_seconds)
    wall = time.perf_counter() - started
    assert summary.complete and not summary.partitions_failed, summary
    cpu = sum(cpu_after[w] - cpu_before[w] for w in cpu_after)
    return {"workers": workers, "articles": summary.articles, "failed": summary.failed,
            "seconds": summary.work_s, "wall_s": round(wall, 2), "articles_per_s": summary.articles / summary.work_s,
            "worker_cpu_s_per_article": cpu / summary.articles,
            "peak_rss_mb_per_worker": sorted(summary.worker_peak_rss_mb.values())}


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def spin(n: int) -> int:
    """Pure-Python CPU work with nothing shared: the kind of job that scales as far as the cores let it."""
    x = 0
    for i in range(n):
        x = (x * 31 + i) % 1000003
    return x


def run_ceiling(processes: int, chunks: int = 64, per_chunk: int = 4_000_000) -> dict:
    """The same fixed amount of :func:`spin` work on ``processes`` processes (started before timing)."""
    with ProcessPoolExecutor(max_workers=processes) as pool:
        list(pool.map(spin, [1] * processes))  # start the processes before timing
        t0 = time.perf_counter()
        list(pool.map(spin, [per_chunk] * chunks))
        seconds = time.perf_counter() - t0
    return {"processes": processes, "seconds": seconds}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, default=Path("../shared/data/polnear"))
    ap.add_argument("--split", default="dev")
    ap.add_argument("--pages", type=int, default=504, help="pages in the archive (at least 500 for the goal)")
    ap.add_argument("--partition-size", type=int, default=8,
                    help="records per partition: small enough that 2 workers end together on ~500 pages")
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args(argv)

    warc = OUT / "batch-bench.warc.gz"
    pages = make_warc(args.data, args.split, args.pages, warc)
    load_before = os.getloadavg()
    ceiling: dict[int, dict] = {}
    sayso: dict[int, dict] = {}
    for _ in range(args.rounds):
        for n in (1, 2):
            c = run_ceiling(n)
            if n not in ceiling or c["seconds"] < ceiling[n]["seconds"]:
                ceiling[n] = c
            s = run_sayso(warc, n, args.partition_size)
            if n not in sayso or s["seconds"] < sayso[n]["seconds"]:
                sayso[n] = s
    load_after = os.getloadavg()

    ceiling_speedup = ceiling[1]["seconds"] / ceiling[2]["seconds"]
    sayso_speedup = sayso[1]["seconds"] / sayso[2]["seconds"]
    ratio = sayso_speedup / ceiling_speedup
    print(f"batch scaling on a WARC.gz of {pages} pages from PolNeAR {args.split} (partitions of "
          f"{args.partition_size}), {os.cpu_count()} cores, best of {args.rounds} alternating rounds:")
    print(f"{'':28}{'seconds':>9}{'articles/s':>12}{'speed-up':>10}{'CPU s/article':>15}"
          f"{'peak RSS MB/worker':>20}")
    for n in (1, 2):
        row = sayso[n]
        speedup = sayso[1]["seconds"] / row["seconds"]
        rss = "/".join(f"{m:.0f}" for m in row["peak_rss_mb_per_worker"])
        print(f"{f'sayso batch, {n} worker' + ('s' if n > 1 else ''):28}{row['seconds']:9.1f}"
              f"{row['articles_per_s']:12.1f}{speedup:10.2f}{row['worker_cpu_s_per_article']:15.3f}{rss:>20}")
    for n in (1, 2):
        row = ceiling[n]
        print(f"{f'pure-Python job, {n} process' + ('es' if n > 1 else ''):28}{row['seconds']:9.1f}{'':12}"
              f"{ceiling[1]['seconds'] / row['seconds']:10.2f}")
    print(f"sayso 2-worker speed-up / machine ceiling: {sayso_speedup:.2f} / {ceiling_speedup:.2f} = {ratio:.2f}"
          f"  (goal >= {GOAL})")
    print(f"throughput per worker: {sayso[1]['articles_per_s']:.1f} articles/s on 1, "
          f"{sayso[2]['articles_per_s'] / 2:.1f} on each of 2; load average {load_before[0]:.1f} -> "
          f"{load_after[0]:.1f}")
    OUT.mkdir(exist_ok=True)
    (OUT / "batch.json").write_text(json.dumps({
        "pages": pages, "partition_size": args.partition_size, "cores": os.cpu_count(), "sayso": sayso,
        "ceiling": ceiling, "sayso_speedup": sayso_speedup, "ceiling_speedup": ceiling_speedup, "ratio": ratio,
        "goal": GOAL, "load_average": [load_before, load_after],
    }, indent=1))


if __name__ == "__main__":
    main()
