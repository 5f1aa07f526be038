"""Exports of the corpus: every row a listing keeps, not one page, as CSV, JSONL or Parquet.

- A search (``sayso search``, /api/search.csv, .jsonl and .parquet): JSONL lines are the search hits as
  ``/api/search`` returns them (with ``matches``, the offsets of the query's words in each content, when
  there is a query). CSV and Parquet are tables with one row per attribution and the columns in
  ``COLUMNS``; spans are JSON text in CSV and lists of ``[start, end]`` pairs in Parquet.
- Claims (``sayso claims --csv/--parquet``, /api/claims.csv and .parquet): a row per attribution of a
  claim, ``CLAIM_COLUMNS``.
- Quotes (``sayso quotes --csv/--parquet``, /api/quotes.csv and .parquet): a row per sighting,
  ``QUOTE_COLUMNS``; and the outlets table of ``sayso quotes --outlets --csv``, ``QUOTE_OUTLET_COLUMNS``.

Parquet is written a row group at a time (:func:`_parquet_chunks`); CSV a chunk of rows at a time.
"""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING, Any, Iterable, Iterator

if TYPE_CHECKING:
    from ..claims import Claim

#: The columns of a CSV or Parquet export, in order, with what each holds.
COLUMNS = {
    "article_id": "the article's id in the corpus (/articles/ID)",
    "attribution": "the attribution's id in its article (a1, a2, ...)",
    "kind": "direct, indirect, mixed, according_to, headline, belief",
    "speaker_id": "the corpus speaker's id (/speakers/ID), empty when the source is unresolved",
    "speaker": "the corpus speaker's name",
    "speaker_kind": "person, organization, outlet, group, unknown",
    "source": "the source as written in the article",
    "cue": "the cue as written",
    "content": "the content as written",
    "via": "the intermediaries' names, nearest first, separated by ' | '",
    "via_ids": "their corpus speaker ids, the same order, separated by ' | '",
    "about": "whom the content names, by the names their articles give them, separated by ' | '",
    "confidence": "the extractor's confidence, 0 to 1",
    "source_spans": "[[start, end], ...] character offsets into the article text",
    "cue_spans": "the same for the cue",
    "content_spans": "the same for the content",
    "title": "the article's headline",
    "outlet": "the article's outlet",
    "published": "the publication date as the input gave it",
    "date": "the publication date as YYYY-MM-DD",
    "url": "the original article",
    "link": "this attribution highlighted in its article, on the server that exported it (sayso search: under"
            " --base-url)",
}

SPAN_COLUMNS = ("source_spans", "cue_spans", "content_spans")


def row(hit: dict[str, Any], base_url: str) -> dict[str, Any]:
    """One table row of a search hit."""
    speaker = hit["speaker"] or {}
    article = hit["article"]
    return {
        "article_id": article["id"],
        "attribution": hit["id"],
        "kind": hit["kind"],
        "speaker_id": speaker.get("id"),
        "speaker": speaker.get("name"),
        "speaker_kind": speaker.get("kind"),
        "source": hit["source"]["text"],
        "cue": hit["cue"]["text"],
        "content": hit["content"]["text"],
        "via": " | ".join(s["name"] for s in hit["via_speakers"]),
        "via_ids": " | ".join(str(s["id"]) for s in hit["via_speakers"]),
        "about": " | ".join(sub["name"] for sub in hit["about"]),
        "confidence": hit["confidence"],
        "source_spans": hit["source"]["spans"],
        "cue_spans": hit["cue"]["spans"],
        "content_spans": hit["content"]["spans"],
        "title": article["title"],
        "outlet": article["outlet"],
        "published": article["published"],
        "date": article["date"],
        "url": article["url"],
        "link": f"{base_url.rstrip('/')}/articles/{article['id']}#{hit['id']}",
    }


def csv_chunks(hits: Iterable[dict[str, Any]], base_url: str) -> Iterator[str]:
    """CSV text, a header then a chunk per hundred rows (for streaming)."""
    def rows() -> Iterator[dict[str, Any]]:
        for hit in hits:
            r = row(hit, base_url)
            for col in SPAN_COLUMNS:
                r[col] = json.dumps(r[col])
            yield r

    return _csv(rows(), COLUMNS)


