"""Claims: attribution contents that state the same proposition, grouped across speakers and articles.

An :class:`Item` is one attribution of one corpus article with its speaker. :func:`find_claims` compares the
contents of all items by the cosine similarity of their MiniLM embeddings, taken on the content with its
negations removed, so that "Russia is trying to influence the election" and "we have no intention of
influencing the election" can meet, and adds what the articles' structure says:

- two attributions of one article whose contents overlap (an outlet's report and the quote it reports, a
  quotation credited twice) state one thing: they are joined outright;
- one speaker's attributions in one article are usually about one thing: their similarity gets a bonus.

Average-linkage agglomerative clustering cuts the resulting similarities at a threshold chosen on the
development part of the labelled set (docs/claims.md). Each cluster is a claim, labelled with the verbatim
content of its most central member that states the proposition plainly, and every member gets its stance
toward that label (:mod:`sayso.claims.stance`).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

import numpy as np

from ..model import Article, Attribution, Entity
from .embeddings import Embeds
from .stance import DISMISSIVE, cue_class, negated, stance, without_negation

#: Similarity at and above which two groups of contents are one claim (chosen on the development part).
THRESHOLD = 0.35
#: Added to the similarity of two attributions of the same speaker in the same article.
SAME_SPEAKER_BONUS = 0.2
#: Shortest content, in words, that can label a claim: a claim label should be a readable proposition.
LABEL_MIN_WORDS = 4

_QUOTE_MARKS = "\"“”«»„‟'‘’"
_LEAD = re.compile(r"^(?:that|whether|if)\s+", re.I)
#: Where a content breaks into separate statements: sentences, dashes, semicolons, "and that", "but".
_BREAK = re.compile(r"(?<=[,.!?][\"”])\s+(?=[\"“])|(?<=[.!?])[\"”’']?\s+(?=[\"“‘']?[A-Z])|\s+[—–]\s*|\s+--\s+|;\s+|…|,?\s+and that\s+|,\s+but\s+")
#: Contents shorter than this (in words) are compared on their whole sentence.
FRAGMENT_WORDS = 5
#: Fewest words a piece of a content needs to be compared on its own.
PIECE_MIN_WORDS = 4


@dataclass(frozen=True)
class Speaker:
    """Who stands behind an attribution, as the corpus knows them (or as one article names them)."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()
    kind: str = "unknown"

    def to_json(self) -> dict[str, Any]:
        """``{"id", "name", "aliases"}``."""
        return {"id": self.id, "name": self.name, "aliases": list(self.aliases)}


@dataclass(frozen=True)
class AttributionRef:
    """One attribution of one corpus article."""

    article_id: str
    attribution_id: str

    def to_json(self) -> dict[str, str]:
        """``{"article_id", "attribution_id"}``."""
        return {"article_id": self.article_id, "attribution_id": self.attribution_id}


@dataclass
class Item:
    """One attribution of a corpus article, with the speaker the caller resolved it to (None: no source)."""

    article_id: str
    article: Article
    attribution: Attribution
    speaker: Speaker | None = None

    @property
    def ref(self) -> AttributionRef:
        return AttributionRef(self.article_id, self.attribution.id)

    @property
    def content(self) -> str:
        return self.article.span_text(self.attribution.content)

    @property
    def cue(self) -> str:
        return self.article.span_text(self.attribution.cue)


