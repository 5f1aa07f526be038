"""The corpus database: its tables, their version, and opening a store for writing or for reading only.

One SQLite file holds the whole corpus. Articles keep their original input and their clean text; every
attribution, entity mention and span is a ``(start, end)`` offset into that clean text, exactly as in
``sayso.article/1``. Entities belong to one article; speakers are the corpus-level people and organisations
those entities are merged into (see ``sayso.store.names``). Claims (``sayso.store.claims``) are computed over
the whole corpus on demand and stored beside it. The tables are documented in docs/store.md.

>>> conn = connect(":memory:")                                   # doctest: +SKIP
>>> conn.execute("select value from meta where key = 'schema_version'").fetchone()[0]   # doctest: +SKIP
'3'
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path
from urllib.parse import quote

from ..errors import StoreError

#: Bumped whenever a table changes; a store written by a newer sayso is refused, never half-read.
#: Version 2 added the claims tables, version 3 the ``about`` table (an older store is upgraded by
#: ``connect``, see MIGRATIONS).
SCHEMA_VERSION = 3

#: Words are matched whole, case- and accent-insensitively; "sanction*" asks for every word that starts so.
#: (No stemming: porter's stems break prefix queries, "immigra*" would find nothing.)
TOKENIZER = "unicode61 remove_diacritics 2"

DDL = f"""
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS articles (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,      -- sha256 of url + newline + clean text: what makes ingest idempotent
    record TEXT,                   -- where the input came from: a path, or FILE:LINE of a JSONL dump
    url TEXT,
    outlet TEXT,
    title TEXT,
    author TEXT,
    published TEXT,                -- the publication date as the input gave it
    date TEXT,                     -- the same as YYYY-MM-DD, when it can be read; NULL otherwise
    text TEXT NOT NULL,            -- the clean article: every span below is an offset into it
    ingested_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_date ON articles(date);
CREATE INDEX IF NOT EXISTS articles_outlet ON articles(outlet COLLATE NOCASE);

CREATE TABLE IF NOT EXISTS originals (
    article_id INTEGER PRIMARY KEY REFERENCES articles(id),
    media_type TEXT NOT NULL,      -- text/html or text/plain
    content BLOB NOT NULL          -- the input exactly as read (a JSONL page as UTF-8)
);

CREATE TABLE IF NOT EXISTS speakers (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,            -- the most frequent full form among the aliases
    kind TEXT NOT NULL,            -- person, organization, outlet, group, unknown
    key TEXT NOT NULL UNIQUE,      -- the merge key: class:normalised name (sayso.store.names)
    surname TEXT,                  -- last word of a full personal name, for joining bare surnames
    initials TEXT,                 -- middle initials seen with the name ("j" of Donald J. Trump)
    named INTEGER NOT NULL,        -- 1: a proper name; 0: a description such as "a senior official"
    attributions INTEGER NOT NULL DEFAULT 0,   -- attributions whose source is this speaker
    relayed INTEGER NOT NULL DEFAULT 0,        -- attributions that came through this speaker (via)
    according_to INTEGER NOT NULL DEFAULT 0    -- "according to" attributions whose source it is
);
CREATE INDEX IF NOT EXISTS speakers_surname ON speakers(surname);
CREATE INDEX IF NOT EXISTS speakers_attributions ON speakers(attributions DESC);

CREATE TABLE IF NOT EXISTS speaker_aliases (
    speaker_id INTEGER NOT NULL REFERENCES speakers(id),
    alias TEXT NOT NULL COLLATE NOCASE,   -- a name the speaker goes by in some article
    key TEXT NOT NULL,             -- the alias normalised, for lookups by name
    count INTEGER NOT NULL,        -- articles that call the speaker so
    PRIMARY KEY (speaker_id, alias)
);
CREATE INDEX IF NOT EXISTS speaker_aliases_key ON speaker_aliases(key);

CREATE TABLE IF NOT EXISTS speaker_roles (
    speaker_id INTEGER NOT NULL REFERENCES speakers(id),
    role TEXT NOT NULL COLLATE NOCASE,    -- "Russian President", "spokeswoman for the campaign"
    count INTEGER NOT NULL,        -- articles that give the speaker this role
    PRIMARY KEY (speaker_id, role)
);

CREATE TABLE IF NOT EXISTS speaker_redirects (
    old_id INTEGER PRIMARY KEY,    -- a speaker id that was merged into another
    speaker_id INTEGER NOT NULL REFERENCES speakers(id)
);

CREATE TABLE IF NOT EXISTS entities (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    local_id TEXT NOT NULL,        -- "e1": the entity id inside its sayso.article/1 object
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    roles TEXT NOT NULL,           -- JSON list of strings
    speaker_id INTEGER NOT NULL REFERENCES speakers(id),
    UNIQUE (article_id, local_id)
);
CREATE INDEX IF NOT EXISTS entities_speaker ON entities(speaker_id);

CREATE TABLE IF NOT EXISTS mentions (
    entity_id INTEGER NOT NULL REFERENCES entities(id),
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    PRIMARY KEY (entity_id, start)
);

CREATE TABLE IF NOT EXISTS attributions (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    local_id TEXT NOT NULL,        -- "a1": the attribution id inside its sayso.article/1 object
    date TEXT,                     -- its article's date, kept here so that lists are ordered by an index
    kind TEXT NOT NULL,            -- direct, indirect, mixed, according_to, headline, belief
    entity_id INTEGER REFERENCES entities(id),
    speaker_id INTEGER REFERENCES speakers(id),
    confidence REAL NOT NULL,
    start INTEGER NOT NULL,        -- first offset of any of its spans, for reading order
    end INTEGER NOT NULL,
    source_text TEXT NOT NULL,     -- the article text at the spans of each role (pieces joined by a
    cue_text TEXT NOT NULL,        -- space), written from the spans; kept for search, SQL and export
    content_text TEXT NOT NULL,
    UNIQUE (article_id, local_id)
);
-- newest first, the order of every list: each filter has an index that is already in that order
CREATE INDEX IF NOT EXISTS attributions_date ON attributions(date DESC, article_id DESC, start);
CREATE INDEX IF NOT EXISTS attributions_speaker ON attributions(speaker_id, date DESC, article_id DESC, start);
CREATE INDEX IF NOT EXISTS attributions_kind ON attributions(kind, date DESC, article_id DESC, start);

CREATE TABLE IF NOT EXISTS spans (
    attribution_id INTEGER NOT NULL REFERENCES attributions(id),
    role TEXT NOT NULL,            -- source, cue, content
    seq INTEGER NOT NULL,          -- 0, 1, ... for a role made of several pieces
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    PRIMARY KEY (attribution_id, role, seq)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS via (
    attribution_id INTEGER NOT NULL REFERENCES attributions(id),
    position INTEGER NOT NULL,     -- 1 is the nearest intermediary
    entity_id INTEGER NOT NULL REFERENCES entities(id),
    speaker_id INTEGER NOT NULL REFERENCES speakers(id),
    PRIMARY KEY (attribution_id, position)
);
CREATE INDEX IF NOT EXISTS via_speaker ON via(speaker_id);

CREATE VIRTUAL TABLE IF NOT EXISTS attributions_fts USING fts5(
    content_text, content="attributions", content_rowid="id", tokenize="{TOKENIZER}"
);
CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(
    title, text, content="articles", content_rowid="id", tokenize="{TOKENIZER}"
);
"""

#: Whom each content names (an attribution's ``about`` in sayso.article/1), written by ingest.
ABOUT_DDL = """
CREATE TABLE IF NOT EXISTS about (
    attribution_id INTEGER NOT NULL REFERENCES attributions(id),
    seq INTEGER NOT NULL,          -- 0, 1, ... in the order of their first mention in the content
    name TEXT NOT NULL,            -- the fullest name their article gives them
    kind TEXT NOT NULL,            -- person, organization, outlet, group, unknown
    key TEXT NOT NULL,             -- the name as a search box looks it up (sayso.store.names.alias_key)
    entity_id INTEGER REFERENCES entities(id),    -- when they speak in the article too
    speaker_id INTEGER REFERENCES speakers(id),   -- and that entity's corpus speaker
    spans TEXT NOT NULL,           -- JSON [[start, end], ...]: their mentions inside the content
    PRIMARY KEY (attribution_id, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS about_speaker ON about(speaker_id);
CREATE INDEX IF NOT EXISTS about_key ON about(key);
"""

#: Claims across the corpus, written whole by ``sayso claims`` (sayso.store.claims), never by ingest.
CLAIMS_DDL = """
CREATE TABLE IF NOT EXISTS claims (
    id TEXT PRIMARY KEY,           -- "c" + 10 hex digits: stable while its label is the same attribution's
    label TEXT NOT NULL,           -- verbatim article text: the label attribution's content, or its sentence
    label_attribution_id INTEGER NOT NULL REFERENCES attributions(id),
    attributions INTEGER NOT NULL, -- its members
    speakers INTEGER NOT NULL,     -- distinct corpus speakers among them
    articles INTEGER NOT NULL,     -- distinct articles they are in
    asserts INTEGER NOT NULL,      -- members by stance
    denies INTEGER NOT NULL,
    doubts INTEGER NOT NULL,
    neutral INTEGER NOT NULL,
    first_date TEXT,               -- the earliest and latest article date among the members
    last_date TEXT
);
CREATE INDEX IF NOT EXISTS claims_rank ON claims(speakers DESC, attributions DESC, id);

CREATE TABLE IF NOT EXISTS claim_members (
    attribution_id INTEGER PRIMARY KEY REFERENCES attributions(id),   -- every attribution is in one claim
    claim_id TEXT NOT NULL REFERENCES claims(id),
    stance TEXT NOT NULL,          -- asserts, denies, doubts, neutral: toward the claim's label
    position INTEGER NOT NULL      -- the member's place in its claim
);
CREATE INDEX IF NOT EXISTS claim_members_claim ON claim_members(claim_id, position);

CREATE TABLE IF NOT EXISTS claim_edges (
    id INTEGER PRIMARY KEY,
    claim_id TEXT NOT NULL REFERENCES claims(id),
    speaker_a INTEGER NOT NULL REFERENCES speakers(id),
    speaker_b INTEGER NOT NULL REFERENCES speakers(id),
    relation TEXT NOT NULL         -- agree (same side of the claim) or contradict (opposite sides)
);
CREATE INDEX IF NOT EXISTS claim_edges_claim ON claim_edges(claim_id);
CREATE INDEX IF NOT EXISTS claim_edges_a ON claim_edges(speaker_a);
CREATE INDEX IF NOT EXISTS claim_edges_b ON claim_edges(speaker_b);

CREATE TABLE IF NOT EXISTS claim_edge_evidence (
    edge_id INTEGER NOT NULL REFERENCES claim_edges(id),
    attribution_id INTEGER NOT NULL REFERENCES attributions(id),   -- a member that puts a speaker on its side
    PRIMARY KEY (edge_id, attribution_id)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS quotes (
    id INTEGER PRIMARY KEY,
    text TEXT NOT NULL,            -- the longest wording seen, verbatim, quotation marks stripped
    first_attribution_id INTEGER NOT NULL REFERENCES attributions(id),
    repeats INTEGER NOT NULL       -- the articles that carried it after the first (a sighting each)
);

CREATE TABLE IF NOT EXISTS quote_sightings (
    quote_id INTEGER NOT NULL REFERENCES quotes(id),
    seq INTEGER NOT NULL,          -- 0 is the first sighting; then by date
    attribution_id INTEGER NOT NULL REFERENCES attributions(id),
    text TEXT NOT NULL,            -- the quotation as this article has it, verbatim
    credits_first INTEGER,         -- 1: the article names the first outlet; 0: it does not; NULL: the first
    PRIMARY KEY (quote_id, seq)
);
CREATE INDEX IF NOT EXISTS quote_sightings_attribution ON quote_sightings(attribution_id);

CREATE TABLE IF NOT EXISTS embeddings (
    key TEXT PRIMARY KEY,          -- sha1 of the exact text embedded (sayso.claims.embeddings.text_key)
    model TEXT NOT NULL,           -- the sentence encoder that made it
    vector BLOB NOT NULL           -- float32, little-endian, one per dimension
) WITHOUT ROWID;
"""

def _about_from_mentions(conn: sqlite3.Connection) -> None:
    """Fill the ``about`` table of a store written before it: whom each content names, as far as the store
    knows, the named speakers of its article with a mention inside it (the names of people who never speak
    in an article were not kept, so they are missing until the article is ingested again)."""
    from .names import alias_key

    for statement in _statements(ABOUT_DDL):
        conn.execute(statement)
    rows = conn.execute(
        "SELECT s.attribution_id, e.id, e.name, e.kind, e.speaker_id, m.start, m.end FROM spans s"
        " JOIN attributions a ON a.id = s.attribution_id JOIN entities e ON e.article_id = a.article_id"
        " JOIN speakers k ON k.id = e.speaker_id AND k.named = 1"
        " JOIN mentions m ON m.entity_id = e.id AND m.start >= s.start AND m.end <= s.end"
        " WHERE s.role = 'content' ORDER BY s.attribution_id, m.start, m.end")
    found: dict[int, dict[int, list]] = {}
    for att, entity, name, kind, speaker, start, end in rows:
        subject = found.setdefault(att, {}).setdefault(entity, [name, kind, speaker, []])
        subject[3].append([start, end])
    conn.executemany(
        "INSERT INTO about (attribution_id, seq, name, kind, key, entity_id, speaker_id, spans)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(att, seq, name, kind, alias_key(name), entity, speaker, json.dumps(spans))
         for att, subjects in found.items()
         for seq, (entity, (name, kind, speaker, spans)) in enumerate(subjects.items())])


#: What brings a store of each older version up to the next one: a script, or a function of the connection,
#: run inside the step's transaction.
MIGRATIONS = {1: CLAIMS_DDL, 2: _about_from_mentions}


def connect(path: str | Path) -> sqlite3.Connection:
    """Open (creating if needed) a store for writing: WAL mode, foreign keys on, schema in place.

    Raises StoreError for a file that is not a sayso store or was written by a newer version.
    """
    if not Path(path).absolute().parent.is_dir():
        raise StoreError(str(path), "cannot be created: its folder does not exist")
    try:
        conn = sqlite3.connect(str(path), timeout=30, isolation_level=None)
        conn.execute("PRAGMA journal_mode = WAL")
        # NORMAL is durable in WAL mode except for the last commits on power loss, never corrupt
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        version = _version(conn, path, upgradable=True)
        if version is None:
            # one script, one transaction: a store has all its tables or none
            conn.executescript(
                f"BEGIN IMMEDIATE; {DDL}{ABOUT_DDL}{CLAIMS_DDL}"
                f"INSERT INTO meta (key, value) VALUES ('schema_version', '{SCHEMA_VERSION}');"
                f"PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"
            )
        elif version < SCHEMA_VERSION:
            migrate(conn, version)
    except sqlite3.DatabaseError as exc:
        raise StoreError(str(path), f"not a sayso corpus database ({exc})") from None
    conn.row_factory = sqlite3.Row
    return conn


def connect_readonly(path: str | Path) -> sqlite3.Connection:
    """Open an existing store for reading only (SQLite refuses every write on this connection)."""
    p = Path(path)
    if not p.is_file():
        raise StoreError(str(path), "no such corpus database (create it with: sayso ingest PATH... --db FILE)")
    uri = f"file:{quote(str(p.resolve()))}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
        if _version(conn, path) is None:
            raise StoreError(str(path), "not a sayso corpus database (no sayso tables)")
    except sqlite3.DatabaseError as exc:
        raise StoreError(str(path), f"not a sayso corpus database ({exc})") from None
    conn.row_factory = sqlite3.Row
    return conn


def upgrade(path: str | Path) -> tuple[int, int]:
    """Bring the store at ``path`` up to this version's schema (``migrate``); its version before and now."""
    p = Path(path)
    if not p.is_file():
        raise StoreError(str(path), "no such corpus database (create it with: sayso ingest PATH... --db FILE)")
    try:
        with closing(sqlite3.connect(f"file:{quote(str(p.resolve()))}?mode=ro", uri=True)) as conn:
            before = _version(conn, path, upgradable=True)
    except sqlite3.DatabaseError as exc:
        raise StoreError(str(path), f"not a sayso corpus database ({exc})") from None
    if before is None:
        raise StoreError(str(path), "not a sayso corpus database (no sayso tables)")
    connect(path).close()
    return before, SCHEMA_VERSION


def migrate(conn: sqlite3.Connection, version: int) -> None:
    """Bring a store of an older schema version up to this one, one version a transaction.

    Every step so far only adds tables (and fills them from what is stored): what is stored stays as it is.
    """
    while version < SCHEMA_VERSION:
        step = MIGRATIONS[version]
        conn.execute("BEGIN IMMEDIATE")
        try:
            if callable(step):
                step(conn)
            else:
                for statement in _statements(step):
                    conn.execute(statement)
            conn.execute(f"UPDATE meta SET value = '{version + 1}' WHERE key = 'schema_version'")
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        version += 1


def _statements(script: str) -> list[str]:
    """The statements of a script of whole lines, one by one (``executescript`` would commit the
    transaction they are meant to run in)."""
    out, pending = [], ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            out.append(pending.strip())
            pending = ""
    if pending.strip():
        out.append(pending.strip())
    return out


def _version(conn: sqlite3.Connection, path: str | Path, upgradable: bool = False) -> int | None:
    """The schema version of a store, None for an empty file; StoreError for a newer or foreign one, and
    for an older one unless ``upgradable`` (a connection that may write migrates it)."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not tables:
        return None
    if "meta" not in tables or "articles" not in tables:
        raise StoreError(str(path), "not a sayso corpus database (it has other tables)")
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    version = int(row[0]) if row else 0
    if version < SCHEMA_VERSION and version in MIGRATIONS:
        if upgradable:
            return version
        raise StoreError(str(path), f"corpus schema version {version}; this sayso reads version {SCHEMA_VERSION}: "
                                    f"upgrade it with `sayso upgrade --db {path}` (adds tables, keeps what is stored)")
    if version != SCHEMA_VERSION:
        raise StoreError(str(path), f"corpus schema version {version}; this sayso reads version {SCHEMA_VERSION}")
    return version
