"""200 clients at once against a real ``sayso serve`` on loopback, with zero errors (benchmarks/load.py).

The quick run (in ``make test``) has each client make 3 requests; the long ones (``make stress``) load the
server for 30 seconds with one and with two server processes, over a corpus of the PolNeAR dev articles, and
print the figures that docs/reliability.md reports (also written to bench-out/).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sayso.web.server import running

ROOT = Path(__file__).resolve().parents[2]
CLIENTS = 200


def load(url: str, *args) -> dict:
    """benchmarks/load.py against ``url``, as a process of its own (the clients get a core to themselves)."""
    run = subprocess.run([sys.executable, "-m", "benchmarks.load", "--url", url, "--clients", str(CLIENTS),
                          *map(str, args)], cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert run.returncode in (0, 1), run.stderr
    return json.loads(run.stdout)


def test_200_clients_at_once_get_every_answer(corpus_db):
    with running(corpus_db) as url:
        result = load(url, "--requests", 3)
        assert result["errors"] == 0, result["error_kinds"]
        assert result["requests"] == CLIENTS * 3
        # and the server is still there for the next reader
        assert load(url, "--requests", 1)["errors"] == 0


def test_two_server_processes_answer_them_too(corpus_db):
    with running(corpus_db, workers=2) as url:
        result = load(url, "--requests", 2)
    assert result["errors"] == 0 and result["requests"] == CLIENTS * 2, result["error_kinds"]


@pytest.fixture(scope="module")
def dev_corpus(polnear_dir, tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("load") / "dev.sqlite"
    run = subprocess.run([sys.executable, "-m", "sayso.cli", "ingest", str(polnear_dir / "dev" / "text"),
                          str(ROOT / "examples"), "--db", str(db)], capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr
    return db


@pytest.mark.stress
@pytest.mark.parametrize("workers", [1, 2])
def test_200_clients_for_30_seconds(dev_corpus, workers):
    with running(dev_corpus, workers=workers) as url:
        load(url, "--seconds", 3)  # every process has loaded its templates and opened the database
        result = load(url, "--seconds", 30)
    result["server_workers"] = workers
    out = ROOT / "bench-out" / f"load-{workers}-workers.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=1) + "\n")
    print(f"\n{CLIENTS} clients, 30 s, {workers} server process(es): {result['requests']} requests, "
          f"{result['errors']} errors, {result['requests_per_s']} requests/s, p50 {result['p50_ms']} ms, "
          f"p90 {result['p90_ms']} ms, p99 {result['p99_ms']} ms, max {result['max_ms']} ms")
    assert result["errors"] == 0, result["error_kinds"]
    assert result["requests"] > CLIENTS * 10
