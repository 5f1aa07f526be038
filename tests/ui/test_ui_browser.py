"""What a reader sees in the browser: the corpus, an article with its highlights, a speaker, a search."""

import csv
import json
import re

import pytest
from playwright.sync_api import expect

from tabs import submit, watched_tab

pytestmark = pytest.mark.ui


def test_home_shows_the_corpus_and_leads_to_a_speaker(page, server):
    page.goto(server + "/")
    expect(page.locator("#n-articles")).to_have_text("10")
    top = page.locator("#top-speakers a.speaker").first
    expect(top).to_have_text("Maria Delgado")
    top.click()
    expect(page).to_have_url(re.compile(r"/speakers/\d+$"))
    expect(page.locator("h1")).to_have_text("Maria Delgado")
    expect(page.locator("#aliases .alias")).to_contain_text(["Maria Delgado", "Delgado"])
    expect(page.locator("#timeline rect.bar")).to_have_count(6)
    expect(page.locator("#said .hit").first).to_be_visible()


def test_article_highlights_show_who_said_it_and_through_whom(page, server):
    page.goto(server + "/articles?q=Whitcombe+budget+unfunded")
    page.get_by_role("link", name="Whitcombe Budget Leaves Harbor Bridge Repair Unfunded").click()
    text = page.locator("#article-text")
    for role in ("source", "cue", "content"):
        expect(text.locator(f".m.{role}").first).to_be_visible()
    shaded = text.locator(".m.content").first.evaluate("e => getComputedStyle(e).backgroundColor")
    assert shaded not in ("rgba(0, 0, 0, 0)", "transparent")

    # "budget officials warned the governor" came through the Valley Ledger ("According to the Valley Ledger")
    officials = text.locator(".m.source", has_text="budget officials")
    assert "via Valley Ledger" in officials.get_attribute("title")
    att = officials.get_attribute("data-att").split()[0]
    officials.hover()
    marks = text.locator(f'.m[data-att^="{att}"]')
    assert marks.count() >= 3
    for i in range(marks.count()):
        expect(marks.nth(i)).to_have_class(re.compile(r"\bactive\b"))

    officials.click()
    panel = page.locator("#panel")
    expect(panel).to_be_visible()
    expect(panel.locator(".level").first).to_contain_text("budget officials")
    expect(panel.locator(".level").first.locator(".via")).to_contain_text("Valley Ledger")
    panel.locator(".level").first.locator(".via a").click()
    expect(page.locator("h1")).to_have_text("Valley Ledger")


def test_a_speakers_quote_links_to_its_highlighted_sentence(page, server):
    page.goto(server + "/speakers?q=pruitt")
    page.locator("#speaker-list a.speaker", has_text="Harlan Pruitt").click()
    first = page.locator("#said .hit").first
    quote = first.locator("blockquote").inner_text()
    first.locator("a.in-article").click()
    expect(page).to_have_url(re.compile(r"/articles/\d+#a\d+$"))
    att = page.url.rsplit("#", 1)[1]
    focused = page.locator("#article-text .m.focused")
    expect(focused.first).to_be_visible()
    assert " ".join(focused.all_inner_texts()).replace("  ", " ").find(quote.split()[0]) >= 0
    assert all(m.get_attribute("data-att").split()[0] == att for m in focused.all())
    expect(page.locator("#panel")).to_be_visible()
    expect(page.locator("#panel .level").first).to_contain_text("Harlan Pruitt")


def test_a_speaker_page_leads_to_what_was_said_about_them(page, server):
    page.goto(server + "/speakers?q=whitcombe")
    page.locator("#speaker-list a.speaker", has_text="Paul Whitcombe").click()
    page.locator("#said-about").click()
    expect(page).to_have_url(re.compile(r"/search\?about=\d+$"))
    expect(page.locator(".named a.speaker")).to_have_text("Paul Whitcombe")
    hits = page.locator("#hits .hit")
    expect(hits.first).to_be_visible()
    assert hits.count() == int(page.locator("#total strong").inner_text())
    # the form keeps the filter, and a speaker narrows it to what she said about him
    submit(page, "#search-form", speaker="Delgado")
    expect(page).to_have_url(re.compile(r"about=\d+.*speaker=Delgado|speaker=Delgado.*about=\d+"))
    names = page.locator("#hits .hit-head a.speaker").all_inner_texts()
    assert names and set(names) == {"Maria Delgado"}


