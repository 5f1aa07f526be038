"""The screenshots of the corpus pages in docs/: the example articles ingested into a fresh corpus, its claims
computed, served by ``sayso serve``, photographed by Debian's headless Chromium.

    make screenshots          # or: .venv/bin/python docs/screenshots.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from sayso.store import ingest
from sayso.store.claims import recompute
from sayso.web.server import running

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = ("--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking"
                 " --disable-component-update --disable-sync").split()

#: (file name, page, what to do on it first)
SHOTS = [
    ("corpus-home.png", "/", None),
    ("corpus-article.png", "/articles?q=Whitcombe+budget+unfunded", "article"),
    ("corpus-speaker.png", "/speakers?q=delgado", "speaker"),
    ("corpus-search.png", "/search?q=loan+OR+toll*", None),
    ("corpus-claim.png", "/claims?q=%22has+been+for+a+year%22", "claim"),
    ("corpus-quotes.png", "/quotes", None),
    ("corpus-pair.png", "/claims?q=%22has+been+for+a+year%22", "pair"),
    ("corpus-extract.png", "/extract", "extract"),
]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "corpus.sqlite"
        summary = ingest([ROOT / "examples"], db)
        if summary.failed:
            sys.exit(f"could not ingest the examples: {summary.to_json()}")
        recompute(db)
        with running(db) as url, sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900}, device_scale_factor=1)
            for name, path, then in SHOTS:
                page.goto(url + path)
                if then == "article":
                    page.locator("#article-list a").first.click()
                    page.locator("#article-text .m.source", has_text="budget officials").click()
                elif then == "speaker":
                    page.locator("#speaker-list a.speaker").first.click()
                elif then == "claim":
                    page.locator("#claim-list a.claim-label").first.click()
                elif then == "pair":  # who contradicts whom on that claim, with the evidence of both
                    page.locator("#claim-list a.claim-label").first.click()
                    page.wait_for_load_state("networkidle")
                    page.goto(page.url + "/edges?speaker=Delgado&speaker=Whitcombe")
                elif then == "extract":
                    page.locator("textarea[name=article]").fill((ROOT / "examples" / "harbor-bridge.txt").read_text())
                    page.locator("#extract-form button[type=submit]").click()
                    page.locator("#article-text .m.source", has_text="two people familiar").click()
                page.wait_for_load_state("networkidle")
                page.screenshot(path=ROOT / "docs" / name, full_page=True)
                print(f"docs/{name}: {page.url.replace(url, '')}")
            browser.close()


if __name__ == "__main__":
    main()
