"""Property-based tests: the text cleaner and the span invariants hold for any input."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sayso.attribution.quotes import MARKS, find_quotes
from sayso.ingest.text import clean_text, is_boilerplate
from sayso.model import Article
from sayso.pipeline import annotate

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
        assert text[s] in MARKS
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
