"""The catalogue of bad input: every kind of page, dump and archive that sayso must survive, with what it must do.

Each kind writes its files into an inputs folder and says, for each record it makes (a page file, a JSONL line,
a web archive response, or a whole file that cannot be read), what every command must report: a problem
(a piece of the one-line error naming it) or an article (with a check of its own, on top of the checks every
article gets). ``docs/reliability.md`` lists the same kinds in its table.
"""

from __future__ import annotations

import codecs
import gzip
import json
import os
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from crawl import html_records, make_page, write_warc

#: The commands a kind goes through.
ALL = ("extract", "ingest", "batch")

ARTICLE = ('Harbor Vote Delayed\n\n"We will not vote before the spring," Senator Maria Delgado said on Monday.\n\n'
           "The council said that the bridge would reopen in June, according to the Valley Ledger.")
ACCENTED = "Café Vote Delayed\n\nThe café owner, Ana Ruiz, said the naïve plan would fail before the vote."


@dataclass(frozen=True)
class Expect:
    """What a command must make of one record: an error holding ``problem``, or an article passing ``check``."""

    problem: str | None = None
    check: Callable[[dict], None] | None = None
    #: The record may be missing (a record near the damage in a cut-off file); if it is there, it is an article.
    optional: bool = False

    @property
    def is_error(self) -> bool:
        return self.problem is not None


@dataclass(frozen=True)
class Kind:
    """One kind of bad input: its name, what it is, the commands it goes through, and how to make it.

    ``make(folder)`` writes the files and returns ``{record key: Expect}``, the key being the record id that
    the commands use, relative to the folder: ``pages/x.html``, ``dumps/d.jsonl:2``, or a WARC-Record-ID.
    """

    name: str
    what: str
    make: Callable[[Path], dict[str, Expect]]
    commands: tuple[str, ...] = ALL
    #: Passed to the commands by name (not found by walking the inputs folders): a missing path.
    named: tuple[str, ...] = field(default=())


def page(name: str, data: bytes | Callable[[], bytes], expect: Expect) -> Callable[[Path], dict[str, Expect]]:
    def make(folder: Path) -> dict[str, Expect]:
        path = folder / "pages" / name
        path.write_bytes(data() if callable(data) else data)
        return {f"pages/{name}": expect}
    return make


def error(problem: str) -> Expect:
    return Expect(problem=problem)


def article(*must_hold: str, check: Callable[[dict], None] | None = None, optional: bool = False) -> Expect:
    """An article whose text holds each of ``must_hold``."""
    def full_check(data: dict) -> None:
        for piece in must_hold:
            assert piece in data["text"], (piece, data["text"][:300])
        if check is not None:
            check(data)
    return Expect(check=full_check, optional=optional)


def html_page(body: str, charset: str = "utf-8", title: str = "Café Vote Delayed") -> str:
    """A news page; kinds give each page its own ``title``, since ingest stores one article per url and text."""
    return (f'<!DOCTYPE html><html><head><meta charset="{charset}"><title>{title}</title></head><body><article>'
            f"<h1>{title}</h1>{body}<p>She said the vote would be held on Monday after the council met again, "
            f"and that the bridge would open in the spring.</p></article></body></html>")


def _article(label: str) -> str:
    """ARTICLE with a headline of its own."""
    return ARTICLE.replace("Harbor Vote Delayed", f"Harbor Vote Delayed ({label})")


def _speakers(*names: str) -> Callable[[dict], None]:
    """The article has attributions, and an entity for each name."""
    def check(data: dict) -> None:
        found = {e["name"] for e in data["entities"]}
        for name in names:
            assert name in found, (name, found)
        assert data["attributions"]
    return check


def _no_wide_noise(data: dict) -> None:
    """Not read as UTF-16: no CJK characters in an English page."""
    assert not any("\u3400" <= ch <= "\u9fff" for ch in data["text"]), data["text"][:100]


def _stray_bytes() -> bytes:
    good = ACCENTED.encode()
    return good[:40] + b"\xff\xfe" + good[40:]


