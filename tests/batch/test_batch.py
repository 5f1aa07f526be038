"""sayso batch on a real local Dask cluster: same output as extract, errors kept, resume, dead workers."""

import contextlib
import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from crawl import html_records, make_page, write_warc
from sayso.batch import iter_shard_articles, run_batch
from sayso.cli import main
from sayso.ingest.warc import warc_records

ROOT = Path(__file__).resolve().parents[2]
SAYSO = [sys.executable, "-m", "sayso.cli"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """A crawl (12 article pages, a login page, a binary page, an image), a JSONL dump and a folder of pages."""
    root = tmp_path_factory.mktemp("corpus")
    pages = [make_page(i) for i in range(12)]
    records = html_records(pages)
    records.insert(3, ("https://news.example.org/login", b"<html><head><title>Log in</title></head><body><form>"
                       b"<input type=password></form></body></html>", "text/html", "200 OK"))
    records.insert(7, ("https://news.example.org/blob", bytes(range(256)) * 8, "text/html", "200 OK"))
    records.insert(9, ("https://news.example.org/logo.png", b"\x89PNG\r\n\x1a\n", "image/png", "200 OK"))
    warc_ids = write_warc(root / "crawl.warc.gz", records)
    dump = root / "dump.jsonl"
    dump.write_text("\n".join([
        json.dumps({"url": pages[0].url + "?dump", "html": make_page(100).html}),
        "{not json",
        json.dumps({"url": "https://news.example.org/d3", "text": make_page(101).html}),
    ]) + "\n")
    folder = root / "pages"
    folder.mkdir()
    for n in (200, 201, 202):
        (folder / f"story-{n}.html").write_text(make_page(n).html)
    for n, page in enumerate(pages):
        (root / f"warc-page-{n:02d}.html").write_text(page.html)
    cut = root / "cut.warc.gz"  # a download that broke off inside its fourth page
    write_warc(cut, html_records([make_page(700 + n) for n in range(5)]))
    cut_ids = [r.id for r in warc_records(cut)]
    cut.write_bytes(cut.read_bytes()[: _response_start(cut, 3) + 200])
    missing = root / "missing.warc"
    return {"root": root, "pages": pages, "warc": root / "crawl.warc.gz", "warc_ids": warc_ids, "dump": dump,
            "folder": folder, "cut": cut, "cut_ids": cut_ids[:3], "missing": missing,
            "inputs": [root / "crawl.warc.gz", dump, folder, cut, missing]}


def _response_start(path: Path, n: int) -> int:
    """Where the n-th (0-based) page of an archive starts."""
    return [r.offset for r in warc_records(path)][n]


@pytest.fixture(scope="module")
def batch(corpus, dask_client, tmp_path_factory):
    """One batch over the whole corpus on the shared 2-worker cluster, progress bar on."""
    out = tmp_path_factory.mktemp("batch") / "out"
    input_errors = []
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr):
        summary = run_batch(corpus["inputs"], out, client=dask_client, partition_size=4,
                            on_input_error=input_errors.append, show_progress=True)
    return {"out": out, "summary": summary, "input_errors": input_errors, "stderr": stderr.getvalue()}


def test_two_workers_give_what_extract_gives(corpus, batch):
    summary = batch["summary"]
    assert summary.workers == 2 and len(summary.worker_peak_rss_mb) == 2  # both workers annotated
    got = dict(iter_shard_articles(batch["out"]))
    warc_ids = corpus["warc_ids"]
    article_ids = [warc_ids[i] for i in range(len(warc_ids)) if i not in (3, 7, 9)]
    assert [rid for rid in got if rid in warc_ids] == article_ids

    out_file = corpus["root"] / "extract.jsonl"
    pages = sorted(corpus["root"].glob("warc-page-*.html"))
    result = CliRunner().invoke(main, ["extract", *map(str, pages), "-o", str(out_file)])
    assert result.exit_code == 0, result.output
    expected = [json.loads(line) for line in out_file.read_text().splitlines()]
    assert [e.pop("record") for e in expected] == list(map(str, pages))
    assert [got[rid].to_json() for rid in article_ids] == expected
    assert all(e["attributions"] for e in expected)


def test_shard_rows_carry_the_article_json_and_its_summary_columns(batch):
    shards = sorted((batch["out"] / "shards").glob("*.parquet"))
    table = pq.read_table(shards[0])
    assert table.column_names == ["record_id", "url", "title", "n_attributions", "article"]
    for row in table.to_pylist():
        article = json.loads(row["article"])
        assert article["schema"] == "sayso.article/1"
        assert (row["url"], row["title"], row["n_attributions"]) == (article["url"], article["title"],
                                                                     len(article["attributions"]))
    assert [rid for rid, _ in iter_shard_articles(shards[0])] == table.column("record_id").to_pylist()


