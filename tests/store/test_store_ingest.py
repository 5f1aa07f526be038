import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from sayso.store import ingest
from soundness import whole_articles

ROOT = Path(__file__).resolve().parents[2]
SAYSO = [sys.executable, "-m", "sayso.cli"]


def test_ingest_is_idempotent_and_bad_inputs_do_not_stop_it(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "picture.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (tmp_path / "dump.jsonl").write_text("{not json\n" + json.dumps({"url": "https://x.example/1"}) + "\n")
    db = tmp_path / "c.sqlite"
    first = ingest([ROOT / "examples", tmp_path], db)
    assert first.new == 9 and first.skipped == 0
    failed = {Path(f.input).name: f.problem for f in first.failed}
    assert set(failed) == {"empty.txt", "picture.html", "dump.jsonl:1", "dump.jsonl:2"}
    assert "empty" in failed["empty.txt"] and "JSON" in failed["dump.jsonl:1"]
    again = ingest([ROOT / "examples"], db)
    assert (again.new, again.skipped, again.failed) == (0, 9, [])
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 9
    records = {Path(r[0]).name for r in conn.execute("SELECT record FROM articles")}
    assert "harbor-wire.jsonl:2" in records and "harbor-bridge.txt" in records


def test_the_same_article_twice_in_one_run_is_stored_once(tmp_path):
    line = json.dumps({"url": "https://x.example/a", "text": "Title\n\n\"It works,\" Ana Ruiz said."})
    (tmp_path / "twice.jsonl").write_text(line + "\n" + line + "\n")
    summary = ingest([tmp_path / "twice.jsonl"], tmp_path / "c.sqlite")
    assert (summary.new, summary.skipped) == (1, 1)


def test_cli_prints_a_json_summary_and_names_each_failure(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    db = tmp_path / "c.sqlite"
    out = subprocess.run([*SAYSO, "ingest", str(ROOT / "examples" / "corpus"), str(tmp_path / "empty.txt"),
                          str(tmp_path / "missing.html"), "--db", str(db)], capture_output=True, text=True, timeout=300)
    assert out.returncode == 2
    summary = json.loads(out.stdout)
    assert (summary["new"], summary["skipped"], summary["failed"]) == (8, 0, 2)
    assert {Path(f["input"]).name for f in summary["failures"]} == {"empty.txt", "missing.html"}
    lines = [line for line in out.stderr.splitlines() if line.startswith("sayso: ")]
    assert any("empty.txt" in line and "empty" in line.split("empty.txt", 1)[1] for line in lines)
    assert any("missing.html: no such file" in line for line in lines)
    assert "Traceback" not in out.stderr
    again = subprocess.run([*SAYSO, "ingest", str(ROOT / "examples" / "corpus"), "--db", str(db)],
                           capture_output=True, text=True, timeout=300)
    assert again.returncode == 0 and json.loads(again.stdout)["skipped"] == 8


def test_cli_ingests_a_dump_piped_to_it(tmp_path):
    dump = ROOT / "examples" / "corpus" / "harbor-wire.jsonl"
    db = tmp_path / "c.sqlite"
    out = subprocess.run([*SAYSO, "ingest", "-", "--db", str(db)], input=dump.read_bytes(), capture_output=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["new"] == 5
    conn = sqlite3.connect(db)
    records = [r[0] for r in conn.execute("SELECT record FROM articles ORDER BY record")]
    assert records == [f"<stdin>:{n}" for n in range(1, 6)]
    # the same dump by name is the same articles: skipped
    again = ingest([dump], db)
    assert (again.new, again.skipped) == (0, 5)


def test_annotated_articles_are_stored_as_they_are_not_parsed_again(tmp_path, monkeypatch):
    # what sayso extract writes: a sayso.article/1 object a line, with the record it was read from
    out = subprocess.run([*SAYSO, "extract", str(ROOT / "examples" / "corpus"), "--format", "jsonl"],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    # an annotation the pipeline would not make: one attribution left out, another's confidence changed
    del lines[0]["attributions"][-1]
    lines[1]["attributions"][0]["confidence"] = 0.123
    broken = json.loads(json.dumps(lines[2]))
    broken["attributions"][0]["content"]["spans"][0][0] += 1  # its text no longer the text at its spans
    broken["url"] = "https://x.example/broken"
    dump = tmp_path / "annotated.jsonl"
    dump.write_text("".join(json.dumps(x) + "\n" for x in [*lines, broken]))

    def no_parse(*args, **kwargs):
        raise AssertionError("an annotated article was parsed again")

    monkeypatch.setattr(sys.modules["sayso.store.ingest"], "annotate_each", no_parse)
    db = tmp_path / "c.sqlite"
    summary = ingest([dump], db)
    assert (summary.new, summary.skipped) == (len(lines), 0)
    (failure,) = summary.failed
    assert failure.input.endswith(f"annotated.jsonl:{len(lines) + 1}") and "does not hold together" in failure.problem
    from sayso.store import connect_readonly, queries

    conn = connect_readonly(db)
    stored = {a["url"]: a for a in queries.iter_articles(conn)}
    for line in lines:
        got = queries.article(conn, stored[line["url"]]["id"])
        assert got["text"] == line["text"] and got["title"] == line["title"]
        assert [(a["source"]["spans"], a["cue"]["spans"], a["content"]["spans"], a["confidence"])
                for a in got["attributions"]] == [
            (a["source"]["spans"], a["cue"]["spans"], a["content"]["spans"], a["confidence"])
            for a in line["attributions"]]
        assert got["record"].endswith(f"annotated.jsonl:{lines.index(line) + 1}")
    conn.close()
    # read again, they are the same articles: skipped
    assert (ingest([dump], db).skipped, ingest([dump], db).new) == (len(lines), 0)


#: What a hostile or broken dump line may hold where a sayso.article/1 object has something else.
HOSTILE_VALUES = [None, 7, -1, 2.5, True, "x", "\ud800", [], {}, [[0, 10 ** 9]], [["0", "3"]], {"spans": 3}]


def _paths(value, path=()):
    """Every place in a JSON value (the first item of each list only), deepest last."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield (*path, k)
            yield from _paths(v, (*path, k))
    elif isinstance(value, list) and value:
        yield (*path, 0)
        yield from _paths(value[0], (*path, 0))


def test_no_annotated_line_however_malformed_stops_an_ingest(tmp_path):
    import copy

    import sayso

    base = sayso.extract('Vote Delayed\n\n"We will not vote before the spring," Senator Maria Delgado told the '
                         "Ledger, according to two aides.").to_json()
    assert base["entities"] and base["attributions"][0]["about"] is not None
    lines = []
    for path in _paths(base):
        for value in [*HOSTILE_VALUES, KeyError]:
            obj = copy.deepcopy(base)
            *parents, last = path
            holder = obj
            for step in parents:
                holder = holder[step]
            if value is KeyError:
                if isinstance(holder, dict):
                    del holder[last]
            else:
                holder[last] = value
            lines.append(json.dumps(obj))
    dump = tmp_path / "mutated.jsonl"
    dump.write_text("\n".join(lines) + "\n")
    summary = ingest([dump], tmp_path / "c.sqlite")  # never raises
    assert summary.new + summary.skipped + len(summary.failed) == len(lines) > 500
    assert summary.new >= 1 and len(summary.failed) > len(lines) // 2
    assert all(f.input.startswith(f"{dump}:") and "sayso.article/1" in f.problem or "no \"html\"" in f.problem
               for f in summary.failed), {f.problem for f in summary.failed}
    from sayso.store import connect_readonly, queries

    conn = connect_readonly(tmp_path / "c.sqlite")
    for listed in queries.iter_articles(conn):
        art = queries.article(conn, listed["id"])  # every span checked against the stored text again
        assert all(art["text"][s:e] for a in art["attributions"] for s, e in a["content"]["spans"])
    conn.close()


def test_a_killed_ingest_leaves_whole_articles_and_a_rerun_finishes(tmp_path):
    people = ["Ana Ruiz", "Omar Haddad", "Lena Ortiz", "Tom Weller", "Rosa Quint"]
    with open(tmp_path / "many.jsonl", "w") as f:
        for n in range(60):
            who = people[n % len(people)]
            text = (f"Council Vote {n}\n\n\"We will vote on plan {n} this week,\" {who} said on Monday. "
                    f"{who.split()[1]} said that the plan would cost {n + 3} million dollars. "
                    f"According to the Harbor Post, the council told staff that plan {n} was ready.")
            f.write(json.dumps({"url": f"https://x.example/{n}", "text": text, "published": "2026-03-01"}) + "\n")
    db = tmp_path / "c.sqlite"
    proc = subprocess.Popen([*SAYSO, "ingest", str(tmp_path / "many.jsonl"), "--db", str(db), "--batch-size", "2"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 240
    stored = 0
    while proc.poll() is None and time.monotonic() < deadline and stored < 3:
        time.sleep(0.05)
        try:
            with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
                stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        except sqlite3.OperationalError:
            stored = 0  # not created yet
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()

    conn = sqlite3.connect(db)
    n_articles = whole_articles(conn)  # sound, and every stored article whole
    assert 3 <= n_articles < 60, "the run was not stopped half-way"
    conn.close()

    rerun = subprocess.run([*SAYSO, "ingest", str(tmp_path / "many.jsonl"), "--db", str(db)],
                           capture_output=True, text=True, timeout=300)
    summary = json.loads(rerun.stdout)
    assert summary["skipped"] == n_articles and summary["new"] + summary["skipped"] == 60
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 60
    assert conn.execute("SELECT count(*) FROM speakers WHERE name = 'Ana Ruiz'").fetchone()[0] == 1
