"""The web tests' client: the application over the shared example corpus, in this process."""

import pytest
from fastapi.testclient import TestClient

from sayso.web import create_app


@pytest.fixture(scope="session")
def client(corpus_db):
    with TestClient(create_app(corpus_db)) as c:
        yield c
