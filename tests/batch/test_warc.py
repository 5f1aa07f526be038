"""Reading web archives and cutting inputs into ranges: the ingest side of batch runs."""

import gzip
import json

import pytest

from crawl import html_records, make_page, write_warc
from sayso.errors import InputError
from sayso.ingest.records import is_batch_output, iter_records, jsonl_records, scan_jsonl
from sayso.ingest.warc import scan_warc, warc_records


def test_only_html_responses_with_status_200_are_pages(tmp_path):
    pages = [make_page(i) for i in range(3)]
    records = html_records(pages)
    records.insert(1, ("https://news.example.org/logo.png", b"\x89PNG\r\n\x1a\n", "image/png", "200 OK"))
    records.insert(2, ("https://news.example.org/gone", b"<html><p>Not here</p></html>", "text/html", "404 Not Found"))
    records.append(("https://news.example.org/x", b"<?xml version='1.0'?><html/>", "application/xhtml+xml", "200 OK"))
    path = tmp_path / "crawl.warc.gz"
    ids = write_warc(path, records)
    got = list(warc_records(path))
    assert [r.id for r in got] == [ids[0], ids[3], ids[4], ids[5]]
    assert all(r.id.startswith("<urn:uuid:") for r in got)
    assert [r.url for r in got[:3]] == [p.url for p in pages]
    assert got[0].page == pages[0].html.encode() and got[0].charset == "utf-8"
    assert [r.id for r in iter_records([tmp_path])] == [r.id for r in got]


def test_the_http_header_charset_decodes_the_page(tmp_path):
    text = "Новости дня: мэр сказал, что мост откроют весной."
    body = f"<html><head><title>Мост</title></head><body><article><p>{text}</p><p>{text}</p></article></body></html>"
    path = tmp_path / "ru.warc"
    write_warc(path, [("https://news.example.org/ru", body.encode("koi8-r"), "text/html; charset=KOI8-R", "200 OK")],
               gzip=False)
    (record,) = warc_records(path)
    assert record.charset == "KOI8-R"
    # a Russian page: read with any_language, since by default it is refused as not English (once decoded)
    assert text in record.to_article(any_language=True).text
    with pytest.raises(InputError, match="reads as Russian"):
        record.to_article()


@pytest.mark.parametrize("compressed", [True, False])
def test_a_truncated_archive_keeps_the_pages_before_the_damage(tmp_path, compressed):
    pages = [make_page(i) for i in range(6)]
    whole = tmp_path / ("whole.warc.gz" if compressed else "whole.warc")
    ids = write_warc(whole, html_records(pages), gzip=compressed)
    cut = tmp_path / ("cut.warc.gz" if compressed else "cut.warc")
    data = whole.read_bytes()
    cut.write_bytes(data[: len(data) * 2 // 3 + 101])  # inside a record, not at a boundary
    errors: list[InputError] = []
    got = list(warc_records(cut, errors.append))
    assert 2 <= len(got) < 6
    assert [r.id for r in got] == ids[: len(got)]
    assert [r.page for r in got] == [p.html.encode() for p in pages[: len(got)]]
    assert len(errors) == 1 and errors[0].where == str(cut) and "cannot be read past byte" in errors[0].problem
    scan = scan_warc(cut, every=2)
    assert scan.records == len(got) and scan.damage is not None
    # reading up to where the scan stopped reads the same pages and meets no damage
    again: list[InputError] = []
    assert [r.id for r in warc_records(cut, again.append, end=scan.end)] == [r.id for r in got] and not again


def test_not_an_archive_is_one_error(tmp_path):
    path = tmp_path / "page.warc"
    path.write_text("<html><body><p>Not an archive</p></body></html>")
    errors = []
    assert list(warc_records(path, errors.append)) == []
    assert len(errors) == 1 and "not a readable WARC archive" in str(errors[0])


@pytest.mark.parametrize("compressed", [True, False])
def test_scanned_ranges_cover_every_page_once(tmp_path, compressed):
    pages = [make_page(i) for i in range(11)]
    records = html_records(pages)
    records.insert(4, ("https://news.example.org/style.css", b"body{}", "text/css", "200 OK"))
    path = tmp_path / ("c.warc.gz" if compressed else "c.warc")
    ids = write_warc(path, records, gzip=compressed)
    scan = scan_warc(path, every=3)
    assert scan.records == 11 and scan.damage is None and scan.end == path.stat().st_size
    assert [n for _, n in scan.cuts] == [0, 3, 6, 9]
    ends = [offset for offset, _ in scan.cuts[1:]] + [scan.end]
    parts = [[r.id for r in warc_records(path, start=s, end=e)] for (s, _), e in zip(scan.cuts, ends)]
    assert [len(p) for p in parts] == [3, 3, 3, 2]
    assert sum(parts, []) == [i for i in ids if i != ids[4]]


@pytest.mark.parametrize("name", ["d.jsonl", "d.jsonl.gz"])
def test_jsonl_ranges_keep_line_numbers(tmp_path, name):
    lines = [json.dumps({"url": f"https://x/{i}", "text": f"T{i}\n\nShe said {i}."}) for i in range(8)]
    lines[2] = ""  # blank lines are no records
    lines[5] = "{broken"
    data = ("\n".join(lines) + "\n").encode()
    path = tmp_path / name
    path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    scan = scan_jsonl(path, every=3)
    assert scan.records == 7 and [n for _, n in scan.cuts] == [1, 5, 8]
    ends = [offset for offset, _ in scan.cuts[1:]] + [scan.end]
    seen, errors = [], []
    for (start, first), end in zip(scan.cuts, ends):
        seen += [r.id for r in jsonl_records(path, errors.append, start=start, end=end, first_line=first,
                                             name="d")]
    assert seen == ["d:1", "d:2", "d:4", "d:5", "d:7", "d:8"]
    assert [e.where for e in errors] == ["d:6"]


def test_a_batch_output_is_not_read_as_pages(tmp_path):
    out = tmp_path / "out"
    (out / "errors").mkdir(parents=True)
    (out / "manifest.json").write_text("{}")
    (out / "errors.jsonl").write_text(json.dumps({"record_id": "x", "reason": "y"}) + "\n")
    shard = tmp_path / "part.parquet"
    shard.write_bytes(b"PAR1")
    assert is_batch_output(out) and is_batch_output(shard) and not is_batch_output(tmp_path / "errors")
    errors = []
    assert list(iter_records([out, shard], errors.append)) == []
    assert [e.where for e in errors] == [str(out), str(shard)]
    assert all("sayso batch output" in e.problem for e in errors)