def test_every_record_is_an_article_or_an_error_exactly_once(corpus, batch):
    out, summary = batch["out"], batch["summary"]
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text().splitlines()]
    reasons = {e["record_id"]: e["reason"] for e in errors}
    ids = corpus["warc_ids"]
    missing, cut = str(corpus["missing"]), str(corpus["cut"])
    assert "no article text" in reasons[ids[3]]
    assert "binary" in reasons[ids[7]]
    assert "not a JSON object" in reasons[f"{corpus['dump']}:2"]
    assert "no such file" in reasons[missing]
    assert reasons[cut].startswith("cannot be read past byte") and "the 3 pages before it were read" in reasons[cut]
    assert sorted(e.where for e in batch["input_errors"]) == sorted([missing, cut])
    articles = [rid for rid, _ in iter_shard_articles(out)]
    assert articles == [*(ids[i] for i in range(len(ids)) if i not in (3, 7, 9)),
                        f"{corpus['dump']}:1", f"{corpus['dump']}:3", *corpus["cut_ids"],
                        *(str(corpus["folder"] / f"story-{n}.html") for n in (200, 201, 202))]
    assert len(set(articles)) == summary.articles == 12 + 2 + 3 + 3
    assert not set(articles) & set(reasons)
    assert summary.failed == len(errors) == 5 and summary.complete and not summary.partitions_failed
    manifest = json.loads((out / "manifest.json").read_text())
    assert all(p["done"] for p in manifest["partitions"]) and len(manifest["partitions"]) == summary.shards


def test_sayso_ingest_stores_a_batch_output_without_parsing_again(batch, tmp_path):
    import sqlite3

    from sayso.store import ingest
    from sayso.store.queries import load_article

    db = tmp_path / "corpus.sqlite"
    shards = dict(iter_shard_articles(batch["out"]))
    first = ingest([batch["out"]], db)
    assert (first.new, first.skipped, first.failed) == (len(shards), 0, [])
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    rows = conn.execute("SELECT id, record FROM articles ORDER BY id").fetchall()
    assert [r["record"] for r in rows] == list(shards)
    stored, _ = load_article(conn, rows[0]["id"])
    assert stored.to_json() == shards[rows[0]["record"]].to_json()
    again = ingest([batch["out"]], db)
    assert (again.new, again.skipped) == (0, len(shards))


def test_progress_shows_articles_per_second(batch):
    assert "article/s" in batch["stderr"]
    assert batch["summary"].articles_per_s > 0


def test_the_pipeline_loads_once_per_worker(batch, dask_client):
    assert batch["summary"].partitions_run > 2
    loads = dask_client.run(lambda: __import__("sayso.nlp").nlp.load.cache_info().misses)
    assert list(loads.values()) == [1, 1]
    # English pages are told by their common words: the language model (90 MB) is never loaded for them
    identifiers = dask_client.run(lambda: __import__("sayso.ingest.language").ingest.language.load_identifier
                                  .cache_info().misses)
    assert list(identifiers.values()) == [0, 0]


def test_a_rerun_redoes_only_missing_shards(corpus, batch, dask_client):
    out = batch["out"]
    again = run_batch(corpus["inputs"], out, client=dask_client, partition_size=4)
    assert again.partitions_run == 0 and again.articles == batch["summary"].articles
    shard = sorted((out / "shards").glob("*.parquet"))[1]
    before = pq.read_table(shard).to_pylist()
    shard.unlink()
    (out / "shards" / f".tmp-0123-{shard.name}").write_bytes(b"PAR1 half a shard")
    again = run_batch(corpus["inputs"], out, client=dask_client, partition_size=4)
    assert again.partitions_run == 1 and again.complete
    assert pq.read_table(shard).to_pylist() == before
    assert not list((out / "shards").glob(".tmp-*"))


def test_a_worker_killed_mid_partition_is_replaced_and_nothing_is_lost(tmp_path, dask_client):
    pages = [make_page(300 + i) for i in range(40)]
    ids = write_warc(tmp_path / "c.warc.gz", html_records(pages))
    out = tmp_path / "out"
    done = {}
    runner = threading.Thread(target=lambda: done.update(
        summary=run_batch([tmp_path / "c.warc.gz"], out, client=dask_client, partition_size=2)))
    runner.start()
    _wait_for(lambda: _count_shards(out) >= 1)
    victim = next(iter(dask_client.run(os.getpid).values()))
    os.kill(victim, signal.SIGKILL)
    runner.join(timeout=300)
    summary = done["summary"]
    assert summary.complete and not summary.partitions_failed
    assert [rid for rid, _ in iter_shard_articles(out)] == ids
    dask_client.wait_for_workers(2, timeout=60)


