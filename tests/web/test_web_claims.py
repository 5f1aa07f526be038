"""Claims in the API and on the pages: shapes, filters, schema.org JSON-LD, the stance groups and the graph."""

import csv
import io
import re
import sqlite3
from collections import Counter

import pytest

from sayso.claims import STANCES
from sayso.store.export import CLAIM_COLUMNS
from sayso.store.queries import SIDE_SPEAKERS

#: The properties sayso writes on each schema.org type, with the type each value must have (schema.org v29:
#: Claim and NewsArticle are CreativeWorks; author and publisher are a Person or an Organization).
SCHEMA_ORG = {
    "Claim": {"identifier": "Text", "text": "Text", "author": ("Person", "Organization"),
              "appearance": ("NewsArticle",), "firstAppearance": ("NewsArticle",), "datePublished": "Date",
              "about": ("Person", "Organization")},
    "NewsArticle": {"identifier": "Text", "url": "URL", "headline": "Text", "datePublished": "Date",
                    "publisher": ("Organization",)},
    "Person": {"identifier": "Text", "name": "Text", "alternateName": "Text"},
    "Organization": {"identifier": "Text", "name": "Text", "alternateName": "Text"},
}


def schema_org(node, types=("Claim",)):
    """Fail unless ``node`` is one of ``types`` with only the properties above, each of its expected type."""
    assert node["@type"] in types, node
    for prop, value in node.items():
        if prop in ("@type", "@context"):
            continue
        want = SCHEMA_ORG[node["@type"]][prop]
        for v in value if isinstance(value, list) else [value]:
            if isinstance(want, tuple):
                schema_org(v, want)
            elif want == "Date":
                assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", v), v
            elif want == "URL":
                assert re.match(r"https?://", v), v
            else:
                assert isinstance(v, str) and v, (prop, v)


def whole(client, claim_id, per_page=2):
    """A claim's page JSON with every attribution, read ``per_page`` at a time through its pages."""
    data = client.get(f"/api/claims/{claim_id}", params={"per_page": per_page}).json()
    for page in range(2, data["pages"] + 1):
        more = client.get(f"/api/claims/{claim_id}", params={"per_page": per_page, "page": page}).json()
        assert {k: v for k, v in more.items() if k not in ("attributions", "page")} == {
            k: v for k, v in data.items() if k not in ("attributions", "page")}
        data["attributions"] += more["attributions"]
    return data


@pytest.fixture(scope="module")
def span(client):
    """The claim that the eastern span is unsafe for heavy trucks, with all its attributions."""
    found = client.get("/api/claims", params={"q": '"unsafe for heavy trucks"', "speaker": "Harlan Pruitt",
                                              "stance": "asserts"}).json()["results"]
    (claim,) = [whole(client, c["id"]) for c in found
                if any("has been for a year" in a["content"] for a in whole(client, c["id"])["attributions"])]
    return claim


def speaker(client, name):
    (found,) = [s for s in client.get("/api/speakers", params={"q": name}).json()["results"] if s["name"] == name]
    return found


