from sayso.store import connect_readonly
from sayso.store.queries import article
from sayso.web.app import marked, page_url, safe_url
from sayso.web.chart import timeline_chart
from sayso.web.highlight import colours, pieces


def test_pieces_cover_the_text_once_and_show_inner_roles_first(corpus_db):
    conn = connect_readonly(corpus_db)
    for (article_id,) in conn.execute("SELECT id FROM articles").fetchall():
        data = article(conn, article_id)
        cut = pieces(data, colours(data))
        assert "".join(p.text for p in cut) == data["text"]
        assert all(a.end == b.start for a, b in zip(cut, cut[1:]))
        by_id = {a["id"]: a for a in data["attributions"]}
        for p in cut:
            for att in p.attributions:
                spans = [s for role in ("source", "cue", "content") for s in by_id[att][role]["spans"]]
                assert any(s <= p.start and p.end <= e for s, e in spans)
        # each attribution has exactly one anchor, where its first span starts
        anchors = [a for p in cut for a in p.anchors]
        assert sorted(anchors) == sorted(by_id)


def test_a_quote_inside_an_according_to_shows_the_inner_speaker():
    text = 'According to TASS, Putin said "no" today.'
    art = {"text": text, "attributions": [
        {"id": "a1", "kind": "according_to", "source": {"spans": [[13, 17]], "text": "TASS", "entity": "e1"},
         "cue": {"spans": [[0, 12]], "text": "According to"}, "content": {"spans": [[19, 40]], "text": text[19:40]},
         "via": [], "speaker": {"id": 1, "name": "TASS"}, "via_speakers": []},
        {"id": "a2", "kind": "direct", "source": {"spans": [[19, 24]], "text": "Putin", "entity": "e2"},
         "cue": {"spans": [[25, 29]], "text": "said"}, "content": {"spans": [[30, 34]], "text": '"no"'},
         "via": ["e1"], "speaker": {"id": 2, "name": "Vladimir Putin"}, "via_speakers": [{"id": 1, "name": "TASS"}]},
    ]}
    cut = {p.text: p for p in pieces(art, colours(art))}
    assert cut["Putin"].role == "source" and cut["Putin"].attributions == ["a2", "a1"]
    assert cut['"no"'].role == "content" and cut['"no"'].attributions == ["a2", "a1"]
    assert cut['"no"'].colour != cut["TASS"].colour
    assert cut['"no"'].title == "Vladimir Putin \u00b7 direct \u00b7 \u201csaid\u201d \u00b7 via TASS"
    assert cut[" today"].attributions == ["a1"] and cut[" today"].role == "content"


def test_the_timeline_fills_empty_months_and_switches_to_years():
    chart = timeline_chart([{"month": "2016-01", "count": 5}, {"month": "2016-04", "count": 10}])
    assert [(b.label, b.count) for b in chart.bars] == [("2016-01", 5), ("2016-02", 0), ("2016-03", 0), ("2016-04", 10)]
    tallest = max(chart.bars, key=lambda b: b.height)
    assert tallest.label == "2016-04" and tallest.height == 2 * chart.bars[0].height
    long = timeline_chart([{"month": "2010-01", "count": 1}, {"month": "2016-06", "count": 2}])
    assert long.unit == "year" and [b.label for b in long.bars] == [str(y) for y in range(2010, 2017)]
    assert timeline_chart([]).bars == []


def test_urls_and_matches():
    assert safe_url("https://example.org/a") == "https://example.org/a"
    assert safe_url("javascript:alert(1)") is None and safe_url("data:text/html,x") is None and safe_url(None) is None
    assert page_url("/search", {"q": "a b", "page": 2}, page=None) == "/search?q=a+b"
    assert marked("the bridge tolls", [[4, 10]]) == [("the ", False), ("bridge", True), (" tolls", False)]
    assert marked("text", None) == [("text", False)]
