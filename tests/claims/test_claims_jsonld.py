"""schema.org Claim JSON-LD, checked against the expected properties and value types of the schema.org types."""

import json

import pytest

from sayso.claims import find_claims
from sayso.claims.jsonld import claim_jsonld

# Properties schema.org (v29) allows on each type, with their expected value types, for the ones sayso
# writes: Thing < CreativeWork < Claim; CreativeWork < Article < NewsArticle; Thing < Person, Organization.
THING = {"name": "Text", "identifier": "Text", "url": "URL", "alternateName": "Text", "description": "Text",
         "sameAs": "URL"}
CREATIVE_WORK = {**THING, "text": "Text", "author": ("Person", "Organization"), "datePublished": "Date",
                 "headline": "Text", "publisher": ("Person", "Organization"), "inLanguage": "Text"}
TYPES = {
    "Claim": {**CREATIVE_WORK, "about": ("Person", "Organization"), "appearance": ("CreativeWork", "NewsArticle"),
              "firstAppearance": ("CreativeWork", "NewsArticle"), "claimInterpreter": ("Person", "Organization")},
    "NewsArticle": {**CREATIVE_WORK, "articleBody": "Text", "dateline": "Text"},
    "CreativeWork": CREATIVE_WORK,
    "Person": {**THING, "jobTitle": "Text"},
    "Organization": THING,
}


def check(node, expected=("Claim",)):
    """Raise AssertionError unless ``node`` is a valid schema.org object of one of the expected types."""
    assert isinstance(node, dict), node
    kind = node["@type"]
    assert kind in expected, f"{kind} where {expected} is expected"
    allowed = TYPES[kind]
    for prop, value in node.items():
        if prop in ("@type", "@context", "@id"):
            continue
        assert prop in allowed, f"{prop} is not a property of {kind}"
        want = allowed[prop]
        for v in value if isinstance(value, list) else [value]:
            if isinstance(want, tuple):
                check(v, want)
            elif want == "Date":
                assert isinstance(v, str) and len(v) >= 10 and v[4] == "-" and v[7] == "-", v
            elif want == "URL":
                assert isinstance(v, str) and ":" in v, v
            else:
                assert isinstance(v, str) and v, (prop, v)


@pytest.fixture(scope="module")
def claims(seed_items, encoder):
    return find_claims(seed_items, encoder)


def test_every_claim_is_a_valid_schema_org_claim(claims):
    for claim in claims:
        node = claim_jsonld(claim)
        assert node["@context"] == "https://schema.org"
        check(node)
        json.dumps(node)


def test_claim_fields(claims, seed_article):
    claim = max(claims, key=lambda c: len(c.members))
    node = claim_jsonld(claim)
    assert node["text"] == claim.label and node["text"] in seed_article.text
    authors = {a["name"]: a["@type"] for a in node["author"]}
    balance = {}
    for m in claim.members:
        if m.speaker and m.stance != "neutral":
            balance[m.speaker.name] = balance.get(m.speaker.name, 0) + (1 if m.stance == "asserts" else -1)
    asserting = {name for name, b in balance.items() if b > 0}
    assert set(authors) == asserting
    assert authors.get("Mike Pence") == "Person"
    assert "Vladimir Putin" not in authors  # he denies it: a denier is no author of the claim
    (appearance,) = node["appearance"]
    assert appearance == node["firstAppearance"]
    assert appearance["url"] == "https://example.org/seed" and appearance["datePublished"] == "2016-09-08"
    assert appearance["publisher"] == {"@type": "Organization", "name": "NBC News"}


def test_the_check_catches_what_schema_org_does_not_allow(claims):
    node = claim_jsonld(claims[0])
    with pytest.raises(AssertionError):
        check({**node, "stance": "asserts"})
    with pytest.raises(AssertionError):
        check({**node, "author": [{"@type": "Place", "name": "Moscow"}]})
    with pytest.raises(AssertionError):
        check({**node, "firstAppearance": {"@type": "NewsArticle", "datePublished": "yesterday"}})
