"""Claims in the store: computed over the whole corpus, written whole, recomputed idempotently, listed by
`sayso claims`. The corpus is examples/corpus, where Harlan Pruitt and Maria Delgado say the eastern span
of the Harbor Bridge is unsafe, Governor Whitcombe and his spokeswoman deny it, and an engineer doubts it."""

import csv
import io
import json
import shutil
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from sayso.claims import STANCES, Encoder
from sayso.cli import main
from sayso.errors import StoreError
from sayso.store import CorpusWriter, connect, connect_readonly, ingest, queries
from sayso.store.claims import StoredEmbeddings, recompute
from sayso.store.export import CLAIM_COLUMNS
from sayso.store.schema import DDL
from sayso.web import create_app

ROOT = Path(__file__).resolve().parents[2]
SAYSO = [sys.executable, "-m", "sayso.cli"]
#: Every table that a computation of the claims writes.
CLAIM_TABLES = {
    "claims": "SELECT * FROM claims ORDER BY id",
    "claim_members": "SELECT * FROM claim_members ORDER BY attribution_id",
    "claim_edges": "SELECT e.claim_id, e.speaker_a, e.speaker_b, e.relation, group_concat(v.attribution_id)"
                   " FROM claim_edges e LEFT JOIN claim_edge_evidence v ON v.edge_id = e.id"
                   " GROUP BY e.id ORDER BY e.claim_id, e.speaker_a, e.speaker_b",
    "quotes": "SELECT q.text, q.repeats, s.seq, s.attribution_id, s.text, s.credits_first FROM quotes q"
              " JOIN quote_sightings s ON s.quote_id = q.id ORDER BY q.text, s.seq",
}


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("claims") / "corpus.sqlite"
    assert ingest([ROOT / "examples" / "corpus"], path).new == 8
    first = recompute(path)
    assert first.embedded > 0 and first.reused == 0
    return path


@pytest.fixture
def conn(db):
    c = connect_readonly(db)
    yield c
    c.close()


def speaker_id(conn, name: str) -> int:
    (found,) = queries.find_speakers(conn, name)
    return found


def eastern_span_claim(conn) -> str:
    """The claim of Pruitt's quotation "The eastern span is unsafe for heavy trucks ...", as first reported."""
    (claim_id,) = conn.execute(
        "SELECT m.claim_id FROM claim_members m JOIN attributions a ON a.id = m.attribution_id JOIN articles r"
        " ON r.id = a.article_id WHERE r.outlet = 'Coastline Daily' AND a.content_text LIKE '%unsafe for heavy trucks%'"
        " AND a.speaker_id = ?", (speaker_id(conn, "Harlan Pruitt"),)).fetchone()
    return claim_id


def copied(db: Path, tmp_path: Path) -> Path:
    """A copy of the module's store that a test may change."""
    copy = tmp_path / "copy.sqlite"
    with sqlite3.connect(db) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
    return copy


def dump(conn) -> dict[str, list[tuple]]:
    return {name: [tuple(r) for r in conn.execute(sql)] for name, sql in CLAIM_TABLES.items()}


def test_every_attribution_gets_a_claim_and_a_stance_and_labels_are_verbatim(conn):
    members = conn.execute("SELECT count(*), count(DISTINCT attribution_id) FROM claim_members").fetchone()
    assert tuple(members) == (conn.execute("SELECT count(*) FROM attributions").fetchone()[0],) * 2
    assert {r[0] for r in conn.execute("SELECT DISTINCT stance FROM claim_members")} <= set(STANCES)
    for label, text, size, counted in conn.execute(
            "SELECT c.label, r.text, c.attributions, (SELECT count(*) FROM claim_members m WHERE m.claim_id = c.id)"
            " FROM claims c JOIN attributions a ON a.id = c.label_attribution_id"
            " JOIN articles r ON r.id = a.article_id"):
        assert label and label in text  # words of the label attribution's content, or of its sentence
        assert size == counted


