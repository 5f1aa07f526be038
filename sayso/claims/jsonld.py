"""A claim as schema.org ``Claim`` JSON-LD, the vocabulary ClaimReview markup builds on.

- ``text``: the claim's label (verbatim words of one of its attributions);
- ``author``: each speaker who, on balance, asserts it, a ``Person`` or an ``Organization``;
- ``appearance``: each article it appears in, a ``NewsArticle`` with its ``url``, ``headline``,
  ``datePublished`` and ``publisher``;
- ``firstAppearance``: the earliest published of those;
- ``about``: whom its attributions name most, each a ``Person`` or an ``Organization``.

>>> claim_jsonld(claim)["@type"]      # doctest: +SKIP
'Claim'
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from .grouping import SIDE, Claim, ClaimMember, Speaker

CONTEXT = "https://schema.org"
#: sayso's entity kinds as schema.org types: people are Persons; everything else that speaks is an
#: Organization (outlets, governments, campaigns, groups).
SPEAKER_TYPES = {"person": "Person"}


def speaker_jsonld(speaker: Speaker) -> dict[str, Any]:
    """A speaker as a schema.org Person or Organization."""
    out: dict[str, Any] = {"@type": SPEAKER_TYPES.get(speaker.kind, "Organization"), "name": speaker.name,
                           "identifier": str(speaker.id)}
    if speaker.aliases:
        out["alternateName"] = list(speaker.aliases)
    return out


def appearance_jsonld(member: ClaimMember) -> dict[str, Any]:
    """The article a member appears in, as a schema.org NewsArticle."""
    out: dict[str, Any] = {"@type": "NewsArticle", "identifier": str(member.ref.article_id)}
    if member.url and urlsplit(member.url).scheme.lower() in ("http", "https"):  # a schema.org URL, never javascript:
        out["url"] = member.url
    if member.title:
        out["headline"] = member.title
    if member.published:
        out["datePublished"] = member.published
    if member.outlet:
        out["publisher"] = {"@type": "Organization", "name": member.outlet}
    return out


def claim_jsonld(claim: Claim) -> dict[str, Any]:
    """One claim as a schema.org Claim object (with its own ``@context``)."""
    # an author is a speaker who, on balance, asserts the claim (one stray sentence does not make a
    # denier its author)
    authors: dict[str, Speaker] = {}
    balance: dict[str, int] = {}
    for m in claim.members:
        if m.speaker is not None and m.stance in SIDE:
            balance[m.speaker.id] = balance.get(m.speaker.id, 0) + SIDE[m.stance]
    for m in claim.members:
        if m.stance == "asserts" and m.speaker is not None and balance[m.speaker.id] > 0:
            authors.setdefault(m.speaker.id, m.speaker)
    appearances: dict[str, ClaimMember] = {}
    for m in claim.members:
        appearances.setdefault(m.ref.article_id, m)
    out: dict[str, Any] = {"@context": CONTEXT, "@type": "Claim", "identifier": claim.id, "text": claim.label}
    if authors:
        out["author"] = [speaker_jsonld(s) for s in authors.values()]
    if claim.about:
        out["about"] = [speaker_jsonld(sub.speaker) if sub.speaker is not None else
                        {"@type": SPEAKER_TYPES.get(sub.kind, "Organization"), "name": sub.name}
                        for sub in claim.about]
    if appearances:
        out["appearance"] = [appearance_jsonld(m) for m in appearances.values()]
        dated = [m for m in appearances.values() if m.published]
        first = min(dated, key=lambda m: (m.published, m.ref.article_id)) if dated else None
        if first is not None:
            out["firstAppearance"] = appearance_jsonld(first)
            out["datePublished"] = first.published
    return out
