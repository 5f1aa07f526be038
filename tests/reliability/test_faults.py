"""kill -9 at random points of ``sayso ingest`` and ``sayso batch``, again and again, then a rerun: the database
stays sound after every kill, and at the end holds every article exactly once.

These are the long runs of ``make stress`` (marked ``stress``). The quick versions that ``make test`` runs are
tests/store/test_store_ingest.py::test_a_killed_ingest_leaves_whole_articles_and_a_rerun_finishes and
tests/batch/test_batch.py::test_kill_9_of_the_whole_run_then_rerun_gives_every_article_once.

The kill points come from a seeded random generator (``SAYSO_STRESS_SEED``, printed with each point): some are
a time in the first seconds, while the pipeline loads, the store is created or the cluster starts; the others
come once a random number of further articles (or shards) is written, so that the kill lands wherever the
next one's writing stands.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crawl import html_records, make_page, write_warc
from sayso.batch import iter_shard_articles
from sayso.ingest.records import iter_records
from sayso.store import article_key
from soundness import whole_articles

pytestmark = pytest.mark.stress

ROOT = Path(__file__).resolve().parents[2]
SAYSO = [sys.executable, "-m", "sayso.cli"]
SEED = int(os.environ.get("SAYSO_STRESS_SEED", "7"))
KILLS = 6


def run_and_kill(args: list[str], rng: random.Random, progress, done: int, total: int, kills_left: int,
                 group: bool = False) -> str:
    """Start the command and kill -9 it at a random point; what the point was, in words."""
    proc = subprocess.Popen(args, start_new_session=group, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if rng.random() < 0.3:
        delay = rng.uniform(0.2, 3.0)
        time.sleep(delay)
        point = f"{delay:.2f} s after the start"
    else:
        more = rng.randint(1, max(1, (total - done) // (kills_left + 1)))
        point = f"once {more} more were written"
        deadline = time.monotonic() + 300
        while progress() < done + more and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
    if proc.poll() is not None:
        point += " (it had ended)"
    try:
        os.killpg(proc.pid, signal.SIGKILL) if group else proc.send_signal(signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()
    if group:
        _group_gone(proc.pid)  # the client, the scheduler and the workers
    return point


def corpus(folder: Path, n: int) -> Path:
    """``n`` distinct articles in every input form: a JSONL dump, a web archive, a folder of pages."""
    inputs = folder / "inputs"
    (inputs / "pages").mkdir(parents=True)
    pages = [make_page(3000 + i) for i in range(n)]
    third = n // 3
    with open(inputs / "dump.jsonl", "w") as f:
        for page in pages[:third]:
            f.write(json.dumps({"url": page.url, "html": page.html}) + "\n")
    write_warc(inputs / "crawl.warc.gz", html_records(pages[third:2 * third]))
    for i, page in enumerate(pages[2 * third:]):
        (inputs / "pages" / f"story-{i:03d}.html").write_text(page.html)
    return inputs


def expected_keys(inputs: Path) -> dict[str, str]:
    """Content hash -> record id of every article the inputs hold, read without annotating."""
    keys = {}
    for record in iter_records([inputs]):
        keys[article_key(record.to_article())] = record.id
    return keys


def stored_count(db: Path) -> int:
    """Articles in the store now (read-only, beside the writer), 0 while there is none."""
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def check_store(db: Path, keys: dict[str, str]) -> int:
    """The store after a kill: sound, every article whole and one of the inputs; how many there are."""
    if not db.exists():
        return 0
    conn = sqlite3.connect(db)
    try:
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'articles'").fetchone():
            return 0  # killed before the schema was in place: created in one transaction, so none of it
        n = whole_articles(conn)
        stored = dict(conn.execute("SELECT key, record FROM articles").fetchall())
        assert set(stored) <= set(keys) and all(keys[k] == r for k, r in stored.items())
        return n
    finally:
        conn.close()


def test_ingest_killed_at_random_points_then_rerun_stores_every_article_once(tmp_path):
    rng = random.Random(SEED)
    inputs = corpus(tmp_path, 240)
    keys = expected_keys(inputs)
    assert len(keys) == 240
    db = tmp_path / "corpus.sqlite"
    args = [*SAYSO, "ingest", str(inputs), "--db", str(db), "--batch-size", "4"]
    stored = [0]
    for kill in range(KILLS):
        point = run_and_kill(args, rng, lambda: stored_count(db), stored[-1], len(keys), KILLS - kill)
        stored.append(check_store(db, keys))
        print(f"ingest kill {kill + 1} (seed {SEED}) {point}: {stored[-1]} articles stored")
    assert stored == sorted(stored) and 0 < stored[-1] < len(keys), stored  # the kills landed mid-run
    rerun = subprocess.run(args, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    summary = json.loads(rerun.stdout)
    assert summary["skipped"] == stored[-1] and summary["new"] == len(keys) - stored[-1] and not summary["failed"]
    assert check_store(db, keys) == len(keys)
    conn = sqlite3.connect(db)
    records = [r[0] for r in conn.execute("SELECT record FROM articles")]
    conn.close()
    assert sorted(records) == sorted(keys.values())  # every article exactly once


def _shards(out: Path) -> int:
    folder = out / "shards"
    return sum(1 for p in folder.glob("*.parquet") if not p.name.startswith(".")) if folder.is_dir() else 0


def _group_gone(pgid: int, timeout: float = 60) -> None:
    """Wait until no process of the group (the batch, its scheduler and workers) is left."""
    import psutil

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        alive = []
        for proc in psutil.process_iter(["status"]):
            try:
                if os.getpgid(proc.pid) == pgid and proc.info["status"] != psutil.STATUS_ZOMBIE:
                    alive.append(proc.pid)
            except (ProcessLookupError, psutil.Error):
                continue
        if not alive:
            return
        time.sleep(0.1)
    raise AssertionError(f"processes of group {pgid} outlived the kill")


def test_batch_killed_at_random_points_then_rerun_writes_every_article_once(tmp_path):
    rng = random.Random(SEED + 1)
    pages = [make_page(4000 + i) for i in range(60)]
    ids = write_warc(tmp_path / "crawl.warc.gz", html_records(pages))
    out = tmp_path / "out"
    args = [*SAYSO, "batch", str(tmp_path / "crawl.warc.gz"), "--out", str(out), "--partition-size", "2",
            "--workers", "2"]
    shards = [0]
    for kill in range(KILLS):
        point = run_and_kill(args, rng, lambda: _shards(out), shards[-1], 30, KILLS - kill, group=True)
        shards.append(_shards(out))
        got = [rid for rid, _ in iter_shard_articles(out)] if shards[-1] else []
        assert len(got) == len(set(got)) and set(got) <= set(ids)  # finished shards only, none twice
        print(f"batch kill {kill + 1} (seed {SEED + 1}) {point}: {shards[-1]} of 30 shards")
    assert shards == sorted(shards) and 0 < shards[-1] < 30, shards
    final = subprocess.run(args, capture_output=True, text=True, timeout=600)
    assert final.returncode == 0, final.stderr
    summary = json.loads(final.stdout)
    assert summary["shards"] == summary["partitions"] == 30 and summary["articles"] == 60
    assert summary["partitions_run"] == 30 - shards[-1]
    assert [rid for rid, _ in iter_shard_articles(out)] == ids  # each exactly once, in crawl order
    assert not list(out.rglob(".tmp-*"))
    # and stored from there, the corpus is sound and holds each once
    db = tmp_path / "corpus.sqlite"
    stored = subprocess.run([*SAYSO, "ingest", str(out), "--db", str(db)], capture_output=True, text=True, timeout=600)
    assert stored.returncode == 0 and json.loads(stored.stdout)["new"] == 60, stored.stderr
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert sorted(r[0] for r in conn.execute("SELECT record FROM articles")) == sorted(ids)
    conn.close()
