"""Quotes repeated across articles, listed from the store: `queries.list_quotes` and `iter_quotes`, and
`sayso quotes` in its three formats.

The corpus is three outlets' stories of one mayor: the Harbor Gazette has her two quotations first, the
Valley Ledger repeats both a day later and names the Gazette, and the Coastline Herald repeats the first
two days later without naming it. So the bridge quotation is repeated twice (once with credit), and the
budget quotation once (with credit)."""

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from sayso.cli import main
from sayso.store import connect_readonly, ingest, queries
from sayso.store.claims import recompute
from sayso.store.export import QUOTE_COLUMNS, QUOTE_OUTLET_COLUMNS

BRIDGE = "We will finish the new harbor bridge before the winter storms arrive"
BUDGET = "The budget for the city schools will rise by ten percent next year"
STORIES = [
    {"url": "https://gazette.example/ortiz", "outlet": "Harbor Gazette", "published": "2026-03-02",
     "title": "Mayor Promises Bridge By Winter",
     "text": f"Mayor Promises Bridge By Winter\n\n\u201c{BRIDGE},\u201d Mayor Jane Ortiz said on Monday.\n\n"
             f"\u201c{BUDGET},\u201d Ortiz told the council."},
    {"url": "https://ledger.example/ortiz", "outlet": "Valley Ledger", "published": "2026-03-03",
     "title": "Ortiz Sets Bridge Deadline",
     "text": f"Ortiz Sets Bridge Deadline\n\n\u201c{BRIDGE},\u201d Mayor Jane Ortiz said, according to the "
             f"Harbor Gazette.\n\n\u201c{BUDGET},\u201d Ortiz added, the Harbor Gazette reported."},
    {"url": "https://herald.example/ortiz", "outlet": "Coastline Herald", "published": "2026-03-04",
     "title": "Bridge Promise Meets Doubts",
     "text": f"Bridge Promise Meets Doubts\n\n\u201c{BRIDGE},\u201d Mayor Jane Ortiz said this week.\n\n"
             "Engineers said the schedule was tight."},
]


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("quotes")
    (folder / "stories.jsonl").write_text("".join(json.dumps(s) + "\n" for s in STORIES))
    path = folder / "corpus.sqlite"
    assert ingest([folder / "stories.jsonl"], path).new == 3
    assert recompute(path).quotes == 2
    return path


@pytest.fixture
def conn(db):
    c = connect_readonly(db)
    yield c
    c.close()


def test_quotes_come_most_repeated_first_with_where_they_were_seen(conn):
    data = queries.list_quotes(conn)
    assert data["total"] == 2 and data["pages"] == 1 and data["computed"]["articles"] == 3
    bridge, budget = data["results"]
    assert BRIDGE in bridge["text"] and BUDGET in budget["text"]
    assert (bridge["repeats"], bridge["credited"], budget["repeats"], budget["credited"]) == (2, 1, 1, 1)
    assert (bridge["first_seen"]["outlet"], bridge["first_seen"]["published"]) == ("Harbor Gazette", "2026-03-02")
    assert bridge["first_seen"]["speaker"]["name"] == "Jane Ortiz"
    assert bridge["first_seen"]["title"] == "Mayor Promises Bridge By Winter"
    assert [(s["outlet"], s["published"], s["credits_first"]) for s in bridge["sightings"]] == [
        ("Valley Ledger", "2026-03-03", True), ("Coastline Herald", "2026-03-04", False)]
    assert bridge["repeated_by"] == ["Valley Ledger", "Coastline Herald"]
    # every sighting's text is the article's own words at the attribution it names
    for quote in (bridge, budget):
        for seen in [quote["first_seen"], *quote["sightings"]]:
            article = queries.article(conn, seen["article_id"])
            (att,) = [a for a in article["attributions"] if a["id"] == seen["attribution_id"]]
            assert seen["text"] in att["content"]["text"]
    # each quote names the claims its sightings are in, and a claim's page lists the same quote
    claim_id = bridge["claims"][0]["id"]
    assert conn.execute("SELECT label FROM claims WHERE id = ?", (claim_id,)).fetchone()[0] == \
        bridge["claims"][0]["label"]
    assert bridge in [{k: v for k, v in q.items()} for q in queries.claim_quotes(conn, claim_id)]


