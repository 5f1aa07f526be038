"""Claims over the whole corpus: computed on demand (``sayso claims``), stored beside the articles.

Ingest never touches claims, so it stays fast: grouping compares every attribution with every other, which
is one pass over the whole corpus, run when asked. :func:`recompute` reads every stored article back as the
one data model, gives each attribution its corpus speaker, groups the attributions into claims with their
stances and edges (:func:`sayso.claims.find_claims`), finds the quotations repeated across outlets
(:func:`sayso.claims.spread.quote_spread`), and replaces the stored claims, edges and quotes in one
transaction. Content embeddings are kept in the database under the hash of the text embedded, so after new
articles only their contents go through the model, and a run that is stopped keeps what it embedded.

>>> summary = recompute("corpus.sqlite")                  # doctest: +SKIP
>>> summary.claims, summary.embedded, summary.reused      # doctest: +SKIP
(16, 21, 45)
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import numpy as np

from ..claims import Claim, Encoder, Item, find_claims, items_of
from ..claims.embeddings import DIMENSIONS, MODEL, Embeds, text_key
from ..claims.grouping import Progress, quiet
from ..claims.spread import Quote, quote_spread
from ..errors import StoreError
from .queries import claims_speaker, load_article, speaker_objects
from .schema import connect

#: Texts embedded and written to the database together: what a stopped run loses at most.
EMBED_CHUNK = 256


@dataclass
class ClaimsSummary:
    """What one computation of the corpus's claims did."""

    db: str
    articles: int = 0
    attributions: int = 0
    claims: int = 0
    shared: int = 0      # claims made by more than one speaker
    edges: int = 0
    quotes: int = 0
    embedded: int = 0    # texts (contents, their pieces and sentences) that went through the model
    reused: int = 0      # texts whose embedding the database already held
    seconds: float = 0.0

    def to_json(self) -> dict:
        """The summary as a JSON object."""
        return {**self.__dict__, "seconds": round(self.seconds, 2)}


class StoredEmbeddings:
    """Embeddings kept in the corpus database under the hash of the text embedded: what any earlier run
    embedded is read back, only new texts go through ``encoder`` (all-MiniLM-L6-v2 unless given)."""

    def __init__(self, conn: sqlite3.Connection, encoder: Embeds | None = None, model: str = MODEL,
                 progress: Progress = quiet):
        self.conn = conn
        self.encoder = encoder
        self.model = model
        self.progress = progress
        self.embedded = 0
        self.reused = 0

    def _stored(self, keys: list[str]) -> dict[str, np.ndarray]:
        found = {}
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            for key, blob in self.conn.execute(
                    f"SELECT key, vector FROM embeddings WHERE model = ? AND key IN ({','.join('?' * len(chunk))})",
                    (self.model, *chunk)):
                if len(blob) == DIMENSIONS * 4:
                    found[key] = np.frombuffer(blob, dtype="<f4")
        return found

    def encode(self, texts: list[str]) -> np.ndarray:
        """One normalised vector per text, from the database where it can."""
        keys = [text_key(t) for t in texts]
        vectors = self._stored(list(dict.fromkeys(keys)))
        self.reused += len(vectors)
        # shortest first, as the encoder runs them (Encoder.encode): each chunk then holds texts of like length
        todo = sorted({k: t for k, t in zip(keys, texts) if k not in vectors}.items(), key=lambda kv: len(kv[1]))
        if todo:
            encoder = self.encoder or Encoder()
            chunks = range(0, len(todo), EMBED_CHUNK)
            for i in self.progress(chunks, len(chunks), "embed"):
                part = todo[i:i + EMBED_CHUNK]
                made = encoder.encode([t for _, t in part])
                rows = [(k, self.model, np.asarray(v, dtype="<f4").tobytes()) for (k, _), v in zip(part, made)]
                # each chunk is kept as soon as it is made: a rerun after a stop resumes from there
                self.conn.execute("BEGIN IMMEDIATE")
                self.conn.executemany("INSERT OR REPLACE INTO embeddings (key, model, vector) VALUES (?, ?, ?)",
                                      rows)
                self.conn.execute("COMMIT")
                for (k, _), v in zip(part, made):
                    vectors[k] = np.asarray(v, dtype=np.float32)
            self.embedded += len(todo)
        if not keys:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        return np.stack([vectors[k] for k in keys]).astype(np.float32)