def test_a_speaker_page_says_who_talks_about_them_and_the_panel_whom_a_content_names(page, server):
    page.goto(server + "/speakers?q=whitcombe")
    page.locator("#speaker-list a.speaker", has_text="Paul Whitcombe").click()
    delgado = page.locator("#talked-about-by li", has_text="Maria Delgado")
    count = int(delgado.locator("a[title]").inner_text())
    delgado.locator("a[title]").click()
    expect(page).to_have_url(re.compile(r"/search\?speaker=\d+&about=\d+$"))
    assert int(page.locator("#total strong").inner_text()) >= count > 0
    assert set(page.locator("#hits .hit-head a.speaker").all_inner_texts()) == {"Maria Delgado"}

    # the Ledger's report is about the governor: its panel names him, and leads to his page
    page.goto(server + "/search?q=%22privately+told%22&speaker=Valley+Ledger")
    page.locator("#hits .hit a.in-article").first.click()
    level = page.locator("#panel .level").first
    expect(level).to_contain_text("Valley Ledger")
    level.locator(".about a.speaker", has_text="Paul Whitcombe").click()
    expect(page.locator("h1")).to_have_text("Paul Whitcombe")


def test_search_filters_and_exports_what_it_found(page, server, tmp_path):
    page.goto(server + "/search")
    submit(page, "#search-form", q="loan", speaker="Delgado")
    expect(page).to_have_url(re.compile(r"q=loan"))
    total = int(page.locator("#total strong").inner_text())
    assert total >= 2
    expect(page.locator("#hits .hit")).to_have_count(total)
    expect(page.locator("#hits mark").first).to_have_text(re.compile("loan", re.I))
    for name in page.locator("#hits .hit-head a.speaker").all_inner_texts():
        assert name == "Maria Delgado"

    with page.expect_download() as csv_download:
        page.locator("#exports a", has_text="CSV").click()
    path = tmp_path / "found.csv"
    csv_download.value.save_as(path)
    rows = list(csv.DictReader(path.open(newline="")))
    assert len(rows) == total and {r["speaker"] for r in rows} == {"Maria Delgado"}

    with page.expect_download() as jsonl_download:
        page.locator("#exports a", has_text="JSONL").click()
    jsonl_download.value.save_as(tmp_path / "found.jsonl")
    hits = [json.loads(line) for line in (tmp_path / "found.jsonl").read_text().splitlines()]
    assert [h["content"]["text"] for h in hits] == [r["content"] for r in rows]

    with page.expect_download() as parquet_download:
        page.locator("#exports a", has_text="Parquet").click()
    assert parquet_download.value.suggested_filename == "sayso-search.parquet"


def test_script_in_an_article_is_shown_as_text(page, server):
    page.goto(server + "/articles?q=mayor")
    page.locator("#article-list a").first.click()
    expect(page.locator("h1")).to_have_text("Mayor Says <script>window.__pwned=1</script> Is Only Text")
    expect(page.locator("#article-text")).to_contain_text('<img src=x onerror="window.__pwned=2">')
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("#article-text img, #article-text script, #article-text b").count() == 0
    expect(page.locator("a.original")).to_have_count(0)  # a javascript: url is never a link
    quote = page.locator("#article-text .m.content", has_text="only text on our site").first
    quote.click()
    expect(page.locator("#panel")).to_contain_text("Lena Ortiz")
    assert page.evaluate("typeof window.__pwned") == "undefined"