@pytest.mark.parametrize("filters, found", [
    ({"speaker": "Jane Ortiz"}, [BRIDGE, BUDGET]),
    ({"speaker": "Ortiz"}, [BRIDGE, BUDGET]),
    ({"speaker": "Nobody Known"}, []),
    ({"outlet": "coastline herald"}, [BRIDGE]),
    ({"outlet": "Harbor Gazette"}, [BRIDGE, BUDGET]),
    ({"outlet": "Nowhere Times"}, []),
    ({"uncredited": True}, [BRIDGE]),
    ({"min_repeats": 2}, [BRIDGE]),
    ({"min_repeats": 3}, []),
    ({"q": "schools"}, [BUDGET]),
    ({"q": "winter storms", "outlet": "Valley Ledger"}, [BRIDGE]),
    # first seen on March 2
    ({"since": "2026-03-02"}, [BRIDGE, BUDGET]),
    ({"since": "2026-03-03"}, []),
    ({"until": "2026-03"}, [BRIDGE, BUDGET]),
    ({"until": "2026-02"}, []),
    ({"since": "2026", "until": "2026-03-02", "uncredited": True}, [BRIDGE]),
])
def test_quotes_filters(conn, filters, found):
    data = queries.list_quotes(conn, **filters)
    assert [next(t for t in (BRIDGE, BUDGET) if t in q["text"]) for q in data["results"]] == found
    assert data["total"] == len(found)
    assert list(queries.iter_quotes(conn, **filters)) == data["results"]


def test_the_period_is_echoed_as_the_days_it_takes_in(conn):
    assert queries.list_quotes(conn, since="2026-03", until="2026")["filters"] == {"since": "2026-03-01",
                                                                                  "until": "2026-12-31"}
    from sayso.errors import QueryError

    with pytest.raises(QueryError, match="since must be a date"):
        queries.list_quotes(conn, since="March")
    with pytest.raises(QueryError, match="is after until"):
        list(queries.iter_quotes(conn, since="2026-04", until="2026-03"))


def test_quotes_page_and_chunk_alike(conn):
    whole = queries.list_quotes(conn)["results"]
    assert [q for p in (1, 2) for q in queries.list_quotes(conn, page=p, per_page=1)["results"]] == whole
    assert list(queries.iter_quotes(conn, chunk=1)) == whole
    assert queries.quote_page(conn, whole[0]["id"]) == {**whole[0], "computed": queries.claims_status(conn)}
    assert queries.quote_page(conn, 10 ** 9) is None


def test_a_speakers_most_repeated_quotes(conn):
    (ortiz,) = queries.find_speakers(conn, "Jane Ortiz")
    mine = queries.speaker_quotes(conn, ortiz, limit=1)
    assert mine["total"] == 2 and [BRIDGE in q["text"] for q in mine["results"]] == [True]
    assert queries.speaker_page(conn, ortiz)["quotes"] == {"total": 2,
                                                            "results": queries.list_quotes(conn)["results"]}
    (engineers,) = queries.find_speakers(conn, "Engineers")
    assert queries.speaker_quotes(conn, engineers) == {"total": 0, "results": []}


def test_who_repeats_whom_per_outlet(conn):
    assert queries.quote_outlets(conn) == [
        {"outlet": "Harbor Gazette", "first_seen": 2, "repeated": 0, "uncredited": 0, "repeated_by_others": 3,
         "credited_by_others": 2},
        {"outlet": "Valley Ledger", "first_seen": 0, "repeated": 2, "uncredited": 0, "repeated_by_others": 0,
         "credited_by_others": 0},
        {"outlet": "Coastline Herald", "first_seen": 0, "repeated": 1, "uncredited": 1, "repeated_by_others": 0,
         "credited_by_others": 0}]
    assert [o["outlet"] for o in queries.quote_outlets(conn, limit=1)] == ["Harbor Gazette"]


def test_bad_quote_filters_are_query_errors(conn):
    from sayso.errors import QueryError

    with pytest.raises(QueryError, match="min_repeats"):
        queries.list_quotes(conn, min_repeats=0)
    with pytest.raises(QueryError, match="per_page"):
        queries.list_quotes(conn, per_page=0)


def test_cli_lists_quotes_as_a_table_json_and_csv(db):
    runner = CliRunner()
    table = runner.invoke(main, ["quotes", "--db", str(db)])
    assert table.exit_code == 0, table.output
    lines = table.stdout.splitlines()
    assert lines[0].startswith("QUOTE")
    assert "2026-03-02 · Harbor Gazette · Jane Ortiz" in lines[1]
    assert "repeated by Valley Ledger, Coastline Herald*" in table.stdout  # the Herald gave no credit
    assert "reading the 2 repeated quotes stored on" in table.stderr

    listed = runner.invoke(main, ["quotes", "--db", str(db), "--json"])
    assert listed.exit_code == 0
    with connect_readonly(db) as conn:
        assert json.loads(listed.stdout) == queries.list_quotes(conn)["results"]

    rows = list(csv.DictReader(io.StringIO(runner.invoke(main, ["quotes", "--db", str(db), "--csv"]).stdout)))
    assert list(rows[0]) == list(QUOTE_COLUMNS)
    assert [(r["outlet"], r["seq"], r["credits_first"]) for r in rows] == [
        ("Harbor Gazette", "0", ""), ("Valley Ledger", "1", "true"), ("Coastline Herald", "2", "false"),
        ("Harbor Gazette", "0", ""), ("Valley Ledger", "1", "true")]
    assert all(r["text"] in r["quote"] or r["quote"] in r["text"] for r in rows)

    uncredited = runner.invoke(main, ["quotes", "--db", str(db), "--json", "--uncredited"])
    assert [q["repeats"] for q in json.loads(uncredited.stdout)] == [2]


