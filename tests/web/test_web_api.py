import csv
import io
import json
import re
import sqlite3
import subprocess
import sys

import pytest
from fastapi.testclient import TestClient

from sayso.errors import StoreError
from sayso.model import Article
from sayso.store import export
from sayso.web import create_app

#: What the API adds to a sayso.article/1 object: the corpus view of the same article.
ARTICLE_EXTRAS = ("id", "date", "record", "has_original")


@pytest.fixture(scope="module")
def db(corpus_db):
    conn = sqlite3.connect(corpus_db)
    conn.row_factory = sqlite3.Row
    yield conn
    conn.close()


def one(db, sql, *args):
    return db.execute(sql, args).fetchone()[0]


def test_home_twin_counts_the_corpus(client, db):
    home = client.get("/api").json()
    assert home["articles"] == one(db, "SELECT count(*) FROM articles") == 10
    assert home["attributions"] == one(db, "SELECT count(*) FROM attributions")
    page = client.get("/").text
    assert f'<strong id="n-attributions">{home["attributions"]}</strong>' in page
    for s in home["top_speakers"][:3]:
        assert f'href="/speakers/{s["id"]}"' in page
    assert '<a href="/speakers?kind=outlet">The outlets quoted' in page


def test_article_json_is_a_sayso_article_with_corpus_speakers(client, db, validate):
    article_id = one(db, "SELECT id FROM articles WHERE title LIKE 'Whitcombe Budget%'")
    data = client.get(f"/api/articles/{article_id}").json()
    core = {k: v for k, v in data.items() if k not in ARTICLE_EXTRAS}
    core["entities"] = [{k: v for k, v in e.items() if k != "speaker"} for e in core["entities"]]
    core["attributions"] = [{k: v for k, v in a.items() if k not in ("speaker", "via_speakers")}
                            for a in core["attributions"]]
    validate(core)
    assert Article.from_json(data).to_json() == core
    assert data["outlet"] == "Coastline Daily" and data["date"] == "2026-01-14"
    by_entity = {e["id"]: e["speaker"] for e in data["entities"]}
    for att in data["attributions"]:
        if att["source"]["entity"]:
            assert set(att["speaker"]) == {"id", "name", "kind", "aliases", "roles"}
            assert att["speaker"]["id"] == by_entity[att["source"]["entity"]]
        assert [s["id"] for s in att["via_speakers"]] == [by_entity[v] for v in att["via"]]
    assert any(a["via_speakers"] for a in data["attributions"])
    original = client.get(f"/api/articles/{article_id}/original")
    assert original.headers["content-type"] == "application/octet-stream"
    assert "attachment" in original.headers["content-disposition"]
    assert b"Whitcombe Budget Leaves Harbor Bridge Repair Unfunded" in original.content


def test_articles_download_holds_each_listed_article_whole(client):
    params = {"outlet": "valley ledger", "since": "2026-04"}
    listed = client.get("/api/articles", params={**params, "per_page": 200}).json()["results"]
    r = client.get("/api/articles.jsonl", params=params)
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/x-ndjson")
    assert 'filename="sayso-articles.jsonl"' in r.headers["content-disposition"]
    lines = [json.loads(line) for line in r.text.splitlines()]
    assert [a["id"] for a in lines] == [a["id"] for a in listed] and len(lines) >= 2
    for art in lines:
        assert art == client.get(f"/api/articles/{art['id']}").json()
    assert len(client.get("/api/articles.jsonl").text.splitlines()) == client.get("/api/articles").json()["total"]
    page = client.get("/articles", params=params).text
    for fmt in ("csv", "parquet", "jsonl"):
        assert f'href="/api/articles.{fmt}?outlet=valley+ledger&amp;since=2026-04-01"' in page
    # the list as a table: the same articles, a row each
    import pyarrow.parquet as pq

    rows = list(csv.DictReader(io.StringIO(client.get("/api/articles.csv", params=params).text)))
    assert [int(r["article_id"]) for r in rows] == [a["id"] for a in listed]
    table = pq.read_table(io.BytesIO(client.get("/api/articles.parquet", params=params).content)).to_pylist()
    assert [(r["article_id"], r["title"], r["attributions"]) for r in table] == [
        (a["id"], a["title"], a["attributions"]) for a in listed]
    assert client.get("/api/articles.jsonl", params={"until": "2026-13"}).status_code == 400


