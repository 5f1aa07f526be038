"""Quote spread: one quotation repeated across outlets, where and when it was first seen, who repeated it.

Quotations are the quoted passages inside attribution contents. Two are one quote when their words, lower
cased and without punctuation, are the same, or when one holds the other's words in order and the shorter
has at least :data:`MIN_WORDS` words (outlets trim quotes: "We have no intention of influencing the
election" and "no intention of influencing the election"). A repeat *credits* the first outlet when its
article names that outlet, in its text or among the intermediaries (via) of the quoting attribution.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..attribution.quotes import find_quotes
from .grouping import AttributionRef, Item, Speaker

#: Fewest words a quotation needs to be tracked: shorter ones ("rigged") recur by chance.
MIN_WORDS = 6

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


@dataclass
class Sighting:
    """One place a quote was seen: an attribution of an article of some outlet, on some date."""

    ref: AttributionRef
    text: str
    outlet: str | None
    published: str | None
    speaker: Speaker | None
    credits_first: bool | None = None  # None for the first sighting itself

    def to_json(self) -> dict[str, Any]:
        """The sighting as JSON."""
        return {**self.ref.to_json(), "text": self.text, "outlet": self.outlet, "published": self.published,
                "speaker": self.speaker.to_json() if self.speaker else None,
                "credits_first": self.credits_first}


@dataclass
class Quote:
    """A quotation and every sighting of it, first sighting first."""

    text: str
    first: Sighting
    repeats: list[Sighting] = field(default_factory=list)

    @property
    def outlets(self) -> list[str]:
        """The outlets that repeated the quote after its first sighting (each once, in order)."""
        seen: list[str] = []
        for s in self.repeats:
            if s.outlet and s.outlet != self.first.outlet and s.outlet not in seen:
                seen.append(s.outlet)
        return seen

    def to_json(self) -> dict[str, Any]:
        """``{"text", "first_seen", "repeated_by", "sightings"}``."""
        return {"text": self.text, "first_seen": self.first.to_json(), "repeated_by": self.outlets,
                "sightings": [s.to_json() for s in self.repeats]}


def normal_words(text: str) -> tuple[str, ...]:
    """A quotation's words, lower-cased, without punctuation or quotation marks."""
    return tuple(_WORD.findall(text.lower().replace("’", "'")))


def _contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    n = len(shorter)
    return any(longer[i:i + n] == shorter for i in range(len(longer) - n + 1))


def quotations(item: Item) -> list[str]:
    """The quoted passages inside an item's content (verbatim, marks stripped) long enough to track."""
    out = []
    text = item.article.text
    for s, e in find_quotes(text):
        # contents hold the quoted words with or without the marks around them
        if any(cs <= s + 1 and e - 1 <= ce + 1 for cs, ce in item.attribution.content):
            passage = text[s:e].strip("\"“”«»„‟ ")
            if len(normal_words(passage)) >= MIN_WORDS:
                out.append(passage)
    return out


def _credits(item: Item, first_outlet: str | None) -> bool:
    if not first_outlet:
        return False
    name = first_outlet.lower()
    if name in item.article.text.lower():
        return True
    via = {e.name.lower() for e in item.article.entities if e.id in item.attribution.via}
    return any(name in v or v in name for v in via)


def quote_spread(items: list[Item]) -> list[Quote]:
    """Quotes seen in more than one article, each with its first sighting and its repeats.

    Sightings are ordered by publication date (undated last), then article id; quotes come most-repeated
    first.
    """
    seen: list[tuple[tuple[str, ...], str, Item]] = []
    for it in items:
        for passage in quotations(it):
            seen.append((normal_words(passage), passage, it))
    seen.sort(key=lambda x: (x[2].article.published or "9999", x[2].article_id))
    groups: list[list[tuple[tuple[str, ...], str, Item]]] = []
    for words, passage, it in seen:
        for g in groups:
            head = g[0][0]
            shorter, longer = (words, head) if len(words) <= len(head) else (head, words)
            if shorter == longer or _contains(longer, shorter):
                g.append((words, passage, it))
                break
        else:
            groups.append([(words, passage, it)])
    quotes = []
    for g in groups:
        if len({it.article_id for _, _, it in g}) < 2:
            continue
        _, text0, first_item = g[0]
        first = Sighting(first_item.ref, text0, first_item.article.outlet, first_item.article.published,
                         first_item.speaker)
        repeats = []
        for _, passage, it in g[1:]:
            if it.article_id == first_item.article_id:
                continue
            repeats.append(Sighting(it.ref, passage, it.article.outlet, it.article.published, it.speaker,
                                    credits_first=_credits(it, first.outlet)))
        quotes.append(Quote(text=max((p for _, p, _ in g), key=len), first=first, repeats=repeats))
    quotes.sort(key=lambda q: (-len(q.repeats), q.first.published or "", q.text))
    return quotes
