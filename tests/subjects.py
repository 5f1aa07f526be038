"""Whom an attribution's content is about, as the store's counts see them, found again from the article JSON."""

from __future__ import annotations

import sqlite3
from typing import Any

from sayso.store.names import alias_key


def subjects_of(conn: sqlite3.Connection, attribution: dict[str, Any]) -> set[Any]:
    """Who the subjects of a stored attribution (``/api/articles/ID``'s) are: the corpus speaker of their
    entity, else the one speaker who goes by their name, else (a single word no one goes by) the one person
    with that surname, else ``("name", NAME)``."""
    out = set()
    for sub in attribution["about"]:
        who, key = sub["speaker"], alias_key(sub["name"])
        if who is None and len(key) > 2:
            ids = {r[0] for r in conn.execute("SELECT speaker_id FROM speaker_aliases WHERE key = ?", (key,))}
            if not ids and " " not in key:
                ids = {r[0] for r in conn.execute("SELECT id FROM speakers WHERE surname = ?", (key,))}
            who = ids.pop() if len(ids) == 1 else None
        out.add(who if who is not None else ("name", sub["name"]))
    return out
