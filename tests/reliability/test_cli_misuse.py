"""Bad input that does not come as a file: standard input, and output or database paths that cannot be used.
Each ends as one line on stderr and exit status 2, never a traceback, and never waits for input it refuses."""

from __future__ import annotations

import json
import os
import subprocess
import threading

import pytest

from sayso.ingest import MAX_BYTES

from commands import ROOT, SAYSO, run

EXAMPLE = ROOT / "examples" / "harbor-bridge.txt"


def one_line(out: subprocess.CompletedProcess) -> str:
    assert out.returncode == 2, out.stderr
    lines = out.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("sayso: "), lines
    return lines[0]


@pytest.mark.parametrize("data, problem", [
    (b"", "sayso: <stdin>: empty input (no text)"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8, "sayso: <stdin>: binary data, not a text or HTML page"),
], ids=["empty", "binary"])
def test_standard_input_that_is_no_page(data, problem):
    assert one_line(run("extract", "-", stdin=data)) == problem


def test_a_web_address_is_named_as_one_and_the_other_inputs_are_read(tmp_path):
    url = "https://news.example.org/2016/10/putin-says"
    out = run("extract", url, EXAMPLE)
    problem = one_line(out)
    assert problem == (f"sayso: {url}: is a web address, not a file: sayso reads pages saved to disk (curl -sL URL -o "
                       "page.html), dumps and web archives")
    assert len(out.stdout.decode().splitlines()) == 1  # the example's article
    out = run("ingest", url, "--db", tmp_path / "c.sqlite")  # ingest's summary line follows the error
    assert out.returncode == 2 and out.stderr.decode().splitlines()[0] == problem


def test_a_batch_names_standard_input_as_no_input_it_can_resume_and_reads_the_rest(tmp_path):
    from sayso.batch.plan import STDIN_REFUSED

    out = run("batch", "-", EXAMPLE, "--out", tmp_path / "out", "--workers", "1", stdin=b"<p>never read</p>")
    lines = out.stderr.decode().strip().splitlines()
    assert out.returncode == 2 and lines[0] == f"sayso: <stdin>: {STDIN_REFUSED}"
    summary = json.loads(out.stdout)
    assert summary["articles"] == 1 and summary["failed"] == 1  # the example, and the input refused


@pytest.mark.parametrize("command", [["extract", "-"], ["ingest", "-", "--db", "{db}"]], ids=["extract", "ingest"])
def test_closed_standard_input_is_one_line(command, tmp_path):
    args = [a.format(db=tmp_path / "c.sqlite") for a in command]
    out = subprocess.run([*SAYSO, *args], preexec_fn=lambda: os.close(0), capture_output=True, cwd=ROOT,
                         timeout=300)
    lines = out.stderr.decode().strip().splitlines()
    assert out.returncode == 2 and "Traceback" not in out.stderr.decode()
    assert lines[0] == "sayso: <stdin>: standard input is closed"


def test_standard_input_over_the_limit_is_refused_without_reading_it_all():
    proc = subprocess.Popen([*SAYSO, "extract", "-"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, cwd=ROOT)
    written = 0
    chunk = b"<p>The council said the bridge would reopen in June after years of delay.</p>\n" * 1000

    def feed() -> None:
        nonlocal written
        try:
            while written < 50 * 2**20:  # a 50 MB page
                proc.stdin.write(chunk)
                written += len(chunk)
            proc.stdin.close()
        except (BrokenPipeError, ValueError):
            pass  # sayso stopped reading: what it wanted it had

    writer = threading.Thread(target=feed)
    writer.start()
    proc.wait(timeout=300)  # not communicate(): it would close standard input under the writer
    writer.join(timeout=60)
    err = proc.stderr.read()
    proc.stdout.close()
    proc.stderr.close()
    assert proc.returncode == 2
    assert err.decode().strip() == (f"sayso: <stdin>: page of {MAX_BYTES + 1:,} bytes is over the "
                                    f"{MAX_BYTES:,}-byte limit")
    # it read the limit and one byte more; the rest was never taken from the pipe
    assert written < MAX_BYTES + 4 * 2**20 < 50 * 2**20


def test_output_in_a_folder_that_does_not_exist(tmp_path):
    target = tmp_path / "no-such-folder" / "out.json"
    assert one_line(run("extract", EXAMPLE, "-o", target)) == (f"sayso: {target}: cannot be written "
                                                               f"(No such file or directory)")


def test_database_in_a_folder_that_does_not_exist(tmp_path):
    db = tmp_path / "no-such-folder" / "corpus.sqlite"
    assert one_line(run("ingest", EXAMPLE, "--db", db)) == (f"sayso: {db}: cannot be created: its folder does "
                                                            f"not exist")


@pytest.mark.parametrize("command, args", [("ingest", [EXAMPLE]), ("serve", []), ("serve", ["--workers", "2"]),
                                           ("claims", []), ("quotes", []), ("quotes", ["--outlets"]),
                                           ("speakers", []), ("speakers", ["--show", "Putin"])])
def test_a_database_that_is_no_database(tmp_path, command, args):
    db = tmp_path / "notes.sqlite"
    db.write_text("These are my notes.\n" * 100)
    assert one_line(run(command, *args, "--db", db)) == (f"sayso: {db}: not a sayso corpus database (file is not a "
                                                         f"database)")
    assert db.read_text() == "These are my notes.\n" * 100  # left as it was


@pytest.mark.parametrize("command", ["search", "speakers", "articles"])
def test_a_limit_past_sqlite_s_integers_is_a_usage_error(command, corpus_db):
    out = run(command, "--limit", str(2 ** 64), "--db", corpus_db)
    assert out.returncode == 2 and out.stdout == b"" and b"Traceback" not in out.stderr
    assert b"Invalid value for '--limit'" in out.stderr
    assert run(command, "--limit", str(2 ** 63 - 1), "--db", corpus_db).returncode == 0
