"""Corpus store benchmark: 10,000 articles in the store, then the latency of search and speaker pages.

The articles are made here from the PolNeAR train and dev texts (never committed): each text is read as
``sayso ingest`` reads a page and annotated once (cached under --out, keyed by the sayso version), then
written again and again with its own url, outlet and date until the store holds --articles distinct
articles. A real ``sayso serve`` then answers HTTP requests on loopback, and each kind of request is
timed many times: median and 95th percentile, in milliseconds.

    python -m benchmarks.corpus --data ../shared/data/polnear     # or: make bench-corpus

Goal (issue 4): a search or a speaker page answers in under 200 ms at the median.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import statistics
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import sayso
from sayso import __version__
from sayso.evaluate.polnear import PUBLISHERS, read_metadata
from sayso.ingest.records import Record
from sayso.model import Article
from sayso.pipeline import annotate_many
from sayso.store import CorpusWriter, connect, connect_readonly
from sayso.web.server import running

GOAL_MS = 200.0

#: Searches a reporter would run on the 2016 campaign corpus: words, phrases, prefixes, OR, filters.
SEARCHES = [
    {"q": "Russia"}, {"q": "emails"}, {"q": '"tax returns"'}, {"q": "immigra*"}, {"q": "debate"},
    {"q": "FBI investigation"}, {"q": "polls OR survey"}, {"q": "wall Mexico"}, {"q": "Putin"},
    {"q": "jobs economy"}, {"q": "said"}, {"q": "women", "sort": "relevance"},
    {"q": "Russia", "sort": "relevance"}, {"q": "Clinton", "kind": "direct"},
    {"q": "Trump", "since": "2016-09", "until": "2016-10"},
]


def annotated_texts(data: Path, cache: Path) -> tuple[list[dict], dict]:
    """The PolNeAR train+dev articles as sayso.article/1 objects, annotated once and cached."""
    files = sorted((data / "train" / "text").glob("*.txt")) + sorted((data / "dev" / "text").glob("*.txt"))
    meta = read_metadata(data)
    # the article JSON's shape is part of the key: a cache written before a field was added is made again
    shape = hashlib.sha256((Path(sayso.__file__).parent / "schema" / "article.schema.json").read_bytes()).hexdigest()
    outlets = hashlib.sha256(json.dumps(PUBLISHERS, sort_keys=True).encode()).hexdigest()
    stamp = {"sayso": __version__, "files": len(files), "schema": shape[:16], "outlets": outlets[:16]}
    head = cache.with_suffix(".json")
    if cache.exists() and head.exists() and json.loads(head.read_text()) == stamp:
        return [json.loads(line) for line in cache.open()], {"cached": True}
    started = time.perf_counter()
    articles = []
    for path in files:
        art = Record(id=str(path), page=path.read_bytes()).to_article()
        known = meta.get(path.stem, {})
        art.outlet = known.get("outlet")
        art.published = known.get("publication_date")
        art.author = known.get("author")
        articles.append(art)
    done = []
    for n, art in enumerate(annotate_many(articles, "fast", 16), 1):
        done.append(art.to_json())
        if n % 100 == 0:
            print(f"  annotated {n}/{len(articles)}", file=sys.stderr)
    seconds = time.perf_counter() - started
    cache.parent.mkdir(parents=True, exist_ok=True)
    with cache.open("w") as f:
        for obj in done:
            f.write(json.dumps(obj, ensure_ascii=False) + "\n")
    head.write_text(json.dumps(stamp))
    return done, {"cached": False, "articles": len(done), "seconds": round(seconds, 1),
                  "articles_per_second": round(len(done) / seconds, 2)}


def build_store(db: Path, texts: list[dict], n: int) -> dict:
    """Write ``n`` distinct articles (copies of ``texts`` with their own url, outlet and date)."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    conn = connect(db)
    writer = CorpusWriter(conn)
    base = [Article.from_json(t) for t in texts]
    started = time.perf_counter()
    for i in range(n):
        src = base[i % len(base)]
        copy = i // len(base)
        when = None
        if src.published:
            when = (date.fromisoformat(src.published[:10]) + timedelta(days=37 * copy)).isoformat()
        art = replace(src, url=f"https://bench.sayso.invalid/{copy}/{i}",
                      outlet=f"{src.outlet}" + (f" {copy}" if copy % 3 else ""), published=when)
        writer.add(art, record=f"bench:{i}", original=art.text)
    seconds = time.perf_counter() - started
    counts = dict(conn.execute("SELECT 'articles', count(*) FROM articles UNION ALL SELECT 'attributions', count(*)"
                               " FROM attributions UNION ALL SELECT 'speakers', count(*) FROM speakers").fetchall())
    conn.close()
    return {**counts, "write_seconds": round(seconds, 1), "articles_per_second": round(n / seconds, 1),
            "db_mb": round(sum(Path(f"{db}{s}").stat().st_size for s in ("", "-wal") if Path(f"{db}{s}").exists())
                           / 2**20, 1)}


def get(url: str) -> tuple[float, int, int]:
    """(milliseconds, status, bytes) of one GET, the body read to the end."""
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as r:
        body = r.read()
        status = r.status
    return (time.perf_counter() - started) * 1000, status, len(body)


