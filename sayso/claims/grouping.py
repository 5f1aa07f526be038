"""Claims: attribution contents that state the same proposition, grouped across speakers and articles.

An :class:`Item` is one attribution of one corpus article with its speaker. :func:`find_claims` scores every
pair of items on three views of what they say, and adds what the articles' structure says:

- the cosine similarity of their contents' MiniLM embeddings, taken on the content with its negations
  removed, so that "Russia is trying to influence the election" and "we have no intention of influencing the
  election" can meet (the best match between the pieces of a content that holds several statements);
- the cosine similarity of the sentences that hold them, which carries what a short or vague content leaves
  to its context ("Trump questioned Cruz's eligibility");
- the overlap of their words, each weighted by its inverse document frequency over the items being grouped,
  so that the proposition's rare key words ("temperament", "plagiarism", "eligible") count and the story's
  common ones ("Clinton", "said") hardly do;
- two attributions of one article whose contents overlap (an outlet's report and the quote it reports, a
  quotation credited twice) state one thing: their similarity is 1; one speaker's attributions in one
  article are usually about one thing: their similarity gets a bonus.

Pairs whose combined similarity reaches a threshold are linked, each item keeping its links to the items
nearest it only, and the claims are the communities of that graph (Leiden, maximising modularity): a link
counts for more when the two items are not also linked to much else, so a story told in many articles splits
into the propositions argued in it. The weights, the threshold, the number of neighbours and the resolution
were chosen on the development part of the labelled set (docs/claims.md). Copies of one attribution (wire copy
reprinted by several outlets) are one node. The similarity matrix is computed a block of rows at a time and the
links are cut to the nearest as they come, so memory grows with the corpus (at most :data:`NEIGHBOURS` links an
item), not with the square of it. Each community is a claim, labelled with the verbatim content of its most
central member that states the proposition plainly, and every member gets its stance toward that label
(:mod:`sayso.claims.stance`).
"""

from __future__ import annotations

import hashlib
import heapq
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Callable, Iterable, Mapping, TypeVar

import numpy as np

from ..model import Article, Attribution, Entity, overlap
from .embeddings import Embeds
from .negation import is_clause, is_statement, parse, term, terms
from .stance import DISMISSIVE, contests, cue_class, negated, negations, stance, without_negation

#: Combined similarity at and above which two contents are linked in the claim graph (chosen on the development
#: part, with the resolution).
THRESHOLD = 0.35
#: Modularity resolution of the claim graph's communities: higher cuts claims finer.
RESOLUTION = 3.0
#: Each item keeps its links to this many of the items most similar to it: a pair stays linked when it is among
#: the nearest of either of its two items. The graph then holds at most this many links an item, however dense
#: the corpus (a story told in every article, wire copy repeated by many outlets), and a vague content linked
#: to half the corpus no longer pulls it together (chosen on the development part, with the resolution).
NEIGHBOURS = 15
#: The links found so far are cut to the nearest whenever they pass this many per item (the cut keeps what
#: cutting them all at the end would keep: a pair off an item's nearest stays off as more pairs come).
_LINKS_HELD = 4
#: Modularity weighs a link against the links the graph holds in all; a graph holding less link weight than this
#: (twice the sum of the weights; the labelled set's graph holds about 5,500) is weighed as if it held this much,
#: so a few articles are not cut finer than inside a larger corpus (chosen on subsets of the development part).
LEAST_GRAPH_WEIGHT = 2000.0
#: Seed of the community search (Leiden visits nodes in a random order).
SEED = 0
#: Added to the similarity of two attributions of the same speaker in the same article.
SAME_SPEAKER_BONUS = 0.1
T = TypeVar("T")
#: ``progress(iterable, total, stage)``: shows how far a stage ("embed", "compare", "parse") has come; returns the
#: iterable.
Progress = Callable[[Iterable[T], int, str], Iterable[T]]


def quiet(iterable: Iterable[T], total: int, stage: str) -> Iterable[T]:
    """The Progress that shows nothing."""
    return iterable