def _csv(rows: Iterable[dict[str, Any]], columns: Iterable[str]) -> Iterator[str]:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(columns), lineterminator="\r\n")
    writer.writeheader()
    for n, r in enumerate(rows, 1):
        writer.writerow(r)
        if n % 100 == 0:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


#: The columns of ``sayso claims --csv``, one row per attribution of a claim, with what each holds: a claim's
#: own, then those of a search export that an attribution of a claim has too (described there once).
CLAIM_COLUMNS = {
    "claim_id": "the claim's id (/claims/ID)",
    "label": "the claim's label: the words of its most central attribution",
    **{c: COLUMNS[c] for c in ("speaker_id", "speaker")},
    "stance": "asserts, denies, doubts or neutral, toward the label",
    **{c: COLUMNS[c] for c in ("kind", "cue", "content", "article_id", "attribution", "title", "outlet",
                               "published", "url")},
}


def claim_rows(claims: Iterable[Claim]) -> Iterator[dict[str, Any]]:
    """A row per member of each claim, in the claim's order (the columns of ``CLAIM_COLUMNS``): who takes
    which stance toward which claim, and where."""
    for claim in claims:
        for m in claim.members:
            yield {"claim_id": claim.id, "label": claim.label,
                   "speaker_id": m.speaker.id if m.speaker else None,
                   "speaker": m.speaker.name if m.speaker else None,
                   "stance": m.stance, "kind": m.kind, "cue": m.cue, "content": m.content,
                   "article_id": m.ref.article_id, "attribution": m.ref.attribution_id, "title": m.title,
                   "outlet": m.outlet, "published": m.published, "url": m.url}


def claim_csv_chunks(claims: Iterable[Claim]) -> Iterator[str]:
    """CSV text of claims (:func:`claim_rows`), for a spreadsheet."""
    return _csv(claim_rows(claims), CLAIM_COLUMNS)


def claim_parquet_chunks(claims: Iterable[Claim]) -> Iterator[bytes]:
    """A Parquet file of claims (:func:`claim_rows`), ids as integers, in pieces (:func:`_parquet_chunks`)."""
    return _parquet_chunks(claim_rows(claims), CLAIM_COLUMNS, {"speaker_id": "int64", "article_id": "int64"})


#: The columns of ``sayso speakers --csv`` and ``/api/speakers.csv``, one row per speaker.
SPEAKER_COLUMNS = {
    "speaker_id": "the speaker's corpus id (/speakers/ID)",
    "name": "the name they go by: their most frequent full name in the corpus",
    "kind": "person, organization, outlet, group or unknown",
    "attributions": "attributions they are the source of",
    "relayed": "attributions of others that came through them (as an intermediary, or \"according to\" them)",
    "roles": "the roles the articles give them, most frequent first, joined by \" | \"",
    "aliases": "every name the articles call them by, joined by \" | \"",
}


def speaker_rows(speakers: Iterable[dict[str, Any]], joined: bool = True) -> Iterator[dict[str, Any]]:
    """A row per speaker (as ``queries.list_speakers`` gives them; the columns of ``SPEAKER_COLUMNS``), the
    roles and aliases joined by " | " (``joined``) or as lists."""
    for sp in speakers:
        roles, aliases = list(sp["roles"]), list(sp["aliases"])
        yield {"speaker_id": sp["id"], "name": sp["name"], "kind": sp["kind"], "attributions": sp["attributions"],
               "relayed": sp["relayed"] + sp["according_to"], "roles": " | ".join(roles) if joined else roles,
               "aliases": " | ".join(aliases) if joined else aliases}


def speaker_csv_chunks(speakers: Iterable[dict[str, Any]]) -> Iterator[str]:
    """CSV text of speakers (:func:`speaker_rows`), for a spreadsheet."""
    return _csv(speaker_rows(speakers), SPEAKER_COLUMNS)


