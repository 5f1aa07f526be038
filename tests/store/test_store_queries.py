import pytest

from sayso.errors import QueryError
from sayso.store.queries import (Filters, article, find_speakers, fts_query, iter_search, list_articles,
                                 list_speakers, overview, search, speaker_page)


def speaker_id(conn, name):
    return conn.execute("SELECT id FROM speakers WHERE name = ?", (name,)).fetchone()[0]


def test_speakers_are_merged_across_the_example_articles(conn):
    delgado = speaker_page(conn, speaker_id(conn, "Maria Delgado"))
    assert {"Maria Delgado", "Delgado"} <= set(delgado["aliases"])
    assert "Senator" in delgado["roles"]
    # she is quoted in all nine harbor-bridge articles, by full name or surname alone
    assert len({h["article"]["id"] for h in search(conn, Filters(speaker="Maria Delgado"), per_page=100)["results"]}) == 9
    assert [t["month"] for t in delgado["timeline"]] == ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05",
                                                          "2026-06"]
    assert sum(t["count"] for t in delgado["timeline"]) == delgado["attributions"]
    assert delgado["said"]["total"] == delgado["attributions"] == sum(delgado["kinds"].values())


def test_search_by_words_speaker_outlet_kind_and_dates(conn):
    everything = search(conn, Filters(), per_page=200)
    assert everything["total"] == conn.execute("SELECT count(*) FROM attributions").fetchone()[0]
    dates = [h["article"]["date"] for h in everything["results"]]
    assert dates == sorted(dates, key=lambda d: d or "", reverse=True)

    bridge = search(conn, Filters.parse(q="bridge"), per_page=200)
    assert bridge["total"] > 0
    for hit in bridge["results"]:
        assert "bridge" in hit["content"]["text"].lower()
        assert [hit["content"]["text"][s:e].lower() for s, e in hit["matches"]] and all(
            hit["content"]["text"][s:e].lower().startswith("bridge") for s, e in hit["matches"])

    by_her = search(conn, Filters.parse(q="loan", speaker="Delgado"), per_page=200)
    assert by_her["total"] >= 2
    assert {h["speaker"]["name"] for h in by_her["results"]} == {"Maria Delgado"}
    assert by_her["named"]["speaker"][0]["name"] == "Maria Delgado"

    ledger = search(conn, Filters.parse(outlet="valley ledger"), per_page=200)
    assert ledger["total"] > 0 and {h["article"]["outlet"] for h in ledger["results"]} == {"Valley Ledger"}

    direct = search(conn, Filters.parse(kind="direct"), per_page=200)
    assert direct["total"] > 0 and {h["kind"] for h in direct["results"]} == {"direct"}

    march = search(conn, Filters.parse(since="2026-03", until="2026-03"), per_page=200)
    assert march["total"] > 0 and {h["article"]["date"][:7] for h in march["results"]} == {"2026-03"}
    assert search(conn, Filters.parse(since="2027"))["total"] == 0


def test_who_quoted_whom_through_an_intermediary(conn):
    ledger = speaker_id(conn, "Valley Ledger")
    through = search(conn, Filters.parse(via="Valley Ledger"), per_page=200)
    assert through["total"] > 0
    for hit in through["results"]:
        assert ledger in [s["id"] for s in hit["via_speakers"]]
        assert len(hit["via"]) == len(hit["via_speakers"])


def _mentions_in_content(conn, hit, speaker):
    """Mentions that the hit's article resolved to ``speaker`` inside the hit's content spans."""
    return conn.execute(
        "SELECT count(*) FROM entities e JOIN mentions m ON m.entity_id = e.id WHERE e.article_id = ?"
        " AND e.speaker_id = ? AND EXISTS (SELECT 1 FROM attributions a JOIN spans s ON s.attribution_id = a.id"
        " WHERE a.article_id = e.article_id AND a.local_id = ? AND s.role = 'content' AND s.start <= m.start"
        " AND m.end <= s.end)", (hit["article"]["id"], speaker, hit["id"])).fetchone()[0]


def test_what_was_said_about_a_speaker(conn):
    whitcombe = speaker_id(conn, "Paul Whitcombe")
    about = search(conn, Filters.parse(about="Whitcombe"), per_page=200)
    assert [s["id"] for s in about["named"]["about"]] == [whitcombe]
    assert any("Governor Paul Whitcombe privately told" in h["content"]["text"] for h in about["results"])
    # each hit names him, or holds a mention its article resolved to him ("the governor knew it")
    for hit in about["results"]:
        assert "Whitcombe" in hit["content"]["text"] or _mentions_in_content(conn, hit, whitcombe), hit
    assert any("Whitcombe" not in h["content"]["text"] for h in about["results"])
    # no content that names him is left out
    named = conn.execute("SELECT count(*) FROM attributions WHERE content_text LIKE '%Whitcombe%'").fetchone()[0]
    assert about["total"] >= named > 0
    assert search(conn, Filters.parse(about=str(whitcombe)))["total"] == about["total"]
    # with a speaker: what Delgado said about him
    hers = search(conn, Filters.parse(about="Whitcombe", speaker="Delgado"), per_page=200)
    assert 0 < hers["total"] < about["total"] and {h["speaker"]["name"] for h in hers["results"]} == {"Maria Delgado"}
    # a name that is no speaker's is looked for as a phrase
    bridge = search(conn, Filters.parse(about="Harbor Bridge"), per_page=200)
    assert bridge["named"]["about"] == [] and bridge["total"] > 0
    assert all("harbor bridge" in h["content"]["text"].lower() for h in bridge["results"])
    assert search(conn, Filters.parse(about="Nobody Known"))["total"] == 0