def _mixed() -> bytes:
    return "Café Vote Delayed\n\nThe café owner said so. ".encode() + "The naïve plan would fail, Ana Ruiz said.".encode("cp1252")


def _noise() -> bytes:
    rnd = random.Random(1)
    return bytes(rnd.randrange(0x80, 0x100) for _ in range(3000))


def _big_page() -> bytes:
    # real markup, not a sparse file: were it read and parsed, it would take minutes and gigabytes
    paragraph = b"<p>The council said the bridge would reopen in June after years of delay.</p>\n"
    return b"<html><body><article>" + paragraph * (50 * 1024 * 1024 // len(paragraph)) + b"</article></body></html>"


def _line(chars: int) -> bytes:
    sentence = 'The mayor said "we will win the vote" and left the hall. '
    return ("Long Line " + (sentence * (chars // len(sentence) + 1))[:chars - 10]).encode()


def _nested(levels: int) -> bytes:
    return (f"<html><head><title>Deep</title></head><body>{'<div>' * levels}"
            f"<p>The mayor said the bridge would open in June.</p>{'</div>' * levels}</body></html>").encode()


def _dense_paragraph() -> bytes:
    # trafilatura alone takes 36 s over this page (quadratic in the elements of one paragraph)
    spans = "<b>Ana</b> " * 20_000
    return f"<html><head><title>Dense</title></head><body><article><p>{spans}</p></article></body></html>".encode()


def _many_elements() -> bytes:
    paragraphs = "<p>The mayor said the bridge would open. And he left.</p>\n" * 150_000
    return f"<html><head><title>Many</title></head><body><article>{paragraphs}</article></body></html>".encode()


def _special(name: str, create: Callable[[Path], None], expect: Expect) -> Callable[[Path], dict[str, Expect]]:
    def make(folder: Path) -> dict[str, Expect]:
        create(folder / "pages" / name)
        return {f"pages/{name}": expect}
    return make


def _jsonl(name: str, lines: list[bytes], expects: dict[int, Expect], compress: bool = False
           ) -> Callable[[Path], dict[str, Expect]]:
    def make(folder: Path) -> dict[str, Expect]:
        data = b"".join(lines)
        (folder / "dumps" / name).write_bytes(gzip.compress(data) if compress else data)
        return {f"dumps/{name}:{n}": e for n, e in expects.items()}
    return make


def _record(obj: dict) -> bytes:
    return json.dumps(obj).encode() + b"\n"


def _story(n: int) -> dict:
    page = make_page(900 + n)
    return {"url": page.url, "html": page.html}


def _truncated_gzip(folder: Path) -> dict[str, Expect]:
    data = gzip.compress(b"".join(_record(_story(20 + n)) for n in range(30)))
    (folder / "dumps" / "cut.jsonl.gz").write_bytes(data[: len(data) * 2 // 3])
    # where reading stops depends on gzip's buffering: the first line is read, those near the cut may be
    return {"dumps/cut.jsonl.gz:1": article(), **{f"dumps/cut.jsonl.gz:{n}": article(optional=True) for n in range(2, 31)},
            "dumps/cut.jsonl.gz": error("cannot be read to the end")}


def _fake_gzip(folder: Path) -> dict[str, Expect]:
    (folder / "dumps" / "plain.jsonl.gz").write_bytes(_record(_story(10)))
    return {"dumps/plain.jsonl.gz": error("cannot be read to the end (BadGzipFile)")}


def _warc(folder: Path, name: str, records: list[tuple[str, bytes, str, str]]) -> list[str]:
    return write_warc(folder / "archives" / name, records)


def _truncated_warc(folder: Path) -> dict[str, Expect]:
    pages = [make_page(950 + n) for n in range(4)]
    ids = _warc(folder, "cut.warc.gz", html_records(pages))
    path = folder / "archives" / "cut.warc.gz"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 3 // 5])
    # the first page is whole; the ones after it may be, up to the one the cut goes through
    return {ids[0]: article(), **{i: article(optional=True) for i in ids[1:]},
            "archives/cut.warc.gz": error("cannot be read past byte")}


def _warc_big_response(folder: Path) -> dict[str, Expect]:
    records = html_records([make_page(960)])
    records.append(("https://news.example.org/huge", _big_page(), "text/html", "200 OK"))
    records += html_records([make_page(961)])
    ids = _warc(folder, "huge.warc.gz", records)
    return {ids[0]: article(), ids[1]: error("over the 10,485,760-byte limit"), ids[2]: article()}


def _warc_charset_lies(folder: Path) -> dict[str, Expect]:
    body = html_page("<p>The café owner, Ana Ruiz, said the plan would fail.</p>", charset="iso-8859-1")
    ids = _warc(folder, "charset.warc.gz", [("https://news.example.org/cafe", body.encode("latin-1"),
                                             "text/html; charset=utf-8", "200 OK")])
    return {ids[0]: article("café owner")}


def _warc_false_encoding(folder: Path) -> dict[str, Expect]:
    body = b"this is not gzip at all" * 10
    ids = write_warc(folder / "archives" / "gzip-body.warc", [("https://news.example.org/z", body, "text/html", "200 OK")],
                     gzip=False, headers=[("Content-Encoding", "gzip")])
    # warcio falls back to the bytes as they are: the page is read as sent
    return {ids[0]: article("this is not gzip")}


def _not_english(folder: Path) -> dict[str, Expect]:
    (folder / "pages" / "francais.txt").write_text(
        "Le vote sur le pont est reporté\n\n« Nous ne voterons pas avant le printemps », a déclaré mardi la sénatrice "
        "Maria Delgado. Le conseil a indiqué que le pont rouvrirait en juin, selon le Valley Ledger.", encoding="utf-8")
    german = {"url": "https://x.example/brücke", "text": "Abstimmung über die Brücke verschoben\n\n„Wir stimmen nicht "
              "vor dem Frühjahr ab“, sagte die Senatorin Maria Delgado am Dienstag. Der Rat teilte mit, die Brücke "
              "werde im Juni wieder geöffnet."}
    dump = _jsonl("languages.jsonl", [_record(german), _record(_story(12))],
                  {1: error("not in English: the text reads as German (de)"), 2: article()})
    # a headline and a line: too short to judge by its text, but the page declares French
    (folder / "pages" / "court.html").write_text(
        '<!doctype html><html lang="fr"><head><title>Pont: vote reporté</title></head><body><article>'
        "<h1>Pont: vote reporté</h1><p>Le vote est reporté au printemps, a dit la sénatrice.</p></article>"
        "</body></html>", encoding="utf-8")
    return {"pages/francais.txt": error("not in English: the text reads as French (fr)"),
            "pages/court.html": error("not in English: the page declares French (fr)"), **dump(folder)}


def _not_a_warc(folder: Path) -> dict[str, Expect]:
    (folder / "archives" / "notes.warc").write_text("These are my notes, not a web archive.\n")
    return {"archives/notes.warc": error("not a readable WARC archive")}


KINDS: list[Kind] = [
    # ------------------------------------------------------------------ bytes and encodings
    Kind("empty", "an empty file", page("empty.txt", b"", error("empty input"))),
    Kind("whitespace", "spaces, tabs, line breaks, no-break and ideographic spaces only",
         page("blank.txt", " \n\t\r\n \u00a0\u3000 \n".encode(), error("empty input"))),
    Kind("binary", "an image saved as .html", page("image.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
                                                  error("binary data"))),
    Kind("noise", "random bytes with the high bit set", page("noise.txt", _noise, error("no known text encoding"))),
    Kind("stray-bytes", "UTF-8 with two stray bytes that are not UTF-8",
         page("stray.txt", _stray_bytes, article("Café Vote", "naïve plan"))),
    Kind("mixed-encodings", "UTF-8 and Windows-1252 in one page",
         page("mixed.txt", _mixed, article("café owner", "naïve plan"))),
    Kind("charset-says-utf8", '<meta charset="utf-8">, bytes in Latin-1',
         page("says-utf8.html", html_page("<p>The café owner, Ana Ruiz, said the plan would fail.</p>",
                                          title="Café Vote One").encode("latin-1"), article("café owner"))),
    Kind("charset-says-latin1", '<meta charset="iso-8859-1">, bytes in UTF-8',
         page("says-latin1.html", html_page("<p>The café owner, Ana Ruiz, said the plan would fail.</p>",
                                            charset="iso-8859-1", title="Café Vote Two").encode(),
              article("café owner"))),
    Kind("charset-says-utf16", '<meta charset="utf-16"> in a Windows-1252 page',
         page("says-utf16.html", html_page("<p>The café owner, Ana Ruiz, said the plan would fail.</p>",
                                           charset="utf-16", title="Café Vote Three").encode("cp1252"),
              article("café owner", check=_no_wide_noise))),
    Kind("charset-unknown", '<meta charset="x-no-such-charset">',
         page("says-nothing.html", html_page("<p>The café owner, Ana Ruiz, said the plan would fail.</p>",
                                             charset="x-no-such-charset", title="Café Vote Four").encode("latin-1"),
              article("café owner"))),
    Kind("utf16-le-bom", "UTF-16 little-endian with its byte-order mark",
         page("utf16le.txt", codecs.BOM_UTF16_LE + _article("LE").encode("utf-16-le"), article(check=_speakers("Maria Delgado")))),
    Kind("utf16-be-bom", "UTF-16 big-endian with its byte-order mark",
         page("utf16be.txt", codecs.BOM_UTF16_BE + _article("BE").encode("utf-16-be"), article(check=_speakers("Maria Delgado")))),
    Kind("utf16-no-bom", "UTF-16 without a byte-order mark", page("utf16.txt", ARTICLE.encode("utf-16-le"),
                                                                  error("binary data"))),
    Kind("utf8-bom", "UTF-8 with a byte-order mark",
         page("utf8bom.txt", codecs.BOM_UTF8 + _article("BOM").encode(), article(check=lambda d: d["text"].startswith("Harbor")))),
    Kind("control-characters", "bell, escape, form feed and vertical tab inside the text",
         page("controls.txt", _article("controls").replace("Monday", "Mon\x07day\x1b\x0c\x0b").encode(), article("Mon\x07day"))),
    Kind("nul-byte", "a NUL byte in a text page", page("nul.txt", ARTICLE.replace("Monday", "Mon\x00day").encode(),
                                                      error("binary data"))),
    # ------------------------------------------------------------------ size and shape
    Kind("page-50mb", "a 50 MB HTML page (limit: 10 MB)", page("big.html", _big_page,
                                                               error("is over the 10,485,760-byte limit"))),
    Kind("line-5mb", "a text page of one 5 MB line (over 1,000,000 characters)",
         page("line-5mb.txt", lambda: _line(5_000_000), error("over the 1,000,000-character limit of the parser"))),
    Kind("line-50k", "a text page of one 50,000-character line full of quotes",
         page("line-50k.txt", lambda: _line(50_000),
              article(check=lambda d: len(d["text"]) == 50_000 and len(d["attributions"]) > 100))),
    Kind("nested-100k", "HTML nested 100,000 levels deep", page("nested.html", lambda: _nested(100_000),
                                                                error("the page nests deeper"))),
    Kind("nested-200", "HTML nested 200 levels deep, the article at the bottom",
         page("nested-200.html", lambda: _nested(200), article("bridge would open"))),
    Kind("no-body", "HTML with a head and no body",
         page("no-body.html", b"<html><head><title>Nothing Here</title></head></html>", error("no article text"))),
    Kind("script-only", "HTML whose body is scripts and styles",
         page("script.html", b"<html><head><title>App</title><style>p{}</style></head><body><script>"
                             b"document.write('The mayor said so.')</script><style>.x{}</style></body></html>",
              error("no article text"))),
    Kind("unclosed-markup", "HTML cut off inside a tag, a comment never closed",
         page("unclosed.html", html_page("<p>The café owner, Ana Ruiz, said the plan would fail.",
                                         title="Café Vote Five").encode()[:-60]
              + b"<!-- never closed <p>hidden", article("café owner"))),
    Kind("dense-paragraph", "one paragraph of 20,000 inline elements",
         page("dense.html", _dense_paragraph, article("Ana Ana Ana"))),
    Kind("many-elements", "an HTML page of 150,000 elements (limit: 50,000)",
         page("many.html", _many_elements, error("over the 50,000-element limit"))),
    Kind("boilerplate-only", "a scraped page that is all furniture",
         page("furniture.txt", b"ADVERTISEMENT\nShare this article\nMore from The Daily\nCopyright 2026 The Daily",
              error("no article text left"))),
    Kind("markup-in-text", "a text page with <, > and & in its sentences",
         page("lt.txt", b"Less Than\n\nThe minister said that a < b & c > d was no way to set a budget.",
              article("a < b & c > d"))),
    # ------------------------------------------------------------------ quotation marks and scripts
    Kind("odd-quotes", "an odd number of quotation marks",
         page("odd.txt", b'Odd Quotes\n\nShe said "we will win and then left. Later "they" agreed, Ana Ruiz said.',
              article())),
    Kind("quote-never-closed", "a quote that never closes, across paragraphs",
         page("open.txt", b'Never Closed\n\n"This quote never closes, the mayor said.\n\nNext paragraph, "and another.',
              article())),
    Kind("quote-marks-mixed", "curly, straight and angle quotation marks in one article",
         page("marks.txt", "Mixed Marks\n\n“We will win,” Ana Ruiz said. \"We will not,\" Omar Haddad said. "
                           "«Nothing will change», Lena Ortiz said. „Wir gewinnen“, Tom Weller said.".encode(),
              article(check=_speakers("Ana Ruiz", "Omar Haddad")))),
    Kind("rtl", "an English article quoting Hebrew and Arabic",
         page("rtl.txt", ("Vote Delayed in Jerusalem\n\n\"לא נצביע לפני האביב\", אמרה הסנטורית, the senator said in Hebrew "
                          "on Monday: the vote would wait for the spring.\n\nThe minister added in Arabic: \"قال الوزير "
                          "إن الجسر سيفتح في يونيو.\" The bridge, he said, would open in June.").encode(),
              article("אמרה", "الجسر"))),
    Kind("not-english", "an article in French, a short page that declares French, and a dump line in German "
         "before an English one", _not_english),
    Kind("bidi-controls", "right-to-left overrides and isolates inside names",
         page("bidi.txt", _article("bidi").replace("Maria", "Ma\u202eria\u202c").replace("Valley", "\u2067Valley\u2069").encode(),
              article("Ma\u202eria\u202c"))),
    Kind("emoji-zero-width", "emoji, zero-width joiners and spaces inside speakers' names",
         page("emoji.txt", ('Emoji Names\n\n"We will win," Maria\u200dDelgado said. "Not so," Ana 😀 Ruiz said. '
                            '"Maybe," O\u200bmar Haddad 👩‍👩‍👧 said on Monday.').encode(), article("Ana 😀 Ruiz"))),
    # ------------------------------------------------------------------ paths
    Kind("fifo", "a FIFO (named pipe) named like a page", _special("pipe.html", os.mkfifo, error("FIFO"))),
    Kind("device", "a link to /dev/zero named like a page",
         _special("zero.html", lambda p: p.symlink_to("/dev/zero"), error("is a device, not a regular file"))),
    Kind("symlink-loop", "a symbolic link to itself",
         _special("loop.html", lambda p: p.symlink_to(p.name), error("Too many levels of symbolic links"))),
    Kind("dangling-link", "a symbolic link to nothing",
         _special("gone.html", lambda p: p.symlink_to("no-such-target.html"), error("no such file"))),
    Kind("missing", "a path that does not exist", lambda folder: {"missing.html": error("no such file")},
         named=("missing.html",)),
    # ------------------------------------------------------------------ JSONL dumps
    Kind("jsonl-broken-line", "a JSONL dump with a broken line in the middle",
         _jsonl("broken.jsonl", [_record(_story(1)), b'{"url": "https://x.example/2", "html": "<p>cut\n',
                                 _record(_story(3))],
                {1: article(), 2: error("not a JSON object"), 3: article()})),
    Kind("jsonl-not-objects", "JSONL lines that are JSON but not objects",
         _jsonl("arrays.jsonl", [b"[1, 2]\n", b'"a page"\n', b"42\n", b"null\n"],
                {n: error("not a JSON object") for n in (1, 2, 3, 4)})),
    Kind("jsonl-no-page", 'JSONL objects without an "html" or "text" string',
         _jsonl("fields.jsonl", [b'{"url": "https://x.example/a"}\n', b'{"html": 5}\n', b'{"text": "   "}\n',
                                 b'{"html": {"p": "x"}}\n'],
                {n: error('no "html" or "text" field') for n in (1, 2, 3, 4)})),
    Kind("jsonl-invalid-utf8", "a JSONL line that is not UTF-8",
         _jsonl("latin1.jsonl", [b'{"text": "Caf\xe9 Vote\\n\\nThe owner said so."}\n', _record(_story(5))],
                {1: error("not a JSON object"), 2: article()})),
    Kind("jsonl-line-11mb", "a JSONL line of 11 MB (limit: 10 MB) before a good one",
         _jsonl("huge-line.jsonl", [_record({"text": "Huge\n\n" + "The mayor said so. " * 600_000}), _record(_story(6))],
                {1: error("is over the 10,485,760-byte limit"), 2: article()})),
    Kind("jsonl-surrogate", 'a JSON string with a lone surrogate ("\\ud800")',
         _jsonl("surrogate.jsonl", [b'{"url": "https://x.example/\\udfff", "title": "T\\ud800", "text": '
                                    b'"Surrogate Story\\n\\n\\"We will win \\ud800 today,\\" Ana Ruiz said."}\n'],
                {1: article("win \ufffd today")})),
    Kind("jsonl-crlf-bom-blank", "a JSONL dump with a byte-order mark, CRLF endings and blank lines",
         _jsonl("windows.jsonl", [codecs.BOM_UTF8 + _record(_story(7)).replace(b"\n", b"\r\n"), b"\r\n", b"   \n",
                                  _record(_story(8)).replace(b"\n", b"\r\n")],
                {1: article(), 4: article()})),
    Kind("jsonl-gzip-truncated", "a .jsonl.gz cut off in the middle", _truncated_gzip),
    Kind("jsonl-gzip-fake", "a .jsonl.gz that is not gzip",
         _fake_gzip),
    # ------------------------------------------------------------------ web archives
    Kind("warc-truncated", "a WARC.gz cut off in the middle of a record", _truncated_warc),
    Kind("warc-not-an-archive", "a text file named .warc", _not_a_warc),
    Kind("warc-50mb-response", "a web archive holding a 50 MB page between two good ones", _warc_big_response),
    Kind("warc-charset-lies", "an HTTP header that says UTF-8 over Latin-1 bytes", _warc_charset_lies),
    Kind("warc-false-content-encoding", "a response that says gzip and is not", _warc_false_encoding),
]


#: The folders of the inputs folder that the commands are given, and the paths given by name.
FOLDERS = ("pages", "dumps", "archives")


def build(folder: Path) -> dict[str, dict[str, Expect]]:
    """Write every kind's files under ``folder``; for each kind, the expectation of each record it made."""
    for sub in FOLDERS:
        (folder / sub).mkdir(parents=True, exist_ok=True)
    made: dict[str, dict[str, Expect]] = {}
    seen: set[str] = set()
    for kind in KINDS:
        made[kind.name] = kind.make(folder)
        assert not set(made[kind.name]) & seen, kind.name
        seen |= set(made[kind.name])
    return made
