"""The output folder of a batch: Parquet shards of annotated articles, error files, and the manifest.

::

    OUT/manifest.json          what the batch is (inputs, partitions) and which partitions are done
    OUT/shards/ID.parquet      one per finished partition: record_id, url, title, n_attributions, article
    OUT/errors/ID.jsonl        one per finished partition: {"record_id", "reason"} per record that failed
    OUT/errors.jsonl           every error of the batch in one file, remade at the end of each run

Every file is written under a temporary name and renamed into place (``os.replace`` is atomic), so a file
that exists is complete, whenever the writer was killed. A partition's errors are written before its shard,
so the shard is the mark that the partition is done. The ``article`` column is the ``sayso.article/1`` JSON
of the one data model, as :meth:`Article.to_json` writes it.

>>> for record_id, article in iter_shard_articles("out/"):     # doctest: +SKIP
...     print(record_id, len(article.attributions))
"""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from ..errors import InputError, SpanError
from ..ingest.records import OnError, raise_error
from ..layout import BATCH_MANIFEST, SHARD_SUFFIX
from ..model import Article

#: The kind of folder a manifest describes.
BATCH_SCHEMA = "sayso.batch/1"
SHARDS = "shards"
ERRORS = "errors"
ALL_ERRORS = "errors.jsonl"
_TEMP = ".tmp-"


def shard_schema():
    """The columns of a shard, one row per article; the partition's counts ride in the schema metadata."""
    import pyarrow as pa

    return pa.schema([
        ("record_id", pa.string()),
        ("url", pa.string()),
        ("title", pa.string()),
        ("n_attributions", pa.int32()),
        ("article", pa.string()),
    ])


def shard_path(out: Path, partition_id: str) -> Path:
    """Where the shard of a partition lives."""
    return out / SHARDS / f"{partition_id}{SHARD_SUFFIX}"


def errors_path(out: Path, partition_id: str) -> Path:
    """Where the errors of a partition live."""
    return out / ERRORS / f"{partition_id}.jsonl"


def write_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """Call ``write(temp)`` on a fresh temporary name beside ``path``, then rename it to ``path``.

    Temporary names are unique per call, so two attempts at the same partition (a retried task whose first
    worker was only cut off, not dead) never write into one file; whichever renames last wins, and both
    wrote the same content.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f"{_TEMP}{uuid.uuid4().hex}-{path.name}")
    try:
        write(temp)
        with open(temp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(temp, path)
    finally:
        if temp.exists():
            temp.unlink()


def write_shard(out: Path, partition_id: str, rows: list[dict[str, Any]], counts: dict[str, int]) -> Path:
    """Write a partition's articles as one Parquet shard; ``counts`` go into its metadata."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    meta = {b"sayso.batch": json.dumps({"schema": BATCH_SCHEMA, "partition": partition_id, **counts}).encode()}
    table = pa.Table.from_pylist(rows, schema=shard_schema().with_metadata(meta))
    path = shard_path(out, partition_id)
    write_atomically(path, lambda temp: pq.write_table(table, temp, compression="zstd"))
    return path


def write_errors(out: Path, partition_id: str, errors: list[dict[str, str]]) -> Path:
    """Write a partition's failed records, one JSON object a line."""
    path = errors_path(out, partition_id)
    write_atomically(path, lambda temp: temp.write_text("".join(_line(e) for e in errors), encoding="utf-8"))
    return path


def shard_counts(out: Path, partition_id: str) -> dict[str, int] | None:
    """The counts of a partition's finished shard, or None when the partition is not done.

    Only the footer is read, so checking thousands of shards on a rerun is quick.
    """
    import pyarrow.parquet as pq

    path = shard_path(out, partition_id)
    if not path.is_file():
        return None
    try:
        return _partition_counts(pq.read_schema(path), partition_id)
    except (OSError, ValueError):
        return None


def _partition_counts(schema, partition_id: str) -> dict[str, int] | None:
    """The counts in a shard's schema metadata, or None when they are not those of ``partition_id``."""
    try:
        info = json.loads((schema.metadata or {})[b"sayso.batch"])
    except (ValueError, KeyError):
        return None
    if info.get("partition") != partition_id:
        return None
    return {k: v for k, v in info.items() if isinstance(v, int)}


