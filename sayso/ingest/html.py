"""HTML pages: the article and its metadata, extracted by trafilatura."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import InputError

_HTML_SNIFF = re.compile(r"<\s*(!doctype\s+html|html|head|body|article|p|div|meta|title|span|section)\b", re.I)


@dataclass
class CleanHTML:
    text: str
    title: str | None
    url: str | None
    outlet: str | None
    author: str | None
    published: str | None


def looks_like_html(content: str) -> bool:
    """True when the content is markup: a doctype or at least a few HTML tags near the start."""
    head = content[:5000].lstrip()
    if head[:15].lower().startswith(("<!doctype html", "<html")):
        return True
    return len(_HTML_SNIFF.findall(head)) >= 3


def clean_html(html: str, where: str, url: str | None = None) -> CleanHTML:
    """Headline, paragraphs and metadata of an HTML page; InputError when it holds no article text."""
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_tables=False,
            include_images=False, include_links=False, output_format="python",
        )
    except (ValueError, RecursionError) as exc:  # lxml gives up on pathological trees
        raise InputError(where, f"unreadable HTML ({type(exc).__name__})") from None
    if doc is None:
        raise InputError(where, "no article text found in the HTML page")
    meta = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    paragraphs = [p.strip() for p in (meta.get("text") or "").split("\n") if p.strip()]
    title = (meta.get("title") or "").strip() or None
    if paragraphs and title and paragraphs[0] == title:
        paragraphs = paragraphs[1:]
    if not paragraphs:
        raise InputError(where, "no article text found in the HTML page")
    headline = title or paragraphs.pop(0)
    text = "\n\n".join([headline, *paragraphs])
    return CleanHTML(
        text=text,
        title=headline,
        url=url or meta.get("url") or None,
        outlet=meta.get("sitename") or meta.get("hostname") or None,
        author=meta.get("author") or None,
        published=meta.get("date") or None,
    )
