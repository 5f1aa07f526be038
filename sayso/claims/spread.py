"""Quote spread: one quotation repeated across outlets, where and when it was first seen, who repeated it.

Quotations are the quoted passages inside attribution contents. Two are one quote when their words, lower
cased and without punctuation, are the same, or when one holds the other's words in order and the shorter
has at least :data:`MIN_WORDS` words (outlets trim quotes: "We have no intention of influencing the
election" and "no intention of influencing the election"), or when they are near-exact: they share a run of
MIN_WORDS words, and :data:`NEAR_SHARE` of the shorter's words (it has :data:`NEAR_MIN_WORDS` or more) are
found in the longer in order (transcripts differ by a word, an ellipsis, a bracket: "our fight is to
transform this country" and "Our fight is to transform our country"; "figure out what is going on" and
"figure out what the [censored] is going on"). A repeat *credits* the first outlet when its article names
that outlet, in its text or among the intermediaries (via) of the quoting attribution.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Any

from ..attribution.quotes import find_quotes
from ..outlets import names_of
from .grouping import AttributionRef, Item, Speaker

#: Fewest words a quotation needs to be tracked: shorter ones ("rigged") recur by chance.
MIN_WORDS = 6
#: Share of the shorter passage's words that a near-exact repeat has in the longer, in order: up to one word
#: in five may differ ("we have come a pretty long way"), two different sentences that share a phrase do not
#: reach it ("a special place in hell for women who don't help each other" / "... who vote for women").
NEAR_SHARE = 0.8
#: Fewest words of the shorter passage for a near-exact match: in a short one, a word or two more is
#: another sentence ("bad things are going to happen" / "bad, bad things are going to happen").
NEAR_MIN_WORDS = 10

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
#: Marks that stand for an apostrophe in news text ("Trump‘s", "Trump’s", "Trump`s").
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "′": "'"})


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
    return tuple(_WORD.findall(text.lower().translate(_APOSTROPHES)))


def _contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    n = len(shorter)
    return any(longer[i:i + n] == shorter for i in range(len(longer) - n + 1))


def near_exact(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether NEAR_SHARE of the shorter passage's words (NEAR_MIN_WORDS or more of them) are found in the
    longer in order (difflib's matching blocks). The caller knows that the two share a run of MIN_WORDS.

    >>> near_exact(tuple("our fight is to transform this country and to understand that".split()),
    ...            tuple("our fight is to transform our country and to understand that".split()))
    True
    """
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    if len(shorter) < NEAR_MIN_WORDS:
        return False
    blocks = SequenceMatcher(None, shorter, longer, autojunk=False).get_matching_blocks()
    return sum(b.size for b in blocks) >= NEAR_SHARE * len(shorter)