def test_cli_lists_who_repeats_whom(db):
    runner = CliRunner()
    with connect_readonly(db) as conn:
        outlets = queries.quote_outlets(conn)
    as_json = runner.invoke(main, ["quotes", "--db", str(db), "--outlets", "--json"])
    assert as_json.exit_code == 0 and json.loads(as_json.stdout) == outlets
    rows = list(csv.DictReader(io.StringIO(runner.invoke(main, ["quotes", "--db", str(db), "--outlets", "--csv"]).stdout)))
    assert list(rows[0]) == list(QUOTE_OUTLET_COLUMNS)
    assert [{k: str(v) for k, v in o.items()} for o in outlets] == rows
    table = runner.invoke(main, ["quotes", "--db", str(db), "--outlets"]).stdout.splitlines()
    assert table[0].split() == ["FIRST", "REPEATED", "UNCRED", "BY", "OTHERS", "CREDITED", "OUTLET"]
    assert table[3].split() == ["0", "1", "1", "0", "0", "Coastline", "Herald"]
    mixed = runner.invoke(main, ["quotes", "--db", str(db), "--outlets", "--speaker", "Ortiz"])
    assert mixed.exit_code == 2 and "--outlets counts every quote" in mixed.stderr


def test_cli_writes_quotes_and_claims_as_parquet(db, tmp_path):
    import pyarrow.parquet as pq

    runner = CliRunner()
    for command in ("quotes", "claims"):
        target = tmp_path / f"{command}.parquet"
        out = runner.invoke(main, [command, "--db", str(db), "--parquet", str(target)])
        assert out.exit_code == 0 and out.stdout == "" and f"{target}: written" in out.stderr
        rows = list(csv.DictReader(io.StringIO(runner.invoke(main, [command, "--db", str(db), "--csv"]).stdout)))
        assert pq.read_table(target).num_rows == len(rows) > 0
    assert pq.read_table(tmp_path / "quotes.parquet").column("credits_first").to_pylist() == [
        None, True, False, None, True]
    both = runner.invoke(main, ["quotes", "--db", str(db), "--csv", "--parquet", str(tmp_path / "x.parquet")])
    assert both.exit_code == 2 and "choose one" in both.stderr
    nowhere = tmp_path / "no-such-folder" / "q.parquet"
    missing = runner.invoke(main, ["quotes", "--db", str(db), "--parquet", str(nowhere)])
    assert missing.exit_code != 0 and "cannot be written" in str(missing.exception or missing.stderr)


def test_cli_quotes_in_a_period_and_a_bad_date_before_any_computing(db, tmp_path):
    runner = CliRunner()
    found = runner.invoke(main, ["quotes", "--db", str(db), "--json", "--since", "2026-03", "--until", "2026-03-02"])
    assert found.exit_code == 0 and len(json.loads(found.stdout)) == 2
    later = runner.invoke(main, ["quotes", "--db", str(db), "--json", "--since", "2026-03-03"])
    assert json.loads(later.stdout) == []
    fresh = tmp_path / "fresh.sqlite"
    (tmp_path / "one.jsonl").write_text(json.dumps(STORIES[0]) + "\n")
    assert ingest([tmp_path / "one.jsonl"], fresh).new == 1
    for command in ("quotes", "claims"):
        bad = runner.invoke(main, [command, "--db", str(fresh), "--since", "March"])
        assert bad.exit_code != 0 and "since must be a date" in str(bad.exception or bad.stderr)
        assert "computing" not in bad.stderr  # refused before the claims were computed
    with connect_readonly(fresh) as conn:
        assert queries.claims_status(conn) is None


def test_cli_quotes_computes_claims_first_and_says_what_is_wrong(db, tmp_path):
    runner = CliRunner()
    fresh = tmp_path / "fresh.sqlite"
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "one.jsonl").write_text(json.dumps(STORIES[0]) + "\n" + json.dumps(STORIES[2]) + "\n")
    assert ingest([folder / "one.jsonl"], fresh).new == 2
    first = runner.invoke(main, ["quotes", "--db", str(fresh), "--json"])
    assert first.exit_code == 0, first.output
    assert "no claims stored yet: computing them over its 2 articles" in first.stderr
    assert [q["repeated_by"] for q in json.loads(first.stdout)] == [["Coastline Herald"]]

    both = runner.invoke(main, ["quotes", "--db", str(db), "--json", "--csv"])
    assert both.exit_code == 2 and "choose one" in both.stderr
    missing = subprocess.run([sys.executable, "-m", "sayso.cli", "quotes", "--db", str(tmp_path / "none.sqlite")],
                             capture_output=True, text=True, timeout=60)
    assert missing.returncode == 2 and not missing.stdout
    assert missing.stderr.strip().endswith("none.sqlite: no such corpus database (create it with: sayso ingest "
                                           "PATH... --db FILE)")
    assert len(missing.stderr.strip().splitlines()) == 1
