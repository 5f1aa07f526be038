"""Cutting a batch's inputs into partitions: fixed, so that a rerun finds the very same ones.

A web archive or JSONL file is scanned once and cut into byte ranges of ``size`` records each (record
boundaries, so a range can be read on its own); page files, from the command line or from folders, are
grouped ``size`` files at a time. The plan is stored in the manifest with a fingerprint of every input (size
and modification time of each file), and a rerun over unchanged inputs reuses it as it is. Each record thus
belongs to exactly one partition, and each partition writes exactly one shard.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from ..errors import InputError
from ..ingest import STDIN_NAME
from ..ingest.records import STDIN, OnError, Record, Scan, expand, jsonl_records, kind_of, page_records, scan_jsonl
from ..ingest.warc import scan_warc, warc_records

#: Records per partition unless told otherwise: big enough that scheduling costs nothing next to parsing,
#: small enough that a kill loses little work and the last partitions balance across workers.
PARTITION_SIZE = 100
#: Why standard input is no input of a batch: a partition is read again where a stopped batch resumes.
STDIN_REFUSED = ("a batch reads files, which it reads again to resume: save the stream to a file first "
                 "(... > dump.jsonl), or pipe it to sayso ingest - or sayso extract -")


@dataclass(frozen=True)
class Partition:
    """A slice of the input that one task reads, annotates and writes as one shard.

    ``kind`` is ``warc`` or ``jsonl`` (the records of ``path`` beginning in the byte range ``[start, end)``;
    ``first`` is the line number at ``start``) or ``pages`` (the ``files``, as ``(path, record id)``).
    ``name`` is how the user named the file, used in record ids and messages.
    """

    id: str
    kind: str
    records: int
    path: str = ""
    name: str = ""
    start: int = 0
    end: int = 0
    first: int = 1
    files: tuple[tuple[str, str], ...] = ()

    def read(self, on_error: OnError) -> Iterator[Record]:
        """The records of this partition, read from the input files."""
        if self.kind == "warc":
            return warc_records(self.path, on_error, start=self.start, end=self.end)
        if self.kind == "jsonl":
            return jsonl_records(Path(self.path), on_error, start=self.start, end=self.end, first_line=self.first,
                                 name=self.name)
        return page_records(((Path(p), rid) for p, rid in self.files), on_error)

    def to_json(self) -> dict[str, Any]:
        """The partition as stored in the manifest."""
        data = asdict(self)
        data["files"] = [list(f) for f in self.files]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Partition":
        """A partition read back from the manifest."""
        return cls(**{**data, "files": tuple(tuple(f) for f in data.get("files", ()))})


@dataclass
class Plan:
    """Every partition of a batch, and the inputs that could not be read (or not to the end)."""

    partitions: list[Partition] = field(default_factory=list)
    input_errors: list[InputError] = field(default_factory=list)


#: How scans run: ``map(scan_file, jobs)``, the builtin map or one that runs them on a cluster.
Mapper = Callable[[Callable, list], Iterable]


def fingerprint(inputs: Iterable[str | Path]) -> list[dict[str, str]]:
    """What each input is now: its absolute path and a hash of the size and modification time of every
    file it holds; a rerun compares these to tell unchanged inputs from changed ones."""
    prints = []
    for raw in inputs:
        path = Path(raw).absolute()
        digest = hashlib.sha256()
        if path.is_dir():
            for file in expand([path], on_error=lambda exc: None):
                _stamp(digest, file, str(file.relative_to(path)))
        elif path.exists():
            _stamp(digest, path, path.name)
        else:
            digest.update(b"missing")
        prints.append({"input": str(raw), "path": str(path), "fingerprint": digest.hexdigest()[:24]})
    return prints


def _stamp(digest, file: Path, name: str) -> None:
    try:
        st = file.stat()
        digest.update(f"{name}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    except OSError:
        digest.update(f"{name}\0unreadable\n".encode())


def plan(inputs: Iterable[str | Path], size: int = PARTITION_SIZE, map_scans: Mapper = map) -> Plan:
    """Cut the inputs into partitions of at most ``size`` records, in input order.

    ``map_scans`` runs the scans of the archive and JSONL files (one per file), so that a cluster can read
    many large files at once.
    """
    if size < 1:
        raise ValueError("a partition needs at least one record")
    result = Plan()
    files: dict[Path, str] = {}  # absolute path -> name as given, of every file to read (each once)
    for raw in inputs:
        if str(raw) == STDIN:
            result.input_errors.append(InputError(STDIN_NAME, STDIN_REFUSED))
            continue
        for file in expand([raw], on_error=result.input_errors.append):
            files.setdefault(file.absolute(), str(file))
    scanned = [(path, name) for path, name in files.items() if kind_of(path) in ("warc", "jsonl")]
    scans = dict(zip((p for p, _ in scanned), map_scans(scan_file, [(str(p), size) for p, _ in scanned])))

    pages: list[tuple[str, str]] = []
    for index, (path, name) in enumerate(files.items()):
        kind = kind_of(path)
        if kind not in ("warc", "jsonl"):
            pages.append((str(path), name))
            continue
        scan: Scan = scans[path]
        if scan.damage is not None:
            result.input_errors.append(InputError(name, scan.damage.problem))
        bounds = [offset for offset, _ in scan.cuts[1:]] + [scan.end]
        for chunk, ((start, first), end) in enumerate(zip(scan.cuts, bounds)):
            count = min(size, scan.records - chunk * size)
            result.partitions.append(Partition(
                id=f"{index:05d}-{chunk:06d}", kind=kind, records=count, path=str(path), name=name,
                start=start, end=end, first=first))
    for chunk in range(0, len(pages), size):
        group = tuple(pages[chunk:chunk + size])
        result.partitions.append(Partition(id=f"pages-{chunk // size:06d}", kind="pages", records=len(group),
                                           files=group))
    return result


def scan_file(job: tuple[str, int]) -> Scan:
    """Scan one archive or JSONL file for partition boundaries (a task of its own on a cluster)."""
    path, size = Path(job[0]), job[1]
    if kind_of(path) == "warc":
        return scan_warc(path, size)
    return scan_jsonl(path, size)


def same_inputs(stored: list[dict[str, str]], now: list[dict[str, str]]) -> str | None:
    """None when the inputs are the ones a stored plan was made for; else what differs, in words."""
    before = {p["path"]: p["fingerprint"] for p in stored}
    after = {p["path"]: p["fingerprint"] for p in now}
    if set(before) != set(after):
        added = sorted(set(after) - set(before))
        dropped = sorted(set(before) - set(after))
        parts = [f"new input {os.path.relpath(p)}" for p in added[:3]]
        parts += [f"input {os.path.relpath(p)} not given" for p in dropped[:3]]
        return ", ".join(parts)
    changed = [p for p in after if after[p] != before[p]]
    if changed:
        return f"input {os.path.relpath(changed[0])} changed since the batch started"
    return None
