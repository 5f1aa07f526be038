"""The claim page's graph of speakers who agree and contradict each other, laid out here and drawn as inline
SVG by the template (no script, no CDN).

The layout is a circle without forces: speakers go round it in order of their stance (those who assert the
claim down the left, then the neutral ones at the bottom, then those who doubt and deny it up the right),
so agreement joins neighbours along the rim and contradiction crosses the middle.

>>> g = claim_graph({"speakers": [
...     {"id": 1, "name": "Ann", "attributions": 2, "side": "asserts"},
...     {"id": 2, "name": "Bob", "attributions": 1, "side": "denies"}],
...     "edges": [{"speakers": [{"id": 1}, {"id": 2}], "relation": "contradict", "evidence_count": 3}]})
>>> [(n.name, n.side, n.anchor) for n in g.nodes], [l.relation for l in g.links]
([('Ann', 'asserts', 'end'), ('Bob', 'denies', 'start')], ['contradict'])
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

WIDTH, HEIGHT = 600, 370
RADIUS = 125
#: Most speakers drawn: those with the most attributions in the claim (the page lists everyone).
MAX_NODES = 16
#: Longest name written beside a node; the full name is in its tooltip.
LABEL_CHARS = 22
#: Where each stance goes round the circle, from the top, counter-clockwise.
SIDE_ORDER = ("asserts", "neutral", "doubts", "denies")


@dataclass
class Node:
    """A speaker: where it is drawn, its stance on the claim, and where its name goes."""

    id: Any
    name: str
    side: str          # the speaker's most frequent stance in this claim
    attributions: int
    x: float
    y: float
    r: float
    label: str
    label_x: float
    label_y: float
    anchor: str        # text-anchor of the name: start, middle or end


@dataclass
class Link:
    """An agreement or a contradiction between two drawn speakers."""

    relation: str      # agree or contradict
    a: Node
    b: Node
    evidence: int


@dataclass
class Graph:
    """The laid-out graph; ``hidden`` counts the speakers left out past :data:`MAX_NODES`."""

    width: int = WIDTH
    height: int = HEIGHT
    nodes: list[Node] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    hidden: int = 0


def claim_graph(claim: dict[str, Any]) -> Graph:
    """Lay out the speakers of a claim (its page's JSON: ``speakers``, each with its ``side`` and
    ``attributions``, and ``edges``) on a circle."""
    people = {s["id"]: s for s in claim["speakers"]}
    in_edges = {s["id"] for e in claim["edges"] for s in e["speakers"]}
    # speakers in an agreement or contradiction first, then the most quoted
    chosen = sorted(people, key=lambda s: (s not in in_edges, -people[s]["attributions"], people[s]["name"]))
    chosen = chosen[:MAX_NODES]
    chosen.sort(key=lambda s: (SIDE_ORDER.index(people[s]["side"]), people[s]["name"]))
    graph = Graph(hidden=len(people) - len(chosen))
    cx, cy, n = WIDTH / 2, HEIGHT / 2, len(chosen)
    nodes = {}
    for i, sid in enumerate(chosen):
        angle = math.pi / 2 + (i + 0.5) * 2 * math.pi / n
        cos, sin = math.cos(angle), math.sin(angle)
        count = people[sid]["attributions"]
        name = people[sid]["name"]
        label = name if len(name) <= LABEL_CHARS else name[:LABEL_CHARS - 1].rstrip() + "…"
        anchor = "end" if cos < -0.25 else "start" if cos > 0.25 else "middle"
        lx, ly = cx + (RADIUS + 16) * cos, cy - (RADIUS + 16) * sin + 4
        if anchor == "middle":
            ly += 8 if sin < 0 else -6
        nodes[sid] = Node(sid, name, people[sid]["side"], count, round(cx + RADIUS * cos, 1),
                          round(cy - RADIUS * sin, 1), round(6 + 2 * min(count, 5), 1), label, round(lx, 1),
                          round(ly, 1), anchor)
    graph.nodes = list(nodes.values())
    for e in claim["edges"]:
        a, b = (s["id"] for s in e["speakers"])
        if a in nodes and b in nodes:
            graph.links.append(Link(e["relation"], nodes[a], nodes[b], e["evidence_count"]))
    # contradictions drawn over agreements, so the crossing lines stay visible
    graph.links.sort(key=lambda link: link.relation == "contradict")
    return graph
