import gzip
import io
import json

import pytest

from crawl import html_records, make_page, write_warc
from sayso.errors import InputError
from sayso.ingest.records import SNIFF_BYTES, iter_records, sniff, stdin_records


def test_folders_are_walked_and_jsonl_lines_are_records(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.html").write_text("<html><body><p>x</p></body></html>")
    (tmp_path / "a.txt").write_text("Title\n\nBody.")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    lines = [
        json.dumps({"url": "https://x/1", "text": "One\n\nShe said so.", "outlet": "X"}),
        "{broken json",
        json.dumps({"url": "https://x/3"}),
        json.dumps({"url": "https://x/4", "html": "<p>Four</p>", "published": "2016-10-01"}),
    ]
    (tmp_path / "dump.jsonl").write_text("\n".join(lines) + "\n")
    errors: list[InputError] = []
    records = list(iter_records([tmp_path], on_error=errors.append))
    ids = [r.id for r in records]
    assert ids == [str(tmp_path / "a.txt"), f"{tmp_path / 'dump.jsonl'}:1", f"{tmp_path / 'dump.jsonl'}:4",
                   str(tmp_path / "sub" / "b.html")]
    assert [e.where for e in errors] == [f"{tmp_path / 'dump.jsonl'}:2", f"{tmp_path / 'dump.jsonl'}:3"]
    assert records[1].url == "https://x/1" and records[1].meta == {"outlet": "X"}
    assert records[1].to_article().outlet == "X"


def test_gzipped_jsonl_and_missing_paths(tmp_path):
    path = tmp_path / "d.jsonl.gz"
    with gzip.open(path, "wt") as f:
        f.write(json.dumps({"text": "T\n\nA said B."}) + "\n")
    errors = []
    records = list(iter_records([path, tmp_path / "missing"], on_error=errors.append))
    assert len(records) == 1 and len(errors) == 1
    assert "no such file" in str(errors[0])


# ------------------------------------------------------------------------------------------------ standard input
def _stdin(data: bytes) -> tuple[list, list[InputError]]:
    errors: list[InputError] = []
    return list(stdin_records(errors.append, stream=io.BytesIO(data))), errors


DUMP = "".join(json.dumps({"url": f"https://x.example/{n}", "text": f"Vote {n}\n\n\"We won,\" Ana Ruiz said.",
                           "outlet": "X"}) + "\n" for n in range(1, 4))


@pytest.mark.parametrize("gzipped", [False, True], ids=["plain", "gzip"])
def test_a_dump_on_standard_input_is_read_line_by_line(gzipped):
    data = DUMP.encode()
    records, errors = _stdin(gzip.compress(data) if gzipped else data)
    assert errors == []
    assert [r.id for r in records] == ["<stdin>:1", "<stdin>:2", "<stdin>:3"]
    assert [r.url for r in records] == ["https://x.example/1", "https://x.example/2", "https://x.example/3"]
    assert records[2].to_article().outlet == "X"


def test_a_dump_on_standard_input_longer_than_the_sniffed_head_loses_no_line():
    lines = [json.dumps({"url": f"https://x.example/{n}", "text": f"Story {n}\n\n" + "Words here. " * 400})
             for n in range(40)]  # about 190 kB, well past the first SNIFF_BYTES
    assert len("\n".join(lines)) > 2 * SNIFF_BYTES
    records, errors = _stdin(("\n".join(lines) + "\n").encode())
    assert errors == [] and [r.url for r in records] == [f"https://x.example/{n}" for n in range(40)]
    assert all(r.page == json.loads(line)["text"] for r, line in zip(records, lines))


def test_a_bad_line_on_standard_input_is_named_and_the_rest_is_read():
    records, errors = _stdin(b'{"url": "https://x.example/1", "text": "T\\n\\nShe said so."}\n{broken\n'
                             b'{"url": "https://x.example/3"}\n')
    assert [r.id for r in records] == ["<stdin>:1"]
    assert [str(e) for e in errors] == ["<stdin>:2: not a JSON object (JSONDecodeError)",
                                        '<stdin>:3: no "html" or "text" field with the page']


@pytest.mark.parametrize("gzipped", [False, True], ids=["plain", "gzip"])
def test_a_web_archive_on_standard_input_is_read_record_by_record(tmp_path, gzipped):
    pages = [make_page(n) for n in range(3)]
    path = tmp_path / ("crawl.warc.gz" if gzipped else "crawl.warc")
    ids = write_warc(path, html_records(pages), gzip=gzipped)
    records, errors = _stdin(path.read_bytes())
    assert errors == []
    assert [r.id for r in records] == ids
    assert [r.url for r in records] == [p.url for p in pages]
    assert [r.page for r in records] == [p.html.encode() for p in pages]


def test_a_web_archive_cut_short_on_standard_input_is_named_as_standard_input(tmp_path):
    path = tmp_path / "crawl.warc"
    write_warc(path, html_records([make_page(n) for n in range(3)]), gzip=False)
    data = path.read_bytes()
    records, errors = _stdin(data[:len(data) - 200])
    assert len(records) == 2
    assert len(errors) == 1 and errors[0].where == "<stdin>" and "the 2 pages before it were read" in str(errors[0])


@pytest.mark.parametrize("data, kind", [
    (b"WARC/1.1\r\nWARC-Type: warcinfo\r\n", ("warc", False)),
    (gzip.compress(b"WARC/1.0\r\nWARC-Type: response\r\n"), ("warc", True)),
    (b'\xef\xbb\xbf  \n{"text": "T"}\n', ("jsonl", False)),
    (gzip.compress(b'{"text": "T"}\n'), ("jsonl", True)),
    (b"<!DOCTYPE html><html><body><p>{not a dump}</p></body></html>", ("page", False)),
    (b"Title\n\nShe said: {braces} are fine inside a page.", ("page", False)),
    (gzip.compress(b"<html><body>a gzipped page</body></html>"), ("page", False)),
    (b"", ("page", False)),
    (b"{Editor's note: this story was corrected.}\n\nBridge Reopens\n\nShe said so.", ("page", False)),
    (b'{ "text": "T"}\n', ("jsonl", False)),
    (b'{}\n{"text": "T"}\n', ("jsonl", False)),
    (b'{"text": broken\n', ("jsonl", False)),
], ids=["warc", "warc.gz", "jsonl-bom", "jsonl.gz", "html", "text", "gzipped-page", "empty", "brace-page",
        "jsonl-space", "jsonl-empty-object", "jsonl-broken-first-line"])
def test_standard_input_is_told_apart_by_its_first_bytes(data, kind):
    assert sniff(data) == kind


def test_a_page_that_opens_with_a_brace_is_a_page_on_standard_input():
    text = b"{Editor's note: this story was corrected on Friday.}\n\nBridge Reopens\n\n\"We are open,\" Mayor Ana Ruiz said."
    (record,), errors = _stdin(text)
    assert errors == [] and record.id == "<stdin>"
    article = record.to_article()
    assert "Ana Ruiz" in article.text


def test_a_page_on_standard_input_is_one_record_and_a_gzipped_page_is_refused_as_binary():
    (record,), errors = _stdin(b"Title\n\n\"We won,\" Ana Ruiz said.")
    assert errors == [] and record.id == "<stdin>"
    assert record.to_article().text.startswith("Title")
    (record,), _ = _stdin(gzip.compress(b"<html><body><p>A page.</p></body></html>"))
    with pytest.raises(InputError, match="<stdin>: binary data"):
        record.to_article()
