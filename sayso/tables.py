"""Articles as a table: one row per attribution, for spreadsheets (``sayso extract --format csv``).

The rows are read off the ``sayso.article/1`` object, so every text in them is the article's own text at the
spans given beside it (JSON lists of ``[start, end]`` offsets into the article's ``text``, which the table
leaves out: the JSON output has it).
"""

from __future__ import annotations

import csv
import json
from typing import IO, Any, Iterator

#: The columns of an extraction table, in order, with what each holds.
COLUMNS = {
    "record": "where the article was read from: the file, FILE:LINE of a dump, the WARC-Record-ID",
    "attribution": "the attribution's id in its article (a1, a2, ...)",
    "kind": "direct, indirect, mixed, according_to, headline, belief",
    "speaker": "the source's entity: its fullest name in the article, empty when the source is unresolved",
    "speaker_kind": "person, organization, outlet, group, unknown",
    "speaker_roles": "the titles the article gives the speaker, separated by ' | '",
    "source": "the source as written in the article",
    "cue": "the cue as written",
    "content": "the content as written",
    "via": "the intermediaries' names, nearest first, separated by ' | '",
    "about": "whom the content names, by their fullest names in the article, separated by ' | '",
    "confidence": "the extractor's confidence, 0 to 1",
    "source_spans": "[[start, end], ...] character offsets into the article text",
    "cue_spans": "the same for the cue",
    "content_spans": "the same for the content",
    "title": "the article's headline",
    "outlet": "the article's outlet, when the input gives it",
    "published": "the publication date as the input gave it",
    "url": "the article's address, when the input gives it",
}


def table_writer(out: IO[str]) -> csv.DictWriter:
    """A CSV writer of the table's rows on ``out``, its header written."""
    table = csv.DictWriter(out, fieldnames=list(COLUMNS), lineterminator="\n")
    table.writeheader()
    return table


def attribution_rows(article: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The table rows of one ``sayso.article/1`` object (with its ``record`` when it has one), in the
    article's order; spans as JSON text."""
    entities = {e["id"]: e for e in article["entities"]}
    for att in article["attributions"]:
        speaker = entities.get(att["source"].get("entity")) or {}
        yield {
            "record": article.get("record"),
            "attribution": att["id"],
            "kind": att["kind"],
            "speaker": speaker.get("name"),
            "speaker_kind": speaker.get("kind"),
            "speaker_roles": " | ".join(speaker.get("roles", [])),
            "source": att["source"]["text"],
            "cue": att["cue"]["text"],
            "content": att["content"]["text"],
            "via": " | ".join(entities[v]["name"] for v in att["via"]),
            "about": " | ".join(sub["name"] for sub in att.get("about", [])),
            "confidence": att["confidence"],
            "source_spans": json.dumps(att["source"]["spans"]),
            "cue_spans": json.dumps(att["cue"]["spans"]),
            "content_spans": json.dumps(att["content"]["spans"]),
            "title": article.get("title"),
            "outlet": article.get("outlet"),
            "published": article.get("published"),
            "url": article.get("url"),
        }