#: The columns of ``sayso speakers --parquet`` and ``/api/speakers.parquet``: the CSV's, with the roles and the
#: aliases as lists of strings rather than joined.
SPEAKER_PARQUET_COLUMNS = {**SPEAKER_COLUMNS,
                           "roles": "the roles the articles give them, most frequent first",
                           "aliases": "every name the articles call them by"}


def speaker_parquet_chunks(speakers: Iterable[dict[str, Any]]) -> Iterator[bytes]:
    """A Parquet file of speakers, the rows of :func:`speaker_rows` with counts as integers and the roles and
    aliases as lists, in pieces (:func:`_parquet_chunks`)."""
    import pyarrow as pa

    names = pa.list_(pa.string())
    types = {"speaker_id": "int64", "attributions": "int64", "relayed": "int64", "roles": names, "aliases": names}
    return _parquet_chunks(speaker_rows(speakers, joined=False), SPEAKER_PARQUET_COLUMNS, types)


#: The columns of ``sayso articles --csv`` and ``/api/articles.csv``, one row per article (the list's objects).
ARTICLE_COLUMNS = {
    "article_id": COLUMNS["article_id"],
    **{c: COLUMNS[c] for c in ("title", "outlet", "published", "date", "url")},
    "attributions": "how many attributions were found in it",
}