def test_claims_list_shape_paging_and_order(client, corpus_db):
    data = client.get("/api/claims", params={"per_page": 3}).json()
    db = sqlite3.connect(corpus_db)
    assert data["total"] == db.execute("SELECT count(*) FROM claims").fetchone()[0] > 3
    assert data["pages"] == -(-data["total"] // 3) and len(data["results"]) == 3
    assert data["computed"]["stale"] is False and data["computed"]["articles"] == 10
    for claim in data["results"]:
        assert set(claim) == {"id", "label", "label_attribution", "about", "attribution_count", "speaker_count",
                              "article_count", "stances", "first_date", "last_date", "sides", "relations"}
        full = whole(client, claim["id"])
        assert {k: full[k] for k in claim if k not in ("sides", "relations")} == {
            k: claim[k] for k in claim if k not in ("sides", "relations")}
        assert sum(claim["stances"].values()) == claim["attribution_count"] == len(full["attributions"])
        for att in full["attributions"]:
            assert {"speaker", "stance", "content", "cue", "article_id", "attribution_id", "kind", "article",
                    "evidence"} <= set(att)
            assert att["stance"] in STANCES and att["article"]["id"] == att["article_id"]
            assert att["speaker"] is None or set(att["speaker"]) == {"id", "name", "aliases"}
        # a side names its speakers with the most attributions of that stance, counted from the attributions
        for stance in STANCES:
            said = Counter(a["speaker"]["id"] for a in full["attributions"] if a["stance"] == stance and a["speaker"])
            if not said:
                assert stance not in claim["sides"]
                continue
            side = claim["sides"][stance]
            assert side["speaker_count"] == len(said) and len(side["speakers"]) == min(len(said), SIDE_SPEAKERS)
            assert [said[p["id"]] for p in side["speakers"]] == [p["attributions"] for p in side["speakers"]]
            assert [p["attributions"] for p in side["speakers"]] == sorted(said.values(), reverse=True)[:SIDE_SPEAKERS]
        assert claim["relations"] == full["relations"] == {
            r: sum(e["relation"] == r for e in full["edges"]) for r in ("agree", "contradict")}
        for edge in full["edges"]:
            assert edge["relation"] in ("agree", "contradict")
            assert [set(s) for s in edge["speakers"]] == [{"id", "name"}] * 2
    counts = [c["speaker_count"] for c in data["results"]]
    assert counts == sorted(counts, reverse=True)
    second = client.get("/api/claims", params={"per_page": 3, "page": 2}).json()
    assert {c["id"] for c in second["results"]}.isdisjoint(c["id"] for c in data["results"])


def test_claims_filter_by_speaker_stance_and_words(client, span):
    whitcombe = speaker(client, "Paul Whitcombe")
    denied = client.get("/api/claims", params={"speaker": "Whitcombe", "stance": "denies"}).json()
    assert denied["named"]["speaker"][0]["id"] == whitcombe["id"]
    assert span["id"] in {c["id"] for c in denied["results"]}
    for claim in denied["results"]:
        assert any(a["speaker"] and a["speaker"]["id"] == whitcombe["id"] and a["stance"] == "denies"
                   for a in whole(client, claim["id"])["attributions"])
        assert whitcombe["id"] in {p["id"] for p in claim["sides"]["denies"]["speakers"]}
    worded = client.get("/api/claims", params={"q": "unsafe"}).json()["results"]
    assert worded and all(any("unsafe" in a["content"].lower() for a in whole(client, c["id"])["attributions"])
                          for c in worded)
    big = client.get("/api/claims", params={"min_attributions": 5}).json()["results"]
    assert big and all(c["attribution_count"] >= 5 for c in big)
    bad = client.get("/api/claims", params={"stance": "maybe"})
    assert bad.status_code == 400 and "stance must be one of" in bad.json()["detail"]


def test_claims_filter_by_whom_their_members_name(client, span, corpus_db):
    """A claim is kept when one of its members names the one asked for, as that member's article JSON says."""
    from subjects import subjects_of

    whitcombe = speaker(client, "Paul Whitcombe")
    conn = sqlite3.connect(corpus_db)

    def names(claim, who):
        for member in whole(client, claim["id"], per_page=50)["attributions"]:
            art = client.get(f"/api/articles/{member['article_id']}").json()
            (att,) = [a for a in art["attributions"] if a["id"] == member["attribution_id"]]
            if who in subjects_of(conn, att):
                return True
        return False

    every = client.get("/api/claims", params={"per_page": 200}).json()["results"]
    about = client.get("/api/claims", params={"about": "Whitcombe", "per_page": 200}).json()
    assert about["named"]["about"][0]["id"] == whitcombe["id"] and about["filters"]["about"] == "Whitcombe"
    assert [c["id"] for c in about["results"]] == [c["id"] for c in every if names(c, whitcombe["id"])]
    assert span["id"] in {c["id"] for c in about["results"]}
    assert client.get("/api/claims", params={"about": str(whitcombe["id"])}).json()["total"] == about["total"]
    # someone only talked about, never quoted, is asked for by name
    bridge = client.get("/api/claims", params={"about": "Harbor Bridge", "per_page": 200}).json()
    assert bridge["named"]["about"] == [] and bridge["total"] > 0
    assert all(names(c, ("name", "Harbor Bridge")) for c in bridge["results"])
    assert client.get("/api/claims", params={"about": "Nobody Known"}).json()["total"] == 0
    conn.close()
    page = client.get("/claims", params={"about": "Whitcombe"}).text
    assert 'name="about" value="Whitcombe"' in page and 'href="/api/claims.csv?about=Whitcombe"' in page
    rows = list(csv.DictReader(io.StringIO(client.get("/api/claims.csv", params={"about": "Whitcombe"}).text)))
    assert list(dict.fromkeys(row["claim_id"] for row in rows)) == [c["id"] for c in about["results"]]


def test_claims_download_as_csv_with_the_list_filters(client):
    params = {"speaker": "Whitcombe", "stance": "denies"}
    listed = client.get("/api/claims", params={**params, "per_page": 200}).json()["results"]
    r = client.get("/api/claims.csv", params=params)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert r.headers["content-disposition"] == 'attachment; filename="sayso-claims.csv"'
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert list(rows[0]) == list(CLAIM_COLUMNS)
    # the claims of the list in its order, each with all its attributions
    assert list(dict.fromkeys(row["claim_id"] for row in rows)) == [c["id"] for c in listed]
    assert len(rows) == sum(c["attribution_count"] for c in listed)
    for claim in listed:  # its page lists them by stance, the rows in the claim's order
        assert Counter((row["content"], row["stance"], row["attribution"]) for row in rows
                       if row["claim_id"] == claim["id"]) == Counter(
            (a["content"], a["stance"], a["attribution_id"]) for a in whole(client, claim["id"])["attributions"])
    page = client.get("/claims", params=params).text
    assert 'href="/api/claims.csv?speaker=Whitcombe&amp;stance=denies"' in page
    assert client.get("/api/claims.csv", params={"stance": "maybe"}).status_code == 400
    described = client.get("/openapi.json").json()["paths"]["/api/claims.csv"]["get"]["description"]
    assert described.endswith("Columns: " + ", ".join(CLAIM_COLUMNS) + ".")


def test_one_claim_with_its_evidence_and_quote_spread(client, span):
    data = client.get(f"/api/claims/{span['id']}").json()
    assert {k: v for k, v in data.items() if k not in ("per_page", "pages")} == {
        k: v for k, v in span.items() if k not in ("per_page", "pages")}
    texts = {}
    for att in data["attributions"]:
        ev = att["evidence"]
        text = texts.setdefault(att["article_id"], client.get(f"/api/articles/{att['article_id']}").json()["text"])
        assert text[ev["start"]:ev["end"]] == ev["text"]
        for role in ("source", "cue", "content"):
            assert all(ev["start"] <= s < e <= ev["end"] for s, e in ev[role])
        assert " ".join(text[s:e] for s, e in ev["content"]) == att["content"]
    (quote,) = [q for q in data["quotes"] if "has been for a year" in q["text"]]
    assert (quote["first_seen"]["outlet"], quote["first_seen"]["published"]) == ("Coastline Daily", "2026-06-08")
    assert quote["first_seen"]["speaker"]["name"] == "Harlan Pruitt"
    assert quote["repeated_by"] == ["Valley Ledger", "Coastline Herald"]
    assert [(s["outlet"], s["credits_first"]) for s in quote["sightings"]] == [("Valley Ledger", True),
                                                                             ("Coastline Herald", False)]


def test_a_claim_is_read_a_page_of_attributions_at_a_time(client, span, corpus_db, monkeypatch):
    """However many attributions and edges a claim has, its page holds one page of the attributions (those
    who assert it first), every speaker with their stances, and the best supported edges with a few of
    their evidence each; the counts are the whole claim's."""
    from sayso.store import connect_readonly, queries

    db = sqlite3.connect(corpus_db)
    members = db.execute("SELECT a.article_id, a.local_id, m.stance FROM claim_members m JOIN attributions a"
                         " ON a.id = m.attribution_id WHERE m.claim_id = ? ORDER BY m.position", (span["id"],)).fetchall()
    assert len(members) == span["attribution_count"] > 4 and span["pages"] == -(-len(members) // 2)
    # every attribution once, grouped by stance in the order of STANCES, the claim's order within each
    assert [(a["article_id"], a["attribution_id"]) for a in span["attributions"]] == [
        (article, local) for s in STANCES for article, local, stance in members if stance == s]
    beyond = client.get(f"/api/claims/{span['id']}", params={"per_page": 2, "page": span["pages"] + 1}).json()
    assert beyond["attributions"] == [] and beyond["attribution_count"] == span["attribution_count"]
    assert client.get(f"/api/claims/{span['id']}", params={"per_page": 0}).status_code == 422
    said = {}
    for a in span["attributions"]:
        if a["speaker"]:
            said.setdefault(a["speaker"]["id"], Counter())[a["stance"]] += 1
    assert sorted(p["id"] for p in span["speakers"]) == sorted(said)
    assert [p["attributions"] for p in span["speakers"]] == sorted((c.total() for c in said.values()), reverse=True)
    for person in span["speakers"]:
        assert person["stances"] == dict(said[person["id"]]) and person["attributions"] == said[person["id"]].total()
        assert person["stances"][person["side"]] == max(person["stances"].values())
    # edges: the most evidence first, each counted whole and shown by its first attributions
    evidence = dict(db.execute("SELECT e.speaker_a || ' ' || e.speaker_b || ' ' || e.relation, count(*) FROM"
                               " claim_edges e JOIN claim_edge_evidence v ON v.edge_id = e.id WHERE e.claim_id = ?"
                               " AND e.speaker_a != e.speaker_b GROUP BY e.id", (span["id"],)).fetchall())
    edges = {f'{e["speakers"][0]["id"]} {e["speakers"][1]["id"]} {e["relation"]}': e for e in span["edges"]}
    assert {k: e["evidence_count"] for k, e in edges.items()} == evidence
    counts = [e["evidence_count"] for e in span["edges"]]
    assert counts == sorted(counts, reverse=True)
    mine = {(a["article_id"], a["attribution_id"]): a for a in span["attributions"]}
    for e in span["edges"]:
        assert 0 < len(e["evidence"]) == min(e["evidence_count"], queries.EDGE_EVIDENCE_SHOWN)
        for ref in e["evidence"]:  # an attribution of the claim, by one of the two speakers
            assert mine[ref["article_id"], ref["attribution_id"]]["speaker"]["id"] in {s["id"] for s in e["speakers"]}
    conn = connect_readonly(corpus_db)
    assert queries.claim_edges(conn, span["id"], limit=2) == span["edges"][:2]
    conn.close()
    db.close()
    # the page too: its stance headings count the whole claim, a pager leads through the rest
    monkeypatch.setattr(queries, "CLAIM_PAGE_SIZE", 3)
    first, second = (client.get(f"/claims/{span['id']}", params={"page": n}).text for n in (1, 2))
    assert f"Attributions 1–3 of {span['attribution_count']}" in first
    assert f'href="/claims/{span["id"]}?page=2"' in first and f'href="/claims/{span["id"]}?page=1"' in second
    assert f'class="twin" href="/api/claims/{span["id"]}?page=2"' in second  # its JSON twin is the same page
    for html, shown in ((first, span["attributions"][:3]), (second, span["attributions"][3:6])):
        assert re.findall(r'data-attribution="(a\d+)"', html) == [a["attribution_id"] for a in shown]
    assert f'({span["stances"]["asserts"]})' in first


def test_every_edge_of_a_claim_pages_with_all_its_evidence(client, span, corpus_db):
    """``/api/claims/{id}/edges``: every pair who agree or contradict, the most evidence first, each with every
    attribution behind it, as the store holds them."""
    first = client.get(f"/api/claims/{span['id']}/edges", params={"per_page": 2}).json()
    assert first["claim"] == {"id": span["id"], "label": span["label"]}
    assert first["total"] == sum(span["relations"].values()) > 2 and first["pages"] == -(-first["total"] // 2)
    edges = list(first["results"])
    for page in range(2, first["pages"] + 1):
        edges += client.get(f"/api/claims/{span['id']}/edges", params={"per_page": 2, "page": page}).json()["results"]
    assert len(edges) == first["total"]
    # the claim page's edges are the first of these, each with three of its evidence: both speakers' first
    speaker_of = {(m["article_id"], m["attribution_id"]): (m["speaker"] or {}).get("id")
                  for m in whole(client, span["id"])["attributions"]}
    both = 0
    assert len(edges) >= len(span["edges"])
    for full, short in zip(edges, span["edges"]):
        assert {**full, "evidence": short["evidence"]} == short
        refs = [(r["article_id"], r["attribution_id"]) for r in full["evidence"]]
        shown = [(r["article_id"], r["attribution_id"]) for r in short["evidence"]]
        assert shown == [r for r in refs if r in shown] and len(shown) == min(3, len(refs))  # in the claim's order
        sides = {s["id"]: [r for r in refs if speaker_of[r] == s["id"]] for s in full["speakers"]}
        for side in sides.values():  # each speaker's first, as many as the other side leaves room for
            assert [r for r in shown if r in side] == side[:len([r for r in shown if r in side])]
            assert len([r for r in shown if r in side]) >= min(len(side), 1)
        both += all(sides.values())
    assert both > 0
    db = sqlite3.connect(corpus_db)
    stored = {}
    for a, b, relation, article_id, local_id in db.execute(
            "SELECT e.speaker_a, e.speaker_b, e.relation, a.article_id, a.local_id FROM claim_edges e JOIN"
            " claim_edge_evidence v ON v.edge_id = e.id JOIN attributions a ON a.id = v.attribution_id"
            " WHERE e.claim_id = ? AND e.speaker_a != e.speaker_b", (span["id"],)):
        stored.setdefault((a, b, relation), set()).add((article_id, local_id))
    db.close()
    assert {(e["speakers"][0]["id"], e["speakers"][1]["id"], e["relation"]):
            {(r["article_id"], r["attribution_id"]) for r in e["evidence"]} for e in edges} == stored
    assert all(e["evidence_count"] == len(e["evidence"]) for e in edges)
    assert client.get("/api/claims/c0000000000/edges").status_code == 404
    assert first["relations"] == span["relations"]
    assert client.get(f"/api/claims/{span['id']}/edges", params={"page": 0}).status_code == 422


def test_the_edges_page_shows_every_pair_with_its_first_evidence(client, span):
    """``/claims/{id}/edges``: the pairs as the JSON twin pages them, each with its first three attributions
    highlighted in their sentences, and a pointer to the rest."""
    html = client.get(f"/claims/{span['id']}").text  # the claim page counts the pairs and links to them
    assert (f'{span["relations"]["agree"]} pairs of speakers agree, {span["relations"]["contradict"]} contradict: '
            f'<a id="edges-link" href="/claims/{span["id"]}/edges">') in html
    twin = client.get(f"/api/claims/{span['id']}/edges").json()
    page = client.get(f"/claims/{span['id']}/edges")
    assert page.status_code == 200
    html = page.text
    assert f'href="/api/claims/{span["id"]}/edges"' in html
    items = re.findall(r'<li class="edge (agree|contradict)" data-a="(\d+)" data-b="(\d+)">(.*?)</ol>', html, re.S)
    assert [(r, int(a), int(b)) for r, a, b, _body in items] == [
        (e["relation"], e["speakers"][0]["id"], e["speakers"][1]["id"]) for e in twin["results"]]
    stances = {(m["article_id"], m["attribution_id"]): m["stance"] for m in whole(client, span["id"])["attributions"]}
    # each with the evidence the claim page gives it: three attributions, both speakers' first
    for (relation, _a, _b, body), edge in zip(items, span["edges"]):
        shown = re.findall(r'data-article="(\d+)" data-attribution="([^"]+)">.*?class="stance stance-(\w+)"',
                           body, re.S)
        assert [(int(a), i) for a, i, _s in shown] == [(r["article_id"], r["attribution_id"]) for r in edge["evidence"]]
        # every attribution shown puts its speaker on a side: asserting, or denying or doubting
        assert all(s == stances[(int(a), i)] and s in ("asserts", "denies", "doubts") for a, i, s in shown)
        assert ("agrees with" if relation == "agree" else "contradicts") in body
    assert '<span class="m content">' in html and '<span class="m cue">' in html
    more = [e["evidence_count"] - 3 for e in twin["results"] if e["evidence_count"] > 3]
    assert html.count('class="hint more-evidence"') == len(more)
    assert client.get("/claims/c0000000000/edges").status_code == 404
    alone = next(c for c in client.get("/api/claims", params={"per_page": 200}).json()["results"]
                 if not any(c["relations"].values()))
    assert 'id="no-edges">No two speakers' in client.get(f"/claims/{alone['id']}/edges").text
    past = client.get(f"/claims/{span['id']}/edges", params={"page": twin["pages"] + 1}).text
    assert f"the claim's {twin['total']} are on pages 1 to {twin['pages']}" in past and 'class="edge ' not in past
    assert client.get(f"/claims/{span['id']}/edges", params={"page": 0}).status_code == 400  # a page says why


def test_the_pairs_of_one_speaker_and_of_two(client, span):
    """``speaker=`` (an id, a name or an alias) keeps a claim's pairs of one speaker (twice: the pair of two),
    counted so, on the edges route and its page; a speaker's page links each ally and opponent to the
    evidence of their pair."""
    every = client.get(f"/api/claims/{span['id']}/edges", params={"per_page": 200}).json()["results"]
    who = Counter(s["id"] for e in every for s in e["speakers"])
    one, _ = who.most_common(1)[0]
    mine = [e for e in every if one in {s["id"] for s in e["speakers"]}]
    assert 0 < len(mine) < len(every)
    data = client.get(f"/api/claims/{span['id']}/edges", params={"speaker": one, "per_page": 200}).json()
    assert data["results"] == mine and data["total"] == len(mine)
    assert data["relations"] == {r: sum(e["relation"] == r for e in mine) for r in ("agree", "contradict")}
    name = next(s["name"] for s in mine[0]["speakers"] if s["id"] == one)
    assert data["speakers"] == [{"value": str(one), "found": [{"id": one, "name": name}]}]
    by_name = client.get(f"/api/claims/{span['id']}/edges", params={"speaker": name, "per_page": 200}).json()
    assert by_name["results"] == mine
    edge = mine[0]
    a, b = (s["id"] for s in edge["speakers"])
    pair = client.get(f"/api/claims/{span['id']}/edges", params=[("speaker", b), ("speaker", a)]).json()
    assert pair["results"] == [edge] and pair["total"] == 1
    # a name nobody has finds no pair; three speakers are a clear 400, on the route and its page
    nobody = client.get(f"/api/claims/{span['id']}/edges", params={"speaker": "Nobody Ever"}).json()
    assert nobody["total"] == 0 and nobody["speakers"] == [{"value": "Nobody Ever", "found": []}]
    assert "no speaker of this corpus" in client.get(f"/claims/{span['id']}/edges",
                                                     params={"speaker": "Nobody Ever"}).text
    for path in (f"/api/claims/{span['id']}/edges", f"/claims/{span['id']}/edges"):
        r = client.get(path, params=[("speaker", a), ("speaker", b), ("speaker", "Nobody Ever")])
        assert r.status_code == 400 and "at most two" in r.text, (path, r.text[:200])
    # the page: the filter named, its pairs only, the JSON twin and the pager keep it
    html = client.get(f"/claims/{span['id']}/edges", params={"speaker": one}).text
    assert 'id="edge-filter">The pairs of' in html and f'href="/claims/{span["id"]}/edges">every pair' in html
    assert html.count('class="edge ') == len(mine)
    assert f'class="twin" href="/api/claims/{span["id"]}/edges?speaker={one}"' in html
    # a speaker's page: each ally and opponent with the evidence of their pair on each claim
    page = client.get(f"/speakers/{a}").text
    link = f'/claims/{span["id"]}/edges?speaker={a}&amp;speaker={b}'
    assert f'class="pair-evidence meta" href="{link}"' in page
    shown = client.get(link.replace("&amp;", "&")).text
    assert shown.count('class="edge ') == 1 and f'data-a="{edge["speakers"][0]["id"]}"' in shown


def test_a_claim_as_schema_org_json_ld(client, span):
    r = client.get(f"/api/claims/{span['id']}.jsonld")
    assert r.status_code == 200 and r.headers["content-type"] == "application/ld+json"
    node = r.json()
    assert node["@context"] == "https://schema.org" and node["text"] == span["label"]
    schema_org(node)
    authors = {a["name"]: a["@type"] for a in node["author"]}
    assert authors["Harlan Pruitt"] == "Person" and "Paul Whitcombe" not in authors
    appearances = {a["identifier"] for a in node["appearance"]}
    assert appearances == {str(a["article_id"]) for a in span["attributions"]}
    first = node["firstAppearance"]
    assert first["datePublished"] == min(a["datePublished"] for a in node["appearance"] if "datePublished" in a)
    html = client.get(f"/claims/{span['id']}").text
    assert f'href="/api/claims/{span["id"]}.jsonld"' in html
    assert client.get("/api/claims/c0000000000.jsonld").status_code == 404


def test_a_claim_says_whom_its_attributions_name(client, span, corpus_db):
    """Counted again from each member's ``about`` in its article's JSON: a subject is their corpus speaker, or
    the one speaker who goes by their name, or a name alone."""
    from collections import Counter

    from subjects import subjects_of

    conn = sqlite3.connect(corpus_db)
    expected = Counter()
    for member in span["attributions"]:
        art = client.get(f"/api/articles/{member['article_id']}").json()
        (att,) = [a for a in art["attributions"] if a["id"] == member["attribution_id"]]
        expected.update(subjects_of(conn, att))
    conn.close()
    data = client.get(f"/api/claims/{span['id']}").json()
    assert data["about"] and data["about"] == span["about"]
    assert {(sub["speaker"]["id"] if sub["speaker"] else ("name", sub["name"])): sub["attributions"]
            for sub in data["about"]} == dict(expected)
    assert [sub["attributions"] for sub in data["about"]] == sorted((sub["attributions"] for sub in data["about"]),
                                                                    reverse=True)
    node = client.get(f"/api/claims/{span['id']}.jsonld").json()
    assert [a["name"] for a in node["about"]] == [sub["name"] for sub in data["about"]]
    html = client.get(f"/claims/{span['id']}").text
    about = re.search(r'<p class="claim-about" id="claim-about">.*?</p>', html, re.S).group(0)
    for sub in data["about"]:
        if sub["speaker"]:
            assert f'href="/speakers/{sub["speaker"]["id"]}"' in about


def test_the_claim_page_groups_stances_and_draws_the_graph(client, span):
    html = client.get(f"/claims/{span['id']}").text
    for stance in ("asserts", "denies", "doubts"):
        assert f'id="stance-{stance}"' in html
    for att in span["attributions"]:
        assert f'href="/articles/{att["article_id"]}#{att["attribution_id"]}"' in html
    svg = re.search(r'<svg class="graph" id="claim-graph".*?</svg>', html, re.S).group(0)
    speakers = {a["speaker"]["id"] for a in span["attributions"] if a["speaker"]}
    assert svg.count("<circle") == len(speakers) == len(span["speakers"])
    assert svg.count('class="link contradict"') == sum(e["relation"] == "contradict" for e in span["edges"]) > 0
    assert svg.count('class="link agree"') == sum(e["relation"] == "agree" for e in span["edges"]) > 0
    assert 'id="quotes"' in html and "Coastline Herald" in html
    assert client.get(f"/claims/{span['id']}").headers["content-security-policy"].startswith("default-src 'self'")
    missing = client.get("/claims/c0000000000")
    assert missing.status_code == 404 and "No claim c0000000000" in missing.text


def test_a_speaker_has_positions_allies_and_opponents(client, span):
    pruitt = client.get(f"/api/speakers/{speaker(client, 'Harlan Pruitt')['id']}").json()
    claims = pruitt["claims"]
    (position,) = [p for p in claims["positions"] if p["claim"]["id"] == span["id"]]
    assert position["stance"] == "asserts" and position["stances"]["asserts"] >= 2
    assert claims["total"] >= len(claims["positions"])
    opponents = {o["speaker"]["name"]: o for o in claims["contradicts"]}
    assert span["id"] in {c["id"] for c in opponents["Paul Whitcombe"]["claims"]}
    assert "Maria Delgado" in {o["speaker"]["name"] for o in claims["agrees_with"]}
    html = client.get(f"/speakers/{pruitt['id']}").text
    assert f'href="/claims/{span["id"]}"' in html and 'id="contradicts"' in html


def test_home_links_to_the_claims_and_every_claim_page_has_twins(client, span):
    home = client.get("/api").json()
    assert home["claims"]["computed"]["claims"] > 0 and home["claims"]["top"]
    page = client.get("/").text
    assert 'href="/claims"' in page and f'href="/claims/{home["claims"]["top"][0]["id"]}"' in page
    for html, twin in [("/claims", "/api/claims"), (f"/claims/{span['id']}", f"/api/claims/{span['id']}")]:
        assert f'class="twin" href="{twin}"' in client.get(html).text
        assert client.get(twin).status_code == 200
    assert "/api/claims/{claim_id}.jsonld" in client.get("/openapi.json").json()["paths"]


def test_claim_text_is_escaped(client):
    found = client.get("/api/claims", params={"q": "markup OR script"}).json()["results"]
    assert found
    shown = 0
    for claim in found:
        html = client.get(f"/claims/{claim['id']}").text
        assert "<script>window" not in html and "<img src=x" not in html and "<b>Night" not in html
        shown += "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
        ld = re.search(r'<script type="application/ld\+json" id="claim-jsonld">(.*?)</script>', html, re.S).group(1)
        assert "<" not in ld
        schema_org(client.get(f"/api/claims/{claim['id']}.jsonld").json())  # no javascript: url as a URL
    assert shown
    assert "<script>window" not in client.get("/claims", params={"q": "script"}).text
