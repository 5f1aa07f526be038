"""The speakers' network (`sayso network`): every edge and weight found again from the articles' and claims'
own JSON, in each of the three formats."""

import json
import sqlite3
import subprocess
import sys
from collections import Counter

import networkx as nx
import pytest

from sayso.store import connect_readonly, queries
from sayso.store.graph import RELATIONS, speaker_graph
from subjects import subjects_of

SAYSO = [sys.executable, "-m", "sayso.cli"]


@pytest.fixture(scope="module")
def graph(corpus_db):
    with connect_readonly(corpus_db) as conn:
        return speaker_graph(conn)


def expected_edges(db) -> dict[str, Counter]:
    """Each relation's weights, read off the stored articles (as /api/articles/ID gives them) and the claims'
    edges (as sayso claims --json lists them)."""
    out = {r: Counter() for r in RELATIONS}
    with connect_readonly(db) as conn:
        ids = [r[0] for r in conn.execute("SELECT id FROM articles")]
        for article_id in ids:
            art = queries.article(conn, article_id)
            for a in art["attributions"]:
                if a["speaker"] is None:
                    continue
                chain = [a["speaker"]["id"]] + [s["id"] for s in a["via_speakers"]]
                for x, y in zip(chain, chain[1:]):
                    if x != y:
                        out["via"][(x, y)] += 1
                named = {who for who in subjects_of(conn, a) if isinstance(who, int)} - {a["speaker"]["id"]}
                for target in named:
                    out["about"][(a["speaker"]["id"], target)] += 1
        claim_ids = [r[0] for r in conn.execute("SELECT id FROM claims")]
        for claim in queries.claim_objects(conn, claim_ids):
            for edge in claim.edges:
                if edge.a.id != edge.b.id:
                    relation = {"agree": "agrees", "contradict": "contradicts"}[edge.relation]
                    out[relation][(min(edge.a.id, edge.b.id), max(edge.a.id, edge.b.id))] += 1
    return out


def weights(graph, relation: str) -> Counter:
    return Counter({(a, b): d["weight"] for a, b, d in graph.edges(data=True) if d["relation"] == relation})


def test_every_edge_and_weight_is_what_the_articles_and_claims_say(graph, corpus_db):
    expected = expected_edges(corpus_db)
    for relation in RELATIONS:
        assert expected[relation], relation  # the example corpus has some of each
        assert weights(graph, relation) == expected[relation], relation
    conn = sqlite3.connect(corpus_db)
    names = dict(conn.execute("SELECT id, name FROM speakers"))
    conn.close()
    assert {n: d["name"] for n, d in graph.nodes(data=True)} == {n: names[n] for n in graph.nodes}
    # the Valley Ledger passed on "budget officials" and the two people familiar with the meeting
    ledger = next(n for n, d in graph.nodes(data=True) if d["name"] == "Valley Ledger")
    assert {graph.nodes[a]["name"] for a, b, d in graph.in_edges(ledger, data=True) if d["relation"] == "via"} >= {
        "budget officials", "two people familiar with the meeting"}
    # and Whitcombe denies what Pruitt asserts
    pair = {graph.nodes[a]["name"] for a, b, d in graph.edges(data=True) if d["relation"] == "contradicts"
            for a in (a, b)}
    assert {"Paul Whitcombe", "Harlan Pruitt"} <= pair


def test_symmetric_relations_are_written_once_per_pair(graph):
    for a, b, d in graph.edges(data=True):
        if d["relation"] in ("agrees", "contradicts"):
            assert a < b and d["symmetric"] is True and d["claim"]
            assert not graph.has_edge(b, a, key=d["relation"])
        assert a != b and graph.nodes[a] and graph.nodes[b]


def run(*args):
    return subprocess.run([*SAYSO, "network", *args], capture_output=True, text=True, timeout=300)


def test_the_three_formats_hold_the_same_network(graph, corpus_db, tmp_path):
    r = run("--db", str(corpus_db))
    assert r.returncode == 0, r.stderr
    assert r.stderr.strip().endswith(f"{graph.number_of_nodes()} speakers, {graph.number_of_edges()} edges")
    from_json = nx.node_link_graph(json.loads(r.stdout), edges="links")
    assert sorted(from_json.edges(keys=True, data="weight")) == sorted(graph.edges(keys=True, data="weight"))

    assert run("--db", str(corpus_db), "-o", str(tmp_path / "g.graphml")).returncode == 0
    g = nx.read_graphml(tmp_path / "g.graphml", node_type=int)
    assert sorted((a, b, d["relation"], d["weight"]) for a, b, d in g.edges(data=True)) == sorted(
        (a, b, d["relation"], d["weight"]) for a, b, d in graph.edges(data=True))
    assert {n: d["name"] for n, d in g.nodes(data=True)} == {n: d["name"] for n, d in graph.nodes(data=True)}

    assert run("--db", str(corpus_db), "-o", str(tmp_path / "g.gexf")).returncode == 0
    x = nx.read_gexf(tmp_path / "g.gexf", node_type=int)
    assert x.number_of_nodes() == graph.number_of_nodes() and x.number_of_edges() == graph.number_of_edges()
    assert {d["label"] for _, d in x.nodes(data=True)} == {d["name"] for _, d in graph.nodes(data=True)}
    assert sorted(d["weight"] for _, _, d in x.edges(data=True)) == sorted(
        d["weight"] for _, _, d in graph.edges(data=True))

    r = run("--db", str(corpus_db), "--format", "graphml")
    assert r.returncode == 0 and r.stdout.startswith("<?xml")


