"""Whom each content names, in the store: kept with every attribution, given back with the article and the
search hits, counted on each speaker's page both ways, and rebuilt for a store written before it was kept.
The corpus is examples/, where the Valley Ledger and Maria Delgado talk about Governor Paul Whitcombe."""

import json
import shutil
import sqlite3
import subprocess
import sys
from collections import Counter

import pytest

from sayso.errors import StoreError
from sayso.store import connect_readonly, queries
from sayso.store.schema import SCHEMA_VERSION
from subjects import subjects_of

SAYSO = [sys.executable, "-m", "sayso.cli"]


def speaker_id(conn, name):
    return conn.execute("SELECT id FROM speakers WHERE name = ?", (name,)).fetchone()[0]


def stored_articles(conn):
    return [queries.article(conn, i) for (i,) in conn.execute("SELECT id FROM articles ORDER BY id")]


def test_each_subject_is_kept_at_its_spans_with_its_speaker(conn):
    subjects = 0
    for art in stored_articles(conn):
        entities = {e["id"]: e for e in art["entities"]}
        for att in art["attributions"]:
            for sub in att["about"]:
                subjects += 1
                assert sub["text"] == " ".join(art["text"][s:e] for s, e in sub["spans"])
                assert all(any(s <= a and b <= e for s, e in att["content"]["spans"]) for a, b in sub["spans"])
                if sub["entity"] is None:
                    assert sub["speaker"] is None
                else:
                    assert sub["speaker"] == entities[sub["entity"]]["speaker"]
    assert subjects > 5
    # "the governor" in what the Ledger's sources said is Whitcombe, as the article resolved it
    whitcombe = speaker_id(conn, "Paul Whitcombe")
    named_so = [sub["text"] for art in stored_articles(conn) for att in art["attributions"]
                for sub in att["about"] if sub["speaker"] == whitcombe]
    assert "Paul Whitcombe" in named_so and any("Whitcombe" not in text for text in named_so)


def test_search_hits_say_whom_they_are_about_as_their_article_does(conn):
    articles = {art["id"]: {a["id"]: a["about"] for a in art["attributions"]} for art in stored_articles(conn)}
    hits = queries.search(conn, queries.Filters(), per_page=200)["results"]
    assert hits and any(h["about"] for h in hits)
    for hit in hits:
        assert hit["about"] == articles[hit["article"]["id"]][hit["id"]]


def expected_subjects(conn, speaker):
    """Whom ``speaker``'s attributions name, and whose name ``speaker``, counted from the articles' JSON:
    a subject is the speaker of their entity, or the one corpus speaker who goes by their name."""
    talks, talked = Counter(), Counter()
    for art in stored_articles(conn):
        for att in art["attributions"]:
            said_by = att["speaker"]["id"] if att["speaker"] else None
            named = subjects_of(conn, att)
            if said_by == speaker:
                talks.update(named - {speaker})
            elif said_by is not None and speaker in named:
                talked[said_by] += 1
    return talks, talked


@pytest.mark.parametrize("name", ["Paul Whitcombe", "Maria Delgado", "Valley Ledger", "Harlan Pruitt"])
def test_a_speaker_page_counts_whom_they_talk_about_and_who_talks_about_them(conn, name):
    speaker = speaker_id(conn, name)
    page = queries.speaker_page(conn, speaker)
    talks, talked = expected_subjects(conn, speaker)
    assert {(t["speaker"]["id"] if t["speaker"] else ("name", t["name"])): t["count"]
            for t in page["talks_about"]} == dict(talks)
    assert {t["speaker"]["id"]: t["count"] for t in page["talked_about_by"]} == dict(talked)
    # each count links to a search that finds at least those attributions
    for t in page["talked_about_by"]:
        found = queries.search(conn, queries.Filters(speaker=str(t["speaker"]["id"]), about=str(speaker)))
        assert found["total"] >= t["count"]


def test_whitcombe_is_talked_about_by_the_ledger_and_delgado(conn):
    page = queries.speaker_page(conn, speaker_id(conn, "Paul Whitcombe"))
    assert {"Valley Ledger", "Maria Delgado"} <= {t["speaker"]["name"] for t in page["talked_about_by"]}
    delgado = queries.speaker_page(conn, speaker_id(conn, "Maria Delgado"))
    assert "Paul Whitcombe" in {t["name"] for t in delgado["talks_about"]}