def test_search_twin_and_its_filters(client):
    data = client.get("/api/search", params={"q": "loan", "speaker": "Maria Delgado", "per_page": 2}).json()
    assert data["total"] >= 2 and len(data["results"]) == 2 and data["pages"] == -(-data["total"] // 2)
    assert all(h["speaker"]["name"] == "Maria Delgado" for h in data["results"])
    assert all("loan" in h["content"]["text"][s:e].lower() for h in data["results"] for s, e in h["matches"])
    second = client.get("/api/search", params={"q": "loan", "speaker": "Maria Delgado", "per_page": 2, "page": 2}).json()
    assert {h["content"]["text"] for h in second["results"]}.isdisjoint(h["content"]["text"] for h in data["results"])
    # the download holds the hits of every page, matched words included
    lines = client.get("/api/search.jsonl", params={"q": "loan", "speaker": "Maria Delgado"}).text.splitlines()
    assert [json.loads(line) for line in lines][:4] == data["results"] + second["results"]
    page = client.get("/search", params={"q": "loan", "speaker": "Maria Delgado"}).text
    assert f'<strong>{data["total"]}</strong> attribution' in page
    assert "<mark>loan</mark>" in page


def test_what_was_said_about_a_speaker_from_their_page(client):
    whitcombe = client.get("/api/speakers", params={"q": "Paul Whitcombe"}).json()["results"][0]
    assert f'href="/search?about={whitcombe["id"]}"' in client.get(f"/speakers/{whitcombe['id']}").text
    data = client.get("/api/search", params={"about": whitcombe["id"], "per_page": 200}).json()
    assert data["total"] > 0 and [s["name"] for s in data["named"]["about"]] == ["Paul Whitcombe"]
    assert data["filters"] == {"about": str(whitcombe["id"])}
    page = client.get("/search", params={"about": "Whitcombe"}).text
    assert f'<strong>{data["total"]}</strong> attribution' in page and "About:" in page
    rows = list(csv.DictReader(io.StringIO(client.get("/api/search.csv", params={"about": "Whitcombe"}).text)))
    assert len(rows) == data["total"]
    # a name that is no speaker's is said to be one, escaped
    page = client.get("/search", params={"about": "<b>Nobody</b>"}).text
    assert "no speaker by that name</strong>: contents that name “&lt;b&gt;Nobody&lt;/b&gt;”" in page


@pytest.mark.parametrize("query, status, message", [
    ("kind=rumour", 400, "kind must be one of"),
    ("since=2016-13-01", 400, "since must be a date"),
    ("page=0", 422, "greater than or equal to 1"),
    ("per_page=100000", 422, "less than or equal to 200"),
])
def test_bad_search_values_are_clear_errors(client, query, status, message):
    api = client.get(f"/api/search?{query}")
    assert api.status_code == status and message in api.text
    if not query.startswith("per_page"):  # the HTML page shows a fixed number of results
        page = client.get(f"/search?{query}")
        assert page.status_code == 400 and page.headers["content-type"].startswith("text/html")
        assert message in page.text


def test_speakers_by_name_or_alias_and_a_speaker_page(client):
    found = client.get("/api/speakers", params={"q": "whitcombe"}).json()["results"]
    assert [s["name"] for s in found] == ["Paul Whitcombe", "Whitcombe's office"]  # most quoted first
    speaker = client.get(f"/api/speakers/{found[0]['id']}").json()
    assert {"Whitcombe", "Paul Whitcombe"} <= set(speaker["aliases"]) and "Governor" in speaker["roles"]
    assert speaker["said"]["total"] == speaker["attributions"] == sum(t["count"] for t in speaker["timeline"])
    page = client.get(f"/speakers/{found[0]['id']}").text
    assert page.count('<rect class="bar"') == len(range(1, 7))  # January to June, one bar a month
    for hit in speaker["said"]["results"]:
        assert f'href="/articles/{hit["article"]["id"]}#{hit["id"]}"' in page


def test_the_speakers_csv_has_a_row_per_speaker_the_list_finds(client):
    listed = client.get("/api/speakers", params={"q": "whitcombe"}).json()["results"]
    r = client.get("/api/speakers.csv", params={"q": "whitcombe"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert 'filename="sayso-speakers.csv"' in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [(int(x["speaker_id"]), x["name"], x["aliases"].split(" | ")) for x in rows] == \
        [(s["id"], s["name"], s["aliases"]) for s in listed]
    assert [int(x["relayed"]) for x in rows] == [s["relayed"] + s["according_to"] for s in listed]
    every = list(csv.DictReader(io.StringIO(client.get("/api/speakers.csv").text)))
    assert len(every) == client.get("/api/speakers").json()["total"] > len(rows)
    page = client.get("/speakers", params={"q": "whitcombe"}).text
    assert 'href="/api/speakers.csv?q=whitcombe"' in page and 'href="/api/speakers.parquet?q=whitcombe"' in page


def test_the_speakers_parquet_holds_the_csv_rows_with_lists_and_integers(client):
    import pyarrow as pa
    import pyarrow.parquet as pq

    r = client.get("/api/speakers.parquet", params={"kind": "person"})
    assert r.status_code == 200 and 'filename="sayso-speakers.parquet"' in r.headers["content-disposition"]
    table = pq.read_table(io.BytesIO(r.content))
    assert table.column_names == list(export.SPEAKER_COLUMNS)
    aliases = table.schema.field("aliases").type
    assert pa.types.is_list(aliases) and aliases.value_type == pa.string()
    assert table.schema.field("speaker_id").metadata[b"description"] == export.SPEAKER_COLUMNS["speaker_id"].encode()
    rows = list(csv.DictReader(io.StringIO(client.get("/api/speakers.csv", params={"kind": "person"}).text)))
    assert table.to_pylist() == [
        {**x, "speaker_id": int(x["speaker_id"]), "attributions": int(x["attributions"]),
         "relayed": int(x["relayed"]), "roles": x["roles"].split(" | ") if x["roles"] else [],
         "aliases": x["aliases"].split(" | ")} for x in rows]
    assert len(rows) > 5 and {x["kind"] for x in rows} == {"person"}


def test_speakers_of_one_kind(client):
    every = client.get("/api/speakers", params={"per_page": 200}).json()["results"]
    outlets = client.get("/api/speakers", params={"kind": "outlet", "per_page": 200}).json()
    assert outlets["kind"] == "outlet" and outlets["results"]
    assert outlets["results"] == [s for s in every if s["kind"] == "outlet"]  # in the list's order
    assert [s["id"] for s in client.get("/api/speakers", params={"kind": "outlet", "q": "ledger"}).json()["results"]] \
        == [s["id"] for s in outlets["results"] if "Ledger" in s["name"]]
    rows = list(csv.DictReader(io.StringIO(client.get("/api/speakers.csv", params={"kind": "outlet"}).text)))
    assert [int(r["speaker_id"]) for r in rows] == [s["id"] for s in outlets["results"]]
    page = client.get("/speakers", params={"kind": "outlet"}).text
    assert '<option value="outlet" selected>' in page and 'href="/api/speakers.csv?kind=outlet"' in page
    assert client.get("/speakers", params={"kind": ""}).status_code == 200  # the form's "any"
    r = client.get("/api/speakers", params={"kind": "planet"})
    assert r.status_code in (400, 422) and "kind must be one of" in r.text


def test_a_merged_speaker_redirects_to_the_speaker_it_joined(tmp_path):
    from sayso.store import ingest

    # a bare surname first, the full name in a later article: the surname's speaker folds into the full name
    first = tmp_path / "1-first.txt"
    first.write_text("Ferry Fares Rise\n\nOkafor said on Monday that the ferry fares would rise in April.")
    second = tmp_path / "2-second.txt"
    second.write_text("Harbor Board Meets\n\nHarbor board member Lena Okafor said the vote was postponed.")
    db = tmp_path / "c.sqlite"
    assert ingest([first, second], db).new == 2
    conn = sqlite3.connect(db)
    old, new = conn.execute("SELECT old_id, speaker_id FROM speaker_redirects").fetchone()
    name = conn.execute("SELECT name FROM speakers WHERE id = ?", (new,)).fetchone()[0]
    conn.close()
    assert name == "Lena Okafor"
    with TestClient(create_app(db)) as client:
        for prefix in ("", "/api"):
            r = client.get(f"{prefix}/speakers/{old}", follow_redirects=False)
            assert r.status_code == 301 and r.headers["location"] == f"{prefix}/speakers/{new}"


def test_unknown_things_are_404_in_html_and_json(client):
    assert client.get("/api/articles/999").status_code == 404
    assert client.get("/api/speakers/999").json() == {"detail": "No speaker 999 in this corpus."}
    page = client.get("/articles/999")
    assert page.status_code == 404 and "No article 999" in page.text


def test_exports_hold_every_match_in_three_formats(client):
    import pyarrow.parquet as pq

    params = {"since": "2026", "sort": "oldest"}
    total = client.get("/api/search", params=params).json()["total"]
    assert total > 20  # more than one page

    rows = list(csv.DictReader(io.StringIO(client.get("/api/search.csv", params=params).text)))
    assert len(rows) == total
    first = rows[0]
    assert first["link"].startswith("http://testserver/articles/")
    assert json.loads(first["content_spans"]) and first["date"] <= rows[-1]["date"]

    r = client.get("/api/search.jsonl", params=params)
    assert r.headers["content-disposition"] == 'attachment; filename="sayso-search.jsonl"'
    hits = [json.loads(line) for line in r.text.splitlines()]
    assert len(hits) == total
    assert hits[0]["content"]["text"] == first["content"] and hits[0]["id"] == first["attribution"]

    table = pq.read_table(io.BytesIO(client.get("/api/search.parquet", params=params).content))
    assert table.num_rows == total
    assert table.column_names == list(rows[0])
    assert table.column("content_spans").to_pylist()[0] == json.loads(first["content_spans"])


def test_every_page_has_a_json_twin_link(client, db):
    article_id = one(db, "SELECT min(id) FROM articles")
    speaker_id = one(db, "SELECT min(id) FROM speakers")
    for page, twin in [("/", "/api"), ("/search?q=bridge", "/api/search?q=bridge"), ("/articles", "/api/articles"),
                       (f"/articles/{article_id}", f"/api/articles/{article_id}"), ("/speakers", "/api/speakers"),
                       (f"/speakers/{speaker_id}", f"/api/speakers/{speaker_id}")]:
        html = client.get(page)
        assert html.status_code == 200 and f'class="twin" href="{twin}"' in html.text
        assert client.get(twin).status_code == 200


def test_article_text_is_escaped_everywhere(client, db):
    hostile = one(db, "SELECT id FROM articles WHERE outlet = '<b>Night</b> Desk'")
    page = client.get(f"/articles/{hostile}").text
    assert "<script>window" not in page and "<img src=x" not in page and "<b>Night" not in page
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in page
    assert "javascript:" not in page  # the url is not a web address, so it is no link
    data = re.search(r'<script type="application/json" id="attribution-data">(.*?)</script>', page, re.S).group(1)
    assert "</script" not in data and json.loads(data)
    for path in ("/", "/search?q=markup", f"/search?outlet={'<b>Night</b> Desk'}", "/articles"):
        assert "<b>Night</b>" not in client.get(path).text


def test_pages_carry_safety_headers_and_load_nothing_from_elsewhere(client):
    page = client.get("/")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["x-frame-options"] == "DENY"
    docs = client.get("/docs").text
    assert "swagger-ui-bundle.js" in docs
    assert not re.search(r'(src|href)="https?://', docs)
    for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', docs):
        assert client.get(asset).status_code == 200
    spec = client.get("/openapi.json").json()
    assert {"/api", "/api/search", "/api/search.csv", "/api/search.jsonl", "/api/search.parquet", "/api/articles",
            "/api/articles/{article_id}", "/api/speakers", "/api/speakers/{speaker_id}"} <= set(spec["paths"])
    filters = ["q", "speaker", "via", "about", "outlet", "kind", "since", "until", "sort"]
    for fmt in ("csv", "jsonl", "parquet"):
        assert [p["name"] for p in spec["paths"][f"/api/search.{fmt}"]["get"]["parameters"]] == filters


def test_the_server_cannot_write_to_the_corpus(client):
    conn = client.app.state.corpus.conn()
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        conn.execute("DELETE FROM articles")


def test_serving_a_missing_database_is_a_one_line_error(tmp_path):
    with pytest.raises(StoreError, match="no such corpus database"):
        create_app(tmp_path / "nope.sqlite")
    out = subprocess.run([sys.executable, "-m", "sayso.cli", "serve", "--db", str(tmp_path / "nope.sqlite")],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 2
    assert out.stderr.strip().splitlines() == [
        f"sayso: {tmp_path / 'nope.sqlite'}: no such corpus database (create it with: sayso ingest PATH... --db FILE)"]
