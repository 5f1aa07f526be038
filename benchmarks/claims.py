"""Claims over a corpus: how long ``sayso claims`` takes and how much memory it holds, on PolNeAR articles.

The PolNeAR train and dev texts (923 articles, about 20,000 attributions) are ingested into a store under
bench-out/ (never committed; kept between runs, so later runs skip the ingest). Then the claims are computed
in a child process, as ``sayso claims --recompute`` computes them, and its wall time and peak resident memory
are taken:

- a *cold* run, with no embedding stored: every content, piece and sentence goes through MiniLM (only when
  the store holds no embedding yet: the first run, or with --cold, which drops them first);
- a *warm* run, every embedding read back from the store: parsing for stances, the similarity products,
  Leiden communities, quote spread, edges and writing remain;
- *reading* them as the web app serves them: the first page of the claims listing and the page of the
  claim with the most attributions and the first page of its edges, HTML and JSON, each its time and size.

Run: ``python -m benchmarks.claims --data ../shared/data/polnear`` (about 10 minutes the first time on 2
cores, 3 minutes after). ``--articles N`` takes the first N texts only.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

OUT = Path("bench-out") / "claims"

#: The child that computes the claims as ``sayso claims --recompute`` does, and prints its summary and its own
#: peak resident memory (Linux: KiB) as JSON.
CHILD = ("import json, resource, sys; from sayso.store.claims import recompute; s = recompute(sys.argv[1]).to_json(); "
         "print(json.dumps({**s, 'maxrss': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))")


def texts(data: Path, limit: int | None) -> list[Path]:
    """The PolNeAR train then dev text files (the first ``limit``)."""
    files = sorted((data / "train" / "text").glob("*.txt")) + sorted((data / "dev" / "text").glob("*.txt"))
    return files[:limit] if limit else files


def build(data: Path, limit: int | None, db: Path) -> dict:
    """Ingest the texts into ``db`` (skipped when it holds them already): what ``sayso ingest`` reports."""
    from sayso.store import ingest

    files = texts(data, limit)
    started = time.perf_counter()
    summary = ingest(files, db)
    return {"files": len(files), "new": summary.new, "skipped": summary.skipped, "failed": len(summary.failed),
            "seconds": round(time.perf_counter() - started, 1)}


def measure(db: Path) -> dict:
    """Compute the claims of ``db`` in a child process: its summary, wall time and peak resident memory."""
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", CHILD, str(db)], capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - started
    summary = json.loads(out.stdout.strip().splitlines()[-1])
    return {"seconds": round(seconds, 1), "peak_rss_mb": round(summary["maxrss"] / 1024),
            **{k: summary[k] for k in ("articles", "attributions", "claims", "shared", "edges", "quotes",
                                       "embedded", "reused")}}


def reading(db: Path) -> dict:
    """Seconds and kilobytes of the claims listing's first page and of the largest claim's page and first page
    of edges, as a warm web app answers them (in this process, through its test client: no network)."""
    from fastapi.testclient import TestClient

    from sayso.web.app import create_app

    with sqlite3.connect(db) as conn:
        largest, members, edges = conn.execute(
            "SELECT c.id, c.attributions, (SELECT count(*) FROM claim_edges e WHERE e.claim_id = c.id)"
            " FROM claims c ORDER BY c.attributions DESC, c.id LIMIT 1").fetchone()
    client = TestClient(create_app(db, extraction=False))
    client.get("/api").raise_for_status()  # the connection opened and the overview read: the server warm
    out: dict = {"largest": {"id": largest, "attributions": members, "edges": edges}}
    for path in ("/api/claims", "/claims", f"/api/claims/{largest}", f"/claims/{largest}",
                 f"/api/claims/{largest}/edges", f"/claims/{largest}/edges"):
        started = time.perf_counter()
        r = client.get(path)
        r.raise_for_status()
        out[path.replace(largest, "{largest}")] = {"seconds": round(time.perf_counter() - started, 2),
                                                     "kb": round(len(r.content) / 1000)}
    return out


def stored_embeddings(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM embeddings").fetchone()[0]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=Path("../shared/data/polnear"))
    ap.add_argument("--articles", type=int, default=None, help="the first N texts only (default: all)")
    ap.add_argument("--cold", action="store_true", help="drop the stored embeddings first, to time a cold run")
    args = ap.parse_args(argv)

    OUT.mkdir(parents=True, exist_ok=True)
    db = OUT / f"corpus-{args.articles or 'all'}.sqlite"
    ingest = build(args.data, args.articles, db)
    print(f"store {db}: {ingest['files']} texts ({ingest['new']} new, {ingest['skipped']} already stored) "
          f"in {ingest['seconds']} s", flush=True)
    if args.cold:
        with sqlite3.connect(db) as conn:
            conn.execute("DELETE FROM embeddings")
    runs = {}
    if stored_embeddings(db) == 0:  # the first run on this store, or --cold: every text goes through MiniLM
        runs["cold"] = measure(db)
        print(f"cold: {json.dumps(runs['cold'])}", flush=True)
    runs["warm"] = measure(db)
    print(f"warm: {json.dumps(runs['warm'])}", flush=True)
    runs["reading"] = reading(db)
    print(f"reading: {json.dumps(runs['reading'])}", flush=True)
    result = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version()}, "ingest": ingest, **runs}
    (OUT / "claims.json").write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
