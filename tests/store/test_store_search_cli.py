"""``sayso search``: the server's search and exports from the shell, against the example corpus."""

import csv
import io
import json

import pyarrow.parquet as pq
import pytest

from commands import run
from sayso.store.queries import Filters, search
from sayso.store.export import COLUMNS


def test_jsonl_lines_are_the_api_hits_of_every_page(corpus_db, conn):
    out = run("search", "bridge", "--speaker", "Maria Delgado", "--db", corpus_db)
    assert out.returncode == 0, out.stderr
    hits = [json.loads(line) for line in out.stdout.decode().splitlines()]
    expected = search(conn, Filters.parse(q="bridge", speaker="Maria Delgado"), per_page=200)
    assert 0 < len(hits) == expected["total"]
    # the hits of /api/search, with the offsets of the query's words in each content
    assert hits == expected["results"]
    assert all(h["matches"] and all("bridge" in h["content"]["text"][s:e].lower() for s, e in h["matches"])
               for h in hits)
    assert {h["speaker"]["name"] for h in hits} == {"Maria Delgado"}
    assert out.stderr.decode().strip() == f"sayso: {corpus_db}: {len(hits)} attributions"


def test_about_and_speaker_together_from_the_shell(corpus_db, conn):
    out = run("search", "--about", "Whitcombe", "--speaker", "Delgado", "--db", corpus_db)
    assert out.returncode == 0, out.stderr
    hits = [json.loads(line) for line in out.stdout.decode().splitlines()]
    assert hits and hits == search(conn, Filters.parse(about="Whitcombe", speaker="Delgado"), per_page=200)["results"]


def test_csv_and_parquet_rows_hold_the_export_columns(corpus_db, conn, tmp_path):
    total = search(conn, Filters.parse(kind="direct"))["total"]
    out = run("search", "--kind", "direct", "--sort", "oldest", "--format", "csv", "--db", corpus_db)
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout.decode())))
    assert len(rows) == total > 0
    assert list(rows[0]) == list(COLUMNS)
    assert {r["kind"] for r in rows} == {"direct"}
    assert [r["date"] for r in rows] == sorted(r["date"] for r in rows)
    assert rows[0]["link"] == f"/articles/{rows[0]['article_id']}#{rows[0]['attribution']}"
    # every content is the article's text at the recorded offsets
    for r in rows:
        text = conn.execute("SELECT text FROM articles WHERE id = ?", (int(r["article_id"]),)).fetchone()[0]
        assert " ".join(text[s:e] for s, e in json.loads(r["content_spans"])) == r["content"]

    target = tmp_path / "direct.parquet"
    out = run("search", "--kind", "direct", "--sort", "oldest", "--format", "parquet", "-o", target,
              "--base-url", "http://127.0.0.1:8000/", "--db", corpus_db)
    assert out.returncode == 0, out.stderr
    assert f"written to {target}" in out.stderr.decode()
    table = pq.read_table(target)
    assert table.num_rows == total and table.column_names == list(COLUMNS)
    assert table.column("link").to_pylist()[0] == "http://127.0.0.1:8000" + rows[0]["link"]
    assert table.column("content").to_pylist() == [r["content"] for r in rows]


def test_limit_keeps_the_first_in_sort_order(corpus_db):
    every = run("search", "--sort", "oldest", "--db", corpus_db).stdout.decode().splitlines()
    first = run("search", "--sort", "oldest", "--limit", "3", "--db", corpus_db).stdout.decode().splitlines()
    assert len(every) > 3 and first == every[:3]


@pytest.mark.parametrize("args, where, problem", [
    (["--since", "2016-13"], None, "since must be a date"),
    (["--since", "2026-06", "--until", "2026-01"], None, "is after until"),
    (["--db", "missing.sqlite"], "missing.sqlite", "no such corpus database"),
    (["-o", "no/such/folder/out.csv", "--format", "csv"], "no/such/folder/out.csv", "cannot be written"),
])
def test_bad_requests_are_one_line_and_exit_2(corpus_db, args, where, problem):
    if "--db" not in args:
        args = [*args, "--db", corpus_db]
    out = run("search", *args)
    assert out.returncode == 2 and out.stdout == b""
    lines = out.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and problem in lines[0]
    assert where is None or where in lines[0]


def test_a_file_that_is_no_corpus_is_refused(tmp_path):
    other = tmp_path / "notes.sqlite"
    other.write_text("these are notes, not a database")
    out = run("search", "--db", other)
    assert out.returncode == 2 and "not a sayso corpus database" in out.stderr.decode()


def test_a_parquet_export_is_written_a_row_group_at_a_time(conn):
    """The pieces of a Parquet export, a row group each, make the file that one group makes, so that memory
    holds a group, not the table; no row at all is still a file with its columns."""
    import io

    from sayso.store import export, queries

    hits = list(queries.iter_search(conn, queries.Filters()))
    assert len(hits) > 5
    whole = b"".join(export.parquet_chunks(iter(hits), "", group=10 ** 6))
    pieces = list(export.parquet_chunks(iter(hits), "", group=2))
    assert sum(1 for p in pieces if p) >= len(hits) // 2  # one piece a group, then the footer
    split = pq.ParquetFile(io.BytesIO(b"".join(pieces)))
    assert split.num_row_groups == -(-len(hits) // 2)
    assert split.read().equals(pq.read_table(io.BytesIO(whole)))
    empty = pq.read_table(io.BytesIO(b"".join(export.parquet_chunks(iter([]), ""))))
    assert empty.num_rows == 0 and empty.column_names == list(export.COLUMNS)