def timed(base: str, paths: list[str], repeat: int) -> dict:
    """Median and p95 over every path, each fetched ``repeat`` times."""
    ms = []
    for _ in range(repeat):
        for path in paths:
            t, status, _ = get(base + path)
            if status != 200:
                raise SystemExit(f"{path}: HTTP {status}")
            ms.append(t)
    ms.sort()
    return {"requests": len(ms), "median_ms": round(statistics.median(ms), 1),
            "p95_ms": round(ms[min(len(ms) - 1, int(len(ms) * 0.95))], 1), "max_ms": round(ms[-1], 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, required=True, help="the PolNeAR folder (train/, dev/, metadata.tsv)")
    ap.add_argument("--out", type=Path, default=Path("bench-out/corpus"), help="cache, store and results")
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=3, help="times each request is made")
    ap.add_argument("--seed", type=int, default=4)
    args = ap.parse_args()
    rng = random.Random(args.seed)

    print(f"annotating the PolNeAR texts (cached in {args.out})", file=sys.stderr)
    texts, annotation = annotated_texts(args.data, args.out / "polnear-annotated.jsonl")
    db = args.out / f"corpus-{args.articles}.sqlite"
    print(f"writing {args.articles:,} articles to {db}", file=sys.stderr)
    store = build_store(db, texts, args.articles)

    with running(db) as base:
        conn = connect_readonly(db)
        all_speakers = [r[0] for r in conn.execute("SELECT id FROM speakers WHERE attributions > 0")]
        outlets = [r[0] for r in conn.execute("SELECT DISTINCT outlet FROM articles")]
        articles = [r[0] for r in conn.execute("SELECT id FROM articles")]
        conn.close()
        home = json.loads(urllib.request.urlopen(base + "/api").read())
        top = [s["id"] for s in home["top_speakers"]]
        speakers = top + rng.sample(all_speakers, min(40, len(all_speakers)))
        searches = [dict(s) for s in SEARCHES]
        searches += [{"speaker": str(s)} for s in top[:5]]
        searches += [{"speaker": str(top[0]), "q": "Clinton"}, {"speaker": "Trump", "q": "wall"}]
        searches += [{"outlet": o} for o in rng.sample(outlets, 3)]
        searches += [{"kind": "according_to", "since": "2016-10-01", "until": "2016-10-31"}, {"via": str(top[0])}, {}]
        search_paths = ["?" + urllib.parse.urlencode(s) for s in searches]
        # what was said about someone: the most quoted, by id and by name, alone and with other filters
        abouts = [{"about": str(s)} for s in top[:5]] + [
            {"about": "Putin"}, {"about": "Comey", "speaker": str(top[0])}, {"about": "Clinton", "kind": "direct"}]
        for path in search_paths[:5]:
            get(base + "/api/search" + path)  # warm the page cache before timing
        results = {
            "search (HTML page)": timed(base, ["/search" + p for p in search_paths], args.repeat),
            "search (JSON)": timed(base, ["/api/search" + p for p in search_paths], args.repeat),
            "search about someone (JSON)": timed(base, ["/api/search?" + urllib.parse.urlencode(s) for s in abouts],
                                                 args.repeat),
            "search page 5 (JSON)": timed(base, ["/api/search" + p + "&page=5" for p in search_paths[:10]],
                                          args.repeat),
            "speaker page (HTML)": timed(base, [f"/speakers/{s}" for s in speakers], args.repeat),
            "speaker page (JSON)": timed(base, [f"/api/speakers/{s}" for s in speakers], args.repeat),
            "article page (HTML)": timed(base, [f"/articles/{a}" for a in rng.sample(articles, 50)], args.repeat),
            "home (HTML)": timed(base, ["/"], 10),
            "speaker lookup /api/speakers?q=": timed(base, ["/api/speakers?q=" + q for q in
                                                          ("trump", "clin", "senior+official", "putin")], args.repeat),
        }
        export_ms, _, export_bytes = get(base + "/api/search.csv?q=Russia")
    report = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "annotation": annotation,
        "store": store,
        "requests": results,
        "export_csv_q_russia": {"ms": round(export_ms, 1), "bytes": export_bytes},
        "goal_ms": GOAL_MS,
    }
    (args.out / "results.json").write_text(json.dumps(report, indent=1))
    print(f"\ncorpus: {store['articles']:,} articles, {store['attributions']:,} attributions, "
          f"{store['speakers']:,} speakers, {store['db_mb']} MB; written at {store['articles_per_second']} articles/s")
    if not annotation.get("cached"):
        print(f"annotation of {annotation['articles']} PolNeAR texts: {annotation['articles_per_second']} articles/s")
    print(f"\n{'request':36} {'n':>5} {'median ms':>10} {'p95 ms':>8} {'max ms':>8}")
    for name, r in results.items():
        print(f"{name:36} {r['requests']:>5} {r['median_ms']:>10} {r['p95_ms']:>8} {r['max_ms']:>8}")
    print(f"\nexport /api/search.csv?q=Russia: {export_ms:.0f} ms, {export_bytes:,} bytes")
    worst = max(results[k]["median_ms"] for k in results if k.startswith(("search", "speaker page")))
    print(f"slowest median of search and speaker pages: {worst} ms (goal: under {GOAL_MS:.0f} ms) -> "
          f"{'met' if worst < GOAL_MS else 'NOT met'}")
    print(f"results: {args.out / 'results.json'}")


if __name__ == "__main__":
    main()
