import codecs
import random

import pytest

from sayso.errors import InputError
from sayso.ingest import MAX_BYTES, read_bytes, read_path, read_text_or_html
from sayso.ingest.html import looks_like_html
from sayso.ingest.text import clean_text

HTML = """<!DOCTYPE html><html><head><title>Harlan Wins Vote | Coastline Daily</title>
<meta property="og:site_name" content="Coastline Daily">
<meta name="author" content="Tomas Reyes">
<meta property="article:published_time" content="2026-03-03T10:00:00Z">
</head><body><nav>Home | World | Sports</nav>
<article><h1>Harlan Wins Vote</h1>
<p>Senator Maria Harlan told reporters on Monday that the bill would pass before the summer recess.</p>
<p>"We made a promise to the people of this city, and we are going to keep it," Harlan said after the vote.</p>
<p>Her rival, Paul Whitcombe, said he doubts the money will ever arrive in time for the winter storms.</p>
</article><footer>Copyright 2026 Coastline Daily. All rights reserved.</footer></body></html>"""


def test_seed_page_loses_its_boilerplate(seed_page):
    art = read_path(seed_page)
    assert art.title == "Putin Says Russia Is Not Trying To Influence The Election"
    assert art.text.startswith(art.title + "\n\n")
    for junk in ("ADVERTISEMENT", "Advertisement", "Photo:", "Getty", "More from", "Original Series"):
        assert junk not in art.text
    assert art.text.endswith("doubts Russia's involvement.")
    paragraphs = art.text.split("\n\n")
    assert len(paragraphs) == 4  # headline and three paragraphs


def test_reading_a_closed_standard_input_is_an_input_error(monkeypatch):
    monkeypatch.setattr("sys.stdin", None)  # as in a process started with "<&-"
    with pytest.raises(InputError, match="^<stdin>: standard input is closed$"):
        read_path("-")


def test_byline_and_date_move_to_metadata(example_page):
    art = read_path(example_page)
    assert art.author == "Tomas Reyes"
    assert art.published == "March 3, 2026"
    assert "By Tomas Reyes" not in art.text and "Related:" not in art.text


def test_html_goes_through_trafilatura_with_metadata():
    art = read_text_or_html(HTML, url="https://example.org/harlan")
    assert art.title == "Harlan Wins Vote"
    assert art.text.split("\n\n")[0] == "Harlan Wins Vote"
    assert "Senator Maria Harlan told reporters" in art.text
    assert "Home | World" not in art.text and "All rights reserved" not in art.text
    assert art.author == "Tomas Reyes"
    assert art.outlet == "Coastline Daily"
    assert art.published.startswith("2026-03-03")
    assert art.url == "https://example.org/harlan"


UNNAMED = HTML.replace('<meta property="og:site_name" content="Coastline Daily">\n', "").replace(
    "Copyright 2026 Coastline Daily. ", "").replace(" | Coastline Daily</title>", "</title>")


@pytest.mark.parametrize("url, outlet", [
    ("https://www.nytimes.com/2026/03/03/us/harlan.html", "The New York Times"),  # a known outlet by its name
    ("https://edition.cnn.com/2026/03/03/harlan", "CNN"),  # a subdomain is its site's
    ("https://www.coastline-daily.example/harlan", "coastline-daily.example"),  # any other host as it is
])
def test_a_page_that_does_not_name_its_site_is_known_by_its_host(url, outlet):
    assert "Coastline Daily" not in UNNAMED
    assert read_text_or_html(UNNAMED, url=url).outlet == outlet


def test_an_outlet_the_page_or_the_record_names_is_kept():
    assert read_text_or_html(HTML, url="https://www.nytimes.com/a").outlet == "Coastline Daily"
    given = read_text_or_html(UNNAMED, url="https://www.nytimes.com/a", meta={"outlet": "nytimes.com"})
    assert given.outlet == "nytimes.com"  # what a record says is what the user wants recorded


@pytest.mark.parametrize("site_name, outlet", [
    ("POLITICO", "Politico"),  # a known outlet's own name, written otherwise
    ("Washington  Post", "The Washington Post"),  # another name of one known outlet
    ("The Huffington Post", "HuffPost"),
    ("Coastline Daily", "Coastline Daily"),  # any other name as the page gives it
])
def test_a_known_outlet_goes_by_one_name_whatever_its_pages_call_it(site_name, outlet):
    page = HTML.replace('content="Coastline Daily"', f'content="{site_name}"')
    assert read_text_or_html(page, url="https://example.org/harlan").outlet == outlet


def test_a_text_page_has_the_outlet_of_its_url():
    text = "Harlan Wins Vote\n\nSenator Maria Harlan told reporters on Monday that the bill would pass soon."
    assert read_text_or_html(text, url="https://www.washingtonpost.com/politics/harlan").outlet == \
        "The Washington Post"
    assert read_text_or_html(text).outlet is None
    assert read_text_or_html(text, url="file:///tmp/harlan.txt").outlet is None


def test_html_is_detected_by_content_not_extension(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text(HTML)
    assert read_path(page).title == "Harlan Wins Vote"
    assert looks_like_html(HTML)
    assert not looks_like_html("A <b> tag in text is not a page.")


@pytest.mark.parametrize("data, problem", [
    (b"", "empty"),
    (b"   \n\t  ", "empty"),
    (b"\x00\x01\x02\x03binary\x00\x00", "binary"),
    (bytes(range(256)) * 8, "binary"),
])
def test_bad_bytes_are_input_errors(data, problem):
    with pytest.raises(InputError) as err:
        read_bytes(data, where="x.bin")
    assert str(err.value).startswith("x.bin: ")
    assert problem in str(err.value)


def test_bytes_that_decode_as_no_text_encoding():
    rng = random.Random(1)
    data = bytes(rng.randrange(0x80, 0x100) for _ in range(3000))
    with pytest.raises(InputError, match="no known text encoding"):
        read_bytes(data, where="noise.txt")


def test_missing_and_directory_paths(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_path(tmp_path / "nope.html")
    with pytest.raises(InputError, match="directory"):
        read_path(tmp_path)


def test_page_over_the_size_limit(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * (MAX_BYTES + 1))
    with pytest.raises(InputError, match="limit"):
        read_path(big)


def test_latin1_and_utf16_pages_decode():
    text = "Café Owner Speaks\n\nThe café owner said prices would rise."
    assert read_bytes(text.encode("latin-1"), where="l1").text == text
    assert read_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"), where="u16").text == text
    assert read_bytes(codecs.BOM_UTF8 + text.encode(), where="u8").text == text


def test_raw_text_keeps_offsets():
    text = "ADVERTISEMENT\nTitle\n\nBody said."
    assert read_text_or_html(text, raw=True).text == text


def test_clean_text_headline_is_first_real_line():
    page = "ADVERTISEMENT\n\nHeadline Here\nPhoto: A. B./AP Photo\nFirst paragraph.\n\nSecond one."
    assert clean_text(page).text == "Headline Here\n\nFirst paragraph.\n\nSecond one."
