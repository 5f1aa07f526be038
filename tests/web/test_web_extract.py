"""Extraction on the server: POST /api/extract and the /extract page read a page as `sayso extract` does and
store nothing."""

import asyncio
import csv
import gzip
import io
import json
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sayso.ingest.records import Record
from sayso.pipeline import extract
from sayso.tables import attribution_rows
from sayso.web import app as app_module
from sayso.web import create_app
from sayso.web import extract as server_extract
from sayso.web.safety import MAX_BATCH_BYTES, MAX_PAGE_BYTES

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "examples" / "corpus" / "2026-06-eastern-span.html"


def rows(db) -> dict[str, int]:
    conn = sqlite3.connect(db)
    try:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("articles", "attributions", "speakers", "spans")}
    finally:
        conn.close()


def test_a_posted_page_is_its_article_json_as_extract_makes_it_and_nothing_is_stored(client, corpus_db, validate):
    before = rows(corpus_db)
    data = PAGE.read_bytes()
    r = client.post("/api/extract", content=data, headers={"Content-Type": "text/html"})
    assert r.status_code == 200, r.text
    got = r.json()
    validate(got)
    assert got == extract(data).to_json()
    assert len(got["attributions"]) >= 3 and got["outlet"]
    # and as a text page
    text = (ROOT / "examples" / "harbor-bridge.txt").read_text()
    r = client.post("/api/extract", content=text.encode(), headers={"Content-Type": "text/plain; charset=utf-8"})
    assert r.json() == extract(text).to_json()
    assert rows(corpus_db) == before


def test_a_json_body_is_read_as_a_line_of_a_dump(client, validate):
    line = json.loads((ROOT / "examples" / "corpus" / "harbor-wire.jsonl").read_text().splitlines()[0])
    page = line.get("html") or line["text"]
    r = client.post("/api/extract", json={**line, "title": "Set By The Sender", "outlet": "Wire Desk"})
    assert r.status_code == 200, r.text
    got = r.json()
    validate(got)
    assert (got["title"], got["outlet"]) == ("Set By The Sender", "Wire Desk")
    assert got["attributions"] == extract(page, url=line.get("url")).to_json()["attributions"]
    # the query's url wins over the object's
    r = client.post("/api/extract?url=https://news.example.org/x", json={"text": page})
    assert r.json()["url"] == "https://news.example.org/x"


def test_the_declared_charset_decodes_the_body(client):
    text = 'Café Row Reopens\n\n"The café will stay," Mayor Irène Dubois said on Monday.'
    r = client.post("/api/extract", content=text.encode("cp1252"), headers={"Content-Type": "text/plain; charset=windows-1252"})
    assert r.status_code == 200, r.text
    got = r.json()
    assert "Irène Dubois" in got["text"]
    assert [a["source"]["text"] for a in got["attributions"]] == ["Mayor Irène Dubois"]


def test_raw_keeps_the_offsets_of_the_body(client):
    text = "Advertisement\n\nHarbor News\n\n\n   \"We won,\" Senator Maria Harlan said.   \n\nShare this article\n"
    got = client.post("/api/extract?raw=true", content=text.encode()).json()
    assert got["text"] == text
    (a,) = got["attributions"]
    assert [text[s:e] for s, e in a["content"]["spans"]] == ['"We won,"']
    cleaned = client.post("/api/extract", content=text.encode()).json()
    assert cleaned["text"] == 'Harbor News\n\n"We won," Senator Maria Harlan said.'


@pytest.mark.parametrize("body, content_type, says", [
    (b"   \n ", "text/plain", "empty input"),
    (b"{", "application/json", "not a JSON object"),
    (b"[1, 2]", "application/json", "not a JSON object"),
    (b'{"url": "https://example.org/"}', "application/json", 'no "html" or "text" field'),
    ("La alcaldesa dijo el martes que el puente estará listo antes de las lluvias de la primavera, y que la "
     "ciudad cumplirá su promesa a los vecinos del barrio.".encode(), "text/plain", "not in English"),
])
def test_a_page_that_cannot_be_read_is_a_400_naming_the_body_and_the_problem(client, body, content_type, says):
    r = client.post("/api/extract", content=body, headers={"Content-Type": content_type})
    assert r.status_code == 400
    detail = r.json()["detail"]
    assert detail.startswith(server_extract.BODY_NAME + ": ") and says in detail and "\n" not in detail


def test_any_language_reads_a_page_that_is_not_english(client):
    body = ("La alcaldesa dijo el martes que el puente estará listo antes de las lluvias de la primavera, y que la "
            "ciudad cumplirá su promesa a los vecinos del barrio.").encode()
    assert "any_language=true reads it anyway" in client.post("/api/extract", content=body).json()["detail"]
    assert client.post("/api/extract?any_language=true", content=body).status_code == 200