@dataclass
class ClaimMember:
    """An attribution of a claim: who said it, with which stance toward the claim's label, in which words."""

    ref: AttributionRef
    speaker: Speaker | None
    stance: str
    content: str
    cue: str
    kind: str
    outlet: str | None = None
    published: str | None = None
    url: str | None = None
    title: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The member as ``sayso claims --json`` lists it."""
        return {
            "speaker": self.speaker.to_json() if self.speaker else None,
            "stance": self.stance,
            "content": self.content,
            "cue": self.cue,
            **self.ref.to_json(),
        }


@dataclass
class Edge:
    """Two speakers of one claim who agree (same side) or contradict each other, with the evidence."""

    a: Speaker
    b: Speaker
    relation: str  # "agree" | "contradict"
    evidence: list[AttributionRef] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """``{"speakers": [a, b], "relation", "evidence": [refs]}``."""
        return {"speakers": [self.a.to_json(), self.b.to_json()], "relation": self.relation,
                "evidence": [r.to_json() for r in self.evidence]}


@dataclass
class Claim:
    """A proposition stated by one or more attributions, labelled with the words of one of them."""

    id: str
    label: str
    label_ref: AttributionRef
    members: list[ClaimMember]
    edges: list[Edge] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """``{"id", "label", "attributions": [...], "edges": [...]}``, the shape ``sayso claims --json`` prints."""
        return {"id": self.id, "label": self.label, "label_attribution": self.label_ref.to_json(),
                "attributions": [m.to_json() for m in self.members],
                "edges": [e.to_json() for e in self.edges]}

    def speakers(self, stance_: str) -> list[Speaker]:
        """The distinct speakers with this stance, in member order."""
        seen: dict[str, Speaker] = {}
        for m in self.members:
            if m.stance == stance_ and m.speaker and m.speaker.id not in seen:
                seen[m.speaker.id] = m.speaker
        return list(seen.values())


# ------------------------------------------------------------------------------------------------ items
def slug(name: str) -> str:
    """A speaker id from a name: "Vladimir Putin" -> "vladimir-putin"."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "unknown"


def article_speaker(article: Article, entity: Entity) -> Speaker:
    """The speaker of an article-level entity, when the caller has no corpus-level one: its id is its
    name's slug, so that one name is one speaker across articles; its aliases are its other mentions."""
    mentions = sorted({article.text[s:e] for s, e in entity.mentions} - {entity.name})
    return Speaker(id=slug(entity.name), name=entity.name, aliases=tuple(mentions), kind=entity.kind)


def items_of(article_id: str, article: Article,
             speakers: Mapping[str, Speaker] | None = None) -> list[Item]:
    """The items of one annotated article; ``speakers`` maps its entity ids to corpus-level speakers."""
    out = []
    for att in article.attributions:
        speaker = None
        if att.entity is not None:
            if speakers and att.entity in speakers:
                speaker = speakers[att.entity]
            else:
                ent = article.entity(att.entity)
                speaker = article_speaker(article, ent) if ent else None
        out.append(Item(article_id, article, att, speaker))
    return out


# ------------------------------------------------------------------------------------------------ text
def proposition_text(content: str) -> str:
    """What is compared: the content without quotation marks, a leading "that", or its negations."""
    text = content.strip().strip(_QUOTE_MARKS + " ,.;:")
    text = "".join(ch for ch in text if ch not in "\"“”«»„‟")
    text = _LEAD.sub("", text)
    return without_negation(text) or content


def pieces(content: str) -> list[str]:
    """The content, then each separate statement in it when it holds several (verbatim pieces).

    >>> pieces('"I want to calm down everybody — we have no intention of influencing the election."')[1:]
    ['"I want to calm down everybody', 'we have no intention of influencing the election."']
    """
    parts = [p for p in _BREAK.split(content) if p and len(p.split()) >= PIECE_MIN_WORDS]
    return [content] + (parts if len(parts) > 1 else [])


def label_text(content: str) -> str:
    """A content as a claim label: the same words, without a leading "that" or the quotation marks and
    punctuation around it (what is left is still a verbatim piece of the article)."""
    text = content.strip().strip(_QUOTE_MARKS + " ,;:")
    return _LEAD.sub("", text).strip(_QUOTE_MARKS + " ,;:")


# ------------------------------------------------------------------------------------------------ structure
def _overlap(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> int:
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)


def _length(spans: list[tuple[int, int]]) -> int:
    return sum(e - s for s, e in spans)


def shares_content(x: Attribution, y: Attribution) -> bool:
    """Two attributions of one article whose contents overlap by half of the shorter one."""
    shorter = min(_length(x.content), _length(y.content))
    return shorter > 0 and _overlap(x.content, y.content) * 2 >= shorter


def passes_on(item: Item, article_items: Iterable[Item]) -> bool:
    """True when the item's content holds another speaker's attribution: an outlet reporting a quote."""
    att = item.attribution
    for other in article_items:
        o = other.attribution
        # passing on is relaying another known speaker's words, not one's own belief ("she believed")
        if o.id == att.id or o.entity is None or o.entity == att.entity or cue_class(other.cue) == "belief":
            continue
        cue_start = o.cue[0][0]
        if any(s <= cue_start < e for s, e in att.content) and _overlap(att.content, o.content) > 0:
            return True
    return False