def is_temporary(path: Path) -> bool:
    """True for a file that a writer had not finished (and renamed) yet."""
    return path.name.startswith(_TEMP)


def remove_temporaries(out: Path) -> None:
    """Remove the half-written files a killed run left behind."""
    for folder in (out, out / SHARDS, out / ERRORS):
        if folder.is_dir():
            for path in folder.glob(f"{_TEMP}*"):
                path.unlink(missing_ok=True)


def read_manifest(out: Path) -> dict[str, Any] | None:
    """The manifest of a batch folder, or None when there is none yet."""
    path = out / BATCH_MANIFEST
    if not path.is_file():
        return None
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise InputError(str(path), "unreadable batch manifest") from None
    if not isinstance(manifest, dict) or manifest.get("schema") != BATCH_SCHEMA:
        raise InputError(str(path), f"not a {BATCH_SCHEMA} manifest")
    return manifest


def write_manifest(out: Path, manifest: dict[str, Any]) -> None:
    """Replace the manifest atomically."""
    text = json.dumps(manifest, ensure_ascii=False, indent=1)
    write_atomically(out / BATCH_MANIFEST, lambda temp: temp.write_text(text, encoding="utf-8"))


def write_all_errors(out: Path, input_errors: list[dict[str, str]], partition_ids: Iterable[str]) -> int:
    """Gather every error of the batch into ``OUT/errors.jsonl``, in plan order; returns how many."""
    lines = [_line(e) for e in input_errors]
    for partition_id in partition_ids:
        path = errors_path(out, partition_id)
        if path.is_file():
            lines.extend(line + "\n" for line in path.read_text(encoding="utf-8").splitlines() if line)
    write_atomically(out / ALL_ERRORS, lambda temp: temp.write_text("".join(lines), encoding="utf-8"))
    return len(lines)


def iter_shard_articles(path: str | Path, on_error: OnError = raise_error) -> Iterator[tuple[str, Article]]:
    """Every ``(record_id, Article)`` of a batch output folder (its finished shards, in plan order) or of
    one ``.parquet`` shard. This is how the corpus store reads a batch.

    A folder whose batch is still running, or was stopped, yields the partitions finished so far. A shard
    that cannot be read is passed to ``on_error`` (by default, raised) and the next one is read.
    """
    path = Path(path)
    try:
        if path.is_dir():
            manifest = read_manifest(path)
            if manifest is None:
                raise InputError(str(path), f"not a sayso batch output (no {BATCH_MANIFEST})")
            # a partition whose shard is missing or not its finished one is not done: skipped, not an error
            shards = [(shard_path(path, p["id"]), p["id"]) for p in manifest["partitions"]]
        elif path.is_file():
            shards = [(path, None)]
        else:
            raise InputError(str(path), "no such file or directory")
    except InputError as exc:
        on_error(exc)
        return
    for shard, partition_id in shards:
        try:
            yield from _shard_articles(shard, partition_id)
        except InputError as exc:
            on_error(exc)


def _shard_articles(shard: Path, partition_id: str | None = None) -> Iterator[tuple[str, Article]]:
    """The rows of one shard, opened once. With ``partition_id`` (a shard its manifest names), a shard that
    is not that partition's finished one yields nothing; without, a shard that cannot be read is an error."""
    import pyarrow.parquet as pq

    if partition_id is not None and not shard.is_file():
        return
    try:
        parquet = pq.ParquetFile(shard)
    except (OSError, ValueError) as exc:
        if partition_id is not None:
            return
        raise InputError(str(shard), f"not a readable batch shard ({type(exc).__name__})") from None
    if partition_id is not None and _partition_counts(parquet.schema_arrow, partition_id) is None:
        return
    try:
        batches = parquet.iter_batches(columns=["record_id", "article"], batch_size=256)
        for batch in batches:
            rows = zip(batch.column(0).to_pylist(), batch.column(1).to_pylist())
            yield from ((record_id, Article.from_json(json.loads(article))) for record_id, article in rows)
    except (OSError, ValueError, KeyError, SpanError) as exc:
        raise InputError(str(shard), f"not a readable batch shard ({type(exc).__name__})") from None


def _line(obj: dict[str, Any]) -> str:
    return json.dumps(obj, ensure_ascii=False) + "\n"
