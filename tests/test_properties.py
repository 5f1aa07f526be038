"""Property-based tests: the text cleaner and the span invariants hold for any input."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sayso.attribution.quotes import MARKS, find_quotes
from sayso.attribution.rules import Found, _resolve_overlaps
from sayso.errors import InputError
from sayso.ingest import read_bytes, read_text_or_html, valid_unicode
from sayso.ingest.decode import _mostly_utf8, decode
from sayso.ingest.text import clean_text, is_boilerplate
from sayso.model import Article, enclosing
from sayso.pipeline import annotate, extract

LINES = st.lists(
    st.one_of(
        st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60),
        st.sampled_from(["ADVERTISEMENT", "Photo: A. B./Getty Images.", "More from The Daily", "Related: x",
                         "By Ann Lee", "Published: May 1, 2016", "Share this article", ""]),
    ),
    max_size=25,
)


@given(LINES)
@settings(max_examples=300, deadline=None)
def test_clean_text_keeps_only_input_lines_and_drops_boilerplate(lines):
    page = "\n".join(lines)
    out = clean_text(page)
    if not out.text:
        return
    paragraphs = out.text.split("\n\n")
    stripped = {ln.strip() for ln in page.replace("\r", "\n").split("\n")}
    for para in paragraphs:
        assert para in stripped  # nothing invented, nothing rewritten
        assert para and not is_boilerplate(para)
    assert paragraphs[0] == out.title


@given(st.text(alphabet=st.sampled_from(list(MARKS) + list("ab .,\n'")), max_size=200))
@settings(max_examples=500, deadline=None)
def test_quotes_are_ordered_disjoint_and_start_with_a_mark(text):
    spans = find_quotes(text)
    last = 0
    for s, e in spans:
        assert last <= s < e <= len(text)
        assert text[s] in MARKS or text[s:s + 2] == "''"  # two apostrophes are a double mark
        last = e


WORDS = st.sampled_from([
    "Putin", "Senator Maria Delgado", "she", "he", "said", "told reporters", "according to", "the agency",
    "denied", "believes", "that", "the vote", "was rigged", ",", ".", '"', "“", "”", "«", "»", "\n\n",
    "We", "will", "win", "Reuters", "reported", "doubts", ":", "―", "who", "Ms. Brill", "😀", "\u200b", "שלום",
])


@given(st.lists(WORDS, min_size=1, max_size=60))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_every_extracted_span_is_verbatim_and_in_bounds(words):
    text = "Headline Here\n\n" + " ".join(words)
    art = annotate(Article(text=text, title="Headline Here"))
    data = art.to_json()  # raises SpanError on any bad span
    for att in data["attributions"]:
        for role in ("source", "cue", "content"):
            spans = att[role]["spans"]
            assert att[role]["text"] == " ".join(text[s:e] for s, e in spans)
    for ent in data["entities"]:
        for s, e in ent["mentions"]:
            assert 0 <= s < e <= len(text)


# ------------------------------------------------------------------------------------------------ decoding
ENCODINGS_WITH_BOM = ["utf-8", "utf-8-sig", "utf-16", "utf-32"]
READABLE = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=300)


@given(st.binary(max_size=3000))
@settings(max_examples=400, deadline=None)
def test_any_bytes_are_a_page_or_an_input_error(data):
    try:
        art = read_bytes(data, where="fuzz.bin")
    except InputError as exc:
        assert str(exc).startswith("fuzz.bin: ") and "\n" not in exc.problem
        return
    assert art.text.strip() and art.text.split("\n\n")[0] == art.title
    assert not any("\ud800" <= ch <= "\udfff" for ch in art.text)


@given(READABLE.filter(lambda t: t.strip()), st.sampled_from(ENCODINGS_WITH_BOM))
@settings(max_examples=300, deadline=None)
def test_unicode_text_decodes_back_to_itself(text, encoding):
    data = text.encode(encoding)
    assert decode(data, "t.txt") == text


@given(READABLE, st.sampled_from("éèàçñüöß€’“”«»"), st.integers(0, 300))
@settings(max_examples=300, deadline=None)
def test_a_windows_1252_character_in_utf8_keeps_both(text, accented, at):
    """Mostly UTF-8 with a Windows-1252 character (its one byte followed by a space, so that it cannot pass
    for the start of a UTF-8 sequence): the UTF-8 reads as it was, the other as Windows-1252."""
    utf8 = ("Ünïcödé " * 3 + text).encode()
    at = min(at, len(utf8))
    while 0 < at < len(utf8) and (utf8[at] & 0xC0) == 0x80:
        at -= 1  # never inside a UTF-8 sequence
    got = _mostly_utf8(utf8[:at] + accented.encode("cp1252") + b" " + utf8[at:])
    assert got == utf8[:at].decode() + accented + " " + utf8[at:].decode()


@given(st.text(max_size=200))
def test_valid_unicode_replaces_only_lone_surrogates(text):
    out = valid_unicode(text)
    assert len(out) == len(text)
    assert not any("\ud800" <= ch <= "\udfff" for ch in out)
    assert all(a == b or b == "\ufffd" for a, b in zip(text, out))


# ------------------------------------------------------------------------------------------------ the cleaner
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=2000))
@settings(max_examples=300, deadline=None)
def test_clean_text_gives_stripped_paragraphs_of_the_page(page):
    out = clean_text(page)
    if not out.text:
        return
    assert "\r" not in out.text
    paragraphs = out.text.split("\n\n")
    assert all(p and p == p.strip() and "\n" not in p for p in paragraphs)
    assert out.title == paragraphs[0]


@given(st.lists(st.sampled_from(["<p>", "</p>", "<div>", "</div>", "<b>", "</b>", "<br>", "<!--", "-->", "<script>",
                                 "</script>", "&amp;", "&#0;", "&nbsp;", "<", ">", "Ana Ruiz said", '"We won,"',
                                 "the vote.", "\n", "<html>", "<body>", "<title>", "</title>"]), max_size=80))
@settings(max_examples=200, deadline=None)
def test_any_markup_is_a_page_or_an_input_error(pieces):
    page = "<!DOCTYPE html><html><body>" + " ".join(pieces)
    try:
        art = read_text_or_html(page, where="soup.html")
    except InputError as exc:
        assert exc.where == "soup.html" and "\n" not in exc.problem
        return
    assert art.text.split("\n\n")[0] == art.title


# ------------------------------------------------------------------------------------------------ nesting
SPANS = st.lists(st.tuples(st.integers(0, 200), st.integers(1, 40)).map(lambda p: (p[0], p[0] + p[1])),
                 min_size=0, max_size=3)
FRAMES = st.lists(st.tuples(SPANS, SPANS), max_size=40)


def _enclosing_by_pairs(frames):
    """The definition of sayso.model.enclosing, every frame against every other: the oracle."""
    def size(i):
        return sum(e - s for s, e in frames[i][1])

    holds = [[j for j, (_, content) in enumerate(frames)
              if j != i and cue and any(s <= cue[0][0] < e for s, e in content)] for i, (cue, _) in enumerate(frames)]
    return [sorted([j for j in outer if not (i in holds[j] and size(j) < size(i))], key=size)
            for i, outer in enumerate(holds)]


@given(FRAMES)
@settings(max_examples=500, deadline=None)
def test_enclosing_by_sweep_is_enclosing_by_pairs(frames):
    assert enclosing(frames) == _enclosing_by_pairs(frames)


def _overlaps_by_pairs(found):
    found = sorted(found, key=lambda f: f.cue[0][0])
    kept, used = [], []
    for f in found:
        if any(s < e2 and s2 < e for s, e in f.cue + f.source for s2, e2 in used):
            continue
        kept.append(f)
        used.extend(f.cue)
    return kept


@given(st.lists(st.tuples(SPANS.filter(bool), SPANS), max_size=40))
@settings(max_examples=500, deadline=None)
def test_overlap_resolution_by_characters_is_overlap_resolution_by_pairs(frames):
    def found():
        return [Found(cue=cue, content=[], source=source, kind="direct", cue_class="speech", frame="x", cue_head=0)
                for cue, source in frames]

    assert [(f.cue, f.source) for f in _resolve_overlaps(found())] == \
        [(f.cue, f.source) for f in _overlaps_by_pairs(found())]


# ------------------------------------------------------------------------------------------------ spans, from pages
HTML_WORDS = st.sampled_from([
    "<p>", "</p>", "<b>", "</b>", "<i>", "</i>", '"', "“", "”", "«", "»", "Senator Maria Delgado", "said", "told reporters",
    "according to", "the Valley Ledger", "that", "the bridge", "would open", ".", ",", "&amp;", "😀", "\u200b", "שלום",
    "Ana\u200dRuiz", "<br>",
])


@given(st.lists(HTML_WORDS, min_size=3, max_size=50))
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_spans_of_html_pages_are_verbatim_in_the_clean_text(words):
    page = ("<!DOCTYPE html><html><head><title>Bridge Vote</title></head><body><article><h1>Bridge Vote</h1><p>"
            + " ".join(words) + "</p><p>The council said the vote was held on Monday.</p></article></body></html>")
    try:
        art = extract(page)
    except InputError:
        return
    data = art.to_json()
    assert Article.from_json(data).to_json() == data  # read back, the spans still hold their texts
    for att in data["attributions"]:
        for role in ("source", "cue", "content"):
            assert att[role]["text"] == " ".join(art.text[s:e] for s, e in att[role]["spans"])
