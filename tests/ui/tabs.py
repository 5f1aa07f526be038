"""A browser tab that fails the test on anything a page should never do."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator


@contextmanager
def watched_tab(browser, server: str, allow: tuple[str, ...] = ()) -> Iterator:
    """A fresh tab of ``browser``; on leaving, an AssertionError lists every page error, console error (a
    script the Content-Security-Policy refused among them), dialog (alert, confirm) and request to anywhere
    but ``server``. Console errors holding one of ``allow`` are expected (an error page's own status)."""
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    problems: list[str] = []
    tab.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    tab.on("console", lambda msg: msg.type == "error" and not any(a in msg.text for a in allow)
           and problems.append(f"console: {msg.text}"))
    tab.on("request", lambda req: req.url.startswith((server, "data:", "blob:"))
           or problems.append(f"off-site request: {req.url}"))
    tab.on("dialog", lambda d: problems.append(f"dialog: {d.message}") or d.dismiss())
    try:
        yield tab
    finally:
        context.close()
    assert not problems, problems


def submit(page, form: str, **fields: str) -> None:
    """Fill the fields of a page's form by name (a select takes the option) and submit it."""
    found = page.locator(form)
    for name, value in fields.items():
        field = found.locator(f"[name={name}]")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    found.locator("button[type=submit]").click()
