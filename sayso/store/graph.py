"""The speakers of a corpus as a network, for Gephi, Cytoscape, networkx or a D3 page.

Nodes are corpus speakers; each edge is one relation between two of them, with ``weight``, the number of
times the corpus shows it:

- ``via``: the source's words came through the target ("Putin told reporters, according to TASS": Putin ->
  TASS), one edge per step of an attribution's chain of intermediaries (Putin -> TASS -> NBC News); the
  weight counts attributions.
- ``about``: the source's content names the target (its ``about`` in sayso.article/1: a name, or the source
  of an attribution nested in the content): a speaker of that article, or someone only talked about there
  whose name is one corpus speaker's (as their pages count "Talks about"); the weight counts attributions.
  Mentions of the speaker themself are left out.
- ``agrees`` and ``contradicts``: the two take the same side, or opposite sides, of a claim (``sayso
  claims`` computes them); the weight counts claims, ``claim`` is the label of the largest. These two are
  symmetric: each pair is written once, from the lower speaker id, with ``symmetric`` true.

Each edge's ``label`` is its relation.

Every node has ``name`` (and ``label``, the same, which Gephi shows), ``kind``, ``attributions`` (as source), ``relayed`` (as an intermediary) and
``aliases`` (the most used, joined by "; "). Only speakers on an edge are nodes.

>>> graph = speaker_graph(connect_readonly("corpus.sqlite"))         # doctest: +SKIP
>>> networkx.write_graphml(graph, "speakers.graphml")                # doctest: +SKIP
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from typing import Iterable

from .queries import naming, subject_speakers

RELATIONS = ("via", "about", "agrees", "contradicts")
#: The files a network is written as: what reads them, and their media type.
NETWORK_FORMATS = {"json": ("node-link JSON (networkx, D3)", "application/json"),
                   "graphml": ("GraphML (Gephi, Cytoscape, yEd)", "application/graphml+xml"),
                   "gexf": ("GEXF (Gephi)", "application/gexf+xml")}
#: How the claims tables name the two relations between speakers of a claim.
_CLAIM_RELATIONS = {"agree": "agrees", "contradict": "contradicts"}
#: Aliases listed on a node.
NODE_ALIASES = 5


def speaker_graph(conn: sqlite3.Connection, relations: Iterable[str] = RELATIONS, min_weight: int = 1,
                  around: Iterable[int] | None = None):
    """The corpus's speakers and the ``relations`` between them (a networkx MultiDiGraph, one edge per
    relation and pair, keyed by the relation), leaving out edges of a weight under ``min_weight``; with
    ``around`` (speaker ids), only the edges that touch one of those speakers: their neighbourhood."""
    import networkx as nx

    relations = tuple(relations)
    unknown = set(relations) - set(RELATIONS)
    if unknown:
        raise ValueError(f"unknown relations: {', '.join(sorted(unknown))} (known: {', '.join(RELATIONS)})")
    edges: dict[str, Counter] = {r: Counter() for r in relations}
    examples: dict[tuple[int, int, str], str] = {}
    if "via" in edges:
        chain: list[int] = []
        last = None
        rows = conn.execute("SELECT a.id, a.speaker_id, v.speaker_id FROM via v JOIN attributions a"
                            " ON a.id = v.attribution_id WHERE a.speaker_id IS NOT NULL ORDER BY a.id, v.position")
        for attribution, source, intermediary in rows:
            if attribution != last:
                chain, last = [source], attribution
            if intermediary != chain[-1]:
                edges["via"][(chain[-1], intermediary)] += 1
            chain.append(intermediary)
    centre = None if around is None else set(around)
    if "about" in edges:
        edges["about"].update(_about_edges(conn, centre))
    if "agrees" in edges or "contradicts" in edges:
        rows = conn.execute(
            "SELECT e.speaker_a, e.speaker_b, e.relation, c.label FROM claim_edges e JOIN claims c"
            " ON c.id = e.claim_id ORDER BY c.attributions DESC, c.id")
        for a, b, relation, label in rows:
            relation = _CLAIM_RELATIONS.get(relation, relation)
            if relation not in edges or a == b:
                continue
            pair = (min(a, b), max(a, b))
            edges[relation][pair] += 1
            examples.setdefault((*pair, relation), label)

    graph = nx.MultiDiGraph()
    kept = {r: {pair: n for pair, n in counts.items()
                if n >= min_weight and (centre is None or pair[0] in centre or pair[1] in centre)}
            for r, counts in edges.items()}
    ids = {i for counts in kept.values() for pair in counts for i in pair}
    for node in _nodes(conn, ids):
        graph.add_node(node.pop("id"), **node)
    for relation, counts in kept.items():
        for (a, b), n in sorted(counts.items()):
            if a not in graph or b not in graph:
                continue  # a speaker the store no longer has
            extra = {}
            if relation in ("agrees", "contradicts"):
                extra = {"symmetric": True, "claim": examples[(a, b, relation)]}
            graph.add_edge(a, b, key=relation, relation=relation, label=relation, weight=n, **extra)
    return graph


def _about_edges(conn: sqlite3.Connection, centre: set[int] | None) -> Counter:
    """How many of each speaker's attributions name each other speaker: the subject's corpus speaker where
    they speak in the article too, else the one speaker their name is (``queries.subject_speakers``, as the
    speaker pages count); around ``centre``, only what those speakers said or what names them is read."""
    sql = ("SELECT DISTINCT a.id, a.speaker_id, b.speaker_id, b.key FROM about b JOIN attributions a"
           " ON a.id = b.attribution_id WHERE a.speaker_id IS NOT NULL")
    args: list = []
    if centre is not None:
        ids = sorted(centre)
        naming_sql, naming_args = naming(conn, ids)
        # what they said, and what names them
        said = f"SELECT id FROM attributions WHERE speaker_id IN ({','.join('?' * len(ids))})"
        sql += f" AND a.id IN ({said} UNION {naming_sql})"
        args = [*ids, *naming_args]
    rows = conn.execute(sql, args).fetchall()
    named = subject_speakers(conn, {key for _, _, subject, key in rows if subject is None})
    pairs = set()
    for attribution, source, subject, key in rows:
        subject = subject if subject is not None else named.get(key)
        if subject is not None and subject != source:
            pairs.add((attribution, source, subject))
    return Counter((source, subject) for _, source, subject in pairs)


def _nodes(conn: sqlite3.Connection, ids: set[int]) -> list[dict]:
    """The node attributes of these speakers, by id."""
    nodes: dict[int, dict] = {}
    for r in conn.execute("SELECT id, name, kind, attributions, relayed FROM speakers ORDER BY id"):
        if r[0] in ids:
            nodes[r[0]] = {"id": r[0], "name": r[1], "label": r[1], "kind": r[2], "attributions": r[3],
                           "relayed": r[4], "aliases": []}
    for speaker, alias in conn.execute("SELECT speaker_id, alias FROM speaker_aliases ORDER BY speaker_id, count DESC,"
                                       " alias"):
        node = nodes.get(speaker)
        if node is not None and len(node["aliases"]) < NODE_ALIASES:
            node["aliases"].append(alias)
    for node in nodes.values():
        node["aliases"] = "; ".join(node["aliases"])
    return list(nodes.values())


def network_bytes(graph, fmt: str) -> bytes:
    """The network written as ``fmt`` (one of NETWORK_FORMATS), UTF-8."""
    import io

    import networkx as nx

    if fmt == "json":
        return (json.dumps(nx.node_link_data(graph, edges="links"), ensure_ascii=False, indent=1) + "\n").encode()
    out = io.BytesIO()
    (nx.write_graphml if fmt == "graphml" else nx.write_gexf)(graph, out)
    return out.getvalue()
