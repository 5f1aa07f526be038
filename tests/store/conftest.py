"""Fixtures of the store tests: a read-only connection to the example corpus."""

import pytest

from sayso.store import connect_readonly


@pytest.fixture(scope="module")
def conn(corpus_db):
    c = connect_readonly(corpus_db)
    yield c
    c.close()
