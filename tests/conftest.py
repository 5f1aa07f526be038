"""Shared fixtures: the data beside the project, the JSON Schema, the loaded pipeline."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("SAYSO_SHARED", ROOT.parent / "shared"))


@pytest.fixture(scope="session")
def polnear_dir() -> Path:
    path = SHARED / "data" / "polnear"
    assert (path / "dev" / "text").is_dir(), f"PolNeAR not found at {path} (set SAYSO_SHARED)"
    return path


@pytest.fixture(scope="session")
def seed_page() -> Path:
    path = SHARED / "examples" / "seed-article.txt"
    assert path.is_file(), f"seed article not found at {path} (set SAYSO_SHARED)"
    return path


@pytest.fixture(scope="session")
def example_page() -> Path:
    return ROOT / "examples" / "harbor-bridge.txt"


@pytest.fixture(scope="session")
def validate():
    """Validate a sayso.article/1 object against the shipped JSON Schema (raises on failure)."""
    import jsonschema

    schema = json.loads((ROOT / "sayso" / "schema" / "article.schema.json").read_text())
    validator = jsonschema.Draft202012Validator(schema)

    def check(obj: dict) -> None:
        validator.validate(obj)
        text = obj["text"]
        for att in obj["attributions"]:
            for role in ("source", "cue", "content"):
                part = att[role]
                assert part["text"] == " ".join(text[s:e] for s, e in part["spans"])

    return check


#: An article written to break a careless page: markup and script in its text, title, outlet and url.
HOSTILE_RECORD = {
    "url": "javascript:window.__pwned=3",
    "outlet": "<b>Night</b> Desk",
    "published": "2026-06-01",
    "text": (
        "Mayor Says <script>window.__pwned=1</script> Is Only Text\n\n"
        "\"The tag <script>window.__pwned=1</script> is only text on our site,\" Mayor Lena Ortiz said on "
        "Friday. <img src=x onerror=\"window.__pwned=2\">\n\n"
        "The council said that it would print the <b>markup</b> as it was written."
    ),
}


@pytest.fixture(scope="session")
def corpus_db(tmp_path_factory) -> Path:
    """A corpus made by ingesting examples/ (the harbor-bridge articles) and one hostile article, with its
    claims computed (MiniLM loads once per test process)."""
    from sayso.store import ingest
    from sayso.store.claims import recompute

    folder = tmp_path_factory.mktemp("corpus")
    (folder / "hostile.jsonl").write_text(json.dumps(HOSTILE_RECORD) + "\n")
    db = folder / "corpus.sqlite"
    summary = ingest([ROOT / "examples", folder / "hostile.jsonl"], db)
    assert summary.new == 10 and not summary.failed, summary.to_json()
    assert recompute(db).claims > 0
    return db



@pytest.fixture(scope="session")
def hostile_db(tmp_path_factory) -> Path:
    """A corpus with markup and script in every field a page shows (tests/hostile.py), claims computed."""
    from hostile import hostile_corpus

    return hostile_corpus(tmp_path_factory.mktemp("hostile") / "hostile.sqlite")