def test_kill_9_of_the_whole_run_then_rerun_gives_every_article_once(tmp_path, dask_client):
    pages = [make_page(400 + i) for i in range(40)]
    ids = write_warc(tmp_path / "c.warc.gz", html_records(pages))
    out = tmp_path / "out"
    args = ["batch", tmp_path / "c.warc.gz", "--out", out, "--partition-size", "2"]
    shards_at_kill = []
    for wanted in (1, 4):  # kill early, then again in the middle of the rerun
        before = _count_shards(out)
        proc = subprocess.Popen([*SAYSO, *map(str, args), "--workers", "2"], cwd=ROOT, start_new_session=True,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait_for(lambda: _count_shards(out) >= before + wanted)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        _wait_for(lambda: not _group_alive(proc.pid))
        shards_at_kill.append(_count_shards(out))
    assert 0 < shards_at_kill[0] < shards_at_kill[1] < 20
    # the last run goes to an existing cluster, as a user would with --scheduler, from another working folder
    # than the workers' and with relative paths: the same inputs, the same batch
    final = subprocess.run([*SAYSO, "batch", "c.warc.gz", "--out", "out", "--partition-size", "2",
                            "--scheduler", dask_client.scheduler.address], cwd=tmp_path, capture_output=True,
                           timeout=300)
    assert final.returncode == 0, final.stderr
    summary = json.loads(final.stdout)
    assert summary["shards"] == summary["partitions"] == 20 and summary["articles"] == 40
    assert summary["partitions_run"] == 20 - shards_at_kill[1]
    got = [rid for rid, _ in iter_shard_articles(out)]
    assert got == ids  # each exactly once, in crawl order
    assert not list(out.rglob(".tmp-*"))


def test_cli_prints_a_summary_and_exits_2_when_records_failed(tmp_path, dask_client):
    (tmp_path / "story.html").write_text(make_page(800).html)
    (tmp_path / "login.html").write_text("<html><head><title>Log in</title></head><body><form></form></body></html>")
    out = subprocess.run([*SAYSO, "batch", str(tmp_path), "--out", str(tmp_path / "out"),
                          "--scheduler", dask_client.scheduler.address], cwd=ROOT, capture_output=True, timeout=300)
    assert out.returncode == 2
    summary = json.loads(out.stdout)
    assert (summary["articles"], summary["failed"], summary["shards"], summary["workers"]) == (1, 1, 1, 2)
    assert summary["articles_per_s"] > 0 and summary["elapsed_s"] > 0
    assert out.stderr.decode().strip().splitlines()[-1].startswith(
        f"sayso batch: 1 articles in 1/1 shards, 1 failed (see {tmp_path / 'out' / 'errors.jsonl'}); this run: ")
    (error,) = [json.loads(line) for line in (tmp_path / "out" / "errors.jsonl").read_text().splitlines()]
    assert error == {"record_id": str(tmp_path / "login.html"), "reason": "no article text found in the HTML page"}


def test_a_local_cluster_leaves_the_dashboard_port_alone(tmp_path):
    """Another cluster on port 8787 (Dask's default) is no business of a batch: nothing about it on stderr."""
    import socket

    holder = socket.socket()
    with contextlib.suppress(OSError):  # where something already holds the port, so much the better
        holder.bind(("127.0.0.1", 8787))
        holder.listen()
    try:
        (tmp_path / "story.html").write_text(make_page(800).html)
        out = subprocess.run([*SAYSO, "batch", str(tmp_path / "story.html"), "--out", str(tmp_path / "out"),
                              "--workers", "1"], cwd=ROOT, capture_output=True, timeout=300)
    finally:
        holder.close()
    assert out.returncode == 0, out.stderr
    assert out.stderr.decode().strip().splitlines() == [
        f"sayso batch: 1 articles in 1/1 shards, 0 failed (see {tmp_path / 'out' / 'errors.jsonl'}); this run: "
        + out.stderr.decode().split("; this run: ", 1)[1].strip()]


def test_cli_refuses_a_folder_that_holds_something_else(tmp_path, corpus):
    (tmp_path / "notes.txt").write_text("mine")
    out = subprocess.run([*SAYSO, "batch", str(corpus["warc"]), "--out", str(tmp_path)], cwd=ROOT,
                         capture_output=True, timeout=120)
    assert out.returncode == 2
    assert out.stderr.decode().strip() == (f"sayso: {tmp_path}: is a folder with other files, not a sayso batch "
                                           f"output; name a new or empty folder")
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_cli_refuses_to_resume_over_changed_inputs(corpus, batch):
    out = subprocess.run([*SAYSO, "batch", str(corpus["warc"]), "--out", str(batch["out"]), "--partition-size", "4"],
                         cwd=ROOT, capture_output=True, timeout=120)
    assert out.returncode == 2
    message = out.stderr.decode().strip()
    assert message.startswith(f"sayso: {batch['out']}: holds another batch (input ") and "not given" in message


def test_cli_refuses_to_resume_with_another_language_option(corpus, batch):
    out = subprocess.run([*SAYSO, "batch", *map(str, corpus["inputs"]), "--out", str(batch["out"]),
                          "--partition-size", "4", "--any-language"], cwd=ROOT, capture_output=True, timeout=120)
    assert out.returncode == 2
    assert out.stderr.decode().strip() == (f"sayso: {batch['out']}: holds another batch (it was started without "
                                           "--any-language); resume it with its own inputs and options, or name a "
                                           "new --out folder")


def test_a_partition_refuses_a_page_in_another_language_unless_asked(tmp_path):
    from sayso.batch import Partition, run_partition

    french = tmp_path / "tarifs.txt"
    french.write_text("Droits de douane\n\nLe président a déclaré mardi que le pays ne céderait pas dans le différend "
                      "sur les droits de douane. Le gouvernement étudie toutes les options, a dit un porte-parole.")
    partition = Partition(id="p", kind="pages", records=1, files=((str(french), "tarifs"),))
    assert run_partition(partition, str(tmp_path / "english"))["failed"] == 1
    (error,) = [json.loads(line) for line in (tmp_path / "english" / "errors" / "p.jsonl").read_text().splitlines()]
    assert error["record_id"] == "tarifs" and error["reason"].startswith("not in English: the text reads as French")
    assert run_partition(partition, str(tmp_path / "any"), any_language=True)["articles"] == 1


def _count_shards(out: Path) -> int:
    """Finished shards (a shard being written has a temporary name starting with a dot)."""
    folder = out / "shards"
    return sum(1 for p in folder.glob("*.parquet") if not p.name.startswith(".")) if folder.is_dir() else 0


def _group_alive(pgid: int) -> bool:
    """True while a process of the group still runs (zombies waiting to be reaped do not count)."""
    import psutil

    for proc in psutil.process_iter(["status"]):
        try:
            if os.getpgid(proc.pid) == pgid and proc.info["status"] != psutil.STATUS_ZOMBIE:
                return True
        except (ProcessLookupError, psutil.Error):
            continue
    return False


def _wait_for(condition, timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_an_article_over_the_parsers_length_fails_alone(tmp_path):
    from sayso.batch import Partition, run_partition

    good = tmp_path / "good.html"
    good.write_text(make_page(500).html)
    huge = tmp_path / "huge.txt"  # longer than spaCy's max_length: refused as it is read, before the parse
    sentence = "The council said the bridge would open in spring after years of delay. "
    huge.write_text("Bridge Report\n\n" + "\n\n".join(sentence * 20 for _ in range(800)))
    partition = Partition(id="p", kind="pages", records=3,
                          files=((str(good), "good"), (str(huge), "huge"), (str(good), "good-again")))
    result = run_partition(partition, str(tmp_path / "out"))
    assert (result["articles"], result["failed"]) == (2, 1)
    assert [rid for rid, _ in iter_shard_articles(tmp_path / "out" / "shards" / "p.parquet")] == ["good", "good-again"]
    (error,) = [json.loads(line) for line in (tmp_path / "out" / "errors" / "p.jsonl").read_text().splitlines()]
    assert error == {"record_id": "huge", "reason": "article text of 1,136,813 characters is over the 1,000,000-character "
                                                   "limit of the parser"}


def test_a_run_killed_before_its_manifest_resumes_and_an_input_folder_skips_its_own_output(tmp_path, dask_client):
    crawl = tmp_path / "crawl"
    crawl.mkdir()
    for n in (600, 601):
        (crawl / f"story-{n}.html").write_text(make_page(n).html)
    out = crawl / "out"  # inside the input folder
    out.mkdir()
    (out / ".tmp-5f3a-manifest.json").write_text('{"schema": "sayso.ba')
    first = run_batch([crawl], out, client=dask_client)
    assert first.articles == 2 and first.complete and not list(out.glob(".tmp-*"))
    again = run_batch([crawl], out, client=dask_client)  # the output's files are no new inputs
    assert again.partitions_run == 0 and again.articles == 2
