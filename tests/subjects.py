"""Whom an attribution's content is about, as the store's counts see them, found again from the article JSON."""

from __future__ import annotations

import sqlite3
from typing import Any

from sayso.store.names import alias_key


def subjects_of(conn: sqlite3.Connection, attribution: dict[str, Any]) -> set[Any]:
    """Who the subjects of a stored attribution (``/api/articles/ID``'s) are: the corpus speaker of their
    entity, else the one speaker who goes by their name, else ``("name", NAME)``."""
    out = set()
    for sub in attribution["about"]:
        who = sub["speaker"]
        if who is None:
            ids = {r[0] for r in conn.execute("SELECT speaker_id FROM speaker_aliases WHERE key = ?",
                                              (alias_key(sub["name"]),))}
            who = ids.pop() if len(ids) == 1 else ("name", sub["name"])
        out.add(who)
    return out