def similarities(items: list[Item], vectors: list[np.ndarray],
                 same_speaker_bonus: float = SAME_SPEAKER_BONUS) -> np.ndarray:
    """Pairwise similarity of the items: the best cosine between any pieces of their contents (each item's
    vectors are one row per piece), plus what the article structure says."""
    flat = np.concatenate(vectors)
    starts = np.cumsum([0] + [len(v) for v in vectors[:-1]])
    sim = flat @ flat.T
    sim = np.maximum.reduceat(np.maximum.reduceat(sim, starts, axis=0), starts, axis=1)
    by_article: dict[str, list[int]] = {}
    for i, it in enumerate(items):
        by_article.setdefault(it.article_id, []).append(i)
    for idx in by_article.values():
        for n, i in enumerate(idx):
            for j in idx[n + 1:]:
                a, b = items[i].attribution, items[j].attribution
                if shares_content(a, b):
                    sim[i, j] = sim[j, i] = 1.0
                elif a.entity is not None and a.entity == b.entity:
                    sim[i, j] = sim[j, i] = min(1.0, sim[i, j] + same_speaker_bonus)
    np.fill_diagonal(sim, 1.0)
    return sim


def cluster(sim: np.ndarray, threshold: float = THRESHOLD) -> list[int]:
    """Average-linkage clusters of a similarity matrix, cut where the mean similarity drops below
    ``threshold``; one cluster number per row."""
    n = sim.shape[0]
    if n == 0:
        return []
    if n == 1:
        return [0]
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    dist = np.clip(1.0 - sim, 0.0, 2.0).astype(np.float64)
    dist = (dist + dist.T) / 2
    np.fill_diagonal(dist, 0.0)
    tree = linkage(squareform(dist, checks=False), method="average")
    return [int(c) - 1 for c in fcluster(tree, t=1.0 - threshold, criterion="distance")]


# ------------------------------------------------------------------------------------------------ claims
def _plain(item: Item, passing: bool) -> bool:
    """Whether an item can label a claim: its speaker states something, neither passing it on nor
    denying or doubting it."""
    return (not passing and cue_class(item.cue) not in ("deny", "doubt") and not negated(item.cue)
            and len(item.content.split()) >= FRAGMENT_WORDS)


def _plain_piece(text: str) -> bool:
    return not negated(text) and not DISMISSIVE.search(text) and len(text.split()) >= LABEL_MIN_WORDS


def claim_id(ref: AttributionRef) -> str:
    """A claim's id, stable while its label stays the same attribution."""
    return "c" + hashlib.sha1(f"{ref.article_id}/{ref.attribution_id}".encode()).hexdigest()[:10]


def sentence_of(item: Item) -> str:
    """The sentence (or headline) that holds an item's content, cue and source."""
    text = item.article.text
    spans = item.attribution.content + item.attribution.cue + item.attribution.source
    start, end = min(s for s, _ in spans), max(e for _, e in spans)
    left = max(text.rfind(ch, 0, start) for ch in ".!?\n")
    right = min((i for i in (text.find(ch, end) for ch in ".!?\n") if i >= 0), default=len(text))
    return text[left + 1:right + 1].strip()


def compared_text(item: Item) -> str:
    """What an item's content is compared on: the content, or its whole sentence when the content is a
    fragment too short to state a proposition ("extremely careless", "rigged")."""
    if len(item.content.split()) < FRAGMENT_WORDS:
        return sentence_of(item)
    return item.content


def embed_items(items: list[Item], encoder: Embeds) -> tuple[list[list[str]], list[np.ndarray]]:
    """Each item's content pieces (the whole content first) and one vector per piece."""
    texts = [pieces(compared_text(it)) for it in items]
    flat = encoder.encode([proposition_text(t) for ts in texts for t in ts])
    out, at = [], 0
    for ts in texts:
        out.append(flat[at:at + len(ts)])
        at += len(ts)
    return texts, out