def test_a_mode_that_does_not_exist_is_a_422(client):
    r = client.post("/api/extract?mode=slow", content=b"Harlan Wins\n\nHarlan said she won.")
    assert r.status_code == 422 and "mode" in json.dumps(r.json())


def test_accurate_mode_answers_too(client, validate):
    text = (ROOT / "examples" / "harbor-bridge.txt").read_text()
    got = client.post("/api/extract?mode=accurate", content=text.encode()).json()
    validate(got)
    assert got == extract(text, mode="accurate").to_json()


def test_an_oversized_body_is_refused_declared_or_not(client):
    big = b"a" * (MAX_PAGE_BYTES + 1)
    r = client.post("/api/extract", content=big)
    assert r.status_code == 413 and f"{MAX_PAGE_BYTES:,}" in r.json()["detail"]

    def chunks():  # no Content-Length: the body is counted as it arrives
        for _ in range(MAX_PAGE_BYTES // 65536 + 2):
            yield b"a" * 65536

    r = client.post("/api/extract", content=chunks())
    assert r.status_code == 413
    assert client.post("/api/extract", content=b"Harlan Wins\n\n\"We won,\" Senator Maria Harlan said.").status_code == 200


def test_pages_wait_their_turn_and_a_long_wait_is_a_503(monkeypatch):
    record = Record(id="<request body>", page='Harlan Wins\n\n"We won," Senator Maria Harlan said.')

    async def scenario():
        extractor = server_extract.Extractor()
        monkeypatch.setattr(server_extract, "WAIT_SECONDS", 0.2)
        await extractor._turn.acquire()  # a long extraction holds the pipeline
        with pytest.raises(server_extract.Busy):
            await extractor.run(record, "fast")
        monkeypatch.setattr(server_extract, "MAX_WAITING", 0)
        with pytest.raises(server_extract.Busy):
            await extractor.run(record, "fast")
        monkeypatch.setattr(server_extract, "MAX_WAITING", 8)
        monkeypatch.setattr(server_extract, "WAIT_SECONDS", 30)
        waiting = asyncio.ensure_future(extractor.run(record, "fast"))
        await asyncio.sleep(0.1)
        assert not waiting.done()
        extractor._turn.release()  # its turn comes
        got = await waiting
        assert got["attributions"][0]["source"]["text"] == "Senator Maria Harlan"
        assert not extractor._turn.locked() and extractor._waiting == 0

        # a request given up while its page is parsed keeps the turn until the parse ends
        long_page = Record(id="<request body>", page="Harlan Wins\n\n" + " ".join(
            f'"We won round {n}," Senator Maria Harlan said.' for n in range(400)))
        given_up = asyncio.ensure_future(extractor.run(long_page, "fast"))
        await asyncio.sleep(0.05)
        given_up.cancel()
        await asyncio.sleep(0)
        assert extractor._turn.locked()
        for _ in range(600):
            if not extractor._turn.locked():
                break
            await asyncio.sleep(0.05)
        assert not extractor._turn.locked()

    # on a thread of its own: the browser tests' session may keep an event loop running on this one
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, scenario()).result(timeout=120)


SPANISH = ("La alcaldesa dijo el martes que el puente estará listo antes de las lluvias de la primavera, y que la "
           "ciudad cumplirá su promesa a los vecinos del barrio.")


def answered_lines(r) -> list[dict]:
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/x-ndjson")
    return [json.loads(line) for line in r.text.splitlines()]


def test_a_posted_dump_is_answered_line_by_line_in_order_and_nothing_is_stored(client, corpus_db, validate):
    before = rows(corpus_db)
    wire = (ROOT / "examples" / "corpus" / "harbor-wire.jsonl").read_text().splitlines()
    page = PAGE.read_text(encoding="utf-8")
    body = "\n".join([wire[0], "not json", "", json.dumps({"html": page, "url": "https://edition.cnn.com/x"}),
                      json.dumps({"url": "https://example.org/"}), json.dumps({"text": SPANISH}), wire[1]]) + "\n"
    got = answered_lines(client.post("/api/extract/batch", content=body.encode(),
                                     headers={"Content-Type": "application/x-ndjson"}))
    # a line for each line but the blank one, in order; each page exactly what /api/extract answers for it
    assert [g.get("line") for g in got] == [None, 2, None, 5, 6, None]
    for i, line in ((0, wire[0]), (5, wire[1])):
        validate(got[i])
        assert got[i] == client.post("/api/extract", json=json.loads(line)).json()
    validate(got[2])
    assert got[2]["url"] == "https://edition.cnn.com/x" and got[2]["attributions"] == extract(PAGE.read_bytes()).to_json()["attributions"]
    assert got[1]["error"] == "<request body>:2: not a JSON object (JSONDecodeError)"
    assert got[3]["error"].startswith("<request body>:5: ") and 'no "html" or "text" field' in got[3]["error"]
    assert "not in English" in got[4]["error"] and "any_language=true reads it anyway" in got[4]["error"]
    assert rows(corpus_db) == before
    # the query's switches apply to every line
    got = answered_lines(client.post("/api/extract/batch?any_language=true&raw=true",
                                     content=(json.dumps({"text": SPANISH}) + "\n").encode()))
    assert got[0]["text"] == SPANISH


