"""``sayso speakers``: the server's speaker list and speaker page from the shell, against the example corpus."""

import csv
import io
import json

import pytest

from commands import refused, run
from sayso.store.queries import find_speakers, list_speakers, speaker_page


def test_the_list_is_the_api_list_of_every_page_most_quoted_first(corpus_db, conn):
    out = run("speakers", "--json", "--db", corpus_db)
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout)
    expected = list_speakers(conn, per_page=200)
    assert got == expected["results"] and len(got) == expected["total"] > 10
    assert [s["attributions"] for s in got] == sorted((s["attributions"] for s in got), reverse=True)
    # words of a name or alias, prefixes too, as /api/speakers?q= reads them
    out = run("speakers", "delg", "--json", "--db", corpus_db)
    assert [s["name"] for s in json.loads(out.stdout)] == [s["name"] for s in list_speakers(conn, "delg")["results"]]
    assert "Maria Delgado" in [s["name"] for s in json.loads(out.stdout)]
    # of one kind
    out = run("speakers", "--kind", "outlet", "--json", "--db", corpus_db)
    assert json.loads(out.stdout) == list_speakers(conn, kind="outlet", per_page=200)["results"]
    assert {s["kind"] for s in json.loads(out.stdout)} == {"outlet"}


def test_the_table_and_the_csv_have_a_row_per_speaker(corpus_db, conn):
    top = list_speakers(conn, per_page=3)["results"]
    out = run("speakers", "--limit", "3", "--db", corpus_db)
    lines = out.stdout.decode().splitlines()
    assert len(lines) == 4 and lines[0].split()[:3] == ["ID", "ATTR", "RELAYED"]
    for line, sp in zip(lines[1:], top):
        assert line.split()[:3] == [str(sp["id"]), str(sp["attributions"]), str(sp["relayed"] + sp["according_to"])]
        assert f"{sp['name']} ({sp['kind']})" in line
    rows = list(csv.DictReader(io.StringIO(run("speakers", "--csv", "--db", corpus_db).stdout.decode())))
    assert len(rows) == list_speakers(conn)["total"]
    first = rows[0]
    assert (int(first["speaker_id"]), first["name"], first["aliases"].split(" | ")) == (
        top[0]["id"], top[0]["name"], top[0]["aliases"])


def test_the_parquet_file_holds_the_speakers_the_list_finds(corpus_db, conn, tmp_path):
    import pyarrow.parquet as pq

    path = tmp_path / "outlets.parquet"
    out = run("speakers", "--kind", "outlet", "--parquet", path, "--db", corpus_db)
    assert out.returncode == 0 and out.stdout == b"", out.stderr
    assert f"{path}: written" in out.stderr.decode()
    listed = list_speakers(conn, kind="outlet", per_page=200)["results"]
    table = pq.read_table(path).to_pylist()
    assert [(r["speaker_id"], r["name"], r["kind"], r["aliases"], r["roles"], r["relayed"]) for r in table] == [
        (s["id"], s["name"], "outlet", s["aliases"], s["roles"], s["relayed"] + s["according_to"]) for s in listed]
    assert listed


def test_show_gives_one_speaker_with_positions_and_contradictions(corpus_db, conn):
    (pruitt,) = find_speakers(conn, "Pruitt")
    out = run("speakers", "--show", "Pruitt", "--json", "--db", corpus_db)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == json.loads(json.dumps(speaker_page(conn, pruitt)))
    page = speaker_page(conn, pruitt)
    text = run("speakers", "--show", str(pruitt), "--db", corpus_db).stdout.decode()
    assert text.startswith(f"Harlan Pruitt (person), speaker {pruitt}\n")
    flat = " ".join(text.split())
    assert page["claims"]["positions"] and all(p["claim"]["id"] in flat for p in page["claims"]["positions"])
    for key, label in (("agrees_with", "agrees with"), ("contradicts", "contradicts")):
        for edge in page["claims"][key]:
            assert f"{edge['speaker']['name']} ({edge['speaker']['id']})" in flat and label in flat
    assert f"sayso search --speaker {pruitt}" in flat


@pytest.mark.parametrize("args, problem", [
    (["--show", "Nobody Atall"], "no speaker goes by 'Nobody Atall'"),
    (["--show", "987654"], "no speaker 987654"),
    (["--show", "Pruitt", "--csv"], "--show shows one speaker"),
    (["--show", "Pruitt", "--kind", "person"], "--show shows one speaker"),
    (["--json", "--csv"], "three formats"),
    (["--csv", "--parquet", "out.parquet"], "three formats"),
    (["--show", "Pruitt", "--parquet", "out.parquet"], "--show shows one speaker"),
    (["--parquet", "no/such/folder/out.parquet"], "no/such/folder/out.parquet: cannot be written"),
    (["--db", "missing.sqlite"], "no such corpus database"),
])
def test_bad_requests_are_one_line_and_exit_2(corpus_db, args, problem):
    if "--db" not in args:
        args = [*args, "--db", corpus_db]
    refused(run("speakers", *args), problem)


def test_a_surname_of_several_speakers_asks_for_an_id(tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a.txt").write_text("Senate Vote\n\nSenator Hillary Clinton said on Monday that the bill would pass.\n")
    (pages / "b.txt").write_text("Library Opens\n\nFormer president Bill Clinton said the library would open in May.\n")
    db = tmp_path / "corpus.sqlite"
    assert run("ingest", pages, "--db", db).returncode == 0
    out = run("speakers", "--show", "Clinton", "--db", db)
    assert out.returncode == 2
    message = out.stderr.decode().strip()
    assert "'Clinton' names 2 speakers (" in message and "Hillary Clinton" in message and "Bill Clinton" in message
    assert message.endswith("give one's id")


def test_the_text_of_a_speaker_cuts_long_lists_and_says_how_many_more(conn, capsys):
    from sayso.cli import _speaker_lines

    (pruitt,) = find_speakers(conn, "Pruitt")
    page = speaker_page(conn, pruitt)
    roles = [f"role {n}" for n in range(1, 13)]
    _speaker_lines({**page, "roles": roles}, True)
    flat = " ".join(capsys.readouterr().out.split())
    assert "role 8; and 4 more (--json lists them)" in flat and "role 9" not in flat
    claims = {**page["claims"], "total": page["claims"]["total"] + 7}
    _speaker_lines({**page, "claims": claims}, True)
    assert f"{len(claims['positions'])} of their {claims['total']} claims" in " ".join(capsys.readouterr().out.split())
