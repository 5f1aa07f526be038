"""A claim in the browser: who asserts, denies and doubts it, the graph of who agrees and contradicts, and on
to a speaker's positions."""

import csv
import re

import pytest
from playwright.sync_api import expect

from tabs import submit

pytestmark = pytest.mark.ui


def test_a_claim_page_shows_the_sides_and_leads_to_a_speaker(page, server):
    page.goto(server + "/")
    page.locator("#all-claims").click()
    expect(page).to_have_url(re.compile(r"/claims$"))
    submit(page, "#claims-form", q='"has been for a year"')
    page.locator("#claim-list a.claim-label").first.click()
    expect(page).to_have_url(re.compile(r"/claims/c[0-9a-f]{10}$"))

    # the stance groups, each with highlighted evidence from the articles
    asserts, denies, doubts = (page.locator(f"#stance-{s}") for s in ("asserts", "denies", "doubts"))
    expect(asserts.locator("a.speaker", has_text="Harlan Pruitt").first).to_be_visible()
    expect(denies.locator("a.speaker", has_text="Paul Whitcombe").first).to_be_visible()
    expect(doubts.locator("a.speaker", has_text="Rosa Lindqvist").first).to_be_visible()
    content = denies.locator(".excerpt .m.content").first
    expect(content).to_be_visible()
    assert content.evaluate("e => getComputedStyle(e).backgroundColor") not in ("rgba(0, 0, 0, 0)", "transparent")
    expect(page.locator("#quotes table.spread td.credit.no")).to_have_count(1)

    # the graph: one node per speaker, agreement and contradiction drawn apart
    graph = page.locator("svg#claim-graph")
    expect(graph).to_be_visible()
    assert graph.locator("circle.node").count() >= 4
    agree, contradict = graph.locator("line.link.agree").first, graph.locator("line.link.contradict").first
    assert agree.evaluate("e => getComputedStyle(e).strokeDasharray") == "none"
    assert contradict.evaluate("e => getComputedStyle(e).strokeDasharray") != "none"
    assert agree.evaluate("e => getComputedStyle(e).stroke") != contradict.evaluate("e => getComputedStyle(e).stroke")

    # evidence links to the highlighted sentence of its article
    link = denies.locator("a.in-article").first
    href = link.get_attribute("href")
    assert re.fullmatch(r"/articles/\d+#a\d+", href)

    graph.locator("a.node-link", has_text="Harlan Pruitt").click()
    expect(page).to_have_url(re.compile(r"/speakers/\d+$"))
    expect(page.locator("h1")).to_have_text("Harlan Pruitt")
    position = page.locator("#positions tr", has=page.locator("a", has_text="unsafe"))
    expect(position.locator(".stance").first).to_have_text("asserts")
    expect(page.locator("#contradicts a.speaker", has_text="Paul Whitcombe")).to_be_visible()
    expect(page.locator("#agrees-with a.speaker", has_text="Maria Delgado")).to_be_visible()

    page.goto(server + href)
    expect(page.locator("#article-text .m.focused").first).to_be_visible()


def test_the_claims_a_page_lists_download_as_csv(page, server, tmp_path):
    page.goto(server + "/claims")
    submit(page, "#claims-form", speaker="Whitcombe", stance="denies")
    expect(page).to_have_url(re.compile(r"stance=denies"))
    listed = [e.get_attribute("data-claim") for e in page.locator("#claim-list .claim-item").all()]
    assert listed
    with page.expect_download() as download:
        page.locator("#exports a", has_text="CSV").click()
    path = tmp_path / "claims.csv"
    download.value.save_as(path)
    rows = list(csv.DictReader(path.open(newline="", encoding="utf-8")))
    assert list(dict.fromkeys(r["claim_id"] for r in rows)) == listed
    assert any(r["stance"] == "denies" and "Whitcombe" in r["speaker"] for r in rows)

    # a speaker's page offers the claims they take part in
    page.locator("#claim-list a.speaker", has_text="Paul Whitcombe").first.click()
    expect(page).to_have_url(re.compile(r"/speakers/\d+$"))
    with page.expect_download() as theirs:
        page.locator("#claim-exports a", has_text="CSV").click()
    theirs.value.save_as(tmp_path / "theirs.csv")
    own = list(csv.DictReader((tmp_path / "theirs.csv").open(newline="", encoding="utf-8")))
    assert {r["claim_id"] for r in rows} <= {r["claim_id"] for r in own}
    assert any(r["speaker"] == "Paul Whitcombe" for r in own)


def test_the_quotes_page_filters_and_leads_to_a_quote_and_its_claim(page, server):
    page.goto(server + "/")
    page.locator("header nav a", has_text="Quotes").click()
    expect(page).to_have_url(re.compile(r"/quotes$"))
    form = page.locator("#quotes-form")
    form.locator("[name=outlet]").fill("coastline herald")
    form.locator("[name=uncredited]").check()
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/quotes\?.*uncredited=true"))
    expect(page.locator("#quotes-form [name=uncredited]")).to_be_checked()
    expect(page.locator("#total")).to_contain_text("1 quote repeated")
    item = page.locator("#quote-list .quote-item").first
    expect(item.locator(".first-seen")).to_contain_text("Coastline Daily")
    expect(item.locator("td.credit.no")).to_have_count(1)
    expect(item.locator("td.credit.yes")).to_have_count(1)

    item.locator("a.quote-text").click()
    expect(page).to_have_url(re.compile(r"/quotes/\d+$"))
    expect(page.locator(".quote-head blockquote")).to_contain_text("unsafe for heavy trucks")
    expect(page.locator(".quote-head .first-seen a.speaker")).to_have_text("Harlan Pruitt")
    page.locator("#quote-claims a.claim-label").first.click()
    expect(page).to_have_url(re.compile(r"/claims/c[0-9a-f]{10}$"))
    expect(page.locator("#quotes a.quote-text")).to_have_count(1)


def test_who_repeats_whom_leads_to_the_quotes_repeated_without_credit(page, server):
    page.goto(server + "/quotes")
    page.locator("#quote-outlets-link").click()
    expect(page).to_have_url(re.compile(r"/quotes/outlets$"))
    row = page.locator("#quote-outlets tr", has=page.locator("a", has_text="Coastline Herald"))
    row.locator("td.n a").click()  # its repeats without credit
    expect(page).to_have_url(re.compile(r"/quotes\?outlet=Coastline\+Herald&uncredited=true$"))
    expect(page.locator("#quote-list .quote-item")).to_have_count(1)
    expect(page.locator("#quote-list td.credit.no")).to_contain_text("no")