def test_a_batch_longer_than_a_turn_comes_whole_and_in_order(client, monkeypatch):
    monkeypatch.setattr(server_extract, "BATCH_TURN", 2)
    speakers = ["Maria Harlan", "Ana Ruiz", "Tom Okafor", "Lena Brandt", "Ravi Menon"]
    body = "".join(json.dumps({"text": f"Vote Day {n}\n\n\"We won,\" Senator {name} said on day {n}."}) + "\n"
                   for n, name in enumerate(speakers))
    got = answered_lines(client.post("/api/extract/batch", content=body.encode()))
    assert [g["attributions"][0]["source"]["text"] for g in got] == [f"Senator {name}" for name in speakers]


def test_a_real_server_sends_a_batch_turn_by_turn_and_takes_a_page_between_turns(corpus_db, polnear_dir):
    import threading
    import urllib.request

    from sayso.web.server import running

    texts = [p.read_text(encoding="utf-8") for p in sorted((polnear_dir / "dev" / "text").glob("*.txt"))]
    pages = texts[:2 * server_extract.BATCH_TURN + 1]  # three turns
    body = "".join(json.dumps({"text": t}) + "\n" for t in pages).encode()
    events, lock = [], threading.Lock()
    with running(corpus_db) as base:
        def post(path: str, data: bytes):
            return urllib.request.urlopen(urllib.request.Request(base + path, data=data), timeout=300)

        post("/api/extract", b"Vote Day\n\nHarlan said the bill would pass.").read()  # the pipeline loaded

        def single():
            answer = json.load(post("/api/extract?raw=true", pages[0].encode()))
            with lock:
                events.append(("page", answer))

        page = threading.Thread(target=single)
        with post("/api/extract/batch?raw=true", body) as r:
            for n, line in enumerate(r):
                with lock:
                    events.append(("batch", json.loads(line)))
                if n == 0:  # the first turn is sent as soon as it is read; a page sent now goes before the third
                    page.start()
        page.join()
    batch = [obj for what, obj in events if what == "batch"]
    assert [b["text"] for b in batch] == pages and not any("error" in b for b in batch)
    order = [what for what, _ in events]
    assert order.index("page") < len(order) - 1  # answered before the batch's last turn
    (answer,) = [obj for what, obj in events if what == "page"]
    assert answer == batch[0]  # a page alone and in a batch: the same article


def test_a_page_the_pipeline_fails_on_is_its_lines_error_and_the_others_are_read(client, monkeypatch):
    import sayso.pipeline as pipeline

    real = pipeline.annotate_many

    def failing(articles, mode="fast", batch_size=16):  # a crash no real page is known to cause
        articles = list(articles)
        if any("BREAKS" in a.text for a in articles):
            raise RuntimeError("the parser broke\nsecond line")
        return real(articles, mode, batch_size)

    monkeypatch.setattr(pipeline, "annotate_many", failing)
    pages = ['Vote Day\n\n"We won," Senator Maria Harlan said.', 'BREAKS Here\n\n"No," Mayor Ana Ruiz said.',
             'Dock Day\n\n"It is done," Mayor Ana Ruiz said.']
    got = answered_lines(client.post("/api/extract/batch", content="".join(
        json.dumps({"text": t}) + "\n" for t in pages).encode()))
    assert [g.get("title") for g in got] == ["Vote Day", None, "Dock Day"]
    assert got[1] == {"line": 2, "error": "<request body>:2: annotation failed (RuntimeError: the parser broke)"}


