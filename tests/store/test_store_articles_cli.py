"""``sayso articles``: the server's article list and article JSON from the shell, against the example corpus."""

import json

import pytest

from commands import refused, run
from sayso.store.queries import article, iter_articles, list_articles


def test_the_list_is_the_api_list_of_every_page_newest_first(corpus_db, conn):
    out = run("articles", "--json", "--db", corpus_db)
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout)
    expected = list_articles(conn, per_page=200)
    assert got == expected["results"] and len(got) == expected["total"] > 5
    dates = [a["date"] for a in got if a["date"]]
    assert dates == sorted(dates, reverse=True)
    # words of the title or text, an outlet, a period: the filters of /api/articles
    for args, kwargs in ((["bridge loan"], {"q": "bridge loan"}),
                         (["--outlet", "valley ledger"], {"outlet": "valley ledger"}),
                         (["--since", "2026-03", "--until", "2026-05"], {"since": "2026-03", "until": "2026-05"})):
        listed = list_articles(conn, per_page=200, **kwargs)["results"]
        assert json.loads(run("articles", *args, "--json", "--db", corpus_db).stdout) == listed
        assert 0 < len(listed) < len(got), args


def test_articles_are_read_a_chunk_at_a_time_in_the_list_s_order(conn):
    every = list_articles(conn, per_page=200)["results"]
    assert list(iter_articles(conn, chunk=2)) == every
    assert list(iter_articles(conn, limit=3, chunk=2)) == every[:3]


def test_the_table_has_a_row_per_article(corpus_db, conn):
    top = list_articles(conn, per_page=3)["results"]
    lines = run("articles", "--limit", "3", "--db", corpus_db).stdout.decode().splitlines()
    assert len(lines) == 4 and lines[0].split()[:3] == ["ID", "DATE", "ATTR"]
    for line, a in zip(lines[1:], top):
        assert line.split()[:3] == [str(a["id"]), a["date"], str(a["attributions"])]
        assert line.endswith(a["title"])


def test_the_csv_and_the_parquet_file_have_a_row_per_listed_article(corpus_db, conn, tmp_path):
    import csv
    import io

    import pyarrow.parquet as pq

    listed = list_articles(conn, outlet="valley ledger", per_page=200)["results"]
    expected = [{"article_id": a["id"], **{k: a[k] for k in ("title", "outlet", "published", "date", "url",
                                                              "attributions")}} for a in listed]
    out = run("articles", "--outlet", "valley ledger", "--csv", "--db", corpus_db)
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout.decode())))
    assert rows == [{k: "" if v is None else str(v) for k, v in e.items()} for e in expected] and len(rows) >= 2
    path = tmp_path / "ledger.parquet"
    out = run("articles", "--outlet", "valley ledger", "--parquet", path, "--db", corpus_db)
    assert out.returncode == 0 and out.stdout == b"" and f"{path}: written" in out.stderr.decode()
    assert pq.read_table(path).to_pylist() == expected


def test_jsonl_writes_each_stored_article_whole_with_verbatim_spans(corpus_db, conn):
    out = run("articles", "--jsonl", "--since", "2026-04", "--db", corpus_db)
    assert out.returncode == 0, out.stderr
    lines = [json.loads(line) for line in out.stdout.decode().splitlines()]
    listed = list_articles(conn, since="2026-04", per_page=200)["results"]
    assert [a["id"] for a in lines] == [a["id"] for a in listed] and lines
    for art in lines:
        assert art == json.loads(json.dumps(article(conn, art["id"])))
        assert art["schema"] == "sayso.article/1" and art["attributions"]
        for att in art["attributions"]:
            for role in ("source", "cue", "content"):
                assert " ".join(art["text"][s:e] for s, e in att[role]["spans"]) == att[role]["text"]


def test_show_gives_one_article_with_its_attributions(corpus_db, conn):
    first = list_articles(conn, per_page=1)["results"][0]
    out = run("articles", "--show", first["id"], "--json", "--db", corpus_db)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == json.loads(json.dumps(article(conn, first["id"])))
    text = run("articles", "--show", first["id"], "--db", corpus_db).stdout.decode()
    assert text.startswith(f"{first['title']}, article {first['id']}\n")
    flat = " ".join(text.split())
    for att in article(conn, first["id"])["attributions"]:
        who = att["speaker"]["name"] if att["speaker"] else att["source"]["text"]
        assert f"{att['id']} {att['kind']}: {who}" in flat
        assert " ".join(att["content"]["text"].split()) in flat


@pytest.mark.parametrize("args, problem", [
    (["--show", "987654"], "no article 987654"),
    (["--show", str(2 ** 64)], "--show"),  # past SQLite's integers: a usage error, not a traceback
    (["--show", "1", "--jsonl"], "--show shows one article"),
    (["--show", "1", "--outlet", "Valley Ledger"], "--show shows one article"),
    (["--json", "--jsonl"], "four formats"),
    (["--csv", "--parquet", "out.parquet"], "four formats"),
    (["--show", "1", "--csv"], "--show shows one article"),
    (["--parquet", "no/such/folder/a.parquet"], "no/such/folder/a.parquet: cannot be written"),
    (["--since", "2026-13"], "since"),
    (["--db", "missing.sqlite"], "no such corpus database"),
])
def test_bad_requests_are_one_line_and_exit_2(corpus_db, args, problem):
    if "--db" not in args:
        args = [*args, "--db", corpus_db]
    refused(run("articles", *args), problem)