#: Weights of the three views of a pair: content embeddings, sentence embeddings, key-word overlap.
CONTENT_WEIGHT, SENTENCE_WEIGHT, WORD_WEIGHT = 0.3, 0.7, 0.3
#: The similarity matrix is computed this many rows at a time (see find_claims), fewer in a corpus so large that
#: a block would hold more than BLOCK_CELLS similarities (128 MB per float64 matrix: a block holds several).
BLOCK = 4000
BLOCK_CELLS = 16_000_000
#: How much nearness to the contents that are denied, doubted or alleged counts in choosing a claim's label.
CONTESTED_WEIGHT = 1.0
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

    id: str | int  # a corpus speaker's id (int), or a name's slug
    name: str
    aliases: tuple[str, ...] = ()
    kind: str = "unknown"

    def to_json(self) -> dict[str, Any]:
        """``{"id", "name", "aliases"}``."""
        return {"id": self.id, "name": self.name, "aliases": list(self.aliases)}


@dataclass(frozen=True)
class AttributionRef:
    """One attribution of one corpus article."""

    article_id: str | int  # a stored article's id (int), or the caller's name for an article
    attribution_id: str

    def to_json(self) -> dict[str, str]:
        """``{"article_id", "attribution_id"}``."""
        return {"article_id": self.article_id, "attribution_id": self.attribution_id}


@dataclass
class Item:
    """One attribution of a corpus article, with the speaker the caller resolved it to (None: no source)."""

    article_id: str | int
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
class ClaimSubject:
    """Someone a claim's attributions name: a corpus speaker, or a name alone for someone never quoted."""

    name: str
    kind: str
    speaker: Speaker | None
    attributions: int  # the claim's members that name them

    def to_json(self) -> dict[str, Any]:
        """``{"name", "kind", "speaker", "attributions"}``."""
        return {"name": self.name, "kind": self.kind, "speaker": self.speaker.to_json() if self.speaker else None,
                "attributions": self.attributions}


@dataclass
class Claim:
    """A proposition stated by one or more attributions, labelled with the words of one of them; ``about``
    is whom its attributions name most (read from a store; empty while the claims are being found)."""

    id: str
    label: str
    label_ref: AttributionRef
    members: list[ClaimMember]
    edges: list[Edge] = field(default_factory=list)
    about: list[ClaimSubject] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """``{"id", "label", "attributions": [...], "edges": [...], "about": [...]}``, the shape ``sayso claims
        --json`` prints."""
        return {"id": self.id, "label": self.label, "label_attribution": self.label_ref.to_json(),
                "attributions": [m.to_json() for m in self.members],
                "edges": [e.to_json() for e in self.edges], "about": [s.to_json() for s in self.about]}

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


