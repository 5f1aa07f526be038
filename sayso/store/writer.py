"""Writing annotated articles into the store, one transaction each, and merging their speakers.

An article is stored whole or not at all: its row, original input, entities, mentions, attributions,
spans, intermediaries, whom each content is about, full-text rows and the speaker counts are written in one
transaction, so a run that is killed leaves every article either complete or absent, and a rerun picks up
where it stopped.

Speakers are merged across articles by ``sayso.store.names.name_key``. One rule depends on what is
already stored: a bare surname joins the single full name with that surname; when a full name arrives
later, a speaker that was only ever a bare surname is folded into it (while that full name is the only
one with the surname), and its old id redirects to the merged speaker. Merges are never undone: a bare
"Clinton" folded into Hillary Clinton stays there when Bill Clinton is stored afterwards.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from datetime import date, datetime, timezone
from email.utils import parsedate_to_datetime

from ..model import Article, Entity
from .names import NameKey, alias_key, name_key

_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")
_DATE_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%b %d %Y", "%d %B %Y", "%d %b %Y", "%m/%d/%Y",
                 "%Y/%m/%d", "%b. %d, %Y")


def article_key(article: Article) -> str:
    """The content hash that makes ingest idempotent: sha256 of the url (or nothing) + newline + text.

    The same text at two urls is two articles (two outlets can run one wire story); the same page read
    twice, from a file or a JSONL dump, is one.
    """
    return hashlib.sha256(f"{article.url or ''}\n{article.text}".encode("utf-8")).hexdigest()


def iso_date(published: str | None) -> str | None:
    """The publication date as YYYY-MM-DD, or None when the text is no date sayso can read.

    >>> iso_date("2016-10-05T14:03:00Z"), iso_date("March 3, 2026"), iso_date("Tue, 04 Oct 2016 10:00:00 GMT")
    ('2016-10-05', '2026-03-03', '2016-10-04')
    >>> iso_date("last week") is None
    True
    """
    if not published:
        return None
    m = _ISO.match(published)
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        except ValueError:
            return None
    text = re.sub(r"^\s*(published|updated|posted)\s*:?\s*", "", published.strip(), flags=re.I)
    text = re.sub(r"^[A-Za-z]+day,?\s+", "", text)  # a leading weekday, as in "Monday, March 3, 2026"
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    try:
        return parsedate_to_datetime(published).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return None


class CorpusWriter:
    """Stores annotated articles in an open store (``sayso.store.schema.connect``)."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def has(self, key: str) -> bool:
        """True when an article with this content hash is already stored."""
        return self.conn.execute("SELECT 1 FROM articles WHERE key = ?", (key,)).fetchone() is not None

    def add(self, article: Article, *, record: str | None = None, original: bytes | str | None = None,
            media_type: str = "text/plain") -> int | None:
        """Store one annotated article; its new id, or None when it was already stored.

        Raises SpanError (and stores nothing) when a span is not a piece of the article text.
        """
        data = article.to_json()  # checks every span against the text before anything is written
        key = article_key(article)
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            if self.has(key):
                conn.execute("ROLLBACK")
                return None
            article_id = self._insert_article(article, key, record)
            if original is not None:
                content = original.encode("utf-8") if isinstance(original, str) else original
                conn.execute("INSERT INTO originals (article_id, media_type, content) VALUES (?, ?, ?)",
                             (article_id, media_type, content))
            entity_ids, speaker_ids = self._insert_entities(article_id, article.entities)
            self._insert_attributions(article_id, iso_date(article.published), data["attributions"], entity_ids,
                                      speaker_ids)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return article_id

    # ------------------------------------------------------------------------------------------ article
    def _insert_article(self, article: Article, key: str, record: str | None) -> int:
        cur = self.conn.execute(
            "INSERT INTO articles (key, record, url, outlet, title, author, published, date, text, ingested_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (key, record, article.url, article.outlet, article.title, article.author, article.published,
             iso_date(article.published), article.text,
             datetime.now(timezone.utc).isoformat(timespec="seconds")),
        )
        article_id = int(cur.lastrowid)
        self.conn.execute("INSERT INTO articles_fts (rowid, title, text) VALUES (?, ?, ?)",
                          (article_id, article.title or "", article.text))
        return article_id

    def _insert_entities(self, article_id: int, entities: list[Entity]) -> tuple[dict[str, int], dict[str, int]]:
        entity_ids: dict[str, int] = {}
        speaker_ids: dict[str, int] = {}
        for ent in entities:
            nk = name_key(ent.name, ent.kind)
            speaker_id = self._speaker_for(nk, ent.kind)
            self._add_alias(speaker_id, nk)
            for role in [*nk.titles, *ent.roles]:
                self.conn.execute(
                    "INSERT INTO speaker_roles (speaker_id, role, count) VALUES (?, ?, 1)"
                    " ON CONFLICT (speaker_id, role) DO UPDATE SET count = count + 1", (speaker_id, role))
            cur = self.conn.execute(
                "INSERT INTO entities (article_id, local_id, name, kind, roles, speaker_id) VALUES (?, ?, ?, ?, ?, ?)",
                (article_id, ent.id, ent.name, ent.kind, json.dumps(ent.roles, ensure_ascii=False), speaker_id),
            )
            entity_ids[ent.id] = int(cur.lastrowid)
            speaker_ids[ent.id] = speaker_id
            self.conn.executemany("INSERT OR IGNORE INTO mentions (entity_id, start, end) VALUES (?, ?, ?)",
                                  [(cur.lastrowid, s, e) for s, e in ent.mentions])
        # a later entity of this article may have folded the speaker of an earlier one into its own
        speaker_ids = dict(self.conn.execute("SELECT local_id, speaker_id FROM entities WHERE article_id = ?",
                                             (article_id,)).fetchall())
        return entity_ids, speaker_ids

    def _insert_attributions(self, article_id: int, day: str | None, attributions: list[dict],
                             entity_ids: dict[str, int], speaker_ids: dict[str, int]) -> None:
        conn = self.conn
        for att in attributions:
            spans = {role: att[role]["spans"] for role in ("source", "cue", "content")}
            edges = [p for pieces in spans.values() for p in pieces]
            local_entity = att["source"]["entity"]
            speaker_id = speaker_ids.get(local_entity) if local_entity else None
            cur = conn.execute(
                "INSERT INTO attributions (article_id, local_id, date, kind, entity_id, speaker_id, confidence, start,"
                " end, source_text, cue_text, content_text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (article_id, att["id"], day, att["kind"], entity_ids.get(local_entity) if local_entity else None,
                 speaker_id, att["confidence"], min(s for s, _ in edges), max(e for _, e in edges),
                 att["source"]["text"], att["cue"]["text"], att["content"]["text"]),
            )
            att_id = int(cur.lastrowid)
            conn.executemany(
                "INSERT INTO spans (attribution_id, role, seq, start, end) VALUES (?, ?, ?, ?, ?)",
                [(att_id, role, n, s, e) for role, pieces in spans.items() for n, (s, e) in enumerate(pieces)],
            )
            conn.execute("INSERT INTO attributions_fts (rowid, content_text) VALUES (?, ?)",
                         (att_id, att["content"]["text"]))
            conn.executemany(
                "INSERT INTO about (attribution_id, seq, name, kind, key, entity_id, speaker_id, spans)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(att_id, n, sub["name"], sub["kind"], alias_key(sub["name"]), entity_ids.get(sub["entity"]),
                  speaker_ids.get(sub["entity"]), json.dumps(sub["spans"])) for n, sub in enumerate(att["about"])])
            relayed = []
            for n, via in enumerate(att["via"], 1):
                conn.execute("INSERT INTO via (attribution_id, position, entity_id, speaker_id) VALUES (?, ?, ?, ?)",
                             (att_id, n, entity_ids[via], speaker_ids[via]))
                if speaker_ids[via] not in relayed and speaker_ids[via] != speaker_id:
                    relayed.append(speaker_ids[via])
            conn.executemany("UPDATE speakers SET relayed = relayed + 1 WHERE id = ?", [(s,) for s in relayed])
            if speaker_id is not None:
                conn.execute(
                    "UPDATE speakers SET attributions = attributions + 1, according_to = according_to + ? WHERE id = ?",
                    (1 if att["kind"] == "according_to" else 0, speaker_id))

    # ------------------------------------------------------------------------------------------ speakers
    def _speaker_for(self, nk: NameKey, kind: str) -> int:
        """The corpus speaker an article entity belongs to, created when there is none yet."""
        conn = self.conn
        if nk.bare_surname:
            full = conn.execute("SELECT id FROM speakers WHERE surname = ? AND named = 1 LIMIT 2",
                                (nk.words[0],)).fetchall()
            if len(full) == 1:
                return int(full[0][0])
            return self._get_or_create(nk.key, nk, kind)
        if nk.key.startswith("unknown:") and nk.named:
            words = nk.key.split(":", 1)[1]
            known = conn.execute("SELECT id FROM speakers WHERE key IN (?, ?) LIMIT 2",
                                 (f"person:{words}", f"org:{words}")).fetchall()
            if len(known) == 1:
                return int(known[0][0])
        key = nk.key
        if nk.initials:
            row = conn.execute("SELECT id, initials FROM speakers WHERE key = ?", (key,)).fetchone()
            if row is not None and row["initials"] not in (None, nk.initials):
                key = f"{key} {nk.initials}"  # George H. W. Bush is not George W. Bush
            elif row is not None:
                conn.execute("UPDATE speakers SET initials = ? WHERE id = ?", (nk.initials, row["id"]))
                return int(row["id"])
        return self._get_or_create(key, nk, kind)

    def _get_or_create(self, key: str, nk: NameKey, kind: str) -> int:
        row = self.conn.execute("SELECT id, kind FROM speakers WHERE key = ?", (key,)).fetchone()
        if row is not None:
            if row["kind"] == "organization" and kind == "outlet":
                # an organisation that anyone calls an outlet is one (the more specific kind wins)
                self.conn.execute("UPDATE speakers SET kind = 'outlet' WHERE id = ?", (row["id"],))
            return int(row["id"])
        cur = self.conn.execute(
            "INSERT INTO speakers (name, kind, key, surname, initials, named) VALUES (?, ?, ?, ?, ?, ?)",
            (nk.name, kind, key, nk.surname, nk.initials, int(nk.named)))
        speaker_id = int(cur.lastrowid)
        self._fold_earlier(key, nk, speaker_id)
        return speaker_id

    def _fold_earlier(self, key: str, nk: NameKey, speaker_id: int) -> None:
        """A new speaker takes in those stored before it that it now explains: the bare surname of a new
        full name (while no other full name shares that surname), and the same name of unknown kind."""
        conn = self.conn
        cls, words = key.split(":", 1)
        if cls in ("person", "org") and nk.named:
            unknown = conn.execute("SELECT id FROM speakers WHERE key = ?", (f"unknown:{words}",)).fetchone()
            other = "org" if cls == "person" else "person"
            if unknown is not None and conn.execute("SELECT 1 FROM speakers WHERE key = ?",
                                                    (f"{other}:{words}",)).fetchone() is None:
                self.merge(int(unknown[0]), speaker_id)
        if nk.surname:
            bare = conn.execute("SELECT id FROM speakers WHERE key = ?", (f"person:{nk.surname}",)).fetchone()
            others = conn.execute("SELECT count(*) FROM speakers WHERE surname = ? AND id != ?",
                                  (nk.surname, speaker_id)).fetchone()[0]
            if bare is not None and others == 0:
                self.merge(int(bare[0]), speaker_id)

    def merge(self, old: int, into: int) -> None:
        """Fold speaker ``old`` into ``into``: its attributions, entities, aliases, roles and counts."""
        conn = self.conn
        for table in ("entities", "attributions", "via", "about"):
            conn.execute(f"UPDATE {table} SET speaker_id = ? WHERE speaker_id = ?", (into, old))
        # stored claims keep their edges until the next `sayso claims`; they follow the merge meanwhile
        for column in ("speaker_a", "speaker_b"):
            conn.execute(f"UPDATE claim_edges SET {column} = ? WHERE {column} = ?", (into, old))
        for table, column in (("speaker_aliases", "alias"), ("speaker_roles", "role")):
            conn.execute(
                f"INSERT INTO {table} (speaker_id, {column}, {'key, ' if column == 'alias' else ''}count)"
                f" SELECT ?, {column}, {'key, ' if column == 'alias' else ''}count FROM {table} WHERE speaker_id = ?"
                f" ON CONFLICT (speaker_id, {column}) DO UPDATE SET count = {table}.count + excluded.count",
                (into, old))
            conn.execute(f"DELETE FROM {table} WHERE speaker_id = ?", (old,))
        counts = conn.execute("SELECT attributions, relayed, according_to FROM speakers WHERE id = ?",
                              (old,)).fetchone()
        conn.execute("UPDATE speakers SET attributions = attributions + ?, relayed = relayed + ?,"
                     " according_to = according_to + ? WHERE id = ?", (*counts, into))
        conn.execute("UPDATE speaker_redirects SET speaker_id = ? WHERE speaker_id = ?", (into, old))
        conn.execute("INSERT OR REPLACE INTO speaker_redirects (old_id, speaker_id) VALUES (?, ?)", (old, into))
        conn.execute("DELETE FROM speakers WHERE id = ?", (old,))
        self._rename(into)

    def _add_alias(self, speaker_id: int, nk: NameKey) -> None:
        self.conn.execute(
            "INSERT INTO speaker_aliases (speaker_id, alias, key, count) VALUES (?, ?, ?, 1)"
            " ON CONFLICT (speaker_id, alias) DO UPDATE SET count = count + 1",
            (speaker_id, nk.name, alias_key(nk.name)))
        self._rename(speaker_id)

    def _rename(self, speaker_id: int) -> None:
        """The speaker's name: its most frequent alias of several words, else its most frequent alias."""
        self.conn.execute(
            "UPDATE speakers SET name = (SELECT alias FROM speaker_aliases WHERE speaker_id = ?1"
            " ORDER BY instr(alias, ' ') > 0 DESC, count DESC, length(alias) DESC, alias LIMIT 1) WHERE id = ?1",
            (speaker_id,))