def test_speakers_assert_deny_and_doubt_the_same_claim(conn):
    claim_id = eastern_span_claim(conn)
    stances, counts = {}, Counter()
    for name, stance in conn.execute(
            "SELECT s.name, m.stance FROM claim_members m JOIN attributions a ON a.id = m.attribution_id"
            " JOIN speakers s ON s.id = a.speaker_id WHERE m.claim_id = ?", (claim_id,)):
        stances.setdefault(name, set()).add(stance)
        counts[name, stance] += 1
    assert "asserts" in stances["Harlan Pruitt"] and "asserts" in stances["Maria Delgado"]
    assert "denies" in stances["Paul Whitcombe"]
    # she doubts it, twice ("said she doubts the eastern span is unsafe but wants a second inspection"); what
    # she wants is read as no doubt of it
    assert counts["Rosa Lindqvist", "doubts"] == 2 and "denies" not in stances["Rosa Lindqvist"]
    row = conn.execute("SELECT * FROM claims WHERE id = ?", (claim_id,)).fetchone()
    assert row["asserts"] >= 3 and row["denies"] >= 2 and row["doubts"] >= 1
    assert row["articles"] >= 3 and row["first_date"] <= "2026-06-08" and row["last_date"] == "2026-06-11"


def test_edges_join_corpus_speakers_on_their_evidence(conn):
    claim_id = eastern_span_claim(conn)
    pruitt, delgado, whitcombe = (speaker_id(conn, n) for n in ("Harlan Pruitt", "Maria Delgado", "Paul Whitcombe"))
    edges = {}
    for edge_id, a, b, relation in conn.execute(
            "SELECT id, speaker_a, speaker_b, relation FROM claim_edges WHERE claim_id = ?", (claim_id,)):
        edges[frozenset((a, b))] = (edge_id, relation)
    assert edges[frozenset((pruitt, whitcombe))][1] == "contradict"
    assert edges[frozenset((pruitt, delgado))][1] == "agree"
    edge_id = edges[frozenset((pruitt, whitcombe))][0]
    evidence = conn.execute(
        "SELECT a.speaker_id, m.stance, m.claim_id FROM claim_edge_evidence v JOIN attributions a"
        " ON a.id = v.attribution_id JOIN claim_members m ON m.attribution_id = a.id WHERE v.edge_id = ?",
        (edge_id,)).fetchall()
    assert {r[0] for r in evidence} == {pruitt, whitcombe}
    assert {r[2] for r in evidence} == {claim_id}
    assert {r[1] for r in evidence if r[0] == pruitt} == {"asserts"}
    assert {r[1] for r in evidence if r[0] == whitcombe} <= {"denies", "doubts"}
    assert all(a != b for a, b in edges)


def test_the_quote_spread_is_stored_with_credit(conn):
    rows = conn.execute(
        "SELECT s.seq, r.outlet, r.date, s.credits_first, s.text FROM quotes q JOIN quote_sightings s"
        " ON s.quote_id = q.id JOIN attributions a ON a.id = s.attribution_id JOIN articles r ON r.id = a.article_id"
        " WHERE q.text LIKE '%unsafe for heavy trucks and has been for a year%' ORDER BY s.seq").fetchall()
    assert [tuple(r)[:4] for r in rows] == [(0, "Coastline Daily", "2026-06-08", None),
                                           (1, "Valley Ledger", "2026-06-09", 1),
                                           (2, "Coastline Herald", "2026-06-11", 0)]
    assert all("unsafe for heavy trucks" in r["text"] for r in rows)


def test_recomputing_is_idempotent_and_embeds_only_new_contents(db, tmp_path):
    copy = copied(db, tmp_path)
    with connect_readonly(copy) as c:
        before = dump(c)
    again = recompute(copy)
    assert again.embedded == 0 and again.reused > 0
    with connect_readonly(copy) as c:
        assert dump(c) == before
        assert queries.claims_status(c)["stale"] is False

    page = tmp_path / "new.txt"
    page.write_text("Mayor Backs Truck Ban\n\nMayor Lena Ortiz said on Friday that the eastern span was unsafe "
                    "for heavy trucks and should close to them at once.\n")
    assert ingest([page], copy).new == 1
    with connect_readonly(copy) as c:
        status = queries.claims_status(c)
        assert status["stale"] and (status["articles"], status["articles_now"]) == (8, 9)
        new_contents = c.execute("SELECT count(*) FROM attributions a JOIN articles r ON r.id = a.article_id"
                                 " WHERE r.record LIKE '%new.txt'").fetchone()[0]
    grown = recompute(copy)
    assert 1 <= grown.embedded <= 3 * new_contents and grown.reused >= again.reused
    with connect_readonly(copy) as c:
        assert queries.claims_status(c)["stale"] is False
        ortiz = speaker_id(c, "Lena Ortiz")
        (stance,) = c.execute("SELECT m.stance FROM claim_members m JOIN attributions a ON a.id = m.attribution_id"
                              " WHERE a.speaker_id = ?", (ortiz,)).fetchone()
        assert stance == "asserts"