def items_of(article_id: str | int, article: Article,
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
def _length(spans: list[tuple[int, int]]) -> int:
    return sum(e - s for s, e in spans)


def shares_content(x: Attribution, y: Attribution) -> bool:
    """Two attributions of one article whose contents overlap by half of the shorter one."""
    shorter = min(_length(x.content), _length(y.content))
    return shorter > 0 and overlap(x.content, y.content) * 2 >= shorter


def relayed(item: Item, article_items: Iterable[Item]) -> list[Item]:
    """The other speakers' attributions whose cue sits in the item's content: what an outlet reporting a
    quote relays (one's own belief, "she believed", is no relaying; nor is saying that someone never said
    it, "he had never suggested the U.S. should use a database": that denies it)."""
    att = item.attribution
    out = []
    for other in article_items:
        o = other.attribution
        if (o.id == att.id or o.entity is None or o.entity == att.entity or cue_class(other.cue) == "belief"
                or negated(other.cue)):
            continue
        cue_start = o.cue[0][0]
        if any(s <= cue_start < e for s, e in att.content) and overlap(att.content, o.content) > 0:
            out.append(other)
    return out


def passes_on(item: Item, article_items: Iterable[Item]) -> bool:
    """True when the item's content holds another speaker's attribution: an outlet reporting a quote."""
    return bool(relayed(item, article_items))


# ------------------------------------------------------------------------------------------------ views
@dataclass
class Views:
    """What items are compared on: each item's content pieces with one vector each, the vector of its
    sentence, and its key words weighted by inverse document frequency over the items (one sparse row)."""

    pieces: list[list[str]]
    vectors: list[np.ndarray]
    sentences: np.ndarray
    words: Any  # scipy.sparse.csr_matrix, rows L2-normalised
    articles: np.ndarray
    speakers: np.ndarray
    joined: set[tuple[int, int]]  # pairs of one article whose contents overlap

    @cached_property
    def joined_pairs(self) -> tuple[np.ndarray, np.ndarray]:
        """The joined pairs both ways, as two index arrays, in order of the first."""
        pairs = np.array(sorted(self.joined), dtype=int).reshape(-1, 2).T
        first, second = np.concatenate([pairs[0], pairs[1]]), np.concatenate([pairs[1], pairs[0]])
        order = np.argsort(first, kind="stable")
        return first[order], second[order]

    @cached_property
    def all_pieces(self) -> tuple[np.ndarray, np.ndarray]:
        """Every item's piece vectors as one matrix, and where each item's rows start."""
        return np.concatenate(self.vectors), np.cumsum([0] + [len(x) for x in self.vectors[:-1]])

    def flat_pieces(self, at: slice | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The piece vectors of items ``at`` (:func:`_index`) as one matrix, and where each item's rows start.
        A run of consecutive items (the columns of a block) is a slice of ``all_pieces``."""
        if isinstance(at, slice):
            matrix, starts = self.all_pieces
            last = at.stop - 1
            end = starts[last] + len(self.vectors[last])
            return matrix[starts[at.start]:end], starts[at] - starts[at.start]
        vecs = [self.vectors[i] for i in at]
        return np.concatenate(vecs), np.cumsum([0] + [len(x) for x in vecs[:-1]])


def said_words(item: Item) -> str:
    """The words a content's key words are taken from: the content, or for a fragment its sentence without
    the source and the cue."""
    if len(item.content.split()) >= FRAGMENT_WORDS:
        return item.content
    att, text = item.attribution, item.article.text
    start, end = _sentence_range(item)
    cut = sorted((max(s, start), min(e, end)) for s, e in att.source + att.cue if s < end and e > start)
    out, at = [], start
    for s, e in cut:
        if s > at:
            out.append(text[at:s])
        at = max(at, e)
    out.append(text[at:end])
    return " ".join(out)


def word_matrix(texts: list[str]):
    """One row per text: its key words (:func:`sayso.claims.negation.terms` less stop words) weighted by
    their inverse document frequency over the texts, L2-normalised, so a row product is their overlap."""
    from scipy.sparse import csr_matrix
    from spacy.lang.en.stop_words import STOP_WORDS

    stop = {term(w) for w in STOP_WORDS} | {term(w) for w in ("said", "says", "told", "according")}
    bags = [sorted({t for t in terms(x) if t not in stop}) for x in texts]
    df = Counter(t for bag in bags for t in bag)
    vocab = {t: k for k, t in enumerate(df)}
    n = max(len(texts), 1)
    rows, cols, vals = [], [], []
    for i, bag in enumerate(bags):
        weights = np.array([np.log(n / df[t]) for t in bag])
        norm = float(np.sqrt((weights ** 2).sum())) or 1.0
        for t, w in zip(bag, weights):
            rows.append(i)
            cols.append(vocab[t])
            vals.append(w / norm)
    return csr_matrix((vals, (rows, cols)), shape=(len(texts), max(len(vocab), 1)), dtype=np.float32)


def views(items: list[Item], encoder: Embeds) -> Views:
    """The three views of every item, and the article structure that joins some pairs outright."""
    texts = [pieces(compared_text(it)) for it in items]
    sentences = [proposition_text(sentence_of(it)) for it in items]
    flat = encoder.encode([proposition_text(t) for ts in texts for t in ts] + sentences)
    vectors, at = [], 0
    for ts in texts:
        vectors.append(flat[at:at + len(ts)])
        at += len(ts)
    article_ids: dict[str, int] = {}
    speaker_ids: dict[tuple[str, str], int] = {}
    articles = np.array([article_ids.setdefault(it.article_id, len(article_ids)) for it in items])
    speakers = np.array([-1 if it.attribution.entity is None else
                         speaker_ids.setdefault((it.article_id, it.attribution.entity), len(speaker_ids))
                         for it in items])
    joined = set()
    by_article: dict[int, list[int]] = {}
    for i, a in enumerate(articles):
        by_article.setdefault(int(a), []).append(i)
    for idx in by_article.values():
        for n, i in enumerate(idx):
            for j in idx[n + 1:]:
                if shares_content(items[i].attribution, items[j].attribution):
                    joined.add((i, j))
    return Views(texts, vectors, flat[at:], word_matrix([said_words(it) for it in items]), articles, speakers,
                 joined)


def _index(idx: np.ndarray) -> slice | np.ndarray:
    """``idx`` as a slice when it is a run of consecutive items (which numpy reads without a copy), else as
    it is."""
    if len(idx) and int(idx[-1]) - int(idx[0]) == len(idx) - 1 and (np.diff(idx) == 1).all():
        return slice(int(idx[0]), int(idx[-1]) + 1)
    return idx


def _group_max(m: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """The rows of ``m`` in groups from each of ``starts`` to the next, each group's maximum per column:
    ``np.maximum.reduceat(m, starts, axis=0)``, which is several times slower on a wide matrix. Most
    groups are one row, so the first rows are taken, then the second rows of the groups that have them ..."""
    counts = np.diff(np.append(starts, len(m)))
    out = m[starts]
    for k in range(1, int(counts.max(initial=1))):
        more = np.nonzero(counts > k)[0]
        out[more] = np.maximum(out[more], m[starts[more] + k])
    return out


def similarities(v: Views, rows: np.ndarray, cols: np.ndarray,
                 same_speaker_bonus: float = SAME_SPEAKER_BONUS) -> np.ndarray:
    """The combined similarity of items ``rows`` against items ``cols``: the weighted mean of the best
    cosine between their content pieces, the cosine of their sentences and their key-word overlap, plus
    what the article structure says (joined contents: 1; same speaker in one article: the bonus)."""
    # a run of consecutive items (a block's rows, the columns from its first on) is read as a slice
    row_at, col_at = _index(rows), _index(cols)
    (fr, sr), (fc, sc) = v.flat_pieces(row_at), v.flat_pieces(col_at)
    content = np.maximum.reduceat(_group_max(fr @ fc.T, sr), sc, axis=1)
    sentence = v.sentences[row_at] @ v.sentences[col_at].T
    words = (v.words[row_at] @ v.words[col_at].T).toarray()
    # in place, in the order the weighted mean is written: (c * content + s * sentence + w * words) / total
    sim = np.multiply(content, CONTENT_WEIGHT, out=content)
    sim += SENTENCE_WEIGHT * sentence
    sim += WORD_WEIGHT * words
    sim /= CONTENT_WEIGHT + SENTENCE_WEIGHT + WORD_WEIGHT
    speakers = v.speakers[row_at][:, None]
    same_speaker = (speakers == v.speakers[col_at][None, :]) & (speakers >= 0)
    sim = sim.astype(np.float64)
    np.add(sim, same_speaker_bonus, out=sim, where=same_speaker)
    np.minimum(sim, 1.0, out=sim)
    # where each item is among the rows and the columns (-1: not there), for the pairs set to 1 below
    n = len(v.vectors)
    at_row, at_col = np.full(n, -1), np.full(n, -1)
    at_row[rows], at_col[cols] = np.arange(len(rows)), np.arange(len(cols))
    if v.joined:
        a, b = v.joined_pairs
        if isinstance(row_at, slice):  # only the pairs whose first item is among the rows
            lo, hi = np.searchsorted(a, [row_at.start, row_at.stop])
            a, b = a[lo:hi], b[lo:hi]
        both = (at_row[a] >= 0) & (at_col[b] >= 0)
        sim[at_row[a[both]], at_col[b[both]]] = 1.0
    itself = at_col[rows] >= 0
    sim[np.nonzero(itself)[0], at_col[rows[itself]]] = 1.0
    return sim


def nearest(rows: np.ndarray, cols: np.ndarray, sims: np.ndarray, n: int,
            k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The pairs (``rows[i]``, ``cols[i]``) of ``n`` items that are among the ``k`` most similar pairs of
    either of their two items (among equal similarities, the lower other item first), in their order."""
    m = len(rows)
    if m == 0:
        return rows, cols, sims
    node, other = np.concatenate([rows, cols]), np.concatenate([cols, rows])
    order = np.lexsort((other, -np.concatenate([sims, sims]), node))
    first = np.searchsorted(node[order], np.arange(n))
    rank = np.arange(2 * m) - first[node[order]]
    near = np.zeros(2 * m, dtype=bool)
    near[order[rank < k]] = True
    keep = near[:m] | near[m:]
    return rows[keep], cols[keep], sims[keep]


def links(v: Views, threshold: float, same_speaker_bonus: float = SAME_SPEAKER_BONUS,
          block: int | None = None, neighbours: int | None = NEIGHBOURS,
          progress: Progress = quiet) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The pairs of items (i < j) whose combined similarity is at or above ``threshold`` and, unless
    ``neighbours`` is None, that are among the ``neighbours`` nearest of i or of j (:func:`nearest`), as
    arrays of rows, columns and similarities ordered by row, then column. Computed ``block`` rows at a time
    (by default :data:`BLOCK` rows, fewer where that would exceed :data:`BLOCK_CELLS`); memory: a block of
    rows, then at most about ``_LINKS_HELD`` x ``neighbours`` pairs an item (every pair above the threshold
    when ``neighbours`` is None)."""
    n = len(v.pieces)
    if block is None:
        block = max(1, min(BLOCK, BLOCK_CELLS // max(n, 1)))
    everything = np.arange(n)
    held = None if neighbours is None else _LINKS_HELD * neighbours * n
    rows, cols, sims, count = [], [], [], 0
    for start in progress(range(0, n, block), -(-n // block), "compare"):
        idx = everything[start:start + block]
        # only the pairs i < j are kept, so a block is compared with the items from its first on
        sim = similarities(v, idx, everything[start:], same_speaker_bonus)
        r, c = np.nonzero(sim >= threshold)
        c = c + start
        keep = idx[r] < c
        rows.append(idx[r][keep])
        cols.append(c[keep])
        sims.append(sim[r[keep], c[keep] - start])
        count += int(keep.sum())
        if held is not None and count > held:
            near = nearest(*(np.concatenate(x) for x in (rows, cols, sims)), n, neighbours)
            rows, cols, sims = ([x] for x in near)
            count = len(near[0])
    if not rows:
        return np.zeros(0, int), np.zeros(0, int), np.zeros(0)
    found = tuple(np.concatenate(x) for x in (rows, cols, sims))
    return found if neighbours is None else nearest(*found, n, neighbours)


def communities(n: int, rows: np.ndarray, cols: np.ndarray, sims: np.ndarray, threshold: float = THRESHOLD,
                resolution: float = RESOLUTION, seed: int = SEED) -> list[int]:
    """Leiden communities (maximising modularity) of the graph of ``n`` items whose edges are the linked
    pairs, each weighted by how far its similarity rises above ``threshold``; one claim number per item, by
    first member.

    Modularity weighs a link against what the two items' links elsewhere lead one to expect, so an item
    linked to much of a story (a vague "the allegation", a sentence that names everyone) holds a claim
    together less than two items linked mostly to each other: a story splits into its propositions. A graph
    with less link weight than :data:`LEAST_GRAPH_WEIGHT` is weighed as if it had that much. The search is
    seeded, so one input gives one grouping."""
    import random

    import igraph

    graph = igraph.Graph(n=n, edges=np.column_stack([rows, cols]).tolist())
    # a pair just at the threshold still links; the small floor keeps its edge in the graph
    weights = sims - threshold + 1e-6
    # modularity divides the expected weight of a link by the graph's total (2m): below the floor, scaling the
    # resolution by 2m / floor divides by the floor instead
    total = 2 * float(weights.sum())
    if total < LEAST_GRAPH_WEIGHT:
        resolution *= total / LEAST_GRAPH_WEIGHT
    # igraph draws from the generator set for the whole module: a seeded one for this search, then the default
    igraph.set_random_number_generator(random.Random(seed))
    try:
        found = graph.community_leiden(objective_function="modularity", weights=weights.tolist(),
                                       resolution=resolution, n_iterations=-1).membership
    finally:
        igraph.set_random_number_generator(random)
    # claims numbered by their first member
    first: dict[int, int] = {}
    return [first.setdefault(c, len(first)) for c in found]


# ------------------------------------------------------------------------------------------------ claims
def _plain(item: Item, passing: bool) -> bool:
    """Whether an item can label a claim: its speaker states something, neither passing it on nor
    denying or doubting it."""
    return (not passing and cue_class(item.cue) not in ("deny", "doubt") and not negated(item.cue)
            and len(item.content.split()) >= FRAGMENT_WORDS)


def _plain_piece(text: str) -> bool:
    return negations(text) == 0 and not DISMISSIVE.search(text) and len(text.split()) >= LABEL_MIN_WORDS


def claim_id(ref: AttributionRef) -> str:
    """A claim's id, stable while its label stays the same attribution."""
    return "c" + hashlib.sha1(f"{ref.article_id}/{ref.attribution_id}".encode()).hexdigest()[:10]


def sentence_of(item: Item) -> str:
    """The sentence (or headline) that holds an item's content, cue and source."""
    start, end = _sentence_range(item)
    return item.article.text[start:end].strip()


def compared_text(item: Item) -> str:
    """What an item's content is compared on: the content, or its whole sentence when the content is a
    fragment too short to state a proposition ("extremely careless", "rigged")."""
    if len(item.content.split()) < FRAGMENT_WORDS:
        return sentence_of(item)
    return item.content


def _sentence_range(item: Item) -> tuple[int, int]:
    """Where the sentence (or headline) that holds an item's content, cue and source starts and ends."""
    text = item.article.text
    spans = item.attribution.content + item.attribution.cue + item.attribution.source
    start, end = min(s for s, _ in spans), max(e for _, e in spans)
    left = max(text.rfind(ch, 0, start) for ch in ".!?\n") + 1
    right = min((i for i in (text.find(ch, end) for ch in ".!?\n") if i >= 0), default=len(text) - 1) + 1
    return left, right


def _piece_range(item: Item, piece: str) -> tuple[int, int]:
    """Where a piece of an item's content lies in its article (the whole content when it is not found)."""
    spans = item.attribution.content
    joined, starts = "", []
    for s, e in spans:
        if joined:
            joined += " "
        starts.append((len(joined), s))
        joined += item.article.text[s:e]
    at = joined.find(piece)
    if at < 0:
        return spans[0][0], spans[-1][1]

    def offset(k: int) -> int:
        base, s = max((b for b in starts if b[0] <= k), default=starts[0])
        return s + (k - base)

    return offset(at), offset(at + len(piece) - 1) + 1


class Parses:
    """The sentences of some items, parsed once, and spans of them by article offsets. A sentence that several
    items share, in one article or in copies of it across outlets, is parsed once."""

    def __init__(self, items: list[Item], progress: Progress = quiet):
        self.ranges = {id(it): _sentence_range(it) for it in items}
        texts = [it.article.text[s:e] for it, (s, e) in zip(items, self.ranges.values())]
        distinct = list(dict.fromkeys(texts))
        docs = dict(zip(distinct, parse(progress(distinct, len(distinct), "parse"))))
        self.docs = {key: docs[text] for key, text in zip(self.ranges, texts)}

    def span(self, item: Item, start: int, end: int):
        """The parsed span of the item's sentence between two article offsets (None if it has none)."""
        if id(item) not in self.docs:
            return None
        base = self.ranges[id(item)][0]
        return self.docs[id(item)].char_span(start - base, end - base, alignment_mode="expand")


def find_claims(items: list[Item], encoder: Embeds, *, threshold: float = THRESHOLD,
                resolution: float = RESOLUTION, same_speaker_bonus: float = SAME_SPEAKER_BONUS,
                neighbours: int | None = NEIGHBOURS, min_members: int = 1, partition: list[int] | None = None,
                progress: Progress = quiet) -> list[Claim]:
    """Group the items into claims, label each, give every member its stance and derive the edges.

    Cost: the model embeds each distinct content piece and sentence once (cached by text); the pairwise
    similarity is computed in blocks of rows (:func:`links`), keeping the pairs at or above ``threshold``
    that are among the ``neighbours`` nearest of either item (memory: a block of rows, then at most a few
    times ``neighbours`` pairs an item; None keeps every pair), and the claims are the Leiden communities of
    that graph at ``resolution``; copies of one attribution (:func:`copies`) are one node. Only the members
    of claims with several attributions, and contents that may relay someone else's words, are parsed for
    their stance, each distinct sentence once.

    Claims come largest first; those with fewer than ``min_members`` attributions are left out.
    ``partition`` (one claim number per item) replaces the clustering: labels, stances and edges are then
    those of a grouping given from outside (how the stance reader is measured on its own). ``progress``
    shows the stages that take long in a large corpus: "compare" (blocks of rows of the similarity), "parse"
    (the sentences read for stance) and "label" (the claims).
    """
    if not items:
        return []
    # copies (wire copy reprinted by several outlets) are compared once: each item is read as its first copy
    distinct, slot = np.unique(copies(items), return_inverse=True)
    v = views([items[i] for i in distinct], encoder)
    if partition is not None:
        if len(partition) != len(items):
            raise ValueError(f"partition has {len(partition)} claim numbers for {len(items)} items")
        labels = np.asarray(partition, dtype=int)
    else:
        found = communities(len(distinct), *links(v, threshold, same_speaker_bonus, neighbours=neighbours,
                                                  progress=progress), threshold=threshold, resolution=resolution)
        labels = np.asarray(found)[slot]
    by_article: dict[str, list[Item]] = {}
    for it in items:
        by_article.setdefault(it.article_id, []).append(it)
    relays = [relayed(it, by_article[it.article_id]) for it in items]
    members: dict[int, list[int]] = {}
    for i, c in enumerate(labels):
        members.setdefault(int(c), []).append(i)
    wanted = [idx for idx in members.values() if len(idx) >= min_members]
    to_parse = {i for idx in wanted if len(idx) > 1 for i in idx} | {i for idx in wanted for i in idx if relays[i]}
    parses = Parses([items[i] for i in sorted(to_parse)], progress)
    passing = [bool(r) and any(_clause_relayed(items[i], o, parses) for o in r) for i, r in enumerate(relays)]
    claims = []
    for idx in progress(wanted, len(wanted), "label"):
        claims.append(_claim([items[i] for i in idx], [v.pieces[slot[i]] for i in idx],
                             [v.vectors[slot[i]] for i in idx], [passing[i] for i in idx], parses))
    claims.sort(key=lambda c: (-len(c.members), c.id))
    return claims


def copies(items: list[Item]) -> np.ndarray:
    """For each item, the index of the first item it is a copy of (its own index when it is the first): the
    same compared content, sentence and key words, all that the three views of a pair read (the article
    structure, joined contents and one speaker's bonus, is the first copy's). Copies of one article across
    outlets are then one node of the claim graph, and do not fill each other's nearest links."""
    first: dict[tuple[str, str, str], int] = {}
    return np.array([first.setdefault((compared_text(it), sentence_of(it), said_words(it)), i)
                     for i, it in enumerate(items)], dtype=int)


def _clause_relayed(item: Item, other: Item, parses: Parses) -> bool:
    """Whether what an item relays from another speaker is a statement (a clause: "he had no intention of
    ..."), not a thing they did ("release a transcript of a speech")."""
    content = other.attribution.content
    span = parses.span(item, content[0][0], content[-1][1])
    if span is None:
        return True
    return is_clause(span)


def _claim(members: list[Item], texts: list[list[str]], vectors: list[np.ndarray], passing: list[bool],
           parses: Parses) -> Claim:
    centroid = np.mean([v[0] for v in vectors], axis=0)
    # central by what the members say, not by the sentences around them: the label should be the words
    # the members share
    content = np.stack([v[0] for v in vectors])
    centrality = (content @ content.T).mean(axis=1)
    # the label: of the members that state the proposition plainly, the most central one; of its pieces,
    # the plain one nearest the claim's centre
    candidates = [(i, k) for i, it in enumerate(members) if _plain(it, passing[i])
                  for k, t in enumerate(texts[i]) if _plain_piece(t)]
    if not candidates:
        candidates = [(i, k) for i in range(len(members)) for k in range(len(texts[i]))]
    if len(members) > 1:
        # a label should read as a statement ("Obama was born outside the country"), not as a noun phrase
        # or the tail of another construction ("of Texas Sen. Cruz's campaign", "him for saying ...")
        statements = [(i, k) for i, k in candidates if is_statement(
            parses.span(members[i], *_piece_range(members[i], label_text(texts[i][k]))))]
        candidates = statements or candidates
    # what a denial, a doubt or an accusation is aimed at is the proposition the story argues about
    # ("denied that Trump University defrauded its students", "accused Trump University of using deceptive
    # practices"): of two central candidates, the one nearer those contents states it, not its answer
    contested = [i for i, it in enumerate(members) if contests(it.cue)]
    if contested:
        centrality = centrality + CONTESTED_WEIGHT * (content @ content[contested].T).mean(axis=1)
    best_i = max({i for i, _ in candidates}, key=lambda i: (centrality[i], -i))
    best_k = max((k for i, k in candidates if i == best_i), key=lambda k: float(vectors[best_i][k] @ centroid))
    head = members[best_i]
    label = label_text(texts[best_i][best_k])
    label_vec = vectors[best_i][best_k]
    label_span = parses.span(head, *_piece_range(head, label)) if len(members) > 1 else None
    out = []
    for i, it in enumerate(members):
        # the stance is read off the piece of the content (not the whole, where it has pieces) that states
        # the label's proposition: a negation in another sentence of a quote says nothing about this one
        first = 1 if len(texts[i]) > 1 else 0
        k = first + int(np.argmax(vectors[i][first:] @ label_vec))
        # a fragment was compared on its sentence, but its stance is its own words' ("extremely careless")
        said = it.content if len(it.content.split()) < FRAGMENT_WORDS else texts[i][k]
        said_span = parses.span(it, *_piece_range(it, said)) if len(members) > 1 else None
        reading = stance(said, it.cue, label, passes_on=passing[i], whole=it.content,
                         content_span=said_span, label_span=label_span)
        out.append(ClaimMember(
            ref=it.ref, speaker=it.speaker, stance=reading,
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
    # each speaker's attributions on their own side, by position among the members: the evidence of a pair
    # is the two lists merged in member order (a claim of hundreds of speakers has tens of thousands of pairs)
    own: dict[str, list[tuple[int, AttributionRef]]] = {sid: [] for sid in side}
    for k, m in enumerate(claim.members):
        if m.speaker is not None and m.speaker.id in side and SIDE.get(m.stance) == side[m.speaker.id]:
            own[m.speaker.id].append((k, m.ref))
    ids = list(side)
    out = []
    for n, a in enumerate(ids):
        for b in ids[n + 1:]:
            evidence = [ref for _, ref in heapq.merge(own[a], own[b], key=lambda x: x[0])]
            out.append(Edge(speakers[a], speakers[b], "agree" if side[a] == side[b] else "contradict", evidence))
    return out