def test_a_pasted_page_is_shown_with_its_attributions(browser, server):
    # the empty page sent last is answered 400, which the browser logs
    with watched_tab(browser, server, allow=("responded with a status of 400",)) as page:
        pasted_page_is_shown(page, server)


def pasted_page_is_shown(page, server):
    page.goto(server + "/")
    page.locator("header.top nav a", has_text="Extract").click()
    text = ("Reyes Vows Ferry Fares Will Hold\n\n"
            "\"We will not raise the fares this year,\" Mayor Ana Reyes said on Tuesday.\n\n"
            "According to the Coastline Herald, the <script>window.__pwned=5</script> ferry lost money again.")
    submit(page, "#extract-form", article=text, mode="fast")
    expect(page.locator("article h1")).to_have_text("Reyes Vows Ferry Fares Will Hold")
    expect(page.locator("#attribution-table tbody tr")).to_have_count(3)  # the headline, the quote, the Herald
    expect(page.locator("#extract-form textarea")).to_have_value(text)  # kept, to change and send again
    quote = page.locator("#article-text .m.content", has_text="We will not raise the fares").first
    quote.click()
    panel = page.locator("#panel")
    expect(panel.locator(".level").first).to_contain_text("Ana Reyes")
    expect(panel.locator("a.speaker")).to_have_count(0)  # no corpus page to link to
    expect(page.locator("#article-text")).to_contain_text("<script>window.__pwned=5</script>")
    assert page.evaluate("typeof window.__pwned") == "undefined"

    # what was found, downloaded: the page sends the same text again, and the table has the same rows
    shown = page.locator("#attribution-table tbody td.content").all_inner_texts()
    with page.expect_download() as table:
        page.locator("#extract-download button[value=csv]").click()
    assert table.value.suggested_filename == "sayso-attributions.csv"
    rows = list(csv.DictReader(open(table.value.path(), encoding="utf-8")))
    assert [r["content"] for r in rows] == shown
    with page.expect_download() as article:
        page.locator("#extract-download button[value=json]").click()
    assert json.load(open(article.value.path(), encoding="utf-8"))["text"] == text

    submit(page, "#extract-form", article="   ")
    expect(page.locator("#extract-problem")).to_contain_text("empty input")


def test_a_saved_page_opened_from_disk_is_read_in_its_charset(page, server, tmp_path):
    saved = tmp_path / "ferry.html"
    saved.write_bytes(
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
        "<title>Café Owners Fear Ferry Fares</title></head><body><article><h1>Café Owners Fear Ferry Fares</h1>"
        "<p>\u201cThe café will not survive another rise,\u201d said Ana Reyes, who runs the Quay Café.</p>"
        "</article></body></html>".encode("cp1252"))
    page.goto(server + "/extract")
    page.set_input_files("#page-file", str(saved))
    box = page.locator("#extract-form textarea")
    expect(box).to_have_value(re.compile("The café will not survive another rise"))
    assert "\u201c" in box.input_value()  # the cp1252 quotation marks, decoded as the page declares
    page.locator("#extract-form button[type=submit]").click()
    expect(page.locator("#attribution-table tbody tr")).to_have_count(1)
    expect(page.locator("#attribution-table td.content")).to_contain_text("The café will not survive another rise")

    # a page that cannot be sent from the form says so, and leaves the box as it was
    big = tmp_path / "big.txt"
    big.write_text("Headline\n\n" + "é" * 1_500_000)
    page.set_input_files("#page-file", str(big))
    expect(page.locator("#page-file-problem")).to_contain_text("big.txt: too large to send from this form")
    expect(box).to_have_value(re.compile("The café will not survive"))


def test_api_docs_render_from_this_server_alone(page, server):
    page.goto(server + "/docs")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible()
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert {"/api/search", "/api/articles/{article_id}", "/api/speakers/{speaker_id}", "/api/search.parquet"} <= {
        p.replace("\u200b", "") for p in paths}
