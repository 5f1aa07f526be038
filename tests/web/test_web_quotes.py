"""Quotes in the API and on the pages: the list and its filters, one quote, the CSV, and the links between
quotes and claims. The example corpus repeats one quotation of Harlan Pruitt's: the Valley Ledger credits
the Coastline Daily, which had it first; the Coastline Herald does not."""

import csv
import io
import re
from collections import Counter

from sayso.store import connect_readonly, queries
from sayso.store.export import QUOTE_COLUMNS


def test_quotes_list_is_the_stores_with_its_filters(client, corpus_db):
    data = client.get("/api/quotes").json()
    with connect_readonly(corpus_db) as conn:
        assert data == queries.list_quotes(conn)
    (quote,) = [q for q in data["results"] if "has been for a year" in q["text"]]
    assert (quote["first_seen"]["outlet"], quote["first_seen"]["speaker"]["name"]) == ("Coastline Daily",
                                                                                       "Harlan Pruitt")
    assert [(s["outlet"], s["credits_first"]) for s in quote["sightings"]] == [("Valley Ledger", True),
                                                                             ("Coastline Herald", False)]
    assert (quote["repeats"], quote["credited"]) == (2, 1)

    def ids(**params):
        return [q["id"] for q in client.get("/api/quotes", params=params).json()["results"]]

    assert quote["id"] in ids(speaker="Pruitt") and quote["id"] in ids(outlet="coastline herald")
    assert quote["id"] in ids(uncredited="true", q="trucks")
    assert ids(speaker="Paul Whitcombe") == [] and ids(min_repeats=3) == [] and ids(outlet="Nowhere Times") == []
    page = client.get("/api/quotes", params={"per_page": 1, "page": 2}).json()
    assert page["page"] == 2 and page["results"] == data["results"][1:2]
    assert client.get("/api/quotes", params={"min_repeats": 0}).status_code == 422
    assert client.get("/quotes", params={"min_repeats": 0}).status_code == 400


def test_one_quote_in_json_and_html(client):
    (quote,) = [q for q in client.get("/api/quotes", params={"q": "trucks"}).json()["results"]]
    one = client.get(f"/api/quotes/{quote['id']}").json()
    assert {k: v for k, v in one.items() if k != "computed"} == quote and one["computed"]["stale"] is False
    html = client.get(f"/quotes/{quote['id']}").text
    assert "unsafe for heavy trucks and has been for a year" in html
    assert 'href="/articles/' in html and f'href="/api/quotes/{quote["id"]}"' in html
    claim = quote["claims"][0]
    assert f'href="/claims/{claim["id"]}"' in html
    # the claim's page shows the same quote, linked to its own page
    assert f'href="/quotes/{quote["id"]}"' in client.get(f"/claims/{claim['id']}").text
    for path in (f"/api/quotes/{10 ** 9}", f"/quotes/{10 ** 9}"):
        assert client.get(path).status_code == 404
    assert client.get("/api/quotes/abc").status_code == 422


def test_quotes_download_as_csv_with_the_list_filters(client):
    params = {"outlet": "Valley Ledger", "uncredited": "true"}
    listed = client.get("/api/quotes", params=params).json()["results"]
    r = client.get("/api/quotes.csv", params=params)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert list(rows[0]) == list(QUOTE_COLUMNS)
    assert len(rows) == sum(1 + q["repeats"] for q in listed)
    assert [r["outlet"] for r in rows] == [s["outlet"] for q in listed for s in [q["first_seen"], *q["sightings"]]]
    page = client.get("/quotes", params=params).text
    assert 'href="/api/quotes.csv?outlet=Valley+Ledger&amp;uncredited=true"' in page
    assert 'href="/api/quotes?outlet=Valley+Ledger&amp;uncredited=true"' in page  # the JSON twin
    described = client.get("/openapi.json").json()["paths"]["/api/quotes.csv"]["get"]["description"]
    assert described.endswith("Columns: " + ", ".join(QUOTE_COLUMNS) + ".")


def test_a_speakers_page_lists_their_repeated_quotes(client):
    (pruitt,) = [s for s in client.get("/api/speakers", params={"q": "Harlan Pruitt"}).json()["results"]
                 if s["name"] == "Harlan Pruitt"]
    quotes = client.get(f"/api/speakers/{pruitt['id']}").json()["quotes"]
    listed = client.get("/api/quotes", params={"speaker": pruitt["id"], "per_page": 5}).json()
    assert quotes == {"total": listed["total"], "results": listed["results"]} and quotes["total"] >= 1
    html = client.get(f"/speakers/{pruitt['id']}").text
    assert 'id="speaker-quotes"' in html and f'href="/quotes/{quotes["results"][0]["id"]}"' in html
    assert "1 of them crediting Coastline Daily" in html


def test_who_repeats_whom_in_json_and_html(client, corpus_db):
    data = client.get("/api/quotes/outlets").json()
    with connect_readonly(corpus_db) as conn:
        assert data == {"outlets": queries.quote_outlets(conn), "computed": queries.claims_status(conn)}
    herald = next(o for o in data["outlets"] if o["outlet"] == "Coastline Herald")
    assert (herald["repeated"], herald["uncredited"]) == (1, 1)
    html = client.get("/quotes/outlets").text
    assert 'href="/quotes?outlet=Coastline+Herald&amp;uncredited=true"' in html
    assert 'href="/api/quotes/outlets"' in html and 'href="/quotes/outlets"' in client.get("/quotes").text


