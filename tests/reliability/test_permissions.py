"""No permission: pages, dumps and folders that the user running sayso may not read.

The commands run as ``nobody`` (tests/reliability/as_nobody.py drops root's privileges for good), so the
kernel really refuses the reads; as any other user they run as that user, whom ``chmod 000`` refuses alike.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from crawl import make_page

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


@pytest.fixture(scope="module")
def locked():
    """A folder (outside pytest's own, which only root may enter) with a page anyone may read, a page, a
    JSONL dump and a folder nobody but root may read, and a folder where anyone may write the results."""
    top = Path(tempfile.mkdtemp(prefix="sayso-permissions-"))
    top.chmod(0o755)
    pages = top / "pages"
    pages.mkdir(mode=0o755)
    (pages / "open.html").write_text(make_page(1).html)
    (pages / "secret.html").write_text(make_page(2).html)
    closed = pages / "closed"
    closed.mkdir()
    (closed / "inner.html").write_text(make_page(3).html)
    (top / "secret.jsonl").write_text(json.dumps({"url": "https://x.example/s", "html": make_page(4).html}) + "\n")
    out = top / "out"
    out.mkdir()
    for path in (pages / "open.html",):
        path.chmod(0o644)
    for path in (pages / "secret.html", closed, top / "secret.jsonl"):
        path.chmod(0o000)
    out.chmod(0o777)
    yield top
    closed.chmod(0o755)
    shutil.rmtree(top)


def as_nobody(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(HERE / "as_nobody.py"), *map(str, args)], cwd="/", capture_output=True,
                          text=True, timeout=300, env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_the_files_are_really_unreadable_to_that_user(locked):
    probe = subprocess.run([sys.executable, "-c", f"""
import sys; sys.argv = ["x", "partition"]
sys.path.insert(0, {str(HERE)!r})
import as_nobody
as_nobody.become_nobody()
try:
    open({str(locked / "pages" / "secret.html")!r}, "rb")
except PermissionError:
    print("refused")
"""], capture_output=True, text=True, timeout=60, cwd="/")
    assert probe.stdout.strip() == "refused", probe.stderr


def test_extract_names_the_page_it_may_not_read(locked):
    pages = locked / "pages"
    out = locked / "out" / "extract.jsonl"
    run = as_nobody("sayso", "extract", pages / "open.html", pages / "secret.html", "-o", out)
    assert run.returncode == 2, run.stderr
    assert run.stderr.strip().splitlines() == [f"sayso: {pages / 'secret.html'}: permission denied"]
    (article,) = [json.loads(line) for line in out.read_text().splitlines()]
    assert article["title"].startswith(make_page(1).title)


def test_ingest_stores_what_it_may_read_and_names_the_rest(locked):
    db = locked / "out" / "corpus.sqlite"
    run = as_nobody("sayso", "ingest", locked / "pages", locked / "secret.jsonl", "--db", db)
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr
    summary = json.loads(run.stdout)
    failures = {f["input"]: f["problem"] for f in summary["failures"]}
    assert failures == {str(locked / "pages" / "secret.html"): "permission denied",
                        str(locked / "pages" / "closed"): "permission denied",
                        str(locked / "secret.jsonl"): "permission denied"}
    for where, problem in failures.items():
        assert f"sayso: {where}: {problem}" in run.stderr.splitlines()
    conn = sqlite3.connect(db)
    assert [r[0] for r in conn.execute("SELECT record FROM articles")] == [str(locked / "pages" / "open.html")]
    conn.close()


def test_a_page_named_inside_a_folder_it_may_not_enter_is_named_too(locked):
    db = locked / "out" / "inside.sqlite"
    inner = locked / "pages" / "closed" / "inner.html"
    run = as_nobody("sayso", "ingest", locked / "pages" / "open.html", inner, "--db", db)
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr
    assert f"sayso: {inner}: permission denied" in run.stderr.splitlines()
    assert json.loads(run.stdout)["new"] == 1


def test_a_batch_partition_keeps_going_past_a_page_it_may_not_read(locked):
    pages = locked / "pages"
    spec = locked / "out" / "partition.json"
    spec.write_text(json.dumps({"id": "p", "kind": "pages", "records": 2,
                                "files": [[str(pages / "secret.html"), "secret"], [str(pages / "open.html"), "open"]]}))
    spec.chmod(0o644)
    run = as_nobody("partition", spec, locked / "out" / "batch")
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert (result["articles"], result["failed"]) == (1, 1)
    errors = (locked / "out" / "batch" / "errors" / "p.jsonl").read_text().splitlines()
    assert [json.loads(line) for line in errors] == [{"record_id": "secret", "reason": "permission denied"}]
