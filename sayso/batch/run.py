"""Running a batch on Dask distributed: one task per partition, one shard per task, resumable.

The client plans the partitions (scans run on the workers), writes the manifest, then submits every
partition not yet done. A task reads its own records from the input files (page bytes never pass through
the scheduler), cleans and annotates them in batches with the worker's pipeline, which a worker plugin loads
once when the worker starts, and writes its errors and then its shard atomically. A task that raises is
retried; a task whose worker dies is moved to another worker by the scheduler.

>>> summary = run_batch(["crawl.warc.gz"], "out/", workers=2)     # doctest: +SKIP
>>> summary.articles, summary.failed                              # doctest: +SKIP
(4812, 371)
"""

from __future__ import annotations

import json
import logging
import os
import resource
import socket
import sys
import time
import uuid
from dataclasses import asdict, dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from ..errors import InputError, SpanError
from ..model import Article
from .plan import PARTITION_SIZE, Partition, fingerprint, plan, same_inputs
from .shards import (
    ALL_ERRORS, BATCH_SCHEMA, is_temporary, read_manifest, remove_temporaries, shard_counts, write_all_errors,
    write_errors, write_manifest, write_shard,
)

#: Articles cleaned and parsed together: the parse is batched (nlp.pipe), and a failure inside a batch is
#: narrowed down to its article by redoing that batch one article at a time.
ANNOTATE_BATCH = 32
#: Attempts of a task that raises (I/O trouble) after the first.
RETRIES = 2
#: Least seconds between two rewrites of the manifest while partitions finish.
MANIFEST_EVERY_S = 2.0


@dataclass
class Summary:
    """What a run did: totals over the whole batch folder, and this run's own work and speed."""

    out: str
    workers: int
    partitions: int
    shards: int
    records: int
    articles: int
    failed: int
    partitions_run: int = 0
    partitions_failed: list[str] = field(default_factory=list)
    articles_this_run: int = 0
    #: Seconds of the whole run (connecting, planning, annotating), and of the annotating alone.
    elapsed_s: float = 0.0
    work_s: float = 0.0
    #: This run's articles per second of annotating.
    articles_per_s: float = 0.0
    worker_peak_rss_mb: dict[str, float] = field(default_factory=dict)
    errors_file: str = ""

    @property
    def complete(self) -> bool:
        """True when every partition has its shard."""
        return self.shards == self.partitions

    def to_json(self) -> dict[str, Any]:
        """The summary as printed by ``sayso batch``."""
        return asdict(self)


# ------------------------------------------------------------------------------------------- on a worker
def pipeline_plugin(mode: str):
    """A worker plugin that loads the spaCy pipeline when a worker starts, once per worker process (later
    calls of ``sayso.nlp.load`` in the same process hit its cache)."""
    from distributed import WorkerPlugin

    class LoadPipeline(WorkerPlugin):
        name = f"sayso-pipeline-{mode}"

        def setup(self, worker) -> None:
            from ..nlp import load

            load(mode)

    return LoadPipeline()