def corpus_items(conn: sqlite3.Connection, progress: Progress = quiet) -> Iterator[Item]:
    """Every attribution of the corpus as a claims Item, with its corpus speaker, article by article.

    An article's ``published`` is its ISO date where the store could read one, so that quotes and
    claims are dated comparably ("June 11, 2026" and "2026-06-09" sort as dates).
    """
    speakers = {i: claims_speaker(s) for i, s in speaker_objects(
        conn, {r[0] for r in conn.execute("SELECT id FROM speakers")}).items()}
    total = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    rows = conn.execute("SELECT * FROM articles ORDER BY id").fetchall()
    for row in progress(rows, total, "read"):
        article, entity_speakers = load_article(conn, row["id"], row)
        article.published = row["date"] or row["published"]
        yield from items_of(row["id"], article, {e: speakers[s] for e, s in entity_speakers.items()})


def recompute(db: str | Path, *, encoder: Embeds | None = None, progress: Progress = quiet) -> ClaimsSummary:
    """Compute the claims of the whole corpus ``db`` and store them in place of the old ones.

    The store is upgraded to this schema version first if it is older. Raises StoreError for a missing or
    foreign database.
    """
    started = time.perf_counter()
    if not Path(db).is_file():
        raise StoreError(str(db), "no such corpus database (create it with: sayso ingest PATH... --db FILE)")
    conn = connect(db)
    summary = ClaimsSummary(db=str(db))
    try:
        summary.articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        items = list(corpus_items(conn, progress))
        embeddings = StoredEmbeddings(conn, encoder, progress=progress)
        claims = find_claims(items, embeddings, progress=progress)
        quotes = quote_spread(items)
        write_claims(conn, claims, quotes, summary.articles)
        summary.attributions = len(items)
        summary.claims = len(claims)
        summary.shared = sum(1 for c in claims if len({m.speaker.id for m in c.members if m.speaker}) > 1)
        summary.edges = sum(len(c.edges) for c in claims)
        summary.quotes = len(quotes)
        summary.embedded, summary.reused = embeddings.embedded, embeddings.reused
    finally:
        conn.close()
        summary.seconds = time.perf_counter() - started
    return summary


def write_claims(conn: sqlite3.Connection, claims: list[Claim], quotes: list[Quote], articles: int) -> None:
    """Replace the stored claims, edges and quotes with these, in one transaction, and note over how many
    articles they were computed (what tells later readers they are out of date)."""
    ids = {(r[1], r[2]): r[0] for r in conn.execute("SELECT id, article_id, local_id FROM attributions")}
    dates = dict(conn.execute("SELECT id, date FROM articles").fetchall())

    def att(ref) -> int:
        return ids[(ref.article_id, ref.attribution_id)]

    conn.execute("BEGIN IMMEDIATE")
    try:
        for table in ("claim_edge_evidence", "claim_edges", "claim_members", "quote_sightings", "quotes", "claims"):
            conn.execute(f"DELETE FROM {table}")
        for claim in claims:
            stances = {s: sum(1 for m in claim.members if m.stance == s) for s in ("asserts", "denies", "doubts")}
            days = sorted(d for d in {dates[m.ref.article_id] for m in claim.members} if d)
            conn.execute(
                "INSERT INTO claims (id, label, label_attribution_id, attributions, speakers, articles, asserts,"
                " denies, doubts, neutral, first_date, last_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (claim.id, claim.label, att(claim.label_ref), len(claim.members),
                 len({m.speaker.id for m in claim.members if m.speaker}),
                 len({m.ref.article_id for m in claim.members}), stances["asserts"], stances["denies"],
                 stances["doubts"], len(claim.members) - sum(stances.values()),
                 days[0] if days else None, days[-1] if days else None))
            conn.executemany(
                "INSERT INTO claim_members (attribution_id, claim_id, stance, position) VALUES (?, ?, ?, ?)",
                [(att(m.ref), claim.id, m.stance, n) for n, m in enumerate(claim.members)])
            for edge in claim.edges:
                cur = conn.execute(
                    "INSERT INTO claim_edges (claim_id, speaker_a, speaker_b, relation) VALUES (?, ?, ?, ?)",
                    (claim.id, edge.a.id, edge.b.id, edge.relation))
                conn.executemany("INSERT OR IGNORE INTO claim_edge_evidence (edge_id, attribution_id) VALUES (?, ?)",
                                 [(cur.lastrowid, att(r)) for r in edge.evidence])
        for quote in quotes:
            cur = conn.execute("INSERT INTO quotes (text, first_attribution_id, repeats) VALUES (?, ?, ?)",
                               (quote.text, att(quote.first.ref), len(quote.repeats)))
            conn.executemany(
                "INSERT INTO quote_sightings (quote_id, seq, attribution_id, text, credits_first)"
                " VALUES (?, ?, ?, ?, ?)",
                [(cur.lastrowid, n, att(s.ref), s.text, None if s.credits_first is None else int(s.credits_first))
                 for n, s in enumerate([quote.first, *quote.repeats])])
        computed = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
        conn.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                         [("claims_computed_at", computed), ("claims_articles", str(articles)),
                          ("claims_model", MODEL)])
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