def article_rows(articles: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """A row per article (as ``queries.list_articles`` gives them; the columns of ``ARTICLE_COLUMNS``)."""
    for a in articles:
        yield {"article_id": a["id"], **{c: a[c] for c in ("title", "outlet", "published", "date", "url",
                                                            "attributions")}}


def article_csv_chunks(articles: Iterable[dict[str, Any]]) -> Iterator[str]:
    """CSV text of articles (:func:`article_rows`), for a spreadsheet."""
    return _csv(article_rows(articles), ARTICLE_COLUMNS)


def article_parquet_chunks(articles: Iterable[dict[str, Any]]) -> Iterator[bytes]:
    """A Parquet file of articles (:func:`article_rows`), the id and the count as integers, in pieces."""
    return _parquet_chunks(article_rows(articles), ARTICLE_COLUMNS, {"article_id": "int64", "attributions": "int64"})


#: The columns of ``sayso quotes --csv``, one row per sighting of a quote repeated across articles.
QUOTE_COLUMNS = {
    "quote_id": "the quote's id (/quotes/ID)",
    "quote": "the quotation: the longest wording seen, verbatim, quotation marks stripped",
    "seq": "0 for the first sighting, then 1, 2, ... by date",
    "credits_first": "true when this article names the outlet that had the quote first, false when not; "
                     "empty on the first sighting",
    **{c: COLUMNS[c] for c in ("speaker_id", "speaker")},
    "text": "the quotation as this article has it, verbatim",
    **{c: COLUMNS[c] for c in ("article_id", "attribution", "title", "outlet", "published")},
}


#: The columns of ``sayso quotes --outlets --csv``, one row per outlet (``queries.quote_outlets``).
QUOTE_OUTLET_COLUMNS = {
    "outlet": "the outlet",
    "first_seen": "quotes first seen in it",
    "repeated": "quotes first seen in another outlet that it repeated (one each article)",
    "uncredited": "of those, the repeats that do not name the outlet that had the quote first",
    "repeated_by_others": "repeats by other outlets of the quotes first seen in it",
    "credited_by_others": "of those, the repeats that name it",
}


def quote_outlet_csv_chunks(outlets: Iterable[dict[str, Any]]) -> Iterator[str]:
    """CSV text of ``queries.quote_outlets``, a row per outlet."""
    return _csv(outlets, QUOTE_OUTLET_COLUMNS)


def quote_rows(quotes: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """A row per sighting of each quote (as ``queries.quotes_json`` gives them), first sighting first (the
    columns of ``QUOTE_COLUMNS``; ``credits_first`` None on the first): where and when a quotation was seen,
    and whether each repeat credits the first outlet."""
    for quote in quotes:
        for seq, seen in enumerate([quote["first_seen"], *quote["sightings"]]):
            speaker = seen["speaker"] or {}
            yield {"quote_id": quote["id"], "quote": quote["text"], "seq": seq,
                   "credits_first": seen["credits_first"], "speaker_id": speaker.get("id"),
                   "speaker": speaker.get("name"), "text": seen["text"], "article_id": seen["article_id"],
                   "attribution": seen["attribution_id"], "title": seen.get("title"), "outlet": seen["outlet"],
                   "published": seen["published"]}


def quote_csv_chunks(quotes: Iterable[dict[str, Any]]) -> Iterator[str]:
    """CSV text of quotes (:func:`quote_rows`; ``credits_first`` is true, false or empty)."""
    cell = {None: "", True: "true", False: "false"}
    return _csv(({**r, "credits_first": cell[r["credits_first"]]} for r in quote_rows(quotes)), QUOTE_COLUMNS)


def quote_parquet_chunks(quotes: Iterable[dict[str, Any]]) -> Iterator[bytes]:
    """A Parquet file of quotes (:func:`quote_rows`), ids and ``seq`` as integers, ``credits_first`` a
    boolean (null on the first sighting), in pieces (:func:`_parquet_chunks`)."""
    return _parquet_chunks(quote_rows(quotes), QUOTE_COLUMNS, {"quote_id": "int64", "seq": "int64",
                                                               "credits_first": "bool", "speaker_id": "int64",
                                                               "article_id": "int64"})


#: Rows a Parquet export holds in memory at most: one row group of the file.
PARQUET_GROUP_ROWS = 20_000


class _Pieces:
    """A write-only file that keeps what is written until it is taken: what a Parquet writer writes a row
    group at a time, handed on as it comes."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.written = 0
        self.closed = False

    def write(self, data) -> int:
        self.parts.append(bytes(data))
        self.written += len(data)
        return len(data)

    def tell(self) -> int:
        return self.written

    def flush(self) -> None:
        pass

    def close(self) -> None:
        self.closed = True

    def writable(self) -> bool:
        return True

    def readable(self) -> bool:
        return False

    def seekable(self) -> bool:
        return False

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        return data


def _parquet_chunks(rows: Iterable[dict[str, Any]], columns: dict[str, str], types: dict[str, Any],
                    group: int | None = None) -> Iterator[bytes]:
    """A Parquet file of ``rows`` as pieces of bytes to write or send one after the other: a row group of
    ``group`` rows (:data:`PARQUET_GROUP_ROWS` by default) at a time, so memory holds one group, not the
    table. One column each of ``columns`` (its description in the field's metadata), a string unless
    ``types`` gives its Arrow type (or its alias)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    def arrow(c: str):
        kind = types.get(c, "string")
        return pa.type_for_alias(kind) if isinstance(kind, str) else kind

    schema = pa.schema([pa.field(c, arrow(c), metadata={"description": d}) for c, d in columns.items()])
    group = group or PARQUET_GROUP_ROWS
    sink = _Pieces()
    with pq.ParquetWriter(sink, schema) as writer:
        batch: list[dict[str, Any]] = []
        for r in rows:
            batch.append(r)
            if len(batch) == group:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                batch = []
                yield sink.take()
        if batch:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
    yield sink.take()


def jsonl_chunks(hits: Iterable[dict[str, Any]]) -> Iterator[str]:
    """One JSON object per line: search hits as /api/search returns them, or stored articles whole."""
    for hit in hits:
        yield json.dumps(hit, ensure_ascii=False) + "\n"


def parquet_chunks(hits: Iterable[dict[str, Any]], base_url: str, group: int | None = None) -> Iterator[bytes]:
    """A Parquet file of the rows, in pieces of ``group`` rows (:func:`_parquet_chunks`; spans as lists of
    [start, end] pairs)."""
    import pyarrow as pa

    spans = pa.list_(pa.list_(pa.int64()))
    types = {"article_id": pa.int64(), "speaker_id": pa.int64(), "confidence": pa.float64(),
             **{c: spans for c in SPAN_COLUMNS}}
    return _parquet_chunks((row(h, base_url) for h in hits), COLUMNS, types, group)