def find_claims(items: list[Item], encoder: Embeds, *, threshold: float = THRESHOLD,
                same_speaker_bonus: float = SAME_SPEAKER_BONUS, min_members: int = 1) -> list[Claim]:
    """Group the items into claims, label each, give every member its stance and derive the edges.

    Claims come largest first; those with fewer than ``min_members`` attributions are left out.
    """
    if not items:
        return []
    texts, vectors = embed_items(items, encoder)
    sim = similarities(items, vectors, same_speaker_bonus)
    labels = cluster(sim, threshold)
    by_article: dict[str, list[Item]] = {}
    for it in items:
        by_article.setdefault(it.article_id, []).append(it)
    passing = [passes_on(it, by_article[it.article_id]) for it in items]
    groups: dict[int, list[int]] = {}
    for i, c in enumerate(labels):
        groups.setdefault(c, []).append(i)
    claims = []
    for idx in groups.values():
        if len(idx) < min_members:
            continue
        claims.append(_claim([items[i] for i in idx], [texts[i] for i in idx], [vectors[i] for i in idx],
                             [passing[i] for i in idx], sim[np.ix_(idx, idx)]))
    claims.sort(key=lambda c: (-len(c.members), c.id))
    return claims


def _claim(members: list[Item], texts: list[list[str]], vectors: list[np.ndarray], passing: list[bool],
           sim: np.ndarray) -> Claim:
    centroid = np.mean([v[0] for v in vectors], axis=0)
    centrality = sim.mean(axis=1)
    # the label: of the members that state the proposition plainly, the most central one; of its pieces,
    # the plain one nearest the claim's centre
    candidates = [(i, k) for i, it in enumerate(members) if _plain(it, passing[i])
                  for k, t in enumerate(texts[i]) if _plain_piece(t)]
    if not candidates:
        candidates = [(i, k) for i in range(len(members)) for k in range(len(texts[i]))]
    best_i = max({i for i, _ in candidates}, key=lambda i: (centrality[i], -i))
    best_k = max((k for i, k in candidates if i == best_i), key=lambda k: float(vectors[best_i][k] @ centroid))
    head = members[best_i]
    label = label_text(texts[best_i][best_k])
    label_vec = vectors[best_i][best_k]
    out = []
    for i, it in enumerate(members):
        # the stance is read off the piece of the content (not the whole, where it has pieces) that states
        # the label's proposition: a negation in another sentence of a quote says nothing about this one
        first = 1 if len(texts[i]) > 1 else 0
        k = first + int(np.argmax(vectors[i][first:] @ label_vec))
        # a fragment was compared on its sentence, but its stance is its own words' ("extremely careless")
        said = it.content if len(it.content.split()) < FRAGMENT_WORDS else texts[i][k]
        out.append(ClaimMember(
            ref=it.ref, speaker=it.speaker, stance=stance(said, it.cue, label, passes_on=passing[i],
                                                          whole=it.content),
            content=it.content, cue=it.cue, kind=it.attribution.kind, outlet=it.article.outlet,
            published=it.article.published, url=it.article.url, title=it.article.title))
    claim = Claim(id=claim_id(head.ref), label=label, label_ref=head.ref, members=out)
    claim.edges = edges(claim)
    return claim


#: Which side of a claim a stance takes: doubting sides with denying against asserting.
SIDE = {"asserts": 1, "denies": -1, "doubts": -1}


def edges(claim: Claim) -> list[Edge]:
    """Agreement and contradiction between the claim's speakers, each on its evidence.

    A speaker's side is the majority of their asserting versus denying-or-doubting attributions (neutral
    reports take no side; a tie takes none either); two speakers on the same side agree, on opposite sides
    contradict.
    """
    votes: dict[str, Counter] = {}
    speakers: dict[str, Speaker] = {}
    for m in claim.members:
        if m.speaker is None or m.stance not in SIDE:
            continue
        speakers[m.speaker.id] = m.speaker
        votes.setdefault(m.speaker.id, Counter())[SIDE[m.stance]] += 1
    side = {}
    for sid, c in votes.items():
        if c[1] != c[-1]:
            side[sid] = 1 if c[1] > c[-1] else -1
    ids = list(side)
    out = []
    for n, a in enumerate(ids):
        for b in ids[n + 1:]:
            evidence = [m.ref for m in claim.members
                        if m.speaker and m.speaker.id in (a, b) and SIDE.get(m.stance) == side[m.speaker.id]]
            out.append(Edge(speakers[a], speakers[b], "agree" if side[a] == side[b] else "contradict", evidence))
    return out
