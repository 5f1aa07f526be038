"""Every kind of bad input (tests/reliability/inputs.py) through sayso extract, ingest and batch, as a user runs
them: one run of each command over all the kinds, then one test per kind and command.

Each record must end as what its kind says: one line on stderr naming it and its problem (never a traceback),
or a stored article whose every span is verbatim text at its offsets. Nothing else may happen: no record
appears that no kind made, and each run ends, with exit status 2.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from inputs import FOLDERS, KINDS, Expect, build
from sayso.batch import iter_shard_articles
from sayso.model import Article
from sayso.store.queries import load_article

ROOT = Path(__file__).resolve().parents[2]
SAYSO = [sys.executable, "-m", "sayso.cli"]
#: A run over all the kinds takes well under this; longer is a hang.
RUN_TIMEOUT = 600


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> tuple[Path, dict[str, dict[str, Expect]]]:
    folder = tmp_path_factory.mktemp("bad-input")
    return folder, build(folder)


class Run:
    """What one command made of the inputs: per record key, ("error", problem) or ("article", JSON)."""

    def __init__(self, folder: Path, proc: subprocess.CompletedProcess):
        self.folder = folder
        self.returncode = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr
        self.outcomes: dict[str, tuple[str, object]] = {}
        self.record_ids: dict[str, str] = {}  # key -> the record id as the command named it

    def key(self, record_id: str) -> str:
        prefix = f"{self.folder}/"
        return record_id[len(prefix):] if record_id.startswith(prefix) else record_id

    def error(self, record_id: str, problem: str) -> None:
        key = self.key(record_id)
        assert key not in self.outcomes, f"{key} reported twice"
        self.outcomes[key] = ("error", problem)
        self.record_ids[key] = record_id

    def article(self, record_id: str, data: dict) -> None:
        key = self.key(record_id)
        assert key not in self.outcomes, f"{key} came out twice"
        self.outcomes[key] = ("article", data)

    def error_lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.startswith("sayso: ")]


def _run(args: list, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*SAYSO, *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=RUN_TIMEOUT)


def _named(folder: Path, command: str) -> list[Path]:
    """The paths the kinds want given by name to ``command``."""
    return [folder / name for kind in KINDS if command in kind.commands for name in kind.named]


@pytest.fixture(scope="module")
def extract_run(inputs) -> Run:
    folder, _ = inputs
    out = folder / "extract.jsonl"
    run = Run(folder, _run(["extract", *(folder / f for f in FOLDERS), *_named(folder, "extract"), "-o", out],
                           ROOT))
    for line in run.error_lines():
        where, problem = line[len("sayso: "):].split(": ", 1)
        run.error(where, problem)
    for line in out.read_text().splitlines():
        data = json.loads(line)
        run.article(data.pop("record"), data)  # each article names the record it was read from
    return run


@pytest.fixture(scope="module")
def ingest_run(inputs) -> Run:
    folder, _ = inputs
    db = folder / "corpus.sqlite"
    run = Run(folder, _run(["ingest", *(folder / f for f in FOLDERS), *_named(folder, "ingest"), "--db", db], ROOT))
    summary = json.loads(run.stdout)
    for failure in summary["failures"]:
        run.error(failure["input"], failure["problem"])
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    for row in conn.execute("SELECT id, record FROM articles ORDER BY id").fetchall():
        stored, _ = load_article(conn, row["id"])
        run.article(row["record"], stored.to_json())
    run.integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    conn.close()
    return run


@pytest.fixture(scope="module")
def batch_run(inputs) -> Run:
    folder, _ = inputs
    out = folder / "batch-out"
    run = Run(folder, _run(["batch", *(folder / f for f in FOLDERS), *_named(folder, "batch"), "--out", out,
                            "--workers", "2", "--partition-size", "8"], ROOT))
    for line in (out / "errors.jsonl").read_text().splitlines():
        err = json.loads(line)
        run.error(err["record_id"], err["reason"])
    for record_id, art in iter_shard_articles(out):
        run.article(record_id, art.to_json())
    return run


RUNS = {"extract": "extract_run", "ingest": "ingest_run", "batch": "batch_run"}
CASES = [pytest.param(command, kind, id=f"{command}-{kind.name}") for kind in KINDS for command in kind.commands]


@pytest.mark.parametrize("command, kind", CASES)
def test_each_kind_ends_as_an_error_line_or_a_whole_article(request, inputs, validate, command, kind):
    _, made = inputs
    run: Run = request.getfixturevalue(RUNS[command])
    for key, expect in made[kind.name].items():
        outcome = run.outcomes.get(key)
        if outcome is None:
            assert expect.optional, f"{key}: neither an article nor an error"
            continue
        what, value = outcome
        if expect.is_error:
            assert what == "error", f"{key}: expected an error ({expect.problem}), got an article"
            assert expect.problem in value, (key, value)
            _reported_on_one_line(run, command, key, value)
        else:
            assert what == "article", f"{key}: expected an article, got: {value}"
            _whole(value, validate)
            expect.check(value)


def _reported_on_one_line(run: Run, command: str, key: str, problem: str) -> None:
    """The error is one line of stderr, naming the record (batch keeps record errors in errors.jsonl and
    names on stderr only the inputs that cannot be read)."""
    lines = [line for line in run.error_lines() if line.endswith(f": {problem}")]
    assert "\n" not in problem and problem.strip() == problem
    if command != "batch":
        assert f"sayso: {run.record_ids[key]}: {problem}" in lines, (key, problem, lines)


def _whole(data: dict, validate) -> None:
    """A sayso.article/1 object whose every span and mention is text of the article, at its offsets."""
    validate(data)
    article = Article.from_json(data)  # checks the span texts against the text again
    for entity in article.entities:
        for start, end in entity.mentions:
            assert 0 <= start < end <= len(article.text)
    assert not any("\ud800" <= ch <= "\udfff" for ch in article.text)


@pytest.mark.parametrize("command", list(RUNS))
def test_every_run_ends_with_exit_2_no_traceback_and_nothing_unexplained(request, inputs, command):
    _, made = inputs
    run: Run = request.getfixturevalue(RUNS[command])
    assert run.returncode == 2, run.stderr[-2000:]
    assert "Traceback" not in run.stderr and "Error:" not in run.stderr.replace("sayso: ", ""), run.stderr[-3000:]
    expected = {key for kind in KINDS if command in kind.commands for key in made[kind.name]}
    assert set(run.outcomes) <= expected, sorted(set(run.outcomes) - expected)


def test_ingest_leaves_a_sound_database(ingest_run):
    assert ingest_run.integrity == "ok"


def test_words_two_rules_both_claim_become_one_span(polnear_dir):
    """A passive subject whose phrase runs into its complement ("executives are expected to unveil ..."):
    the two rules' content spans overlapped, and the article could not be written (SpanError)."""
    from sayso.pipeline import annotate

    text = (polnear_dir / "train" / "text" / "nyt_2016-05-17_a-big-bet-on-nostalgia.txt").read_text()
    paragraph = next(p for p in text.split("\n\n") if "executives are expected to unveil" in p)
    art = annotate(Article(text=f"A Big Bet on Nostalgia\n\n{paragraph}"))
    data = art.to_json()  # raised SpanError before
    expected = next(a for a in data["attributions"] if a["cue"]["text"] == "are expected")
    assert expected["content"]["text"].startswith("executives are expected to unveil new adaptations")
    for att in art.attributions:
        for role in (att.content, att.source):
            assert all(a[1] <= b[0] for a, b in zip(role, role[1:]))