def test_the_server_shows_both_lists_on_the_speaker_page(corpus_db):
    from fastapi.testclient import TestClient

    from sayso.web import create_app

    client = TestClient(create_app(corpus_db))
    with connect_readonly(corpus_db) as conn:
        whitcombe, delgado = speaker_id(conn, "Paul Whitcombe"), speaker_id(conn, "Maria Delgado")
    data = client.get(f"/api/speakers/{whitcombe}").json()
    assert any(t["speaker"]["id"] == delgado for t in data["talked_about_by"])
    page = client.get(f"/speakers/{whitcombe}").text
    assert 'id="talked-about-by"' in page and f'href="/search?speaker={delgado}&amp;about={whitcombe}"' in page
    said = client.get(f"/api/search?speaker={delgado}&about={whitcombe}").json()
    assert said["total"] > 0 and all(
        any(sub["speaker"] == whitcombe for sub in h["about"]) or "Whitcombe" in h["content"]["text"]
        for h in said["results"])
    # each hit, and each row of an article's table, links whom it names: a speaker to their page, a name to
    # what was said about it
    hits = client.get(f"/search?speaker={delgado}&about={whitcombe}").text
    assert hits.count(f'<a class="subject" href="/speakers/{whitcombe}">') == sum(
        any(sub["speaker"] == whitcombe for sub in h["about"]) for h in said["results"]) > 0
    article = next(h["article"]["id"] for h in said["results"] if h["about"])
    page = client.get(f"/articles/{article}").text
    table = page[page.index('<table id="attribution-table">'):]
    assert f'<a class="subject" href="/speakers/{whitcombe}">' in table
    bridge = next(sub for art in (client.get(f"/api/articles/{i}").json() for i in range(1, 11))
                  for att in art["attributions"] for sub in att["about"] if sub["speaker"] is None)
    named = client.get(f"/search?about={bridge['name']}").text
    assert f'<a class="subject" href="/search?about={bridge["name"].replace(" ", "%20")}">' in named


def test_a_version_2_store_is_upgraded_with_whom_its_contents_name(corpus_db, tmp_path):
    old = tmp_path / "v2.sqlite"
    shutil.copy(corpus_db, old)
    conn = sqlite3.connect(old)
    speakers_of = "SELECT attribution_id, speaker_id, spans FROM about WHERE speaker_id IS NOT NULL ORDER BY 1, 2"
    kept = conn.execute(speakers_of).fetchall()
    assert kept
    conn.executescript("DROP TABLE about; UPDATE meta SET value = '2' WHERE key = 'schema_version';"
                       " PRAGMA user_version = 2;")
    conn.close()
    with pytest.raises(StoreError, match=rf"schema version 2; this sayso reads version {SCHEMA_VERSION}: "
                                         r"upgrade it with `sayso upgrade --db"):
        connect_readonly(old)
    done = subprocess.run([*SAYSO, "upgrade", "--db", str(old)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"db": str(old), "from": 2, "to": SCHEMA_VERSION}
    with connect_readonly(old) as upgraded:
        # the named speakers of each article are found again; names of people who never speak were not kept
        assert [tuple(r) for r in upgraded.execute(speakers_of)] == kept
        assert upgraded.execute("SELECT count(*) FROM about WHERE speaker_id IS NULL").fetchone()[0] == 0
    again = subprocess.run([*SAYSO, "upgrade", "--db", str(old)], capture_output=True, text=True)
    assert again.returncode == 0 and json.loads(again.stdout)["from"] == SCHEMA_VERSION


@pytest.mark.parametrize("make, problem", [
    (lambda p: None, "no such corpus database"),
    (lambda p: p.write_text("not a database at all, just text" * 100), "not a sayso corpus database"),
])
def test_upgrading_what_is_no_store_is_one_line(tmp_path, make, problem):
    path = tmp_path / "c.sqlite"
    make(path)
    done = subprocess.run([*SAYSO, "upgrade", "--db", str(path)], capture_output=True, text=True)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and str(path) in done.stderr and problem in done.stderr