@pytest.mark.parametrize("body, says", [
    (b"", "no lines; send a page a line"), (b"\n  \n", "no lines; send a page a line"),
    (b' [{"text": "Harlan said so."}]', "a JSON array; send a page a line"),
    (gzip.compress(b'{"text": "Harlan Wins\\n\\nHarlan said so."}\n'), "gzipped; send the dump as it is"),
    (b"WARC/1.0\r\nWARC-Type: warcinfo\r\n\r\n", "a web archive, not a dump"),
])
def test_a_batch_body_that_is_no_dump_is_a_400(client, body, says):
    r = client.post("/api/extract/batch", content=body)
    assert r.status_code == 400 and r.json()["detail"].startswith(f"<request body>: {says}")


def test_a_dump_or_an_archive_sent_as_one_page_says_where_it_goes(client):
    dump = (ROOT / "examples" / "corpus" / "harbor-wire.jsonl").read_bytes()
    r = client.post("/api/extract", content=dump, headers={"Content-Type": "text/plain"})
    assert r.status_code == 400
    assert r.json()["detail"] == ("<request body>: a dump of pages (JSON Lines), not a page: send one page a "
                                  "request, or POST the dump to /api/extract/batch")
    r = client.post("/api/extract", content=b"WARC/1.0\r\nWARC-Type: warcinfo\r\n\r\n")
    assert r.status_code == 400 and "a web archive, not a page" in r.json()["detail"]
    # pasted into the form, it is kept there with what to do instead
    r = client.post("/extract", data={"article": dump.decode(), "url": "", "mode": "fast"})
    assert r.status_code == 400 and "a dump of pages (JSON Lines), not a page: paste one page" in r.text
    assert "Whitcombe Offers Loan" in r.text
    # a text that opens with a brace is still a page, as on the command line
    r = client.post("/api/extract", content=b"{Editor's note: corrected.}\n\nHarlan Wins\n\n\"We won,\" "
                                            b"Senator Maria Harlan said.")
    assert r.status_code == 200 and r.json()["attributions"]


