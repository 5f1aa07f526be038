"""HTML pages: the article and its metadata, extracted by trafilatura."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import InputError

#: Most elements a page may have: trafilatura's time grows with the square of the elements of the main part
#: (50,000 take it about 8 s here); a real news page has a few thousand.
MAX_ELEMENTS = 50_000
#: Elements inside one paragraph beyond which it is read as its text alone: trafilatura's paragraph test takes
#: time in the square of them (40,000 spans in one paragraph took two minutes).
DENSE_PARAGRAPH = 1_000
#: How deep libxml2, under lxml and trafilatura, reads nested elements: the rest of the page is dropped.
PARSER_DEPTH = 256
#: Pages with fewer tags than this are handed to trafilatura as they are, without the checks above.
_FEW_TAGS = 5_000

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

    page = html if html.count("<") <= _FEW_TAGS else _simplified(html, where)
    try:
        doc = trafilatura.bare_extraction(
            page, url=url, with_metadata=True, include_comments=False, include_tables=False,
            include_images=False, include_links=False, output_format="python",
        )
    except (ValueError, RecursionError) as exc:  # lxml gives up on pathological trees
        raise InputError(where, f"unreadable HTML ({type(exc).__name__})") from None
    if doc is None:
        raise InputError(where, _no_text(html))
    meta = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    paragraphs = [p.strip() for p in (meta.get("text") or "").split("\n") if p.strip()]
    title = (meta.get("title") or "").strip() or None
    if paragraphs and title and paragraphs[0] == title:
        paragraphs = paragraphs[1:]
    if not paragraphs:
        raise InputError(where, _no_text(html))
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


def _simplified(html: str, where: str):
    """The page as trafilatura would parse it, refused when it has too many elements, with every paragraph
    of over DENSE_PARAGRAPH elements reduced to its text."""
    from trafilatura.utils import load_html

    tree = load_html(html)
    if tree is None:
        return html
    elements = sum(1 for _ in tree.iter())
    if elements > MAX_ELEMENTS:
        raise InputError(where, f"HTML page of {elements:,} elements is over the {MAX_ELEMENTS:,}-element limit")
    for para in tree.iter("p"):
        if sum(1 for _ in para.iterdescendants()) > DENSE_PARAGRAPH:
            text = para.text_content()
            for child in list(para):
                para.remove(child)
            para.text = text
    return tree


def _no_text(html: str) -> str:
    """Why trafilatura found no article: the usual reason, or the parser's depth limit when the page hit it."""
    from lxml import etree
    from trafilatura.utils import load_html

    tree = load_html(html)
    if tree is not None:
        depth = deepest = 0
        for event, _ in etree.iterwalk(tree, events=("start", "end")):
            depth += 1 if event == "start" else -1
            deepest = max(deepest, depth)
        if deepest >= PARSER_DEPTH - 1:
            return (f"no article text found above the {PARSER_DEPTH} levels of nested elements the HTML parser "
                    f"reads (the page nests deeper)")
    return "no article text found in the HTML page"
