"""Quote spread: one quotation across outlets, first seen where and when, repeated with or without credit."""

import pytest

from sayso.claims import items_of
from sayso.claims.spread import quote_spread
from sayso.model import Article
from sayso.pipeline import annotate_many

QUOTE = "We have no intention of influencing the election campaign in the United States"


@pytest.fixture(scope="module")
def items():
    pages = [
        ("tass-1", "TASS", "2016-09-07", f'Putin Speaks\n\n"{QUOTE}," President Vladimir Putin told reporters.'),
        ("nbc-1", "NBC News", "2016-09-08",
         f'Putin Denies\n\n"{QUOTE}," Vladimir Putin said, according to TASS.'),
        ("blog-1", "Daily Blog", "2016-09-09",
         'Moscow Speaks\n\nPutin said "no intention of influencing the election campaign in the United States."'),
        ("other", "Other Times", "2016-09-09", 'Budget Vote\n\n"The budget will pass next week," Senator Maria Ruiz said.'),
    ]
    arts = [Article(text=t, outlet=o, published=d) for _, o, d, t in pages]
    out = []
    for (aid, *_), art in zip(pages, annotate_many(arts)):
        out += items_of(aid, art)
    return out


def test_one_quote_with_its_first_sighting_and_repeats(items):
    (quote,) = quote_spread(items)
    assert quote.first.outlet == "TASS" and quote.first.published == "2016-09-07"
    assert quote.outlets == ["NBC News", "Daily Blog"]
    assert QUOTE in quote.text


def test_credit_to_the_first_outlet(items):
    (quote,) = quote_spread(items)
    credit = {s.outlet: s.credits_first for s in quote.repeats}
    assert credit == {"NBC News": True, "Daily Blog": False}


def test_json(items):
    data = quote_spread(items)[0].to_json()
    assert data["first_seen"]["article_id"] == "tass-1"
    assert data["repeated_by"] == ["NBC News", "Daily Blog"]
    assert data["first_seen"]["speaker"]["name"] == "Vladimir Putin"
