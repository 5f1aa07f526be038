"""Markup and script in every field, in a real browser: each page shows them as text, and none of them runs.

The hostile corpus (tests/hostile.py) puts payloads that would set ``window.__xss`` or open a dialog into
titles, outlets, authors, urls, article text, speakers' names and roles, claim labels; the searches below put
them into every query the pages echo. A payload that ran would leave ``window.__xss`` set or open a dialog; one
that reached the page as markup would be refused by the Content-Security-Policy, which Chromium reports as a
console error. The watched tab fails the test on either.
"""

from __future__ import annotations

import sqlite3
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from hostile import XSS
from sayso.web.server import running
from tabs import watched_tab

pytestmark = pytest.mark.ui


@pytest.fixture(scope="module")
def hostile_server(hostile_db):
    with running(hostile_db) as url:
        yield url


@pytest.fixture
def tab(browser, hostile_server):
    # the error pages below answer 400, which Chromium logs; nothing else may be
    with watched_tab(browser, hostile_server, allow=("responded with a status of 400",)) as t:
        yield t


@pytest.fixture(scope="module")
def ids(hostile_db):
    conn = sqlite3.connect(hostile_db)
    found = {"articles": [r[0] for r in conn.execute("SELECT id FROM articles")],
             "speakers": [r[0] for r in conn.execute("SELECT id FROM speakers")],
             "claims": [r[0] for r in conn.execute("SELECT id FROM claims")],
             "quotes": [r[0] for r in conn.execute("SELECT id FROM quotes")]}
    conn.close()
    return found


def pages(ids) -> list[str]:
    found = ["/", "/articles", "/speakers", "/claims", "/quotes", "/quotes/outlets", "/search"]
    found += [f"/articles/{i}" for i in ids["articles"]] + [f"/speakers/{i}" for i in ids["speakers"]]
    found += [f"/claims/{i}" for i in ids["claims"]] + [f"/quotes/{i}" for i in ids["quotes"]]
    for payload in XSS.values():
        found += ["/search?" + urlencode({"q": payload}), "/search?" + urlencode({"speaker": payload, "via": payload}),
                  "/search?" + urlencode({"outlet": payload}), "/articles?" + urlencode({"q": payload, "outlet": payload}),
                  "/speakers?" + urlencode({"q": payload}), "/claims?" + urlencode({"q": payload, "speaker": payload}),
                  "/quotes?" + urlencode({"q": payload, "speaker": payload, "outlet": payload})]
    # the error pages echo what they refuse
    found += ["/search?" + urlencode({"since": XSS["script"]}), "/search?" + urlencode({"kind": XSS["img"]}),
              "/claims?" + urlencode({"stance": XSS["svg"]}), "/search?" + urlencode({"page": XSS["attribute"]})]
    return found


def test_no_payload_runs_on_any_page(tab, hostile_server, ids):
    visited = 0
    for path in pages(ids):
        response = tab.goto(hostile_server + path)
        assert response.status in (200, 400), (path, response.status)
        tab.wait_for_load_state("load")
        assert tab.evaluate("typeof window.__xss") == "undefined", path
        assert tab.evaluate("document.querySelectorAll('svg[onload], img[onerror], iframe, b[onmouseover]').length") == 0, path
        visited += 1
    assert visited > 50


def test_payloads_read_as_text_where_they_stand(tab, hostile_server, ids):
    article = ids["articles"][0]
    tab.goto(f"{hostile_server}/articles/{article}")
    expect(tab.locator("h1")).to_contain_text(XSS["script"])
    expect(tab.locator("#article-text")).to_contain_text(XSS["closing"])
    expect(tab.locator("#article-text")).to_contain_text("{{7*7}}")
    expect(tab.locator("body")).to_contain_text(f"{XSS['img']} Post")
    # clicking a quote opens its panel, built by the page's script from the embedded JSON
    tab.locator("#article-text .m.content", has_text="as it is written").first.click()
    expect(tab.locator("#panel")).to_contain_text("Ruiz")
    assert tab.evaluate("typeof window.__xss") == "undefined"

    tab.goto(f"{hostile_server}/search?" + urlencode({"q": XSS["script"]}))
    assert tab.get_by_role("searchbox", name="Words").input_value() == XSS["script"]

    speaker = tab.evaluate("fetch('/api/speakers?q=ruiz').then(r => r.json())")["results"][0]
    tab.goto(f"{hostile_server}/speakers/{speaker['id']}")
    expect(tab.locator("h1")).to_contain_text(f"Ana {XSS['svg']} Ruiz")
    assert tab.evaluate("typeof window.__xss") == "undefined"

    tab.goto(f"{hostile_server}/claims")
    expect(tab.locator("main")).to_contain_text(XSS["iframe"])

    tab.goto(f"{hostile_server}/quotes")
    quote = tab.locator("#quote-list .quote blockquote").first
    expect(quote).to_contain_text(XSS["iframe"])
    expect(tab.locator("#quote-list .first-seen").first).to_contain_text(f"{XSS['img']} Post")
    quote.locator("a").click()
    expect(tab.locator(".quote-head blockquote")).to_contain_text(XSS["iframe"])
    assert tab.evaluate("typeof window.__xss") == "undefined"
