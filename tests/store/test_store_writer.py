import sqlite3

import pytest

from sayso.errors import SpanError, StoreError
from sayso.model import Article, Attribution, Entity
from sayso.pipeline import annotate
from sayso.store import SCHEMA_VERSION, CorpusWriter, article_key, connect, connect_readonly
from sayso.store.queries import article as stored_article, load_article
from sayso.store.writer import iso_date


def quoting(*speakers: tuple[str, str], url: str, via: bool = False, roles: dict | None = None) -> Article:
    """An article in which each (name, kind) speaker says one thing: 'NAME said the plan N would work.'
    With ``via``, the first speaker reports the others ('According to FIRST, NAME said ...')."""
    text = "Headline\n\n"
    entities, attributions = [], []
    for n, (name, kind) in enumerate(speakers, 1):
        lead = f"According to {speakers[0][0]}, " if via and n > 1 else ""
        sentence_start = len(text)
        text += lead
        start = len(text)
        text += f"{name} said the plan {n} would work. "
        ent = next((e for e in entities if (e.name, e.kind) == (name, kind)), None)
        if ent is None:
            ent = Entity(f"e{len(entities) + 1}", name, kind, list((roles or {}).get(name, [])))
            entities.append(ent)
        ent.mentions.append((start, start + len(name)))
        cue = start + len(name) + 1
        content = (cue + 5, len(text) - 2)
        attributions.append(Attribution(f"a{len(attributions) + 1}", "indirect", cue=[(cue, cue + 4)],
                                        content=[content], source=[(start, start + len(name))], entity=ent.id))
        if lead:
            first = entities[0]
            first.mentions.append((sentence_start + 13, sentence_start + 13 + len(speakers[0][0])))
            attributions[-1].via = [first.id]
            attributions.append(Attribution(
                f"a{len(attributions) + 1}", "according_to", cue=[(sentence_start, sentence_start + 12)],
                content=[(start, len(text) - 2)], source=[(sentence_start + 13, sentence_start + 13 + len(speakers[0][0]))],
                entity=first.id))
    return Article(text=text, title="Headline", url=url, entities=entities, attributions=attributions)


@pytest.fixture
def writer(tmp_path):
    conn = connect(tmp_path / "c.sqlite")
    yield CorpusWriter(conn)
    conn.close()


def speakers(writer):
    return {r["name"]: dict(r) for r in writer.conn.execute("SELECT * FROM speakers")}


def aliases(writer, name):
    return {r[0] for r in writer.conn.execute(
        "SELECT alias FROM speaker_aliases JOIN speakers s ON s.id = speaker_id WHERE s.name = ?", (name,))}


def test_one_person_by_three_names_is_one_speaker(writer):
    writer.add(quoting(("Vladimir Putin", "person"), url="u1"))
    writer.add(quoting(("Putin", "person"), url="u2"))
    writer.add(quoting(("Russian President Vladimir Putin", "person"), ("Vladimir V. Putin", "person"), url="u3"))
    got = speakers(writer)
    assert list(got) == ["Vladimir Putin"]
    assert got["Vladimir Putin"]["attributions"] == 4
    assert aliases(writer, "Vladimir Putin") == {"Vladimir Putin", "Putin", "Vladimir V. Putin"}
    roles = [r[0] for r in writer.conn.execute("SELECT role FROM speaker_roles")]
    assert roles == ["Russian President"]


def test_a_bare_surname_seen_first_is_folded_into_the_full_name_and_redirects(writer):
    writer.add(quoting(("Pruitt", "person"), url="u1"))
    bare = writer.conn.execute("SELECT id FROM speakers").fetchone()[0]
    writer.add(quoting(("Harlan Pruitt", "person"), url="u2"))
    got = speakers(writer)
    assert list(got) == ["Harlan Pruitt"] and got["Harlan Pruitt"]["attributions"] == 2
    merged = got["Harlan Pruitt"]["id"]
    assert writer.conn.execute("SELECT speaker_id FROM speaker_redirects WHERE old_id = ?", (bare,)).fetchone()[0] == merged
    assert {r[0] for r in writer.conn.execute("SELECT DISTINCT speaker_id FROM attributions")} == {merged}


def test_a_surname_and_its_full_name_in_one_new_article_are_one_speaker(writer):
    writer.add(quoting(("Pruitt", "person"), ("Harlan Pruitt", "person"), url="u1"))
    got = speakers(writer)
    assert list(got) == ["Harlan Pruitt"] and got["Harlan Pruitt"]["attributions"] == 2
    assert writer.conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_an_ambiguous_surname_stays_apart_and_says_who_it_may_be(writer):
    from sayso.store.queries import speaker_page

    writer.add(quoting(("Hillary Clinton", "person"), ("Hillary Clinton", "person"), ("Bill Clinton", "person"),
                       url="u1"))
    writer.add(quoting(("Clinton", "person"), url="u2"))
    got = speakers(writer)
    assert set(got) == {"Hillary Clinton", "Bill Clinton", "Clinton"}
    page = speaker_page(writer.conn, got["Clinton"]["id"])
    assert [s["name"] for s in page["may_be"]] == ["Hillary Clinton", "Bill Clinton"]
    assert speaker_page(writer.conn, got["Bill Clinton"]["id"])["may_be"] == []


