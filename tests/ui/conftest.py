"""Browser tests: a real `sayso serve` on a free loopback port, driven by Debian's headless Chromium."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sayso.web.server import running
from tabs import watched_tab

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
    """A fresh browser tab; it fails the test on any page error, console error, dialog or off-site request."""
    with watched_tab(browser, server) as tab:
        yield tab
