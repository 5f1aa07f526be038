"""Fixtures for the claims tests: one MiniLM encoder and the seed article's items for the whole session."""

from __future__ import annotations

import pytest

from sayso.claims import Encoder, items_of
from sayso.ingest import read_path
from sayso.pipeline import annotate


@pytest.fixture(scope="session")
def encoder() -> Encoder:
    return Encoder()


@pytest.fixture(scope="session")
def seed_article(seed_page):
    article = annotate(read_path(seed_page))
    article.outlet = "NBC News"
    article.published = "2016-09-08"
    article.url = "https://example.org/seed"
    return article


@pytest.fixture(scope="session")
def seed_items(seed_article):
    return items_of("seed", seed_article)
