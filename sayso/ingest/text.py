"""Scraped text pages: drop the boilerplate lines a scraper keeps, keep headline and paragraphs.

A page as scrapers save it has ad markers, photo credits, promo and "More from" footers, bylines and dates
around the article. The first real line is the headline; bylines and dates move to metadata.

>>> page = "ADVERTISEMENT\\nPutin Says No\\nBy Ann Lee\\nPhoto: A. B./Getty Images.\\nHe said no.\\nMore from X"
>>> clean_text(page).text
'Putin Says No\\n\\nHe said no.'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_BOILERPLATE = [
    r"(advertisement\s*)+",
    r"(sponsored( content)?|promoted|paid content|ad)",
    r"(photo|image|picture|video|graphic|illustration)( credit)?s?\s*[:|(].*",
    r".*/\s*(getty images|ap|reuters|afp|epa|shutterstock|ap photo)\.?\)?",
    r"\(?(getty images|ap photo|reuters|afp|epa)[^.]{0,60}\)?",
    r"(more|more stories|more news|more coverage) (from|on|about) .{1,80}",
    r"(related|read more|read next|see also|also read|recommended|watch|listen|up next)\s*[:|].*",
    r"(related|related stories|related articles|read more|recommended for you|trending|most popular)",
    r".{0,40}\boriginal series",
    r"(share|share this|tweet|email|print|comments?|\d+ comments?|save|copy link)( this( article| story)?)?",
    r"(share on|follow us on|like us on|sign up|subscribe|click here|download our app).*",
    r"(copyright|©|\(c\)).*|all rights reserved.*",
    r"(skip to (main )?content|back to top|cookie.*|accept cookies.*|this site uses cookies.*)",
    r"(loading|loading\.\.\.|play video|replay|close|menu|home|search)",
]
_BOILERPLATE_RE = re.compile(r"^\s*(?:" + "|".join(_BOILERPLATE) + r")\s*$", re.I)
_BYLINE_RE = re.compile(r"^\s*(?:by|written by|words by)\s+([A-Z][^\n]{1,120}?)\s*$", re.I)
_DATE_RE = re.compile(
    r"^\s*(?:(?:published|updated|posted|last updated)\s*:?\s*)"
    r"(.{4,60}?)\s*$",
    re.I,
)
_BARE_DATE_RE = re.compile(
    r"^\s*(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s*)?"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}"
    r"(?:\s*(?:at\s*)?\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?\s*\w{0,4})?\s*$",
    re.I,
)


@dataclass
class CleanText:
    """The article text (headline, blank line, paragraphs) and the metadata found among its lines."""

    text: str
    title: str | None
    author: str | None = None
    published: str | None = None


def is_boilerplate(line: str) -> bool:
    """True for a line that is page furniture, not article text."""
    return bool(_BOILERPLATE_RE.match(line))


def clean_text(page: str) -> CleanText:
    """Headline and paragraphs of a scraped page, with its byline and date as metadata."""
    lines = [ln.strip() for ln in page.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    author = published = None
    kept: list[str] = []
    for line in lines:
        if not line or is_boilerplate(line):
            continue
        m = _BYLINE_RE.match(line)
        if m and author is None and len(line.split()) <= 12 and not line.rstrip().endswith((".", "?", "!")):
            author = m.group(1).strip(" ,")
            continue
        m = _DATE_RE.match(line)
        if m and published is None:
            published = m.group(1).strip()
            continue
        if _BARE_DATE_RE.match(line) and published is None:
            published = line.strip()
            continue
        kept.append(line)
    kept = _drop_trailing_promos(kept)
    if not kept:
        return CleanText("", None, author, published)
    title, body = kept[0], kept[1:]
    return CleanText("\n\n".join([title, *body]), title, author, published)


def _drop_trailing_promos(lines: list[str]) -> list[str]:
    """Short lines with no sentence punctuation after the last paragraph are footer links, not text."""
    end = len(lines)
    while end > 2 and _looks_like_link(lines[end - 1]):
        end -= 1
    return lines[:end]


def _looks_like_link(line: str) -> bool:
    words = line.split()
    return len(words) <= 8 and not re.search(r"[.!?:\"”’)]$", line)