def run_partition(partition: Partition, out: str, mode: str = "fast", any_language: bool = False) -> dict[str, Any]:
    """Read, clean, annotate and write one partition; returns its counts. Runs on a worker.

    Records that cannot be read or annotated (or are not in English, unless ``any_language``) go to the
    partition's errors file with their reason; the errors file is written before the shard, whose existence
    marks the partition done.
    """
    started = time.perf_counter()
    errors: list[dict[str, str]] = []

    def failed(exc: InputError) -> None:
        errors.append({"record_id": exc.where, "reason": exc.problem})

    def articles() -> Iterator[tuple[str, Article]]:
        for record in partition.read(failed):
            try:
                yield record.id, record.to_article(any_language=any_language)
            except InputError as exc:
                failed(exc)

    rows: list[dict[str, Any]] = []
    attributions = 0
    stream = articles()
    while chunk := list(islice(stream, ANNOTATE_BATCH)):
        for record_id, article in _annotated(chunk, mode, failed):
            try:
                data = article.to_json()
            except SpanError as exc:  # a span the serializer refuses: this record fails, the batch goes on
                failed(InputError(record_id, f"annotation refused ({exc})"))
                continue
            attributions += len(article.attributions)
            rows.append({"record_id": record_id, "url": article.url, "title": article.title,
                         "n_attributions": len(article.attributions),
                         "article": json.dumps(data, ensure_ascii=False)})
    counts = {"records": len(rows) + len(errors), "articles": len(rows), "failed": len(errors),
              "attributions": attributions}
    out_dir = Path(out)
    write_errors(out_dir, partition.id, errors)
    write_shard(out_dir, partition.id, rows, counts)
    return {"id": partition.id, **counts, "seconds": round(time.perf_counter() - started, 3),
            "worker": f"{socket.gethostname()}:{os.getpid()}",
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def _annotated(chunk: list[tuple[str, Article]], mode: str,
               failed: Callable[[InputError], None]) -> Iterator[tuple[str, Article]]:
    """The chunk's articles annotated (see ``annotate_each``); those that fail on their own go to ``failed``."""
    from ..pipeline import annotate_each, annotation_error

    for (record_id, _), done in zip(chunk, annotate_each([a for _, a in chunk], mode, batch_size=len(chunk))):
        if isinstance(done, Exception):
            failed(annotation_error(record_id, done))
        else:
            yield record_id, done


# ------------------------------------------------------------------------------------------- the client
def run_batch(inputs: Iterable[str | Path], out: str | Path, *, workers: int | None = None,
              scheduler: str | None = None, client=None, partition_size: int = PARTITION_SIZE,
              mode: str = "fast", on_input_error: Callable[[InputError], None] | None = None,
              show_progress: bool | None = None, any_language: bool = False) -> Summary:
    """Annotate every article of the inputs into Parquet shards under ``out``; resumes a stopped batch.

    Runs on ``client`` if given, else on the Dask cluster at ``scheduler``, else on a local cluster of
    ``workers`` processes (one per core by default). ``on_input_error`` hears of each input that cannot be
    read (or not to the end); per-record failures go to ``out/errors.jsonl``, pages that are not in English
    among them unless ``any_language``. ``show_progress`` None shows a progress bar on stderr when it is a
    terminal.
    """
    inputs = list(inputs)
    out = Path(out)
    started = time.perf_counter()
    manifest = read_manifest(out) if out.is_dir() else None  # a big batch's manifest is read once
    _check_out(out, manifest)
    out.mkdir(parents=True, exist_ok=True)
    remove_temporaries(out)
    prints = fingerprint(inputs)
    if manifest is not None:
        _check_same_batch(out, manifest, prints, partition_size, mode, any_language)
        pending = _pending(out, manifest)
    summary = Summary(out=str(out), workers=0, partitions=0, shards=0, records=0, articles=0, failed=0)

    # a finished batch needs no cluster: a rerun only reports
    if manifest is None or pending:
        with _connect(client, scheduler, workers) as dask_client:
            if manifest is None:
                manifest = _plan(dask_client, inputs, prints, partition_size, mode, any_language)
                write_manifest(out, manifest)
                pending = _pending(out, manifest)
            _report_input_errors(manifest, on_input_error)
            summary.workers = len(dask_client.scheduler_info()["workers"])
            if pending:
                dask_client.register_plugin(pipeline_plugin(mode))
                work_started = time.perf_counter()  # the pipeline is loaded: from here on, it is annotating
                _run_pending(dask_client, pending, out, mode, manifest, summary, show_progress)
                summary.work_s = round(time.perf_counter() - work_started, 3)
    else:
        _report_input_errors(manifest, on_input_error)
    _close_summary(out, manifest, summary, started)
    return summary


def _plan(client, inputs: list, prints: list[dict], partition_size: int, mode: str,
          any_language: bool) -> dict[str, Any]:
    """The manifest of a new batch: its inputs and options, and every partition, none done yet."""
    def map_scans(fn, jobs):
        return client.gather(client.map(fn, jobs, pure=False, retries=RETRIES))

    the_plan = plan(inputs, partition_size, map_scans=map_scans)
    return {
        "schema": BATCH_SCHEMA, "mode": mode, "partition_size": partition_size, "any_language": any_language,
        "inputs": prints,
        "input_errors": [{"record_id": e.where, "reason": e.problem} for e in the_plan.input_errors],
        "partitions": [{**p.to_json(), "done": False} for p in the_plan.partitions],
    }


def _pending(out: Path, manifest: dict[str, Any]) -> list[Partition]:
    """The partitions without a finished shard; marks the others done, with their counts, in the manifest.

    The shards, not the manifest, say what is done: a run killed after a shard was renamed into place but
    before the manifest was rewritten still counts that partition as done, exactly once.
    """
    pending = []
    for entry in manifest["partitions"]:
        counts = shard_counts(out, entry["id"])
        entry.update(done=counts is not None, **(counts or {}))
        if counts is None:
            pending.append(Partition.from_json({k: v for k, v in entry.items() if k in _PARTITION_FIELDS}))
    return pending


def _report_input_errors(manifest: dict[str, Any], on_input_error) -> None:
    if on_input_error:
        for err in manifest["input_errors"]:
            on_input_error(InputError(err["record_id"], err["reason"]))


_PARTITION_FIELDS = set(Partition.__dataclass_fields__)


def _check_out(out: Path, manifest: dict | None) -> None:
    if out.exists() and not out.is_dir():
        raise InputError(str(out), "exists and is not a folder")
    # a run killed before its manifest was in place leaves at most a temporary file: that folder is still ours
    if out.is_dir() and manifest is None and any(not is_temporary(p) for p in out.iterdir()):
        raise InputError(str(out), "is a folder with other files, not a sayso batch output; name a new or "
                                   "empty folder")


def _check_same_batch(out: Path, manifest: dict, prints: list[dict], partition_size: int, mode: str,
                      any_language: bool) -> None:
    """A batch folder resumes only the batch it holds: same inputs, unchanged, same partitions and options."""
    differs = same_inputs(manifest["inputs"], prints)
    if differs is None and manifest["partition_size"] != partition_size:
        differs = f"it was started with --partition-size {manifest['partition_size']}"
    if differs is None and manifest["mode"] != mode:
        differs = f"it was started with --mode {manifest['mode']}"
    started_any = manifest.get("any_language", False)  # a manifest from before --any-language: English only
    if differs is None and started_any != any_language:
        differs = f"it was started {'with' if started_any else 'without'} --any-language"
    if differs:
        raise InputError(str(out), f"holds another batch ({differs}); resume it with its own inputs and "
                                   "options, or name a new --out folder")


class _connect:
    """The Dask client to run on, and the local cluster made for it when there is no other."""

    def __init__(self, client, scheduler: str | None, workers: int | None):
        self.client, self.scheduler, self.workers = client, scheduler, workers
        self.owned: list = []

    def __enter__(self):
        if self.client is not None:
            return self.client
        from distributed import Client, LocalCluster

        if self.scheduler:
            try:
                client = Client(self.scheduler, timeout="30s")
            except OSError as exc:
                raise InputError(self.scheduler, f"no Dask scheduler answers there ({exc})") from None
            self.owned = [client]
            return client
        # No dashboard, and the scheduler's own HTTP routes on a free loopback port: with no address it takes
        # 8787, and warns on stderr where another cluster holds that port. Dask's own messages stay quiet (a
        # worker still beating its heart as the cluster closes logs a traceback): what fails is reported by
        # the batch itself, per partition and per record.
        cluster = LocalCluster(n_workers=self.workers or os.cpu_count() or 1, threads_per_worker=1,
                               processes=True, dashboard_address=None, silence_logs=logging.CRITICAL,
                               scheduler_kwargs={"dashboard_address": "127.0.0.1:0"})
        client = Client(cluster)
        self.owned = [client, cluster]
        return client

    def __exit__(self, *exc) -> None:
        for thing in self.owned:
            thing.close()


def _run_pending(client, pending: list[Partition], out: Path, mode: str, manifest: dict, summary: Summary,
                 show_progress: bool | None) -> None:
    """Submit the pending partitions and follow them as they finish, keeping the manifest up to date."""
    from distributed import as_completed
    from tqdm import tqdm

    entries = {p["id"]: p for p in manifest["partitions"]}
    run = uuid.uuid4().hex[:8]
    shared_out = str(out.absolute())  # workers elsewhere have their own working folder
    any_language = manifest.get("any_language", False)
    futures = {
        client.submit(run_partition, p, shared_out, mode, any_language, key=f"sayso-partition-{p.id}-{run}",
                      retries=RETRIES, pure=False): p
        for p in pending
    }
    bar = tqdm(total=sum(p.records for p in pending), unit="article", desc="batch", file=sys.stderr,
               disable=None if show_progress is None else not show_progress, smoothing=0.1)
    next_write = time.monotonic() + MANIFEST_EVERY_S
    failed = 0
    try:
        for future in as_completed(futures):
            partition = futures[future]
            try:
                result = future.result()
            except Exception as exc:  # the task kept failing (or its workers kept dying): report, go on
                summary.partitions_failed.append(f"{partition.id}: {type(exc).__name__}: {exc}")
                bar.update(partition.records)
                continue
            entries[partition.id].update(done=True, **{k: result[k] for k in
                                                       ("records", "articles", "failed", "attributions")})
            summary.partitions_run += 1
            summary.articles_this_run += result["articles"]
            rss = summary.worker_peak_rss_mb
            rss[result["worker"]] = max(rss.get(result["worker"], 0.0), result["peak_rss_mb"])
            failed += result["failed"]
            bar.update(partition.records)
            bar.set_postfix(failed=failed, refresh=False)
            if time.monotonic() >= next_write:
                began = time.monotonic()
                write_manifest(out, manifest)
                # a batch of many thousand partitions has a big manifest: keep its rewrites under 5% of the time
                next_write = time.monotonic() + max(MANIFEST_EVERY_S, 20 * (time.monotonic() - began))
    finally:
        bar.close()
        for future in futures:
            future.cancel()


def _close_summary(out: Path, manifest: dict, summary: Summary, started: float) -> None:
    """Totals over the folder, the gathered errors file and the final manifest."""
    done = [p for p in manifest["partitions"] if p.get("done")]
    summary.partitions = len(manifest["partitions"])
    summary.shards = len(done)
    summary.records = sum(p["records"] for p in manifest["partitions"])
    summary.articles = sum(p.get("articles", 0) for p in done)
    summary.failed = write_all_errors(out, manifest["input_errors"], [p["id"] for p in done])
    summary.errors_file = str(out / ALL_ERRORS)
    summary.elapsed_s = round(time.perf_counter() - started, 3)
    if summary.work_s:
        summary.articles_per_s = round(summary.articles_this_run / summary.work_s, 2)
    manifest["last_run"] = summary.to_json()
    write_manifest(out, manifest)
