"""Browser tests: a real `sayso serve` on a free loopback port, driven by Debian's headless Chromium."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sayso.web.server import running

CHROMIUM = os.environ.get("SAYSO_CHROMIUM", "/usr/bin/chromium")
# no background traffic: this machine reaches nothing but the server under test
CHROMIUM_ARGS = ("--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking"
                 " --disable-component-update --disable-sync").split()


@pytest.fixture(scope="session")
def server(corpus_db) -> str:
    with running(corpus_db) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).is_file(), f"{CHROMIUM} is missing: `make test` installs Debian's chromium package"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    """A fresh browser tab; it fails the test on any page error, console error or off-site request."""
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    problems: list[str] = []
    tab.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    tab.on("console", lambda msg: msg.type == "error" and problems.append(f"console: {msg.text}"))
    tab.on("request", lambda req: req.url.startswith((server, "data:", "blob:"))
           or problems.append(f"off-site request: {req.url}"))
    tab.on("dialog", lambda d: problems.append(f"dialog: {d.message}") or d.dismiss())
    yield tab
    context.close()
    assert not problems, problems
