"""What a corpus database must be after anything, a kill -9 included: sound, and every article in it whole."""

from __future__ import annotations

import sqlite3


def whole_articles(conn: sqlite3.Connection) -> int:
    """Assert that the store passes SQLite's checks and that every stored article is whole (its original,
    full-text rows, attributions and their spans all there); how many articles it holds."""
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    n = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    assert conn.execute("SELECT count(*) FROM originals").fetchone()[0] == n
    assert conn.execute("SELECT count(*) FROM articles_fts").fetchone()[0] == n
    assert (conn.execute("SELECT count(*) FROM attributions").fetchone()[0]
            == conn.execute("SELECT count(*) FROM attributions_fts").fetchone()[0])
    assert conn.execute("SELECT count(*) FROM articles r WHERE NOT EXISTS"
                        " (SELECT 1 FROM attributions a WHERE a.article_id = r.id)").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM attributions a WHERE NOT EXISTS"
                        " (SELECT 1 FROM spans s WHERE s.attribution_id = a.id AND s.role = 'content')").fetchone()[0] == 0
    return n