def test_relations_and_weights_filter_the_edges_and_their_nodes(corpus_db):
    r = run("--db", str(corpus_db), "--relation", "contradicts", "--relation", "via", "--min-weight", "2")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["links"] and all(e["relation"] in ("contradicts", "via") and e["weight"] >= 2 for e in data["links"])
    on_edges = {e["source"] for e in data["links"]} | {e["target"] for e in data["links"]}
    assert {n["id"] for n in data["nodes"]} == on_edges


def test_bad_arguments_are_one_line(tmp_path):
    r = run("--db", str(tmp_path / "none.sqlite"))
    assert r.returncode != 0 and len(r.stderr.strip().splitlines()) == 1 and "none.sqlite" in r.stderr
    r = run("--relation", "likes")
    assert r.returncode == 2 and "likes" in r.stderr
    with pytest.raises(ValueError, match="likes"):
        speaker_graph(None, ["likes"])


def test_the_server_gives_the_same_network_as_downloads(corpus_db):
    from fastapi.testclient import TestClient

    from sayso.web import create_app

    with TestClient(create_app(corpus_db)) as client:
        r = client.get("/api/network.json", params=[("relation", "via"), ("relation", "about")])
        assert r.status_code == 200 and "sayso-network.json" in r.headers["content-disposition"]
        cli = run("--db", str(corpus_db), "--relation", "via", "--relation", "about")
        assert r.json() == json.loads(cli.stdout)
        for fmt, media in (("graphml", "application/graphml+xml"), ("gexf", "application/gexf+xml")):
            r = client.get(f"/api/network.{fmt}", params={"min_weight": 2})
            assert r.status_code == 200 and r.headers["content-type"].startswith(media)
            assert r.content == run("--db", str(corpus_db), "--format", fmt, "--min-weight", "2").stdout.encode()
        r = client.get("/api/network.json", params={"relation": "likes"})
        assert r.status_code == 400 and "likes" in r.json()["detail"]
        assert client.get("/api/network.json", params={"min_weight": 0}).status_code == 422
        home = client.get("/").text
        assert 'href="/api/network.gexf"' in home and 'href="/api/network.graphml"' in home


def test_a_corpus_without_claims_says_why_it_has_no_claim_edges(tmp_path):
    from pathlib import Path

    from sayso.store import ingest

    db = tmp_path / "c.sqlite"
    ingest([Path(__file__).resolve().parents[2] / "examples" / "harbor-bridge.txt"], db)
    r = run("--db", str(db))
    assert r.returncode == 0 and "no claims computed yet" in r.stderr
    assert {e["relation"] for e in json.loads(r.stdout)["links"]} == {"via", "about"}
    r = run("--db", str(db), "--relation", "via")
    assert "no claims computed" not in r.stderr


def test_a_speakers_neighbourhood_is_every_edge_they_are_on(graph, corpus_db):
    pruitt = next(n for n, d in graph.nodes(data=True) if d["name"] == "Harlan Pruitt")
    r = run("--db", str(corpus_db), "--speaker", "Pruitt")
    assert r.returncode == 0, r.stderr
    got = nx.node_link_graph(json.loads(r.stdout), edges="links")
    touching = sorted((a, b, k, w) for a, b, k, w in graph.edges(keys=True, data="weight") if pruitt in (a, b))
    assert touching and sorted(got.edges(keys=True, data="weight")) == touching
    assert pruitt in got and set(got.nodes) == {x for a, b, _, _ in touching for x in (a, b)}
    r = run("--db", str(corpus_db), "--speaker", "Nobody Anywhere")
    assert r.returncode == 0 and "no speaker is named 'Nobody Anywhere'" in r.stderr
    assert json.loads(r.stdout)["links"] == []

    from fastapi.testclient import TestClient

    from sayso.web import create_app

    with TestClient(create_app(corpus_db)) as client:
        by_id = client.get("/api/network.json", params={"speaker": str(pruitt)}).json()
        assert nx.node_link_graph(by_id, edges="links").number_of_edges() == len(touching)
        assert f'href="/api/network.gexf?speaker={pruitt}"' in client.get(f"/speakers/{pruitt}").text