def test_an_oversized_batch_is_refused_declared_or_not(client):
    line = json.dumps({"text": "Harlan Wins\n\n\"We won,\" Senator Maria Harlan said."}).encode() + b"\n"

    def chunks():  # no Content-Length: counted as it arrives
        for _ in range(MAX_BATCH_BYTES // (len(line) * 1000) + 1):
            yield line * 1000

    r = client.post("/api/extract/batch", content=chunks())
    assert r.status_code == 413 and f"{MAX_BATCH_BYTES:,}" in r.json()["detail"]
    # a page over the single-page limit is fine in a batch, as a line of a dump file is
    big = json.dumps({"text": "Harlan Wins\n\n\"We won,\" Senator Maria Harlan said.\n\n" + "Filler words. " * (
        MAX_PAGE_BYTES // 14 + 1)}).encode()
    assert len(big) > MAX_PAGE_BYTES
    r = client.post("/api/extract/batch", content=big)
    assert r.status_code == 200 and r.text.count("\n") == 1


def test_a_batch_takes_turns_with_other_pages(monkeypatch):
    pages = [Record(id=f"<request body>:{n}", page=f'Vote Day {n}\n\n"We won," Senator Maria Harlan said on day {n}.')
             for n in range(1, 6)]

    async def scenario():
        extractor = server_extract.Extractor()
        monkeypatch.setattr(server_extract, "BATCH_TURN", 2)
        monkeypatch.setattr(server_extract, "WAIT_SECONDS", 0.2)
        await extractor._turn.acquire()  # another page holds the pipeline: the batch's first turn does not come
        with pytest.raises(server_extract.Busy):
            await extractor.batch(pages, "fast")
        extractor._turn.release()
        lines = await extractor.batch(pages, "fast")  # the first turn is read before the answer begins
        assert not extractor._turn.locked()
        first = await lines.__anext__()
        assert first.count(b"\n") == 2
        # a single page goes between two turns of the batch
        await extractor._turn.acquire()
        later = asyncio.ensure_future(lines.__anext__())
        await asyncio.sleep(0.3)  # the batch waits past WAIT_SECONDS: once begun, it is not refused
        assert not later.done()
        extractor._turn.release()
        rest = [await later] + [chunk async for chunk in lines]
        got = [json.loads(x) for chunk in [first, *rest] for x in chunk.splitlines()]
        assert [g["title"] for g in got] == [f"Vote Day {n}" for n in range(1, 6)]
        assert not extractor._turn.locked() and extractor._waiting == 0

    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, scenario()).result(timeout=120)


def test_the_form_shows_the_page_highlighted_and_keeps_the_text_on_error(client):
    r = client.get("/extract")
    assert r.status_code == 200 and 'action="/extract"' in r.text and 'name="article"' in r.text
    text = (ROOT / "examples" / "harbor-bridge.txt").read_text()
    r = client.post("/extract", data={"article": text.replace("\n", "\r\n"), "url": "", "mode": "fast"})
    assert r.status_code == 200
    found = extract(text).to_json()
    # every attribution in the table, its speakers named but not linked: they have no page in this corpus
    assert r.text.count('<tr id="row-a') == len(found["attributions"]) > 3
    assert '<span class="speaker">Paul Whitcombe</span>' in r.text and "/speakers/e" not in r.text
    # and so are whom the contents name (the Ledger's report is about the governor)
    assert '<span class="subject">Paul Whitcombe</span>' in r.text and 'class="subject" href' not in r.text
    assert 'class="m content' in r.text and "attribution-data" in r.text
    r = client.post("/extract", data={"article": "   ", "url": "https://example.org/kept", "mode": "fast"})
    assert r.status_code == 400 and 'id="extract-problem"' in r.text and "empty input" in r.text
    assert 'value="https://example.org/kept"' in r.text
    r = client.post("/extract", data={"article": text, "mode": "slow"})
    assert r.status_code == 400 and "no &#39;slow&#39; mode" in r.text and "Whitcombe" in r.text


def test_the_form_downloads_what_it_found_as_json_or_a_table(client):
    text = (ROOT / "examples" / "harbor-bridge.txt").read_text()
    found = extract(text).to_json()
    shown = client.post("/extract", data={"article": text, "url": "", "mode": "fast"}).text
    # the page carries the text to send again, as sent, in the download form
    assert 'id="extract-download"' in shown and 'value="json"' in shown and 'value="csv"' in shown
    r = client.post("/extract", data={"article": text.replace("\n", "\r\n"), "url": "", "mode": "fast",
                                      "download": "json"})
    assert r.status_code == 200 and 'filename="sayso-article.json"' in r.headers["content-disposition"]
    assert r.json() == found
    r = client.post("/extract", data={"article": text, "url": "", "mode": "fast", "download": "csv"})
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert rows == [{k: "" if v is None else str(v) for k, v in row.items()} for row in attribution_rows(found)]
    assert [row["speaker"] for row in rows[:2]] == ["Maria Delgado", "Maria Delgado"]
    r = client.post("/extract", data={"article": text, "mode": "fast", "download": "pdf"})
    assert r.status_code == 400 and "no &#39;pdf&#39; download" in r.text


def test_a_hostile_page_is_shown_as_text(client):
    text = ('Mayor Says <script>window.__pwned=1</script> Is Only Text\n\n"The tag <b>x</b> is only text," Mayor '
            'Lena Ortiz said.\n\n</textarea><script>window.__pwned=4</script>')
    r = client.post("/extract", data={"article": text, "mode": "fast"})
    assert r.status_code == 200
    assert "<script>window.__pwned" not in r.text and "</textarea><script>" not in r.text
    assert "&lt;script&gt;window.__pwned=4&lt;/script&gt;" in r.text


def test_no_extract_leaves_the_server_to_the_corpus(corpus_db, monkeypatch):
    # one process, and each worker process of `sayso serve --workers N --no-extract`, which reads its environment
    monkeypatch.setenv(app_module.DB_VARIABLE, str(corpus_db))
    monkeypatch.setenv(app_module.EXTRACT_VARIABLE, "0")
    for app in (create_app(corpus_db, extraction=False), app_module.app_from_environment()):
        with TestClient(app) as c:
            assert c.post("/api/extract", content=b"Harlan Wins\n\nHarlan said she won.").status_code in (404, 405)
            assert c.get("/extract").status_code == 404
            assert 'href="/extract"' not in c.get("/").text
            assert "/api/extract" not in c.get("/openapi.json").json()["paths"]
    monkeypatch.setenv(app_module.EXTRACT_VARIABLE, "1")
    with TestClient(app_module.app_from_environment()) as c:
        assert 'href="/extract"' in c.get("/").text


def test_the_api_description_says_what_the_body_may_be(client):
    paths = client.get("/openapi.json").json()["paths"]
    op = paths["/api/extract"]["post"]
    assert set(op["requestBody"]["content"]) == {"text/html", "text/plain", "application/json"}
    assert [p["name"] for p in op["parameters"]] == ["url", "mode", "raw", "any_language"]
    assert {"400", "413", "503"} <= set(op["responses"])
    op = paths["/api/extract/batch"]["post"]
    assert set(op["requestBody"]["content"]) == {"application/x-ndjson"}
    assert [p["name"] for p in op["parameters"]] == ["mode", "raw", "any_language"]
    assert set(op["responses"]["200"]["content"]) == {"application/x-ndjson"}
    assert {"400", "413", "503"} <= set(op["responses"])
