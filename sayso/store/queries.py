"""Reading the corpus: search, speakers, articles, claims and the overview, as plain JSON-ready data.

Every function takes an open connection (``connect_readonly``) and returns dicts and lists that the web
layer renders as HTML or sends as JSON unchanged, so a page and its JSON twin can never disagree. SQL is
parameterized throughout; the only text put into SQL is fixed fragments chosen here.

An attribution read back is its ``sayso.article/1`` object (id, kind, source, cue, content, via,
confidence) plus ``speaker`` (the corpus speaker: id, name, kind, aliases, roles) and ``via_speakers`` (the
intermediaries as corpus speakers, nearest first); a search hit adds ``article`` (id, title, url, outlet,
published, date).

>>> conn = connect_readonly("corpus.sqlite")                          # doctest: +SKIP
>>> page = search(conn, Filters.parse(q="bridge", speaker="Delgado"))  # doctest: +SKIP
>>> page["total"], page["results"][0]["content"]["text"]              # doctest: +SKIP
"""

from __future__ import annotations

import calendar
import json
import re
import sqlite3
from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any, Callable, Iterable, Iterator

from ..claims import STANCES, AttributionRef, Claim, ClaimMember, ClaimSubject, Edge, Speaker
from ..claims.spread import Quote, Sighting
from ..errors import QueryError
from ..model import ENTITY_KINDS, KINDS, Article, Attribution, Entity, Subject
from .names import alias_key, fold, name_key

#: Results per page of a search or listing, unless the caller asks for another size.
PER_PAGE = 20
#: The most results one page may hold.
MAX_PER_PAGE = 200
#: The highest page number asked for: far past the end of any corpus, and its offset still fits SQLite's integers.
MAX_PAGE = 1_000_000
#: Aliases and roles shown in a speaker object inside another object (the speaker's own page has all).
SPEAKER_OBJECT_LIMIT = 10
#: The largest count a filter may ask for (min_attributions).
MAX_COUNT = 1_000_000_000
SORTS = ("newest", "oldest", "relevance")

_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
# a speaker id: ASCII digits that fit SQLite's integers ("²" and "٣" are digits to str.isdigit, not to int())
_SPEAKER_ID = re.compile(r"^[0-9]{1,18}$")
_QUERY_TOKEN = re.compile(r'"([^"]*)"|(\S+)')


# ------------------------------------------------------------------------------------------------ filters
@dataclass
class Filters:
    """What a search asks for; every field is optional. Build it with ``Filters.parse``."""

    q: str | None = None          # full text over what was said (the contents)
    speaker: str | None = None    # a speaker id, or a name or alias
    via: str | None = None        # an intermediary: id, name or alias ("who quoted TASS")
    about: str | None = None      # a speaker that the content names: id, name or alias ("said about Putin")
    outlet: str | None = None     # the outlet, case-insensitive
    kind: str | None = None       # one of sayso.model.KINDS
    since: str | None = None      # YYYY, YYYY-MM or YYYY-MM-DD, inclusive
    until: str | None = None      # the same, inclusive (2016-10 runs to 2016-10-31)
    sort: str = "newest"          # newest, oldest, relevance (relevance needs q)

    @classmethod
    def parse(cls, **values: str | None) -> "Filters":
        """Filters from request values, blank ones dropped; QueryError for a value that means nothing."""
        clean = {k: (v.strip() if isinstance(v, str) else v) or None for k, v in values.items()}
        f = cls(**{k: v for k, v in clean.items() if v is not None})
        if f.kind is not None and f.kind not in KINDS:
            raise QueryError(f"kind must be one of {', '.join(KINDS)} (got {f.kind!r})")
        if f.sort not in SORTS:
            raise QueryError(f"sort must be one of {', '.join(SORTS)} (got {f.sort!r})")
        if f.since is not None:
            f.since = _date_bound(f.since, "since", last=False)
        if f.until is not None:
            f.until = _date_bound(f.until, "until", last=True)
        if f.since and f.until and f.since > f.until:
            raise QueryError(f"since ({f.since}) is after until ({f.until})")
        return f

    def params(self) -> dict[str, str]:
        """The filters as query-string parameters (what is set, and sort when it is not the default)."""
        out = {k: v for k, v in asdict(self).items() if v is not None}
        if out.get("sort") == "newest":
            del out["sort"]
        return out


def _date_bound(value: str, name: str, last: bool) -> str:
    m = _DATE.match(value)
    try:
        if not m:
            raise ValueError
        year, month, day = int(m[1]), int(m[2] or (12 if last else 1)), m[3]
        if day is None:
            day = calendar.monthrange(year, month)[1] if last else 1
        return f"{year:04d}-{month:02d}-{int(day):02d}" if _valid(year, month, int(day)) else _bad(name, value)
    except ValueError:
        return _bad(name, value)