def test_stored_embeddings_come_in_the_order_asked_and_a_stopped_run_resumes(tmp_path, monkeypatch):
    texts = ["the eastern span was unsafe for heavy trucks and should close to them at once, the mayor said",
             "unsafe", "the governor has never suggested delaying the repair", "we'll see"]
    direct = Encoder().encode(texts)
    path = tmp_path / "corpus.sqlite"
    connect(path).close()
    monkeypatch.setattr("sayso.store.claims.EMBED_CHUNK", 2)  # two texts a chunk: the second chunk fails
    calls = []

    class Stopping(Encoder):
        def encode(self, chunk):
            calls.append(list(chunk))
            if len(calls) == 2:
                raise KeyboardInterrupt
            return super().encode(chunk)

    conn = connect(path)
    with pytest.raises(KeyboardInterrupt):
        StoredEmbeddings(conn, Stopping()).encode(texts)
    # the shortest texts went first, and their chunk was kept
    assert calls[0] == ["unsafe", "we'll see"]
    again = StoredEmbeddings(conn, Encoder())
    out = again.encode(texts)
    assert (again.reused, again.embedded) == (2, 2)
    assert np.allclose(out, direct, atol=1e-5)
    conn.close()


def test_each_long_stage_of_a_computation_shows_how_far_it_has_come(db, tmp_path):
    copy = copied(db, tmp_path)
    with connect_readonly(copy) as c:
        before = dump(c)
    shown: dict[str, list[int]] = {}

    def progress(iterable, total, stage):  # what the command line's bars are given: each step, as it is taken
        shown[stage] = [total, 0]
        for x in iterable:
            shown[stage][1] += 1
            yield x

    summary = recompute(copy, progress=progress)
    assert {"read", "compare", "parse", "label"} <= set(shown)
    assert all(total == steps for total, steps in shown.values()), shown
    assert shown["read"][0] == 8 and shown["label"][0] == summary.claims
    with connect_readonly(copy) as c:
        assert dump(c) == before  # and the same claims as without it


def test_a_merged_speaker_keeps_their_edges(db, tmp_path):
    copy = copied(db, tmp_path)
    conn = connect(copy)
    pruitt, whitcombe = speaker_id(conn, "Harlan Pruitt"), speaker_id(conn, "Paul Whitcombe")
    def edges_of(speaker: int) -> int:
        return conn.execute("SELECT count(*) FROM claim_edges WHERE ? IN (speaker_a, speaker_b)", (speaker,)).fetchone()[0]

    before = edges_of(pruitt)
    conn.execute("BEGIN")
    CorpusWriter(conn).merge(pruitt, whitcombe)  # what a later article could make the writer do
    conn.execute("COMMIT")
    assert edges_of(pruitt) == 0 and edges_of(whitcombe) >= before
    conn.close()
    with connect_readonly(copy) as c:
        # the stored claim now reads as one speaker on both sides: no edge joins a speaker to themselves
        for claim in queries.claim_objects(c, [eastern_span_claim_of(c, whitcombe)]):
            assert all(e.a.id != e.b.id for e in claim.edges)


def eastern_span_claim_of(conn, speaker: int) -> str:
    (claim_id,) = conn.execute(
        "SELECT m.claim_id FROM claim_members m JOIN attributions a ON a.id = m.attribution_id"
        " WHERE a.content_text LIKE '%unsafe for heavy trucks and has been%' AND a.speaker_id = ? LIMIT 1",
        (speaker,)).fetchone()
    return claim_id