def _runs(words: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Every run of MIN_WORDS consecutive words, first run first."""
    return [words[i:i + MIN_WORDS] for i in range(len(words) - MIN_WORDS + 1)]


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


@lru_cache(maxsize=4096)
def _name_pattern(name: str) -> re.Pattern | None:
    """A name as whole words, in any case, whatever stands between them: "New York Times" finds "the New
    York Times's"; "Politico" is not in "political", nor "AP" in "happy", nor "The Hill" in "Capitol Hill"."""
    words = re.findall(r"\w+", name)
    if not words:
        return None
    return re.compile(r"(?<!\w)" + r"\W+".join(map(re.escape, words)) + r"(?!\w)", re.I)


def names(text: str, name: str) -> bool:
    """Whether ``text`` names ``name`` as whole words (:func:`_name_pattern`).

    >>> names("Politico reported it first", "Politico"), names("a political reporter", "Politico")
    (True, False)
    """
    pattern = _name_pattern(name)
    return bool(pattern and pattern.search(text))


def _credits(item: Item, first_outlet: str | None) -> bool:
    """Whether an item's article names the outlet that had a quote first: in its text, or as one of the
    item's intermediaries (a via "the Times" names "The New York Times")."""
    if not first_outlet:
        return False
    known_as = names_of(first_outlet)
    if any(names(item.article.text, name) for name in known_as):
        return True
    via = {e.name for e in item.article.entities if e.id in item.attribution.via}
    return any(names(name, v) or names(v, name) for v in via for name in known_as)


def group_passages(passages: list[tuple[str, ...]]) -> list[list[int]]:
    """Passages (their normal words, MIN_WORDS or more each) grouped as one quote: each joins the first group
    whose first passage (its head) is the same words, holds it, or is held by it; failing that, the first
    group whose head is a near-exact repeat of it (they share a run of MIN_WORDS words and :func:`near_exact`);
    groups and their members in order, as indices into ``passages``.

    A passage held by another shares its first run of MIN_WORDS words with it, so the only heads to compare
    are those that hold the passage's first run (the passage may be held) and those whose first run occurs
    in the passage (it may hold them); near-exact heads are those that hold any of its runs. That is
    near-linear in the words, where comparing with every head is quadratic in the quotations.

    >>> group_passages([tuple("we have no intention of influencing the election".split()),
    ...                 tuple("no intention of influencing the election".split()),
    ...                 tuple("the eastern span is unsafe for trucks".split())])
    [[0, 1], [2]]
    """
    groups: list[list[int]] = []
    holding: dict[tuple[str, ...], list[int]] = {}  # a run of MIN_WORDS words -> the groups whose head holds it
    starting: dict[tuple[str, ...], list[int]] = {}  # a run -> the groups whose head starts with it
    for i, words in enumerate(passages):
        if len(words) < MIN_WORDS:
            raise ValueError(f"passage {i} has {len(words)} words, fewer than MIN_WORDS ({MIN_WORDS})")
        runs = _runs(words)
        candidates = set(holding.get(runs[0], ()))
        for run in runs:
            candidates.update(starting.get(run, ()))
        found = next((k for k in sorted(candidates) if _holds(words, passages[groups[k][0]])), None)
        if found is None:
            sharing = {k for run in runs for k in holding.get(run, ())}
            found = next((k for k in sorted(sharing) if near_exact(words, passages[groups[k][0]])), None)
        if found is not None:
            groups[found].append(i)
        else:
            k = len(groups)
            groups.append([i])
            for run in set(runs):
                holding.setdefault(run, []).append(k)
            starting.setdefault(runs[0], []).append(k)
    return groups


def _holds(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether one of two passages holds the other (or they are the same words)."""
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    return shorter == longer or _contains(longer, shorter)



def quote_spread(items: list[Item]) -> list[Quote]:
    """Quotes seen in more than one article, each with its first sighting and its repeats: one sighting an
    article.

    Sightings are ordered by publication date (undated last), then article id; quotes come most-repeated
    first. Where an article holds a quote in several attributions (the speaker's words, and an outlet's
    report of them: "..., Ortiz said, according to the Gazette"), its sighting is the innermost one, whose
    content is shortest (the speaker's own), and it credits the first outlet when any of them does.
    """
    seen: list[tuple[tuple[str, ...], str, Item]] = []
    for it in items:
        for passage in quotations(it):
            seen.append((normal_words(passage), passage, it))
    seen.sort(key=lambda x: (x[2].article.published or "9999", x[2].article_id))
    groups = [[seen[i] for i in members] for members in group_passages([words for words, _, _ in seen])]
    quotes = []
    for g in groups:
        articles: dict[str, list[tuple[str, Item]]] = {}
        for _, passage, it in g:
            articles.setdefault(it.article_id, []).append((passage, it))
        if len(articles) < 2:
            continue
        first_sightings, *others = articles.values()
        text0, first_item = _innermost(first_sightings)
        first = Sighting(first_item.ref, text0, first_item.article.outlet, first_item.article.published,
                         first_item.speaker)
        repeats = []
        for sightings in others:
            passage, it = _innermost(sightings)
            repeats.append(Sighting(it.ref, passage, it.article.outlet, it.article.published, it.speaker,
                                    credits_first=any(_credits(other, first.outlet) for _, other in sightings)))
        quotes.append(Quote(text=max((p for _, p, _ in g), key=len), first=first, repeats=repeats))
    quotes.sort(key=lambda q: (-len(q.repeats), q.first.published or "", q.text))
    return quotes


def _innermost(sightings: list[tuple[str, Item]]) -> tuple[str, Item]:
    """Of one article's sightings of a quote, the one in the shortest content: the quoted speaker's own
    attribution rather than a report that holds it."""
    return min(sightings, key=lambda s: sum(e - b for b, e in s[1].attribution.content))