def _valid(year: int, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


def _bad(name: str, value: str) -> str:
    raise QueryError(f"{name} must be a date: YYYY, YYYY-MM or YYYY-MM-DD (got {value!r})")


def fts_query(text: str) -> str | None:
    """A user's search text as a safe FTS5 query: words and "quoted phrases" must all occur; OR between
    two terms allows either; a leading - excludes a term; a trailing * matches a prefix.

    >>> fts_query('Russia "senior official" -Trump')
    '"russia" AND "senior official" NOT "trump"'
    >>> fts_query("sanction* OR tariff")
    '"sanction"* OR "tariff"'
    >>> fts_query("(*)") is None
    True
    """
    parts: list[str] = []
    pending_op = None
    for phrase, word in _QUERY_TOKEN.findall(text):
        if word in ("OR", "AND"):
            pending_op = word if parts else None
            continue
        negate = word.startswith("-") and len(word) > 1
        prefix = word.endswith("*")
        words = re.findall(r"[^\W_]+", fold(phrase if phrase else word))
        if not words:
            continue
        term = '"' + " ".join(words) + '"' + ("*" if prefix and not phrase else "")
        if negate and parts:
            parts.append(f"NOT {term}")
        elif negate:
            continue  # FTS5 cannot start with NOT: an exclusion alone excludes nothing
        else:
            parts.append(f"{pending_op or 'AND'} {term}" if parts else term)
        pending_op = None
    return " ".join(parts) or None


# ------------------------------------------------------------------------------------------------ speakers
def speaker_objects(conn: sqlite3.Connection, ids: set[int], limit: int | None = SPEAKER_OBJECT_LIMIT
                    ) -> dict[int, dict[str, Any]]:
    """Corpus speakers by id: ``{id, name, kind, aliases, roles}``, aliases and roles most frequent first."""
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    out = {
        r["id"]: {"id": r["id"], "name": r["name"], "kind": r["kind"], "aliases": [], "roles": []}
        for r in conn.execute(f"SELECT id, name, kind FROM speakers WHERE id IN ({marks})", tuple(ids))
    }
    cap = "" if limit is None else f" WHERE n <= {int(limit)}"
    for field, table, column in (("aliases", "speaker_aliases", "alias"), ("roles", "speaker_roles", "role")):
        rows = conn.execute(
            f"SELECT speaker_id, {column} FROM (SELECT speaker_id, {column}, row_number() OVER ("
            f"PARTITION BY speaker_id ORDER BY count DESC, {column}) AS n FROM {table}"
            f" WHERE speaker_id IN ({marks})){cap} ORDER BY speaker_id, n", tuple(ids))
        for speaker_id, value in rows:
            out[speaker_id][field].append(value)
    return out


def find_speakers(conn: sqlite3.Connection, value: str) -> list[int]:
    """The speakers a filter value names: an id ("12"), else every speaker with that name or alias, else
    (for a bare surname) every full name with that surname."""
    if _SPEAKER_ID.match(value):
        return [canonical_speaker(conn, int(value)) or int(value)]
    key = alias_key(value)
    ids = [r[0] for r in conn.execute("SELECT DISTINCT speaker_id FROM speaker_aliases WHERE key = ?", (key,))]
    if not ids:
        keys = {name_key(value, kind).key for kind in ("person", "organization", "group", "unknown")}
        ids = [r[0] for r in conn.execute(
            f"SELECT id FROM speakers WHERE key IN ({','.join('?' * len(keys))})", tuple(keys))]
    if not ids and " " not in key:
        ids = [r[0] for r in conn.execute("SELECT id FROM speakers WHERE surname = ?", (key,))]
    return sorted(ids)


def canonical_speaker(conn: sqlite3.Connection, speaker_id: int) -> int | None:
    """The id a speaker has now: itself, the speaker it was merged into, or None when there is none."""
    if conn.execute("SELECT 1 FROM speakers WHERE id = ?", (speaker_id,)).fetchone():
        return speaker_id
    row = conn.execute("SELECT speaker_id FROM speaker_redirects WHERE old_id = ?", (speaker_id,)).fetchone()
    return int(row[0]) if row else None


def _speakers_where(q: str | None, kind: str | None = None) -> tuple[str, list[Any]]:
    """The WHERE clause (and its parameters) that keeps the speakers with a name or alias holding the words
    of ``q``, and of ``kind`` (one of ``model.ENTITY_KINDS``); none without either. QueryError for a kind
    that is none of those."""
    clauses, params = [], []
    if kind is not None:
        if kind not in ENTITY_KINDS:
            raise QueryError(f"kind must be one of {', '.join(ENTITY_KINDS)} (got {kind!r})")
        clauses.append("kind = ?")
        params.append(kind)
    key = alias_key(q) if q else ""
    if key:
        # a word prefix anywhere in a name or alias: "putin", "vlad", "senior off"
        pattern = "% " + key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        clauses.append("(id IN (SELECT speaker_id FROM speaker_aliases WHERE ' ' || key LIKE ? ESCAPE '\\')"
                       " OR ' ' || lower(name) LIKE ? ESCAPE '\\')")
        params += [pattern, pattern]
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def _speaker_results(conn: sqlite3.Connection, where: str, params: list[Any], limit: int, offset: int
                     ) -> list[dict[str, Any]]:
    rows = conn.execute(
        f"SELECT id, attributions, relayed, according_to FROM speakers{where}"
        f" ORDER BY attributions DESC, relayed DESC, name, id LIMIT ? OFFSET ?", (*params, limit, offset)).fetchall()
    objects = speaker_objects(conn, {r["id"] for r in rows})
    return [{**objects[r["id"]], "attributions": r["attributions"], "relayed": r["relayed"],
             "according_to": r["according_to"]} for r in rows]


def list_speakers(conn: sqlite3.Connection, q: str | None = None, page: int = 1, per_page: int = PER_PAGE,
                  kind: str | None = None) -> dict[str, Any]:
    """Speakers by number of attributions; ``q`` keeps those with a name or alias containing those words,
    ``kind`` those of that kind (person, organization, outlet, group, unknown)."""
    where, params = _speakers_where(q, kind)
    total = conn.execute(f"SELECT count(*) FROM speakers{where}", params).fetchone()[0]
    page, per_page = _paging(page, per_page)
    results = _speaker_results(conn, where, params, per_page, (page - 1) * per_page)
    return {"total": total, "page": page, "per_page": per_page, "pages": max(1, -(-total // per_page)), "q": q,
            "kind": kind, "results": results}


def iter_speakers(conn: sqlite3.Connection, q: str | None = None, limit: int | None = None, chunk: int = 500,
                  kind: str | None = None) -> Iterator[dict[str, Any]]:
    """Every speaker :func:`list_speakers` finds, in its order (at most ``limit``), read ``chunk`` at a time.
    A bad ``kind`` fails at the call, before any is read."""
    where, params = _speakers_where(q, kind)
    return _paged(lambda size, offset: _speaker_results(conn, where, params, size, offset), limit, chunk)


def _paged(read: Callable[[int, int], list[dict[str, Any]]], limit: int | None, chunk: int
           ) -> Iterator[dict[str, Any]]:
    """The results ``read(size, offset)`` gives, ``chunk`` at a time from the first, until it gives fewer than
    asked or ``limit`` are read: a listing's every page, for exports."""
    done = 0
    while limit is None or done < limit:
        size = chunk if limit is None else min(chunk, limit - done)
        results = read(size, done)
        yield from results
        done += len(results)
        if len(results) < size:
            return


def speaker_page(conn: sqlite3.Connection, speaker_id: int, page: int = 1, per_page: int = PER_PAGE
                 ) -> dict[str, Any] | None:
    """Everything about one speaker: names, roles, counts, outlets, attributions over time, and their
    attributions newest first (paginated), and their claims (``speaker_claims``). None when there is no such
    speaker."""
    row = conn.execute("SELECT * FROM speakers WHERE id = ?", (speaker_id,)).fetchone()
    if row is None:
        return None
    obj = speaker_objects(conn, {speaker_id}, limit=None)[speaker_id]
    kinds = dict(conn.execute(
        "SELECT kind, count(*) FROM attributions WHERE speaker_id = ? GROUP BY kind ORDER BY count(*) DESC",
        (speaker_id,)).fetchall())
    outlets = [{"outlet": o, "count": n} for o, n in conn.execute(
        "SELECT r.outlet, count(*) AS n FROM attributions a JOIN articles r ON r.id = a.article_id"
        " WHERE a.speaker_id = ? AND r.outlet IS NOT NULL GROUP BY r.outlet ORDER BY n DESC, r.outlet LIMIT 20",
        (speaker_id,))]
    timeline = [{"month": m, "count": n} for m, n in conn.execute(
        "SELECT substr(date, 1, 7) AS month, count(*) FROM attributions"
        " WHERE speaker_id = ? AND date IS NOT NULL GROUP BY month ORDER BY month", (speaker_id,))]
    relays = conn.execute(
        "SELECT v.speaker_id, count(*) AS n FROM attributions a JOIN via v ON v.attribution_id = a.id"
        " WHERE a.speaker_id = ? AND v.speaker_id != ? GROUP BY v.speaker_id ORDER BY n DESC LIMIT 10",
        (speaker_id, speaker_id)).fetchall()
    relay_objects = speaker_objects(conn, {r[0] for r in relays})
    said = search(conn, Filters(speaker=str(speaker_id)), page=page, per_page=per_page)
    # a bare surname that several full names share stays apart; say who it may be
    cls, words = row["key"].split(":", 1)
    maybe = []
    if cls == "person" and row["named"] and " " not in words:
        ids = [r[0] for r in conn.execute("SELECT id FROM speakers WHERE surname = ? ORDER BY attributions DESC"
                                          " LIMIT 10", (words,))]
        objects = speaker_objects(conn, set(ids))
        maybe = [objects[i] for i in ids]
    return {
        **obj,
        "named": bool(row["named"]),
        "attributions": row["attributions"],
        "relayed": row["relayed"],
        "according_to": row["according_to"],
        "kinds": kinds,
        "outlets": outlets,
        "timeline": timeline,
        "intermediaries": [{"speaker": relay_objects[s], "count": n} for s, n in relays],
        "talks_about": talks_about(conn, speaker_id),
        "talked_about_by": talked_about_by(conn, speaker_id),
        "may_be": maybe,
        "claims": speaker_claims(conn, speaker_id),
        "quotes": speaker_quotes(conn, speaker_id),
        "said": said,
    }


#: The most subjects listed for a speaker, both ways.
SUBJECTS_LIMIT = 10


def talks_about(conn: sqlite3.Connection, speaker_id: int, limit: int = SUBJECTS_LIMIT) -> list[dict[str, Any]]:
    """Whom the speaker's contents name most (themself left out): ``{"speaker", "name", "kind", "count"}``,
    ``count`` their attributions that name them (``rank_subjects`` says who a subject is)."""
    rows = conn.execute(
        "SELECT b.speaker_id, b.key, max(b.name), b.kind, count(DISTINCT b.attribution_id) FROM attributions a"
        " JOIN about b ON b.attribution_id = a.id WHERE a.speaker_id = ? GROUP BY b.speaker_id, b.key, b.kind",
        (speaker_id,)).fetchall()
    top = rank_subjects(rows, subject_speakers(conn, {r[1] for r in rows if r[0] is None}), limit, speaker_id)
    return _with_speakers(conn, top)


def _with_speakers(conn: sqlite3.Connection, subjects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Ranked subjects (``rank_subjects``) with each corpus speaker's object for its id, and that speaker's
    name and kind for those the articles gave."""
    objects = speaker_objects(conn, {e["speaker"] for e in subjects})
    for e in subjects:
        if e["speaker"] is not None:
            e["speaker"] = objects[e["speaker"]]
            e["name"], e["kind"] = e["speaker"]["name"], e["speaker"]["kind"]
    return subjects


def subject_speakers(conn: sqlite3.Connection, keys: set[str]) -> dict[str, int]:
    """The corpus speaker of each name (by ``key``) of a subject who does not speak in their article: the
    one speaker who goes by that name, where there is just one; for a single word that is no speaker's
    name, the one person with that surname. Names of two letters or fewer stay names."""
    out: dict[str, int] = {}
    keys = sorted(k for k in keys if len(k) > 2)
    aliased: set[str] = set()
    for chunk in _chunks(keys):
        for key, ids in conn.execute(
                f"SELECT key, group_concat(DISTINCT speaker_id) FROM speaker_aliases"
                f" WHERE key IN ({','.join('?' * len(chunk))}) GROUP BY key", chunk):
            aliased.add(key)
            if "," not in str(ids):
                out[key] = int(ids)
    for chunk in _chunks([k for k in keys if k not in aliased and " " not in k]):
        for key, ids in conn.execute(
                f"SELECT surname, group_concat(id) FROM speakers WHERE surname IN ({','.join('?' * len(chunk))})"
                f" GROUP BY surname", chunk):
            if "," not in str(ids):
                out[key] = int(ids)
    return out


def subject_keys(conn: sqlite3.Connection, speaker_id: int) -> list[str]:
    """The names (keys) that ``subject_speakers`` reads as this speaker: those of their aliases and their
    surname that are theirs alone."""
    names = {r[0] for r in conn.execute(
        "SELECT key FROM speaker_aliases WHERE speaker_id = ?1 UNION"
        " SELECT surname FROM speakers WHERE id = ?1 AND surname IS NOT NULL", (speaker_id,))}
    return sorted(k for k, s in subject_speakers(conn, names).items() if s == speaker_id)


def naming(conn: sqlite3.Connection, ids: list[int], also: Iterable[str] = ()) -> tuple[str, list[Any]]:
    """A query of the attributions whose content names one of the speakers ``ids``: as a speaker of its
    article, or by a name that is theirs (``subject_keys``) or one of the keys ``also`` where the subject
    does not speak there; and its parameters. Two index lookups joined by UNION (an OR of the two tests
    makes SQLite read every row of someone who never speaks)."""
    keys = sorted({k for i in ids for k in subject_keys(conn, i)} | set(also))
    return (f"SELECT attribution_id FROM about WHERE speaker_id IN ({','.join('?' * len(ids))}) UNION"
            f" SELECT attribution_id FROM about WHERE key IN ({','.join('?' * len(keys))}) AND speaker_id IS NULL",
            [*ids, *keys])


def _chunks(values: list[Any], size: int = 500) -> Iterator[list[Any]]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


def rank_subjects(rows: list[Any], speakers: dict[str, int], limit: int, leave_out: int | None = None
                  ) -> list[dict[str, Any]]:
    """Subjects counted and ranked: ``rows`` are ``(speaker_id, key, name, kind, count)`` groups of the
    ``about`` table. Someone who speaks in the article is their corpus speaker; a name no one speaks
    under there is the speaker ``speakers`` gives that key, else a name alone (``speaker`` None)."""
    found: dict[Any, dict[str, Any]] = {}
    for known, key, name, kind, n in rows:
        known = known if known is not None else speakers.get(key)
        if known is not None and known == leave_out:
            continue
        entry = found.setdefault(known if known is not None else f"{kind}:{key}",
                                 {"speaker": known, "name": name, "kind": kind, "count": 0})
        entry["count"] += n
    return sorted(found.values(), key=lambda e: (-e["count"], e["name"]))[:limit]


def talked_about_by(conn: sqlite3.Connection, speaker_id: int, limit: int = SUBJECTS_LIMIT
                    ) -> list[dict[str, Any]]:
    """The speakers whose contents name this one most: ``{"speaker", "count"}``, by a mention their article
    resolved to them, or by a name that ``subject_speakers`` reads as them (the other side of
    ``talks_about``)."""
    naming_sql, params = naming(conn, [speaker_id])
    rows = conn.execute(
        f"SELECT a.speaker_id, count(*) AS n FROM ({naming_sql}) b JOIN attributions a ON a.id = b.attribution_id"
        " WHERE a.speaker_id IS NOT NULL AND a.speaker_id != ? GROUP BY a.speaker_id ORDER BY n DESC, a.speaker_id"
        " LIMIT ?", (*params, speaker_id, limit)).fetchall()
    objects = speaker_objects(conn, {r[0] for r in rows})
    return [{"speaker": objects[s], "count": n} for s, n in rows]


# ------------------------------------------------------------------------------------------------ search
def _where(conn: sqlite3.Connection, f: Filters) -> tuple[str, str, list[Any], dict[str, list[int]]]:
    """The FROM and WHERE of a search over attributions ``a``, its parameters, and the speakers that the
    speaker and via filters named.

    A text query puts the FTS table ``t`` first (CROSS JOIN fixes SQLite's join order): matching once and
    filtering the matches is fast, while probing the full-text index once per attribution of a big speaker
    is not. Without one, every filter has an index on ``attributions`` in newest-first order.
    """
    clauses, params = [], []
    named: dict[str, list[int]] = {}
    match = fts_query(f.q) if f.q else None
    tables = "attributions a"
    if match:
        tables = "attributions_fts t CROSS JOIN attributions a ON a.id = t.rowid"
        clauses.append("attributions_fts MATCH ?")
        params.append(match)
    for name, value, test in (("speaker", f.speaker, "a.speaker_id IN ({})"),
                              ("via", f.via, "a.id IN (SELECT attribution_id FROM via WHERE speaker_id IN ({}))")):
        if value:
            ids = named[name] = find_speakers(conn, value)
            clauses.append(test.format(",".join("?" * len(ids)) or "NULL"))
            params.extend(ids)
    if f.about:
        ids = named["about"] = find_speakers(conn, f.about)
        clause, values = _about(conn, ids, f.about)
        clauses.append(clause)
        params.extend(values)
    for value, test in ((f.outlet, "a.article_id IN (SELECT id FROM articles WHERE outlet = ? COLLATE NOCASE)"),
                        (f.kind, "a.kind = ?"), (f.since, "a.date >= ?"), (f.until, "a.date <= ?")):
        if value:
            clauses.append(test)
            params.append(value)
    return tables, (" WHERE " + " AND ".join(clauses)) if clauses else "", params, named


#: The most names of one speaker that an ``about`` filter looks for in contents (the most used first).
ABOUT_NAMES = 40


def _about(conn: sqlite3.Connection, ids: list[int], value: str) -> tuple[str, list[Any]]:
    """The test of an ``about`` filter: the attribution's content holds a mention of one of the speakers
    ``ids``, as its article resolved it (a name of that article's entity, wherever the article has one), or
    one of their names that no other speaker goes by ("Pence", "Mike Pence"; not "Obama" when Michelle
    Obama speaks in the corpus, unless ``value``, the name asked for, is "Obama"). Descriptions ("a senior
    official") are matched by mention only: the words name no one in particular. A name that is no
    speaker's (no ``ids``) is looked for as a phrase: someone who is talked about and never quoted."""
    by_name = not _SPEAKER_ID.match(value)
    named_ids = [r[0] for r in conn.execute(
        f"SELECT id FROM speakers WHERE id IN ({','.join('?' * len(ids))}) AND named = 1", ids)]
    rows: list = []
    if named_ids:
        # their names and a person's surname alone ("Putin"), where no other speaker is called so
        marks, others = ",".join("?" * len(named_ids)), ",".join("?" * len(ids))
        rows = conn.execute(
            "SELECT c.name, c.key FROM (SELECT alias AS name, key, count AS n FROM speaker_aliases"
            f" WHERE speaker_id IN ({marks}) UNION ALL SELECT surname, surname, attributions FROM speakers"
            f" WHERE id IN ({marks}) AND surname IS NOT NULL) c WHERE length(c.key) > 2"
            " AND NOT EXISTS (SELECT 1 FROM speaker_aliases o WHERE o.key = c.key"
            f" AND o.speaker_id NOT IN ({others}))"
            f" AND NOT EXISTS (SELECT 1 FROM speakers o WHERE o.surname = c.key AND o.id NOT IN ({others}))"
            " GROUP BY c.key ORDER BY sum(c.n) DESC, c.key", (*named_ids, *named_ids, *ids, *ids)).fetchall()
    names = [name for name, _ in rows[:ABOUT_NAMES]]
    if by_name and (named_ids or not ids) and alias_key(value) not in {key for _, key in rows}:
        names.insert(0, value)  # the name asked for, even where another speaker goes by it too
    phrases = fts_query(" OR ".join('"' + name.replace('"', " ") + '"' for name in names))
    sets, params = [], []
    if ids:
        sets.append(
            "SELECT s.attribution_id FROM entities e JOIN mentions m ON m.entity_id = e.id"
            " JOIN attributions x ON x.article_id = e.article_id AND x.start <= m.start AND m.end <= x.end"
            " JOIN spans s ON s.attribution_id = x.id AND s.role = 'content' AND s.start <= m.start"
            f" AND m.end <= s.end WHERE e.speaker_id IN ({','.join('?' * len(ids))})")
        params.extend(ids)
    if phrases is not None:
        sets.append("SELECT rowid FROM attributions_fts WHERE attributions_fts MATCH ?")
        params.append(phrases)
    # one set of ids, made once per query (two IN tests joined by OR make the newest-first page slower)
    return f"a.id IN ({' UNION '.join(sets) or 'SELECT NULL WHERE 0'})", params


_ORDER = {
    "newest": "a.date DESC, a.article_id DESC, a.start",
    "oldest": "a.date IS NULL, a.date, a.article_id, a.start",
    "relevance": "t.rank, a.date DESC, a.article_id DESC, a.start",
}

_HIT_COLUMNS = ("a.id AS rowid, a.article_id, a.local_id, a.kind, a.speaker_id, a.confidence,"
                " a.source_text, a.cue_text, a.content_text, e.local_id AS entity,"
                " r.title, r.url, r.outlet, r.published, r.date")


def _hit_rows(conn: sqlite3.Connection, f: Filters, tables: str, where: str, params: list[Any],
              limit: int | None, offset: int = 0) -> list[sqlite3.Row]:
    order = _ORDER["newest" if f.sort == "relevance" and " t " not in f" {tables} " else f.sort]
    page = "" if limit is None else f" LIMIT {int(limit)} OFFSET {int(offset)}"
    return conn.execute(
        f"SELECT {_HIT_COLUMNS} FROM {tables} CROSS JOIN articles r ON r.id = a.article_id"
        f" LEFT JOIN entities e ON e.id = a.entity_id{where} ORDER BY {order}{page}", params).fetchall()


def search(conn: sqlite3.Connection, f: Filters, page: int = 1, per_page: int = PER_PAGE) -> dict[str, Any]:
    """One page of the attributions that match ``f``, with the total and the speakers the filters named."""
    page, per_page = _paging(page, per_page)
    tables, where, params, named = _where(conn, f)
    total = conn.execute(f"SELECT count(*) FROM {tables}{where}", params).fetchone()[0]
    rows = _hit_rows(conn, f, tables, where, params, per_page, (page - 1) * per_page)
    named_objects = speaker_objects(conn, {i for ids in named.values() for i in ids})
    return {
        "total": total,
        "page": page,
        "per_page": per_page,
        "pages": max(1, -(-total // per_page)),
        "filters": f.params(),
        "named": {k: [named_objects[i] for i in ids if i in named_objects] for k, ids in named.items()},
        "results": hydrate(conn, rows, match=fts_query(f.q) if f.q else None),
    }


def iter_search(conn: sqlite3.Connection, f: Filters, chunk: int = 500, limit: int | None = None
                ) -> Iterator[dict[str, Any]]:
    """Every attribution that matches ``f`` (or the first ``limit``), in the search's order, as hits (for
    exports): those of :func:`search`, ``matches`` included when there is a query.

    The query runs at the call, not at the first hit: an export fails before its response has begun."""
    tables, where, params, _ = _where(conn, f)
    rows = _hit_rows(conn, f, tables, where, params, limit)
    return _hydrated(conn, rows, chunk, fts_query(f.q) if f.q else None)


def _hydrated(conn: sqlite3.Connection, rows: list[sqlite3.Row], chunk: int, match: str | None
              ) -> Iterator[dict[str, Any]]:
    cache: dict[int, dict[str, Any]] = {}
    for start in range(0, len(rows), chunk):
        yield from hydrate(conn, rows[start:start + chunk], cache, match)


def hydrate(conn: sqlite3.Connection, rows: list[sqlite3.Row], cache: dict[int, dict] | None = None,
            match: str | None = None) -> list[dict[str, Any]]:
    """Search hits from attribution rows: each its sayso.article/1 attribution object, its corpus
    speaker and intermediaries, and a summary of its article; with an FTS query ``match``, also
    ``matches``: the [start, end] offsets of the matched words in ``content.text``."""
    if not rows:
        return []
    ids = [r["rowid"] for r in rows]
    marks = ",".join("?" * len(ids))
    found = _matches(conn, match, ids) if match else {}
    spans: dict[int, dict[str, list[list[int]]]] = {i: {"source": [], "cue": [], "content": []} for i in ids}
    for att, role, s, e in conn.execute(
            f"SELECT attribution_id, role, start, end FROM spans WHERE attribution_id IN ({marks})"
            f" ORDER BY attribution_id, role, seq", ids):
        spans[att][role].append([s, e])
    via: dict[int, list[tuple[str, int]]] = {i: [] for i in ids}
    for att, local, speaker in conn.execute(
            f"SELECT v.attribution_id, e.local_id, v.speaker_id FROM via v JOIN entities e ON e.id = v.entity_id"
            f" WHERE v.attribution_id IN ({marks}) ORDER BY v.attribution_id, v.position", ids):
        via[att].append((local, speaker))
    about = _about_objects(conn, ids)
    cache = {} if cache is None else cache
    wanted = {r["speaker_id"] for r in rows} | {s for chain in via.values() for _, s in chain}
    cache.update(speaker_objects(conn, {s for s in wanted if s is not None and s not in cache}))
    hits = []
    for r in rows:
        i = r["rowid"]
        hits.append({
            **_attribution_object(r, spans[i], [local for local, _ in via[i]], about.get(i, [])),
            "speaker": cache.get(r["speaker_id"]),
            "via_speakers": [cache[s] for _, s in via[i]],
            "article": {"id": r["article_id"], "title": r["title"], "url": r["url"], "outlet": r["outlet"],
                        "published": r["published"], "date": r["date"]},
        })
        if match:
            hits[-1]["matches"] = found.get(i, [])
    return hits


def _matches(conn: sqlite3.Connection, match: str, ids: list[int]) -> dict[int, list[list[int]]]:
    """Where the query matched in each content: FTS5's highlight() marks, turned into offsets."""
    out: dict[int, list[list[int]]] = {}
    rows = conn.execute(
        f"SELECT rowid, highlight(attributions_fts, 0, char(2), char(3)) FROM attributions_fts"
        f" WHERE attributions_fts MATCH ? AND rowid IN ({','.join('?' * len(ids))})", (match, *ids))
    for rowid, marked in rows:
        spans, plain, start = [], 0, None
        for ch in marked:
            if ch == "\x02":
                start = plain
            elif ch == "\x03" and start is not None:
                spans.append([start, plain])
                start = None
            else:
                plain += 1
        out[rowid] = spans
    return out


def _about_objects(conn: sqlite3.Connection, ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Whom the contents of the attributions ``ids`` name: for each, its sayso.article/1 ``about`` list, each
    subject with its corpus ``speaker`` id (None when they do not speak in that article) and its ``text``
    cut from the stored content text."""
    out: dict[int, list[dict[str, Any]]] = {}
    if not ids:
        return out
    rows = conn.execute(
        "SELECT b.attribution_id, b.name, b.kind, e.local_id, b.speaker_id, b.spans, a.content_text,"
        " (SELECT json_group_array(json_array(s.start, s.end)) FROM spans s WHERE s.attribution_id = a.id"
        "  AND s.role = 'content') AS pieces FROM about b JOIN attributions a ON a.id = b.attribution_id"
        f" LEFT JOIN entities e ON e.id = b.entity_id WHERE b.attribution_id IN ({','.join('?' * len(ids))})"
        " ORDER BY b.attribution_id, b.seq", ids)
    for att, name, kind, local, speaker, spans, content, pieces in rows:
        spans = json.loads(spans)
        out.setdefault(att, []).append({"name": name, "kind": kind, "entity": local, "spans": spans,
                                        "text": _cut(content, json.loads(pieces), spans), "speaker": speaker})
    return out


def _cut(content: str, pieces: list[list[int]], spans: list[list[int]]) -> str:
    """The words at ``spans`` (article offsets inside the content's ``pieces``) out of the content's text,
    which holds the pieces joined by one space; pieces joined by one space too, as every ``text`` is."""
    pieces = sorted(pieces)
    out = []
    for a, b in spans:
        at = 0
        for s, e in pieces:
            if s <= a and b <= e:
                out.append(content[at + a - s: at + b - s])
                break
            at += e - s + 1
    return " ".join(out)


def _attribution_object(r: sqlite3.Row, spans: dict[str, list[list[int]]], via: list[str],
                        about: list[dict[str, Any]]) -> dict[str, Any]:
    """The sayso.article/1 attribution object of a stored attribution row (``about`` keeps each subject's
    corpus ``speaker`` id besides)."""
    return {
        "id": r["local_id"],
        "kind": r["kind"],
        "source": {"spans": spans["source"], "text": r["source_text"], "entity": r["entity"]},
        "cue": {"spans": spans["cue"], "text": r["cue_text"]},
        "content": {"spans": spans["content"], "text": r["content_text"]},
        "via": via,
        "confidence": round(r["confidence"], 4),
        "about": about,
    }


def _paging(page: int, per_page: int) -> tuple[int, int]:
    if not 1 <= page <= MAX_PAGE:
        raise QueryError(f"page must be between 1 and {MAX_PAGE:,} (got {page})")
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise QueryError(f"per_page must be between 1 and {MAX_PER_PAGE} (got {per_page})")
    return page, per_page


# ------------------------------------------------------------------------------------------------ articles
def article(conn: sqlite3.Connection, article_id: int) -> dict[str, Any] | None:
    """One stored article as its ``sayso.article/1`` object, plus ``id``, ``date``, ``record``, each entity's
    corpus ``speaker`` id and each attribution's ``speaker`` and ``via_speakers``. None when not stored."""
    row = conn.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
    if row is None:
        return None
    art, entity_speakers = load_article(conn, article_id, row)
    data = art.to_json()  # checks every span against the stored text once more
    objects = speaker_objects(conn, set(entity_speakers.values()))
    for ent in data["entities"]:
        ent["speaker"] = entity_speakers[ent["id"]]
    for att in data["attributions"]:
        local = att["source"]["entity"]
        att["speaker"] = objects.get(entity_speakers[local]) if local else None
        att["via_speakers"] = [objects[entity_speakers[v]] for v in att["via"]]
        for sub in att["about"]:
            sub["speaker"] = entity_speakers.get(sub["entity"])
    return {"id": row["id"], **data, "date": row["date"], "record": row["record"],
            "has_original": conn.execute("SELECT 1 FROM originals WHERE article_id = ?",
                                         (article_id,)).fetchone() is not None}


def load_article(conn: sqlite3.Connection, article_id: int, row: sqlite3.Row | None = None
                 ) -> tuple[Article, dict[str, int]]:
    """The stored Article (the one data model) and the corpus speaker id of each of its entities."""
    row = row or conn.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
    entities, speakers, local_of = [], {}, {}
    for e in conn.execute("SELECT id, local_id, name, kind, roles, speaker_id FROM entities WHERE article_id = ?"
                          " ORDER BY id", (article_id,)):
        mentions = [(s, t) for s, t in conn.execute(
            "SELECT start, end FROM mentions WHERE entity_id = ? ORDER BY start", (e["id"],))]
        entities.append(Entity(e["local_id"], e["name"], e["kind"], json.loads(e["roles"]), mentions))
        speakers[e["local_id"]] = e["speaker_id"]
        local_of[e["id"]] = e["local_id"]
    rows = conn.execute("SELECT * FROM attributions WHERE article_id = ? ORDER BY id", (article_id,)).fetchall()
    spans: dict[int, dict[str, list[tuple[int, int]]]] = {r["id"]: {"source": [], "cue": [], "content": []}
                                                          for r in rows}
    for att, role, s, e in conn.execute(
            "SELECT s.attribution_id, s.role, s.start, s.end FROM spans s JOIN attributions a"
            " ON a.id = s.attribution_id WHERE a.article_id = ? ORDER BY s.attribution_id, s.role, s.seq",
            (article_id,)):
        spans[att][role].append((s, e))
    via: dict[int, list[str]] = {r["id"]: [] for r in rows}
    for att, entity in conn.execute(
            "SELECT v.attribution_id, v.entity_id FROM via v JOIN attributions a ON a.id = v.attribution_id"
            " WHERE a.article_id = ? ORDER BY v.attribution_id, v.position", (article_id,)):
        via[att].append(local_of[entity])
    about: dict[int, list[Subject]] = {r["id"]: [] for r in rows}
    for att, name, kind, entity, subject_spans in conn.execute(
            "SELECT b.attribution_id, b.name, b.kind, b.entity_id, b.spans FROM about b JOIN attributions a"
            " ON a.id = b.attribution_id WHERE a.article_id = ? ORDER BY b.attribution_id, b.seq", (article_id,)):
        about[att].append(Subject(name, kind, [(s, e) for s, e in json.loads(subject_spans)], local_of.get(entity)))
    attributions = [
        Attribution(id=r["local_id"], kind=r["kind"], cue=spans[r["id"]]["cue"], content=spans[r["id"]]["content"],
                    source=spans[r["id"]]["source"], entity=local_of.get(r["entity_id"]), via=via[r["id"]],
                    confidence=r["confidence"], about=about[r["id"]])
        for r in rows
    ]
    art = Article(text=row["text"], title=row["title"], url=row["url"], outlet=row["outlet"], author=row["author"],
                  published=row["published"], entities=entities, attributions=attributions)
    return art, speakers


def _articles_where(q: str | None, f: Filters) -> tuple[str, list[Any]]:
    """The WHERE clause (or "") and its parameters of the articles that full text ``q`` and the filters keep."""
    clauses, params = [], []
    match = fts_query(q) if q else None
    if match:
        clauses.append("r.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
        params.append(match)
    if f.outlet:
        clauses.append("r.outlet = ? COLLATE NOCASE")
        params.append(f.outlet)
    if f.since:
        clauses.append("r.date >= ?")
        params.append(f.since)
    if f.until:
        clauses.append("r.date <= ?")
        params.append(f.until)
    return ((" WHERE " + " AND ".join(clauses)) if clauses else ""), params


def _article_results(conn: sqlite3.Connection, where: str, params: list[Any], limit: int, offset: int
                     ) -> list[dict[str, Any]]:
    """A page of the articles the WHERE clause keeps, newest first (a dated article before an undated one)."""
    rows = conn.execute(
        f"SELECT r.id, r.title, r.url, r.outlet, r.published, r.date,"
        f" (SELECT count(*) FROM attributions a WHERE a.article_id = r.id) AS attributions"
        f" FROM articles r{where} ORDER BY r.date DESC, r.id DESC LIMIT ? OFFSET ?", (*params, limit, offset))
    return [dict(r) for r in rows]


def list_articles(conn: sqlite3.Connection, q: str | None = None, outlet: str | None = None,
                  since: str | None = None, until: str | None = None, page: int = 1, per_page: int = PER_PAGE
                  ) -> dict[str, Any]:
    """Articles newest first; ``q`` is full text over titles and texts, the rest as in ``Filters``."""
    f = Filters.parse(outlet=outlet, since=since, until=until)
    where, params = _articles_where(q, f)
    total = conn.execute(f"SELECT count(*) FROM articles r{where}", params).fetchone()[0]
    page, per_page = _paging(page, per_page)
    results = _article_results(conn, where, params, per_page, (page - 1) * per_page)
    return {"total": total, "page": page, "per_page": per_page, "pages": max(1, -(-total // per_page)),
            "filters": {k: v for k, v in {"q": q, **f.params()}.items() if v}, "results": results}


def iter_articles(conn: sqlite3.Connection, q: str | None = None, outlet: str | None = None,
                  since: str | None = None, until: str | None = None, limit: int | None = None, chunk: int = 500
                  ) -> Iterator[dict[str, Any]]:
    """Every article :func:`list_articles` finds, in its order, as its results give them (all pages, the first
    ``limit``), read ``chunk`` at a time. A filter that means nothing is a QueryError here, before any is read."""
    where, params = _articles_where(q, Filters.parse(outlet=outlet, since=since, until=until))
    return _paged(lambda size, offset: _article_results(conn, where, params, size, offset), limit, chunk)


def original(conn: sqlite3.Connection, article_id: int) -> tuple[str, bytes, str | None] | None:
    """The input an article was read from: (media type, bytes, record id), or None."""
    row = conn.execute("SELECT o.media_type, o.content, r.record FROM originals o JOIN articles r"
                       " ON r.id = o.article_id WHERE o.article_id = ?", (article_id,)).fetchone()
    return (row[0], bytes(row[1]), row[2]) if row else None


# ------------------------------------------------------------------------------------------------ overview
def overview(conn: sqlite3.Connection, top: int = 10, top_claims: int = 5, top_quotes: int = 3) -> dict[str, Any]:
    """The corpus at a glance: its size, top speakers (named and described), top intermediaries, outlets,
    the most recent articles, ``claims``: when they were ``computed`` and the ``top`` claims of several
    speakers, and the most repeated ``quotes`` (as :func:`list_quotes` gives them)."""
    ranked = {
        "top_speakers": "SELECT id, attributions FROM speakers WHERE named = 1 AND attributions > 0"
                        " ORDER BY attributions DESC, id LIMIT ?",
        "top_described": "SELECT id, attributions FROM speakers WHERE named = 0 AND attributions > 0"
                         " ORDER BY attributions DESC, id LIMIT ?",
        "top_intermediaries": "SELECT id, relayed + according_to AS n FROM speakers"
                              " WHERE relayed + according_to > 0 ORDER BY n DESC, id LIMIT ?",
    }
    rows = {name: conn.execute(sql, (top,)).fetchall() for name, sql in ranked.items()}
    objects = speaker_objects(conn, {r[0] for found in rows.values() for r in found})
    claim_ids = [r[0] for r in conn.execute("SELECT id FROM claims WHERE speakers > 1"
                                            " ORDER BY speakers DESC, attributions DESC, id LIMIT ?", (top_claims,))]
    counts = conn.execute(
        "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM attributions),"
        " (SELECT count(*) FROM speakers), (SELECT count(DISTINCT outlet) FROM articles),"
        " (SELECT min(date) FROM articles), (SELECT max(date) FROM articles)").fetchone()
    return {
        "articles": counts[0],
        "attributions": counts[1],
        "speakers": counts[2],
        "outlets": counts[3],
        "first_date": counts[4],
        "last_date": counts[5],
        **{name: [{**objects[i], "count": n} for i, n in found] for name, found in rows.items()},
        "outlet_counts": [{"outlet": o, "count": n} for o, n in conn.execute(
            "SELECT outlet, count(*) AS n FROM articles WHERE outlet IS NOT NULL GROUP BY outlet"
            " ORDER BY n DESC, outlet LIMIT 50")],
        "recent_articles": list_articles(conn, per_page=top)["results"],
        "claims": {"computed": claims_status(conn), "top": list(_claim_heads(conn, claim_ids).values())},
        "quotes": list_quotes(conn, per_page=top_quotes)["results"],
    }


def outlets(conn: sqlite3.Connection) -> list[str]:
    """Every outlet in the corpus, alphabetically (for a search form)."""
    return [r[0] for r in conn.execute(
        "SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL ORDER BY outlet COLLATE NOCASE")]


# ------------------------------------------------------------------------------------------------ claims
#: Positions and allies/opponents shown for one speaker (their page has the counts of all).
SPEAKER_CLAIMS_LIMIT = 50


def claims_status(conn: sqlite3.Connection) -> dict[str, Any] | None:
    """When the stored claims were computed and over how many articles; ``stale`` when articles were
    stored since (``sayso claims`` brings them up to date). None when claims were never computed."""
    meta = dict(conn.execute("SELECT key, value FROM meta WHERE key LIKE 'claims_%'").fetchall())
    if "claims_computed_at" not in meta:
        return None
    articles = int(meta["claims_articles"])
    now = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    return {"computed_at": meta["claims_computed_at"], "articles": articles, "articles_now": now,
            "stale": now != articles, "model": meta.get("claims_model"),
            "claims": conn.execute("SELECT count(*) FROM claims").fetchone()[0]}


def claims_speaker(obj: dict[str, Any]) -> Speaker:
    """A corpus speaker object (``speaker_objects``) as the claims' Speaker."""
    return Speaker(id=obj["id"], name=obj["name"], aliases=tuple(obj["aliases"]), kind=obj["kind"])


def claim_objects(conn: sqlite3.Connection, ids: list[str], edges: bool = True) -> list[Claim]:
    """Stored claims as the claims data model (Claim, ClaimMember, Edge, Speaker), in the order of ``ids``.

    Members' speakers are their attributions' corpus speakers now (a speaker merged since the claims were
    computed shows as the one it was merged into); ``published`` is the article's ISO date where known.
    ``edges=False`` leaves the edges out: a large claim has one for nearly every pair of its speakers, each
    with every attribution behind it, far more to read than its members.
    """
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    heads = _claim_rows(conn, ids)
    rows = conn.execute(
        f"SELECT m.claim_id, m.stance, a.article_id, a.local_id, a.kind, a.speaker_id, a.cue_text, a.content_text,"
        f" r.title, r.url, r.outlet, coalesce(r.date, r.published) AS published FROM claim_members m"
        f" JOIN attributions a ON a.id = m.attribution_id JOIN articles r ON r.id = a.article_id"
        f" WHERE m.claim_id IN ({marks}) ORDER BY m.claim_id, m.position", ids).fetchall()
    edges = conn.execute(
        f"SELECT id, claim_id, speaker_a, speaker_b, relation FROM claim_edges"
        f" WHERE claim_id IN ({marks}) AND speaker_a != speaker_b ORDER BY id", ids).fetchall() if edges else []
    evidence: dict[int, list[AttributionRef]] = {}
    for edge_id, article_id, local_id in conn.execute(
            f"SELECT v.edge_id, a.article_id, a.local_id FROM claim_edge_evidence v JOIN claim_edges e"
            f" ON e.id = v.edge_id JOIN attributions a ON a.id = v.attribution_id JOIN claim_members m"
            f" ON m.attribution_id = v.attribution_id WHERE e.claim_id IN ({marks}) ORDER BY v.edge_id, m.position",
            ids) if edges else ():
        evidence.setdefault(edge_id, []).append(AttributionRef(article_id, local_id))
    wanted = {r["speaker_id"] for r in rows} | {e["speaker_a"] for e in edges} | {e["speaker_b"] for e in edges}
    speakers = {i: claims_speaker(s) for i, s in speaker_objects(conn, wanted).items()}
    claims = {i: Claim(id=i, label=h["label"], label_ref=AttributionRef(h["article_id"], h["local_id"]), members=[])
              for i, h in heads.items()}
    for r in rows:
        claims[r["claim_id"]].members.append(ClaimMember(
            ref=AttributionRef(r["article_id"], r["local_id"]), speaker=speakers.get(r["speaker_id"]),
            stance=r["stance"], content=r["content_text"], cue=r["cue_text"], kind=r["kind"], outlet=r["outlet"],
            published=r["published"], url=r["url"], title=r["title"]))
    for e in edges:
        claims[e["claim_id"]].edges.append(Edge(speakers[e["speaker_a"]], speakers[e["speaker_b"]], e["relation"],
                                                evidence.get(e["id"], [])))
    for claim_id, about in _claim_subjects(conn, list(claims)).items():
        claims[claim_id].about = about
    return [claims[i] for i in ids if i in claims]


def _claim_rows(conn: sqlite3.Connection, ids: list[str]) -> dict[str, sqlite3.Row]:
    """The rows of ``claims`` by id, each with its label attribution's ``article_id`` and ``local_id``."""
    return {r["id"]: r for r in conn.execute(
        f"SELECT c.*, a.article_id, a.local_id FROM claims c JOIN attributions a ON a.id = c.label_attribution_id"
        f" WHERE c.id IN ({','.join('?' * len(ids))})", ids)}


def _claim_subjects(conn: sqlite3.Connection, ids: list[str]) -> dict[str, list[ClaimSubject]]:
    """Each claim's ``about``: whom its members' contents name most, counted by members."""
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    rows = conn.execute(
        "SELECT m.claim_id, b.speaker_id, b.key, max(b.name), b.kind, count(DISTINCT m.attribution_id)"
        " FROM claim_members m JOIN about b ON b.attribution_id = m.attribution_id"
        f" WHERE m.claim_id IN ({marks}) GROUP BY m.claim_id, b.speaker_id, b.key, b.kind", ids).fetchall()
    named = subject_speakers(conn, {r[2] for r in rows if r[1] is None})
    by_claim: dict[str, list[Any]] = {}
    for r in rows:
        by_claim.setdefault(r[0], []).append(tuple(r)[1:])
    ranked = {i: rank_subjects(group, named, SUBJECTS_LIMIT) for i, group in by_claim.items()}
    _with_speakers(conn, [e for top in ranked.values() for e in top])
    return {claim_id: [ClaimSubject(e["name"], e["kind"], e["speaker"] and claims_speaker(e["speaker"]), e["count"])
                       for e in top] for claim_id, top in ranked.items()}


def _claim_counts(row: sqlite3.Row) -> dict[str, Any]:
    """A claim's counts and dates from its row of ``claims``."""
    return {"attribution_count": row["attributions"], "speaker_count": row["speakers"],
            "article_count": row["articles"], "first_date": row["first_date"], "last_date": row["last_date"],
            "stances": {s: row[s] for s in STANCES}}


#: Speakers a claims listing names for each stance (those with the most attributions in the claim).
SIDE_SPEAKERS = 5


def claim_summaries(conn: sqlite3.Connection, ids: list[str]) -> list[dict[str, Any]]:
    """Claims as a listing shows them, in the order of ``ids``: ``{id, label, label_attribution, about}``, the
    counts (``attribution_count``, ``speaker_count``, ``article_count``, ``stances``), ``first_date`` and
    ``last_date``, ``sides`` (for each stance someone takes: ``speaker_count`` and the ``speakers`` with the
    most attributions of that stance, up to :data:`SIDE_SPEAKERS`, each with its count as ``attributions``)
    and ``relations`` (the pairs of speakers who ``agree`` and who ``contradict``). Read in a few grouped
    queries, whatever the claims' size; :func:`claim_details` has the attributions and edges themselves."""
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    rows = _claim_rows(conn, ids)
    sides: dict[str, dict[str, list[tuple[int, int]]]] = {}
    for claim_id, stance, speaker_id, n in conn.execute(
            f"SELECT m.claim_id, m.stance, a.speaker_id, count(*) FROM claim_members m JOIN attributions a"
            f" ON a.id = m.attribution_id WHERE m.claim_id IN ({marks}) AND a.speaker_id IS NOT NULL"
            f" GROUP BY m.claim_id, m.stance, a.speaker_id", ids):
        sides.setdefault(claim_id, {}).setdefault(stance, []).append((speaker_id, n))
    relations = _claim_relations(conn, ids)
    for found in sides.values():
        for people in found.values():
            people.sort(key=lambda p: (-p[1], p[0]))
    shown = {i for found in sides.values() for people in found.values() for i, _ in people[:SIDE_SPEAKERS]}
    speakers = {i: claims_speaker(s).to_json() for i, s in speaker_objects(conn, shown).items()}
    about = _claim_subjects(conn, list(rows))
    out = []
    for claim_id in ids:
        if (row := rows.get(claim_id)) is None:
            continue
        found = sides.get(claim_id, {})
        out.append({
            "id": claim_id, "label": row["label"],
            "label_attribution": AttributionRef(row["article_id"], row["local_id"]).to_json(),
            "about": [s.to_json() for s in about.get(claim_id, [])], **_claim_counts(row),
            "sides": {s: {"speaker_count": len(found[s]),
                          "speakers": [{**speakers[i], "attributions": n} for i, n in found[s][:SIDE_SPEAKERS]]}
                      for s in STANCES if s in found},
            "relations": relations[claim_id]})
    return out


def _pair_filter(sides: list[list[int]]) -> tuple[str, list[int]]:
    """SQL (on ``claim_edges e``) for the edges that have one of each list of ``sides`` (speaker ids; one
    list or two) among their two speakers, and its parameters; nothing for no sides, no edge for an empty
    list."""
    sql, params = "", []
    for ids in sides:
        marks = ",".join("?" * len(ids)) or "NULL"
        sql += f" AND (e.speaker_a IN ({marks}) OR e.speaker_b IN ({marks}))"
        params += ids * 2
    return sql, params


def _claim_relations(conn: sqlite3.Connection, ids: list[str],
                     sides: list[list[int]] | None = None) -> dict[str, dict[str, int]]:
    """Per claim, how many pairs of its speakers ``agree`` and ``contradict`` (with ``sides``, the pairs
    :func:`_pair_filter` keeps)."""
    out: dict[str, dict[str, int]] = {i: {"agree": 0, "contradict": 0} for i in ids}
    only, params = _pair_filter(sides or [])
    for claim_id, relation, n in conn.execute(
            f"SELECT e.claim_id, e.relation, count(*) FROM claim_edges e WHERE e.claim_id IN"
            f" ({','.join('?' * len(ids))}) AND e.speaker_a != e.speaker_b{only} GROUP BY e.claim_id, e.relation",
            (*ids, *params)):
        out[claim_id][relation] = n
    return out


#: Attributions per page of a claim (its page and ``/api/claims/{id}``), unless the caller asks for another.
CLAIM_PAGE_SIZE = 50
#: Attributions an edge of a claim page names as its evidence (the edge counts them all).
EDGE_EVIDENCE_SHOWN = 3
#: Edges a claim page lists, those with the most evidence first (its ``relations`` count them all): a claim
#: of a few hundred speakers has an edge for nearly every pair of them.
CLAIM_EDGES_SHOWN = 500


def claim_json(conn: sqlite3.Connection, claim: Claim, members: list[ClaimMember]) -> dict[str, Any]:
    """A claim as its page shows it: ``{id, label, label_attribution, about}``, its counts and dates (as in
    :func:`claim_summaries`) and ``attributions``: ``members`` (some of the claim's) as ``sayso claims
    --json`` lists them, each with its ``kind``, ``article`` (id, title, url, outlet, published, date) and
    ``evidence``, the sentence it is in."""
    article_ids = sorted({m.ref.article_id for m in members})
    articles = {r["id"]: dict(r) for r in conn.execute(
        f"SELECT id, title, url, outlet, published, date FROM articles"
        f" WHERE id IN ({','.join('?' * len(article_ids))})",
        article_ids)}
    windows = _evidence(conn, [m.ref for m in members])
    shown = [{**m.to_json(), "kind": m.kind, "article": articles[m.ref.article_id],
              "evidence": windows[(m.ref.article_id, m.ref.attribution_id)]} for m in members]
    return {"id": claim.id, "label": claim.label, "label_attribution": claim.label_ref.to_json(),
            "about": [s.to_json() for s in claim.about], **_claim_counts(_claim_rows(conn, [claim.id])[claim.id]),
            "attributions": shown}


def claim_speakers(claim: Claim) -> list[dict[str, Any]]:
    """Every speaker of a claim, with the most attributions first: its speaker object plus ``stances`` (its
    attributions by stance) and ``side``, the stance it takes most (of equal counts, one that takes a side
    before ``neutral``)."""
    counts: dict[Any, Counter] = {}
    objects: dict[Any, Speaker] = {}
    for m in claim.members:
        if m.speaker is not None:
            objects.setdefault(m.speaker.id, m.speaker)
            counts.setdefault(m.speaker.id, Counter())[m.stance] += 1
    order = sorted(counts, key=lambda i: (-counts[i].total(), objects[i].name, str(i)))
    return [{**objects[i].to_json(), "attributions": counts[i].total(),
             "stances": {s: counts[i][s] for s in STANCES if counts[i][s]},
             "side": max(STANCES, key=lambda s: (counts[i][s], s != "neutral", -STANCES.index(s)))} for i in order]


def claim_edges(conn: sqlite3.Connection, claim_id: str, limit: int = CLAIM_EDGES_SHOWN,
                shown: int | None = EDGE_EVIDENCE_SHOWN, offset: int = 0,
                sides: list[list[int]] | None = None) -> list[dict[str, Any]]:
    """The agreements and contradictions of a claim's speakers, those with the most evidence first, ``limit``
    of them from ``offset``: ``{speakers: [a, b], relation, evidence_count, evidence}``, each speaker as
    ``{id, name}`` (a claim page's ``speakers`` has the rest), ``evidence`` the attributions behind the edge
    in the claim's order: all of them with ``shown`` None, else ``shown`` of them, the first of each speaker
    in turn, so that an edge shows both its sides (:func:`both_sides`). ``sides`` (one or two lists of
    speaker ids) keeps the edges with a speaker of each (:func:`_pair_filter`)."""
    only, params = _pair_filter(sides or [])
    counts = dict(conn.execute(
        "SELECT v.edge_id, count(*) FROM claim_edge_evidence v JOIN claim_edges e ON e.id = v.edge_id"
        f" WHERE e.claim_id = ? AND e.speaker_a != e.speaker_b{only} GROUP BY v.edge_id", (claim_id, *params)))
    edges = sorted(conn.execute("SELECT e.id, e.speaker_a, e.speaker_b, e.relation FROM claim_edges e WHERE"
                                f" e.claim_id = ? AND e.speaker_a != e.speaker_b{only}", (claim_id, *params)),
                   key=lambda e: (-counts.get(e[0], 0), e[0]))[offset:offset + limit]
    found: dict[int, list[tuple[int, Any, dict[str, Any]]]] = {}
    for chunk in _chunks([e[0] for e in edges]):
        # each speaker's first ``shown`` attributions of each edge: enough for either side to fill it alone
        for edge_id, position, speaker_id, article_id, local_id in conn.execute(
                f"SELECT edge_id, position, a.speaker_id, a.article_id, a.local_id FROM (SELECT v.edge_id,"
                f" v.attribution_id, m.position, row_number() OVER (PARTITION BY v.edge_id, b.speaker_id"
                f" ORDER BY m.position) AS k FROM claim_edge_evidence v JOIN claim_members m ON m.attribution_id"
                f" = v.attribution_id JOIN attributions b ON b.id = v.attribution_id WHERE v.edge_id IN"
                f" ({','.join('?' * len(chunk))})) JOIN attributions a ON a.id = attribution_id WHERE k <= ?"
                f" ORDER BY edge_id, position", (*chunk, MAX_COUNT if shown is None else shown)):
            found.setdefault(edge_id, []).append(
                (position, speaker_id, AttributionRef(article_id, local_id).to_json()))
    refs = {edge_id: [ref for _, _, ref in (rows if shown is None else both_sides(rows, shown))]
            for edge_id, rows in found.items()}
    names = _speaker_names(conn, {e[1] for e in edges} | {e[2] for e in edges})
    return [{"speakers": [{"id": a, "name": names[a]}, {"id": b, "name": names[b]}], "relation": relation,
             "evidence_count": counts.get(edge_id, 0), "evidence": refs.get(edge_id, [])}
            for edge_id, a, b, relation in edges]


def _speaker_names(conn: sqlite3.Connection, ids: set[int]) -> dict[int, str]:
    """The names of corpus speakers by id (only their names: :func:`speaker_objects` has the rest)."""
    if not ids:
        return {}
    return dict(conn.execute(f"SELECT id, name FROM speakers WHERE id IN ({','.join('?' * len(ids))})", tuple(ids)))


def both_sides(rows: list[tuple[int, Any, Any]], shown: int) -> list[tuple[int, Any, Any]]:
    """``shown`` of an edge's evidence rows ``(position, speaker, ...)``, in position order: the first of
    each speaker in turn, the speaker who comes first first, until ``shown`` are taken or none are left.

    >>> [r[2] for r in both_sides([(1, "a", "a1"), (2, "a", "a2"), (3, "a", "a3"), (7, "b", "b1")], 3)]
    ['a1', 'a2', 'b1']
    """
    queues: dict[Any, list[tuple[int, Any, Any]]] = {}
    for row in sorted(rows, key=lambda r: r[0]):
        queues.setdefault(row[1], []).append(row)
    taken: list[tuple[int, Any, Any]] = []
    while len(taken) < shown and any(queues.values()):
        for queue in queues.values():
            if queue and len(taken) < shown:
                taken.append(queue.pop(0))
    return sorted(taken, key=lambda r: r[0])


def claim_edge_page(conn: sqlite3.Connection, claim_id: str, page: int = 1, per_page: int = PER_PAGE,
                    shown: int | None = None, speakers: tuple[str, ...] = ()) -> dict[str, Any] | None:
    """Every edge of a claim a page at a time, those with the most evidence first, each with all its evidence
    or ``shown`` of it, both speakers' first (:func:`claim_edges`): ``{claim, relations, total, page,
    per_page, pages, results}`` (``relations`` counts the pairs that ``agree`` and ``contradict``); None for
    no claim. With ``speakers`` (one or two filter values, each an id, a name or an alias, as
    :func:`find_speakers` reads them), the edges of a speaker each value names (with two, of one named by each),
    counted so; ``speakers`` then lists, per value, the speakers it names (``{id, name}``, none for a name
    nobody has, which finds no edge)."""
    page, per_page = _paging(page, per_page)
    row = conn.execute("SELECT id, label FROM claims WHERE id = ?", (claim_id,)).fetchone()
    if row is None:
        return None
    sides = [find_speakers(conn, value) for value in speakers]
    relations = _claim_relations(conn, [claim_id], sides)[claim_id]
    total = sum(relations.values())
    out = {"claim": {"id": row["id"], "label": row["label"]}, "relations": relations, "total": total,
           "page": page, "per_page": per_page, "pages": max(1, -(-total // per_page)),
           "results": claim_edges(conn, claim_id, per_page, shown, (page - 1) * per_page, sides)}
    if speakers:
        names = _speaker_names(conn, {i for side in sides for i in side})
        out["speakers"] = [{"value": value, "found": [{"id": i, "name": names[i]} for i in side if i in names]}
                           for value, side in zip(speakers, sides)]
    return out


#: Longest evidence shown around an attribution, in characters, on either side of it.
EVIDENCE_MARGIN = 240
_SENTENCE_END = re.compile(r"[.!?][\"”’']?\s|\n")


def _evidence(conn: sqlite3.Connection, refs: list[AttributionRef]) -> dict[tuple[int, str], dict[str, Any]]:
    """For each attribution, the sentence(s) it stands in: ``{start, end, text}`` (offsets into the article
    text; ``text`` is the article text there) and its ``source``, ``cue`` and ``content`` spans."""
    out: dict[tuple[int, str], dict[str, Any]] = {}
    by_article: dict[int, list[str]] = {}
    for ref in refs:
        by_article.setdefault(ref.article_id, []).append(ref.attribution_id)
    for article_id, locals_ in by_article.items():
        text = conn.execute("SELECT text FROM articles WHERE id = ?", (article_id,)).fetchone()[0]
        marks = ",".join("?" * len(locals_))
        spans: dict[str, dict[str, list[list[int]]]] = {
            loc: {"source": [], "cue": [], "content": []} for loc in locals_}
        for local, role, s, e in conn.execute(
                f"SELECT a.local_id, s.role, s.start, s.end FROM spans s JOIN attributions a ON a.id = s.attribution_id"
                f" WHERE a.article_id = ? AND a.local_id IN ({marks}) ORDER BY a.local_id, s.role, s.seq",
                (article_id, *locals_)):
            spans[local][role].append([s, e])
        for local, roles in spans.items():
            edges = [p for pieces in roles.values() for p in pieces]
            first, last = min(s for s, _ in edges), max(e for _, e in edges)
            start = max([m.end() for m in _SENTENCE_END.finditer(text, max(0, first - EVIDENCE_MARGIN), first)],
                        default=max(0, first - EVIDENCE_MARGIN))
            after = _SENTENCE_END.search(text, last, min(len(text), last + EVIDENCE_MARGIN))
            end = after.start() + 1 if after else min(len(text), last + EVIDENCE_MARGIN)
            end = max(end, last)
            out[(article_id, local)] = {"start": start, "end": end, "text": text[start:end], **roles}
    return out


def _dates(since: str | None, until: str | None) -> tuple[str | None, str | None]:
    """``since`` and ``until`` (YYYY, YYYY-MM or YYYY-MM-DD) as the first and last ISO day they take in, as
    a search reads them; QueryError for a value that means nothing."""
    f = Filters.parse(since=since, until=until)
    return f.since, f.until


def _dated(since: str | None, until: str | None) -> tuple[str, list[str]] | None:
    """The attributions (``a``) dated in the period, as a query of their ids and its parameters; None when
    there is no period. An attribution's date is its article's."""
    first, last = _dates(since, until)
    bounds = [(sql, v) for sql, v in (("a.date >= ?", first), ("a.date <= ?", last)) if v]
    if not bounds:
        return None
    return f"SELECT a.id FROM attributions a WHERE {' AND '.join(sql for sql, _ in bounds)}", [v for _, v in bounds]


def _claims_where(conn: sqlite3.Connection, q: str | None, speaker: str | None, stance: str | None,
                  min_attributions: int, about: str | None = None, since: str | None = None,
                  until: str | None = None) -> tuple[str, list[Any], dict[str, list[int]]]:
    """The WHERE clause and parameters of a claims listing, and the speaker ids that ``speaker`` and
    ``about`` stood for."""
    if stance is not None and stance not in STANCES:
        raise QueryError(f"stance must be one of {', '.join(STANCES)} (got {stance!r})")
    if not 1 <= min_attributions <= MAX_COUNT:
        raise QueryError(f"min_attributions must be between 1 and {MAX_COUNT:,} (got {min_attributions})")
    clauses, params = ["c.attributions >= ?"], [min_attributions]
    named: dict[str, list[int]] = {}
    match = fts_query(q) if q else None
    if match:
        clauses.append("c.id IN (SELECT m.claim_id FROM claim_members m WHERE m.attribution_id IN"
                       " (SELECT rowid FROM attributions_fts WHERE attributions_fts MATCH ?))")
        params.append(match)
    if speaker:
        ids = named["speaker"] = find_speakers(conn, speaker)
        taking = " AND m.stance = ?" if stance else ""
        clauses.append(f"c.id IN (SELECT m.claim_id FROM claim_members m JOIN attributions a ON a.id = m.attribution_id"
                       f" WHERE a.speaker_id IN ({','.join('?' * len(ids)) or 'NULL'}){taking})")
        params.extend(ids)
        if stance:
            params.append(stance)
    elif stance:
        clauses.append(f"c.{stance} > 0")  # one of STANCES, each a column of claims
    if about:
        ids = named["about"] = find_speakers(conn, about)
        # a member names them: as a speaker of its article, or by a name that is theirs (or the name asked for)
        naming_sql, values = naming(conn, ids, [alias_key(about)])
        clauses.append(f"c.id IN (SELECT m.claim_id FROM claim_members m WHERE m.attribution_id IN ({naming_sql}))")
        params.extend(values)
    if period := _dated(since, until):  # a member said in the period
        clauses.append(f"c.id IN (SELECT m.claim_id FROM claim_members m WHERE m.attribution_id IN ({period[0]}))")
        params.extend(period[1])
    return " WHERE " + " AND ".join(clauses), params, named


#: The order of claim listings: those of the most speakers first.
_CLAIM_ORDER = "c.speakers DESC, c.attributions DESC, c.id"


def list_claims(conn: sqlite3.Connection, q: str | None = None, speaker: str | None = None,
                stance: str | None = None, min_attributions: int = 1, page: int = 1, per_page: int = PER_PAGE,
                about: str | None = None, *, since: str | None = None, until: str | None = None) -> dict[str, Any]:
    """Claims, those of the most speakers first. ``q``: full text over the members' contents (as in search);
    ``speaker``: an id, name or alias that takes part (with ``stance``, that takes that stance);
    ``stance`` alone: claims with a member of that stance; ``min_attributions``: claims at least that big;
    ``about``: an id, name or alias that a member's content names (its ``about``); ``since``, ``until``:
    claims with a member dated in the period (YYYY, YYYY-MM or YYYY-MM-DD, inclusive, as in search)."""
    where, params, named = _claims_where(conn, q, speaker, stance, min_attributions, about, since, until)
    page, per_page = _paging(page, per_page)
    total = conn.execute(f"SELECT count(*) FROM claims c{where}", params).fetchone()[0]
    ids_ = [r[0] for r in conn.execute(
        f"SELECT c.id FROM claims c{where} ORDER BY {_CLAIM_ORDER} LIMIT ? OFFSET ?",
        (*params, per_page, (page - 1) * per_page))]
    named_objects = speaker_objects(conn, {i for found in named.values() for i in found})
    since, until = _dates(since, until)  # as the days they take in, as a search echoes them
    filters = {k: v for k, v in {"q": q, "speaker": speaker, "stance": stance, "about": about, "since": since,
                                 "until": until}.items() if v}
    if min_attributions > 1:
        filters["min_attributions"] = min_attributions
    return {"total": total, "page": page, "per_page": per_page, "pages": max(1, -(-total // per_page)),
            "filters": filters, "computed": claims_status(conn),
            "named": {k: [named_objects[i] for i in found if i in named_objects] for k, found in named.items()},
            "results": claim_summaries(conn, ids_)}


def iter_claims(conn: sqlite3.Connection, min_attributions: int = 1, chunk: int = 200, *, q: str | None = None,
                speaker: str | None = None, stance: str | None = None, about: str | None = None,
                since: str | None = None, until: str | None = None, chunk_members: int = 5000,
                edges: bool = True) -> Iterator[Claim]:
    """Every stored claim that the filters keep (those of :func:`list_claims`), those of the most speakers
    first, as the claims data model (without their edges with ``edges=False``). They are read ``chunk``
    claims at a time, fewer where those would hold more than ``chunk_members`` attributions (the largest
    claims of a large corpus hold thousands, with their edges), so memory stays that of a few claims."""
    where, params, _ = _claims_where(conn, q, speaker, stance, min_attributions, about, since, until)
    # the query runs at the call (a bad filter fails before any output), the claims are read as they are used
    sized = conn.execute(f"SELECT c.id, c.attributions FROM claims c{where} ORDER BY {_CLAIM_ORDER}",
                         params).fetchall()
    batches: list[list[str]] = []
    held = 0
    for claim_id, members in sized:
        if not batches or len(batches[-1]) >= chunk or held + members > chunk_members:
            batches.append([])
            held = 0
        batches[-1].append(claim_id)
        held += members
    return (found for ids in batches for found in claim_objects(conn, ids, edges))


def claim(conn: sqlite3.Connection, claim_id: str, edges: bool = True) -> Claim | None:
    """One stored claim as the claims data model (without its edges with ``edges=False``), or None."""
    found = claim_objects(conn, [claim_id], edges)
    return found[0] if found else None


def claim_details(conn: sqlite3.Connection, found: Claim, page: int = 1, per_page: int = CLAIM_PAGE_SIZE
                  ) -> dict[str, Any]:
    """A claim (read with ``edges=False``: they are read here) as its page and the page's JSON twin show it:
    ``claim_json`` of one page of its attributions (``page``, ``per_page``, ``pages``; those who assert it
    first, then those who deny, doubt and only report it, each in the claim's order); ``speakers``, every
    speaker of the claim (:func:`claim_speakers`); ``relations`` (as in :func:`claim_summaries`) and
    ``edges`` (:func:`claim_edges`, the best supported of them); the ``quotes`` of its members repeated
    across outlets; and when the claims were ``computed``."""
    page, per_page = _paging(page, per_page)
    ordered = sorted(found.members, key=lambda m: STANCES.index(m.stance))  # stable: the claim's order within
    shown = ordered[(page - 1) * per_page:page * per_page]
    return {**claim_json(conn, found, shown), "page": page, "per_page": per_page,
            "pages": max(1, -(-len(ordered) // per_page)), "speakers": claim_speakers(found),
            "relations": _claim_relations(conn, [found.id])[found.id], "edges": claim_edges(conn, found.id),
            "quotes": claim_quotes(conn, found.id),
            "computed": claims_status(conn)}


def claim_dates(conn: sqlite3.Connection, claim_id: str) -> list[tuple[str | None, str]]:
    """``(date, stance)`` of each attribution of a claim (its article's ISO date, or None), for a timeline."""
    return [tuple(r) for r in conn.execute(
        "SELECT a.date, m.stance FROM claim_members m JOIN attributions a ON a.id = m.attribution_id"
        " WHERE m.claim_id = ?", (claim_id,))]


def claim_quotes(conn: sqlite3.Connection, claim_id: str) -> list[dict[str, Any]]:
    """The quotes seen in several articles that one of the claim's members quotes, most repeated first, each
    as :func:`quotes_json` gives it."""
    return quotes_json(conn, [r[0] for r in conn.execute(
        "SELECT DISTINCT q.id FROM quotes q JOIN quote_sightings s ON s.quote_id = q.id JOIN claim_members m"
        " ON m.attribution_id = s.attribution_id WHERE m.claim_id = ? ORDER BY q.repeats DESC, q.id", (claim_id,))])


def quotes_json(conn: sqlite3.Connection, quote_ids: list[int]) -> list[dict[str, Any]]:
    """Stored quotes in the order of ``quote_ids``, each as ``Quote.to_json`` (text, first_seen, repeated_by,
    sightings) with each sighting's article title, plus the quote's ``id``, its ``repeats`` (the articles
    that carried it after the first), how many of them ``credited`` the first outlet, and the ``claims`` its
    sightings belong to (``{id, label}``, the claim of the most sightings first)."""
    if not quote_ids:
        return []
    out = []
    for start in range(0, len(quote_ids), 500):
        chunk = quote_ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        rows = conn.execute(
            f"SELECT s.quote_id, s.seq, s.text, s.credits_first, a.article_id, a.local_id, a.speaker_id,"
            f" r.outlet, r.title, coalesce(r.date, r.published) AS published, m.claim_id FROM quote_sightings s"
            f" JOIN attributions a ON a.id = s.attribution_id JOIN articles r ON r.id = a.article_id"
            f" LEFT JOIN claim_members m ON m.attribution_id = s.attribution_id"
            f" WHERE s.quote_id IN ({marks}) ORDER BY s.quote_id, s.seq", chunk).fetchall()
        texts = dict(conn.execute(f"SELECT id, text FROM quotes WHERE id IN ({marks})", chunk).fetchall())
        speakers = {i: claims_speaker(s) for i, s in speaker_objects(conn, {r["speaker_id"] for r in rows}).items()}
        heads = _claim_heads(conn, list(dict.fromkeys(r["claim_id"] for r in rows if r["claim_id"])))
        sightings: dict[int, list[tuple[Sighting, str | None]]] = {}
        claims: dict[int, Counter] = {}
        for r in rows:
            seen = Sighting(AttributionRef(r["article_id"], r["local_id"]), r["text"], r["outlet"], r["published"],
                            speakers.get(r["speaker_id"]),
                            None if r["credits_first"] is None else bool(r["credits_first"]))
            sightings.setdefault(r["quote_id"], []).append((seen, r["title"]))
            if r["claim_id"] in heads:
                claims.setdefault(r["quote_id"], Counter())[r["claim_id"]] += 1
        for quote_id in chunk:
            if quote_id not in sightings:
                continue
            (first, first_title), *repeats = sightings[quote_id]
            data = {"id": quote_id, **Quote(texts[quote_id], first, [s for s, _ in repeats]).to_json()}
            data["first_seen"]["title"] = first_title
            for shown, (_, title) in zip(data["sightings"], repeats):
                shown["title"] = title
            data["repeats"] = len(repeats)
            data["credited"] = sum(1 for s, _ in repeats if s.credits_first)
            data["claims"] = [{"id": c, "label": heads[c]["label"]}
                              for c, _ in claims.get(quote_id, Counter()).most_common()]
            out.append(data)
    return out


def _quotes_where(conn: sqlite3.Connection, q: str | None, speaker: str | None, outlet: str | None,
                  min_repeats: int, uncredited: bool, since: str | None = None,
                  until: str | None = None) -> tuple[str, list[Any], dict[str, list[int]]]:
    """The WHERE clause and parameters of a quotes listing, and the speaker ids that ``speaker`` stood for."""
    if not 1 <= min_repeats <= MAX_COUNT:
        raise QueryError(f"min_repeats must be between 1 and {MAX_COUNT:,} (got {min_repeats})")
    clauses, params = ["q.repeats >= ?"], [min_repeats]
    named: dict[str, list[int]] = {}
    match = fts_query(q) if q else None
    if match:
        clauses.append("q.id IN (SELECT s.quote_id FROM quote_sightings s WHERE s.attribution_id IN"
                       " (SELECT rowid FROM attributions_fts WHERE attributions_fts MATCH ?))")
        params.append(match)
    if speaker:
        ids = named["speaker"] = find_speakers(conn, speaker)
        clauses.append(f"q.id IN (SELECT s.quote_id FROM quote_sightings s JOIN attributions a"
                       f" ON a.id = s.attribution_id WHERE a.speaker_id IN ({','.join('?' * len(ids)) or 'NULL'}))")
        params.extend(ids)
    if outlet:
        clauses.append("q.id IN (SELECT s.quote_id FROM quote_sightings s JOIN attributions a ON a.id = s.attribution_id"
                       " JOIN articles r ON r.id = a.article_id WHERE r.outlet = ? COLLATE NOCASE)")
        params.append(outlet)
    if uncredited:
        clauses.append("q.id IN (SELECT quote_id FROM quote_sightings WHERE credits_first = 0)")
    if period := _dated(since, until):  # first seen in the period
        clauses.append(f"q.first_attribution_id IN ({period[0]})")
        params.extend(period[1])
    return " WHERE " + " AND ".join(clauses), params, named


#: The order of quote listings: the most repeated first, then the first seen earliest.
_QUOTE_ORDER = ("q.repeats DESC, (SELECT coalesce(r.date, r.published) FROM attributions a JOIN articles r"
                " ON r.id = a.article_id WHERE a.id = q.first_attribution_id), q.id")


def list_quotes(conn: sqlite3.Connection, q: str | None = None, speaker: str | None = None,
                outlet: str | None = None, min_repeats: int = 1, uncredited: bool = False, page: int = 1,
                per_page: int = PER_PAGE, *, since: str | None = None, until: str | None = None) -> dict[str, Any]:
    """Quotations seen in several articles, the most repeated first (:func:`quotes_json`). ``q``: full text
    over the quoting contents (as in search); ``speaker``: an id, name or alias that one of its sightings
    credits it to; ``outlet``: an outlet that printed it (first or after); ``min_repeats``: repeated at
    least that often after its first sighting; ``uncredited``: repeated at least once without naming the
    outlet that had it first; ``since``, ``until``: first seen in the period (YYYY, YYYY-MM or YYYY-MM-DD,
    inclusive, as in search)."""
    where, params, named = _quotes_where(conn, q, speaker, outlet, min_repeats, uncredited, since, until)
    page, per_page = _paging(page, per_page)
    total = conn.execute(f"SELECT count(*) FROM quotes q{where}", params).fetchone()[0]
    ids_ = [r[0] for r in conn.execute(f"SELECT q.id FROM quotes q{where} ORDER BY {_QUOTE_ORDER} LIMIT ? OFFSET ?",
                                       (*params, per_page, (page - 1) * per_page))]
    named_objects = speaker_objects(conn, {i for found in named.values() for i in found})
    since, until = _dates(since, until)  # as the days they take in, as a search echoes them
    filters: dict[str, Any] = {k: v for k, v in {"q": q, "speaker": speaker, "outlet": outlet, "since": since,
                                                 "until": until}.items() if v}
    if min_repeats > 1:
        filters["min_repeats"] = min_repeats
    if uncredited:
        filters["uncredited"] = True
    return {"total": total, "page": page, "per_page": per_page, "pages": max(1, -(-total // per_page)),
            "filters": filters, "computed": claims_status(conn),
            "named": {k: [named_objects[i] for i in found if i in named_objects] for k, found in named.items()},
            "results": quotes_json(conn, ids_)}


def iter_quotes(conn: sqlite3.Connection, q: str | None = None, speaker: str | None = None,
                outlet: str | None = None, min_repeats: int = 1, uncredited: bool = False,
                chunk: int = 200, *, since: str | None = None, until: str | None = None) -> Iterator[dict[str, Any]]:
    """Every stored quote that the filters keep (those of :func:`list_quotes`), in its order, read ``chunk``
    quotes at a time."""
    where, params, _ = _quotes_where(conn, q, speaker, outlet, min_repeats, uncredited, since, until)
    # the query runs at the call (a bad filter fails before any output), the quotes are read as they are used
    ids_ = [r[0] for r in conn.execute(f"SELECT q.id FROM quotes q{where} ORDER BY {_QUOTE_ORDER}", params)]
    return (found for start in range(0, len(ids_), chunk) for found in quotes_json(conn, ids_[start:start + chunk]))


def quote_outlets(conn: sqlite3.Connection, limit: int | None = None) -> list[dict[str, Any]]:
    """Who repeats whom, per outlet: the quotes ``first_seen`` in it; the quotes first seen in another outlet
    that it ``repeated``, and how many of those it ran ``uncredited`` (without naming that outlet); and the
    repeats of its own first sightings by other outlets (``repeated_by_others``), of which
    ``credited_by_others`` named it. The outlets of the most first sightings first, then of the most
    repeats; articles without an outlet are left out."""
    rows = conn.execute(
        "WITH seen AS (SELECT s.quote_id, s.seq, s.credits_first, r.outlet FROM quote_sightings s"
        " JOIN attributions a ON a.id = s.attribution_id JOIN articles r ON r.id = a.article_id),"
        " firsts AS (SELECT quote_id, outlet FROM seen WHERE seq = 0),"
        " repeats AS (SELECT seen.outlet, seen.credits_first, f.outlet AS first_outlet FROM seen"
        " JOIN firsts f ON f.quote_id = seen.quote_id WHERE seen.seq > 0 AND seen.outlet IS NOT f.outlet)"
        " SELECT o.outlet,"
        " (SELECT count(*) FROM firsts f WHERE f.outlet = o.outlet) AS first_seen,"
        " (SELECT count(*) FROM repeats r WHERE r.outlet = o.outlet) AS repeated,"
        " (SELECT count(*) FROM repeats r WHERE r.outlet = o.outlet AND r.credits_first = 0) AS uncredited,"
        " (SELECT count(*) FROM repeats r WHERE r.first_outlet = o.outlet) AS repeated_by_others,"
        " (SELECT count(*) FROM repeats r WHERE r.first_outlet = o.outlet AND r.credits_first = 1)"
        " AS credited_by_others"
        " FROM (SELECT DISTINCT outlet FROM seen WHERE outlet IS NOT NULL) o"
        " ORDER BY first_seen DESC, repeated DESC, o.outlet COLLATE NOCASE"
        + (" LIMIT ?" if limit is not None else ""), (() if limit is None else (limit,))).fetchall()
    return [dict(r) for r in rows]


def quote_outlets_page(conn: sqlite3.Connection) -> dict[str, Any]:
    """The ``outlets`` of :func:`quote_outlets`, and when the claims and quotes were ``computed``."""
    return {"outlets": quote_outlets(conn), "computed": claims_status(conn)}


def quote_page(conn: sqlite3.Connection, quote_id: int) -> dict[str, Any] | None:
    """One stored quote (:func:`quotes_json`) with when the claims and quotes were ``computed``, or None."""
    found = quotes_json(conn, [quote_id])
    return {**found[0], "computed": claims_status(conn)} if found else None


#: The quotes a speaker's page shows (the most repeated); /quotes?speaker=ID has them all.
SPEAKER_QUOTES_LIMIT = 5


def speaker_quotes(conn: sqlite3.Connection, speaker_id: int, limit: int = SPEAKER_QUOTES_LIMIT) -> dict[str, Any]:
    """The ``total`` of quotes repeated across articles that are credited to a speaker, and the ``limit`` most
    repeated of them (``results``, as :func:`list_quotes` gives them)."""
    found = list_quotes(conn, speaker=str(speaker_id), per_page=limit)
    return {"total": found["total"], "results": found["results"]}


def speaker_claims(conn: sqlite3.Connection, speaker_id: int, limit: int = SPEAKER_CLAIMS_LIMIT) -> dict[str, Any]:
    """A speaker's ``total`` claims and ``positions`` (``{claim: {id, label, speakers, attributions, ...}, stance,
    stances}``, the claims with the most speakers first; ``stance`` is their most frequent one there) and the speakers they
    ``agree_with`` and ``contradict`` (``{speaker, count, claims}``, most shared claims first)."""
    rows = conn.execute(
        "SELECT m.claim_id, m.stance, count(*) AS n FROM claim_members m JOIN attributions a"
        " ON a.id = m.attribution_id WHERE a.speaker_id = ? GROUP BY m.claim_id, m.stance", (speaker_id,)).fetchall()
    stances: dict[str, dict[str, int]] = {}
    for claim_id, stance, n in rows:
        stances.setdefault(claim_id, {})[stance] = n
    heads = _claim_heads(conn, list(stances))
    order = sorted(stances, key=lambda c: (-heads[c]["speakers"], -heads[c]["attributions"], c))
    positions = [{"claim": heads[c], "stance": max(stances[c], key=lambda s: (stances[c][s], -STANCES.index(s))),
                  "stances": stances[c]} for c in order[:limit]]
    others: dict[str, dict[int, list[str]]] = {"agree": {}, "contradict": {}}
    for other, relation, claim_id in conn.execute(
            "SELECT CASE WHEN speaker_a = ?1 THEN speaker_b ELSE speaker_a END, relation, claim_id FROM claim_edges"
            " WHERE (speaker_a = ?1 OR speaker_b = ?1) AND speaker_a != speaker_b ORDER BY id", (speaker_id,)):
        found = others[relation].setdefault(other, [])
        if claim_id not in found:
            found.append(claim_id)
    objects = speaker_objects(conn, {o for found in others.values() for o in found})
    heads.update(_claim_heads(conn, [c for found in others.values() for ids in found.values() for c in ids
                                     if c not in heads]))

    def ranked(found: dict[int, list[str]]) -> list[dict[str, Any]]:
        people = sorted(found, key=lambda o: (-len(found[o]), objects[o]["name"]))[:limit]
        return [{"speaker": objects[o], "count": len(found[o]), "claims": [heads[c] for c in found[o][:10]]}
                for o in people]

    return {"total": len(stances), "positions": positions, "agrees_with": ranked(others["agree"]),
            "contradicts": ranked(others["contradict"])}


def _claim_heads(conn: sqlite3.Connection, ids: list[str]) -> dict[str, dict[str, Any]]:
    """Claims by id, in the order of ``ids``: ``{id, label, speakers, attributions, asserts, denies, doubts,
    neutral}``."""
    found = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for r in conn.execute(f"SELECT id, label, speakers, attributions, asserts, denies, doubts, neutral"
                              f" FROM claims WHERE id IN ({','.join('?' * len(chunk))})", chunk):
            found[r["id"]] = dict(r)
    return {i: found[i] for i in ids if i in found}