def test_a_version_1_store_is_upgraded_by_a_writer_and_explained_to_a_reader(tmp_path):
    old = tmp_path / "old.sqlite"
    conn = sqlite3.connect(old)
    conn.executescript(f"{DDL} INSERT INTO meta (key, value) VALUES ('schema_version', '1'); PRAGMA user_version = 1;")
    conn.close()
    with pytest.raises(StoreError, match=r"schema version 1; .*sayso upgrade --db"):
        connect_readonly(old)
    with pytest.raises(StoreError, match=r"upgrade it with `sayso upgrade --db"):
        create_app(old)  # what `sayso serve` says, in one line, before it listens
    upgraded = connect(old)  # a writer upgrades it, one version after the other
    assert upgraded.execute("PRAGMA user_version").fetchone()[0] == 3
    assert upgraded.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == "3"
    assert upgraded.execute("SELECT count(*) FROM claims").fetchone()[0] == 0
    assert upgraded.execute("SELECT count(*) FROM about").fetchone()[0] == 0
    upgraded.close()
    with connect_readonly(old) as c:
        assert queries.claims_status(c) is None


# ------------------------------------------------------------------------------------------------ the CLI
def test_cli_computes_claims_when_there_are_none_then_reads_them(tmp_path):
    db = tmp_path / "c.sqlite"
    shutil.copy(ROOT / "examples" / "corpus" / "harbor-wire.jsonl", tmp_path / "wire.jsonl")
    shutil.copy(ROOT / "examples" / "corpus" / "2026-06-eastern-span.html", tmp_path)
    assert ingest([tmp_path], db).new == 6
    first = subprocess.run([*SAYSO, "claims", "--db", str(db), "--json"], capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    assert "no claims stored yet: computing them" in first.stderr
    claims = json.loads(first.stdout)
    assert claims and isinstance(claims, list)
    for claim in claims:
        assert {"id", "label", "attributions", "edges"} <= set(claim)
        for att in claim["attributions"]:
            assert {"speaker", "stance", "content", "article_id", "attribution_id"} <= set(att)
            assert att["stance"] in STANCES
            assert att["speaker"] is None or set(att["speaker"]) == {"id", "name", "aliases"}
        for edge in claim["edges"]:
            assert edge["relation"] in ("agree", "contradict") and len(edge["speakers"]) == 2
            assert {(e["article_id"], e["attribution_id"]) for e in edge["evidence"]} <= {
                (a["article_id"], a["attribution_id"]) for a in claim["attributions"]}
    (span,) = [c for c in claims if any("unsafe for heavy trucks and has been" in a["content"]
                                        for a in c["attributions"])]
    contradict = {frozenset(s["name"] for s in e["speakers"]) for e in span["edges"] if e["relation"] == "contradict"}
    assert frozenset({"Harlan Pruitt", "Paul Whitcombe"}) in contradict

    # reading what is stored needs no model: the same command, in this process
    table = CliRunner().invoke(main, ["claims", "--db", str(db)])
    assert table.exit_code == 0 and "reading the" in table.stderr and "computing" not in table.stderr
    assert table.stdout.splitlines()[0].split() == ["CLAIM", "ATTR", "SPK", "LABEL", "/", "WHO"]
    assert span["id"] in table.stdout and "denies: " in table.stdout

    ld = CliRunner().invoke(main, ["claims", "--db", str(db), "--jsonld"])
    graph = json.loads(ld.stdout)
    assert graph["@context"] == "https://schema.org"
    assert [n["identifier"] for n in graph["@graph"]] == [c["id"] for c in claims]
    assert all(n["@type"] == "Claim" and n["text"] for n in graph["@graph"])


def test_cli_claims_errors_are_one_line(tmp_path):
    out = subprocess.run([*SAYSO, "claims", "--db", str(tmp_path / "missing.sqlite")], capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 2 and out.stderr.strip().endswith("no such corpus database (create it with: "
                                                               "sayso ingest PATH... --db FILE)")
    for formats in (["--json", "--jsonld"], ["--jsonld", "--csv"]):
        both = CliRunner().invoke(main, ["claims", "--db", str(tmp_path / "missing.sqlite"), *formats])
        assert both.exit_code == 2 and "choose one" in both.stderr


def test_cli_claims_csv_has_a_row_per_member_as_the_json_lists_them(corpus_db):
    as_json = json.loads(CliRunner().invoke(main, ["claims", "--db", str(corpus_db), "--json"]).stdout)
    out = CliRunner().invoke(main, ["claims", "--db", str(corpus_db), "--csv"])
    assert out.exit_code == 0, out.output
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert list(rows[0]) == list(CLAIM_COLUMNS)
    expected = [(c["id"], c["label"], str(a["speaker"]["id"]) if a["speaker"] else "", a["stance"], a["content"],
                 str(a["article_id"]), a["attribution_id"]) for c in as_json for a in c["attributions"]]
    assert [(r["claim_id"], r["label"], r["speaker_id"], r["stance"], r["content"], r["article_id"],
             r["attribution"]) for r in rows] == expected
    with connect_readonly(corpus_db) as c:
        for r in rows:  # each row is the stored attribution, in its article
            kind, cue, outlet, title = c.execute(
                "SELECT a.kind, a.cue_text, r.outlet, r.title FROM attributions a JOIN articles r ON r.id = a.article_id"
                " WHERE r.id = ? AND a.local_id = ?", (int(r["article_id"]), r["attribution"])).fetchone()
            assert (r["kind"], r["cue"], r["outlet"], r["title"]) == (kind, cue, outlet or "", title or "")
    # the filters apply as to the other formats
    denies = CliRunner().invoke(main, ["claims", "--db", str(corpus_db), "--csv", "--speaker", "Whitcombe",
                                       "--stance", "denies"])
    ids = {r["claim_id"] for r in csv.DictReader(io.StringIO(denies.stdout))}
    assert ids and ids < {r["claim_id"] for r in rows}


def test_cli_claims_filters_are_those_of_the_api(corpus_db):
    """--query, --speaker, --stance and --about keep the claims /api/claims keeps, in the same order."""
    with connect_readonly(corpus_db) as c:
        every = [x["id"] for x in queries.list_claims(c, per_page=200)["results"]]
        cases = [({"speaker": "Whitcombe", "stance": "denies"}, ["--speaker", "Whitcombe", "--stance", "denies"]),
                 ({"q": "unsafe"}, ["--query", "unsafe"]),
                 ({"stance": "doubts"}, ["--stance", "doubts"]),
                 ({"about": "Whitcombe"}, ["--about", "Whitcombe"])]
        for api, cli in cases:
            expected = [x["id"] for x in queries.list_claims(c, per_page=200, **api)["results"]]
            out = CliRunner().invoke(main, ["claims", "--db", str(corpus_db), "--json", *cli])
            assert out.exit_code == 0, out.output
            got = json.loads(out.stdout)
            assert [x["id"] for x in got] == expected and 0 < len(expected) < len(every), api
            for claim in got:
                members = claim["attributions"]
                if "speaker" in api:
                    members = [a for a in members if a["speaker"] and "Whitcombe" in a["speaker"]["name"]]
                assert any(a["stance"] == api.get("stance", a["stance"]) for a in members), (api, claim["id"])
    # a speaker the corpus does not know takes part in nothing; a bad filter is one line before any output
    none = CliRunner().invoke(main, ["claims", "--db", str(corpus_db), "--json", "--speaker", "Nobody Known"])
    assert none.exit_code == 0 and json.loads(none.stdout) == []
    bad = CliRunner().invoke(main, ["claims", "--db", str(corpus_db), "--stance", "shouts"])
    assert bad.exit_code == 2 and "shouts" in bad.output


def test_claims_are_read_in_chunks_small_enough_for_their_members(conn, monkeypatch):
    whole = [c.to_json() for c in queries.iter_claims(conn)]
    sizes = [len(c["attributions"]) for c in whole]
    assert len(whole) > 3 and max(sizes) > 2
    read = []
    real = queries.claim_objects
    monkeypatch.setattr(queries, "claim_objects", lambda c, ids, edges: read.append(len(ids)) or real(c, ids, edges))
    limit = max(sizes)  # the largest claim alone, the small ones together up to that many members
    assert [c.to_json() for c in queries.iter_claims(conn, chunk_members=limit)] == whole
    assert sum(read) == len(whole) and 1 < len(read) < len(whole)
    at = 0
    for n in read:
        assert n == 1 or sum(sizes[at:at + n]) <= limit
        at += n
    read.clear()
    assert [c.to_json() for c in queries.iter_claims(conn, chunk=2)] == whole
    assert max(read) == 2
    # a download of rows reads no edges, and the same members
    lean = [c.to_json() for c in queries.iter_claims(conn, edges=False)]
    assert all(c["edges"] == [] for c in lean) and any(c["edges"] for c in whole)
    assert lean == [{**c, "edges": []} for c in whole]