def test_the_home_page_shows_the_most_repeated_quotes(client):
    home = client.get("/api").json()
    assert home["quotes"] == client.get("/api/quotes", params={"per_page": 3}).json()["results"]
    assert home["quotes"], "the example corpus repeats a quotation"
    page = client.get("/").text
    assert 'id="top-quotes"' in page and f'href="/quotes/{home["quotes"][0]["id"]}"' in page
    assert 'id="all-quotes"' in page


def test_claims_and_quotes_of_a_period(client):
    everything = client.get("/api/claims", params={"per_page": 200}).json()
    # the example articles run from January to June 2026; the bridge quotation was first seen on June 8
    june = client.get("/api/claims", params={"since": "2026-06", "per_page": 200}).json()
    january = client.get("/api/claims", params={"until": "2026-01", "per_page": 200}).json()
    assert 0 < june["total"] < everything["total"] and 0 < january["total"] < everything["total"]
    assert june["filters"]["since"] == "2026-06-01" and january["filters"]["until"] == "2026-01-31"
    for claim in june["results"]:  # a member said in June: the latest is
        assert claim["last_date"] >= "2026-06-01"
    assert {c["id"] for c in everything["results"] if c["last_date"] and c["last_date"] >= "2026-06-01"} == {
        c["id"] for c in june["results"]}
    rows = list(csv.DictReader(io.StringIO(client.get("/api/claims.csv", params={"since": "2026-06"}).text)))
    assert list(dict.fromkeys(r["claim_id"] for r in rows)) == [c["id"] for c in june["results"]]
    assert any(r["published"] >= "2026-06-01" for r in rows)
    assert client.get("/api/quotes", params={"since": "2026-06-08"}).json()["total"] >= 1
    assert client.get("/api/quotes", params={"since": "2026-06-09"}).json()["total"] == 0
    assert client.get("/api/quotes.csv", params={"since": "2026-06-09"}).text.count("\n") == 1  # the header
    assert client.get("/api/quotes", params={"since": "June"}).status_code == 400
    page = client.get("/claims", params={"since": "2026-06"}).text
    assert 'name="since" value="2026-06-01"' in page
    assert client.get("/quotes", params={"until": "2026-13"}).status_code == 400


def test_claims_and_quotes_download_as_parquet_with_the_csv_rows(client):
    import pyarrow.parquet as pq

    for path, params, types in (("/api/claims", {"speaker": "Whitcombe"}, {"speaker_id": "int64", "article_id": "int64"}),
                                ("/api/quotes", {"outlet": "Valley Ledger"}, {"quote_id": "int64", "seq": "int64",
                                                                             "credits_first": "bool"})):
        r = client.get(path + ".parquet", params=params)
        assert r.status_code == 200 and r.headers["content-type"] == "application/vnd.apache.parquet"
        table = pq.read_table(io.BytesIO(r.content))
        assert {name: str(table.schema.field(name).type) for name in types} == types
        rows = list(csv.DictReader(io.StringIO(client.get(path + ".csv", params=params).text)))
        assert table.column_names == list(rows[0]) and table.num_rows == len(rows) > 0
        for got, want in zip(table.to_pylist(), rows):
            as_csv = {k: "" if v is None else str(v).lower() if isinstance(v, bool) else str(v) for k, v in got.items()}
            assert as_csv == want
        assert table.schema.field("article_id").metadata[b"description"]
    assert client.get("/api/quotes.parquet", params={"since": "June"}).status_code == 400


def test_a_claim_page_charts_its_stances_over_time(client):
    from sayso.web.chart import stance_timeline

    pages = [client.get(f"/api/claims/{c['id']}", params={"per_page": 200}).json()
             for c in client.get("/api/claims", params={"q": '"has been for a year"'}).json()["results"]]
    (claim,) = [c for c in pages if any("has been for a year" in a["content"] for a in c["attributions"])]
    assert claim["pages"] == 1  # every attribution of the claim, which the chart counts
    html = client.get(f"/claims/{claim['id']}").text
    assert 'id="claim-timeline"' in html
    # each stance's count per month, as the page titles them, adds up to the claim's dated attributions
    shown = re.findall(r"<title>(\d{4}-\d{2}): (\d+) (asserts|denies|doubts|neutral)</title>", html)
    counted = Counter((a["article"]["date"][:7], a["stance"]) for a in claim["attributions"] if a["article"]["date"])
    assert {(m, s): int(n) for m, n, s in shown} == dict(counted)
    chart = stance_timeline([(a["article"]["date"], a["stance"]) for a in claim["attributions"]],
                            ("asserts", "denies", "doubts", "neutral"))
    assert chart.unit == "month" and sum(b.count for b in chart.bars) == sum(counted.values())


def test_the_stance_timeline_counts_days_months_or_years():
    from sayso.web.chart import stance_timeline

    stances = ("asserts", "denies")
    days = stance_timeline([("2016-09-01", "asserts"), ("2016-10-31", "denies")], stances)
    assert days.unit == "day" and len(days.bars) == 61
    months = stance_timeline([("2016-01-15", "asserts"), ("2016-12-01", "denies"), ("2016-12-02", "denies")], stances)
    assert months.unit == "month" and [b.count for b in months.bars][-1] == 2 and len(months.bars) == 12
    years = stance_timeline([("2010-01-01", "asserts"), ("2016-01-01", "asserts")], stances)
    assert years.unit == "year" and [b.label for b in years.bars] == [str(y) for y in range(2010, 2017)]
    # stacked from the axis up, each stance its share of the tallest bar
    (bar,) = stance_timeline([("2016-09-01", "asserts"), ("2016-09-01", "denies")], stances).bars
    (a, d), bottom = bar.segments, 156.0
    assert a.y + a.height == bottom and d.y + d.height == a.y and a.height == d.height
    assert stance_timeline([(None, "asserts")], stances).bars == []