def test_other_middle_initials_are_another_person(writer):
    writer.add(quoting(("George W. Bush", "person"), url="u1"))
    writer.add(quoting(("George Bush", "person"), url="u2"))
    writer.add(quoting(("George H. W. Bush", "person"), url="u3"))
    got = speakers(writer)
    assert len(got) == 2
    assert {tuple(sorted(aliases(writer, n))) for n in got} == {("George Bush", "George W. Bush"), ("George H. W. Bush",)}


def test_outlets_and_organisations_merge_and_unknown_kinds_join_them(writer):
    writer.add(quoting(("Valley Ledger", "unknown"), url="u1"))
    writer.add(quoting(("Valley Ledger", "organization"), url="u2"))
    writer.add(quoting(("Valley Ledger", "outlet"), url="u3"))
    got = speakers(writer)
    assert list(got) == ["Valley Ledger"]
    assert got["Valley Ledger"]["kind"] == "outlet" and got["Valley Ledger"]["attributions"] == 3
    writer.add(quoting(("Ford", "person"), ("Ford", "organization"), url="u4"))
    kinds = [r[0] for r in writer.conn.execute("SELECT kind FROM speakers WHERE name = 'Ford' ORDER BY kind")]
    assert kinds == ["organization", "person"]


def test_intermediaries_are_counted_and_stored_in_order(writer):
    writer.add(quoting(("TASS", "outlet"), ("Vladimir Putin", "person"), url="u1", via=True))
    got = speakers(writer)
    assert got["TASS"]["relayed"] == 1 and got["TASS"]["according_to"] == 1
    assert got["TASS"]["attributions"] == 2 and got["Vladimir Putin"]["attributions"] == 1
    row = writer.conn.execute("SELECT v.position, s.name FROM via v JOIN speakers s ON s.id = v.speaker_id").fetchall()
    assert [tuple(r) for r in row] == [(1, "TASS")]


def test_an_article_is_stored_once_and_read_back_as_it_was(writer, example_page):
    from sayso.ingest import read_path

    art = annotate(read_path(example_page))
    assert art.attributions and any(a.via for a in art.attributions)
    new_id = writer.add(art, record=str(example_page), original=example_page.read_bytes())
    assert isinstance(new_id, int)
    assert writer.add(art) is None and writer.has(article_key(art))
    back, entity_speakers = load_article(writer.conn, new_id)
    assert back.to_json() == art.to_json()
    assert set(entity_speakers) == {e.id for e in art.entities}
    data = stored_article(writer.conn, new_id)
    for att in data["attributions"]:
        if att["source"]["entity"]:
            assert att["speaker"]["id"] == entity_speakers[att["source"]["entity"]]
        assert [s["id"] for s in att["via_speakers"]] == [entity_speakers[v] for v in att["via"]]
    n_fts = writer.conn.execute("SELECT count(*) FROM attributions_fts").fetchone()[0]
    assert n_fts == len(art.attributions)
    original = writer.conn.execute("SELECT content FROM originals WHERE article_id = ?", (new_id,)).fetchone()[0]
    assert original == example_page.read_bytes()


def test_a_span_outside_the_text_stores_nothing(writer):
    art = quoting(("Vladimir Putin", "person"), url="u1")
    art.attributions[0].content = [(5, 10_000)]
    with pytest.raises(SpanError):
        writer.add(art)
    counts = writer.conn.execute("SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM speakers),"
                                 " (SELECT count(*) FROM attributions)").fetchone()
    assert tuple(counts) == (0, 0, 0)


def test_the_content_hash_is_url_and_text():
    a = quoting(("Vladimir Putin", "person"), url="u1")
    b = quoting(("Vladimir Putin", "person"), url="u2")
    assert article_key(a) != article_key(b)
    b.url = "u1"
    assert article_key(a) == article_key(b)


@pytest.mark.parametrize("given, iso", [
    ("2016-10-05T14:03:00Z", "2016-10-05"), ("2016-10-05", "2016-10-05"), ("March 3, 2026", "2026-03-03"),
    ("Published: February 9, 2026", "2026-02-09"), ("Tue, 04 Oct 2016 10:00:00 GMT", "2016-10-04"),
    ("Monday, March 2, 2026", "2026-03-02"), ("2016-02-30", None), ("last week", None), (None, None),
])
def test_publication_dates(given, iso):
    assert iso_date(given) == iso


def test_the_store_is_wal_and_versioned_and_refuses_strangers(tmp_path):
    conn = connect(tmp_path / "c.sqlite")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
    conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    conn.close()
    with pytest.raises(StoreError, match="schema version 99"):
        connect(tmp_path / "c.sqlite")
    other = sqlite3.connect(tmp_path / "other.sqlite")
    other.execute("CREATE TABLE people (name TEXT)")
    other.commit()
    other.close()
    with pytest.raises(StoreError, match="not a sayso corpus"):
        connect(tmp_path / "other.sqlite")
    (tmp_path / "text.sqlite").write_text("hello, I am not a database at all" * 40)
    with pytest.raises(StoreError, match="not a sayso corpus"):
        connect(tmp_path / "text.sqlite")
    with pytest.raises(StoreError, match="no such corpus"):
        connect_readonly(tmp_path / "missing.sqlite")


def test_a_read_only_connection_cannot_write(tmp_path):
    connect(tmp_path / "c.sqlite").close()
    ro = connect_readonly(tmp_path / "c.sqlite")
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        ro.execute("INSERT INTO meta (key, value) VALUES ('x', 'y')")