def test_a_surname_two_speakers_share_is_theirs_only_where_the_article_says_whose(tmp_path):
    from sayso.store import connect_readonly, ingest

    pages = {
        "rally.txt": "Obamas Speak At Rally\n\nThe economy has recovered, President Barack Obama said on "
                     "Monday. The campaign had been long and tiring for everyone involved in it, former first lady "
                     "Michelle Obama told the crowd. Senator Jane Roe said Barack Obama had kept his promise to the "
                     "city.\n",
        "council.txt": "Council Votes On Budget\n\nSenator Jane Roe said Obama had failed the city on housing. The "
                       "mayor, Tom Hale, told reporters that Roe was wrong about the budget and the harbor.\n",
    }
    for name, text in pages.items():
        (tmp_path / name).write_text(text)
    ingest([tmp_path / name for name in pages], tmp_path / "c.sqlite")
    conn = connect_readonly(tmp_path / "c.sqlite")

    def contents(about):
        return sorted(h["content"]["text"] for h in search(conn, Filters.parse(about=about))["results"])

    assert len(find_speakers(conn, "Obama")) == 2  # both speak
    # "Obama" alone could be either of them: Barack Obama's are the contents that name him in full
    assert contents("Barack Obama") == ["Barack Obama had kept his promise to the city"]
    assert contents("Michelle Obama") == []
    # asked for by the surname itself, every content that writes it
    assert contents("Obama") == ["Barack Obama had kept his promise to the city",
                                 "Obama had failed the city on housing"]
    assert contents("Jane Roe") == ["that Roe was wrong about the budget and the harbor"]


def test_pages_split_the_results_without_overlap(conn):
    f = Filters()
    total = search(conn, f)["total"]
    seen = []
    for page in range(1, -(-total // 7) + 1):
        seen += [(h["article"]["id"], h["id"]) for h in search(conn, f, page=page, per_page=7)["results"]]
    assert len(seen) == len(set(seen)) == total
    assert [(h["article"]["id"], h["id"]) for h in iter_search(conn, f)] == seen


def test_relevance_order_needs_words_and_puts_the_best_match_first(conn):
    ranked = search(conn, Filters.parse(q="bridge tolls", sort="relevance"))["results"]
    assert "tolls" in ranked[0]["content"]["text"]


def test_speakers_by_name_or_alias_and_their_lookup(conn):
    assert [s["name"] for s in list_speakers(conn, q="pruitt")["results"]] == ["Harlan Pruitt"]
    assert [s["name"] for s in list_speakers(conn, q="harl")["results"]] == ["Harlan Pruitt"]
    assert find_speakers(conn, "Senator Maria Delgado") == [speaker_id(conn, "Maria Delgado")]
    assert find_speakers(conn, "the Valley Ledger") == [speaker_id(conn, "Valley Ledger")]
    assert find_speakers(conn, "Nobody Known") == []
    assert search(conn, Filters(speaker="Nobody Known"))["total"] == 0


def test_overview_and_article_listing(conn):
    o = overview(conn)
    assert (o["articles"], o["outlets"]) == (10, 4)
    assert o["top_speakers"][0]["name"] == "Maria Delgado"
    assert {"Valley Ledger", "Coastline Herald"} <= {s["name"] for s in o["top_intermediaries"]}
    assert any(not s["name"][0].isupper() for s in o["top_described"])
    assert [a["date"] for a in o["recent_articles"]][:4] == ["2026-06-11", "2026-06-09", "2026-06-08", "2026-06-01"]
    found = list_articles(conn, q="ferry fares")
    assert [a["title"] for a in found["results"]] == ["Ferry Fares To Rise As Bridge Repair Waits"]


def test_a_stored_article_keeps_every_span_on_its_text(conn):
    for (article_id,) in conn.execute("SELECT id FROM articles").fetchall():
        data = article(conn, article_id)
        text = data["text"]
        for att in data["attributions"]:
            for role in ("source", "cue", "content"):
                assert att[role]["text"] == " ".join(text[s:e] for s, e in att[role]["spans"])
    assert article(conn, 10_000) is None


@pytest.mark.parametrize("given, query", [
    ("Russia", '"russia"'),
    ('Russia "senior official" -Trump', '"russia" AND "senior official" NOT "trump"'),
    ("sanction* OR tariff", '"sanction"* OR "tariff"'),
    ('Pence\'s "unbalanced', '"pence s" AND "unbalanced"'),
    ("-alone", None),
    ("AND OR", None),
    ('"; DROP TABLE articles; --', '"drop" AND "table" AND "articles"'),
])
def test_search_text_becomes_a_safe_fts_query(given, query):
    assert fts_query(given) == query


def test_queries_with_odd_punctuation_run(conn):
    for q in ['Pence\'s "unbalanced', "NEAR(", "a:b", "*", '"', "bridge)", "col:bridge"]:
        search(conn, Filters.parse(q=q))


@pytest.mark.parametrize("values, message", [
    ({"kind": "rumour"}, "kind must be one of"),
    ({"since": "2016-13"}, "since must be a date"),
    ({"until": "yesterday"}, "until must be a date"),
    ({"since": "2016-10-02", "until": "2016-10-01"}, "is after"),
    ({"sort": "random"}, "sort must be one of"),
])
def test_filters_that_mean_nothing_are_refused(values, message):
    with pytest.raises(QueryError, match=message):
        Filters.parse(**values)


def test_date_filters_accept_years_and_months():
    f = Filters.parse(since="2016", until="2016-02")
    assert (f.since, f.until) == ("2016-01-01", "2016-02-29")
