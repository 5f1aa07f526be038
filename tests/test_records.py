import gzip
import json

from sayso.errors import InputError
from sayso.ingest.records import iter_records


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
