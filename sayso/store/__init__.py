"""The corpus store: annotated articles in one SQLite file, speakers merged across articles, full-text search.

>>> from sayso.store import ingest, connect_readonly, queries      # doctest: +SKIP
>>> ingest(["examples/corpus"], "corpus.sqlite").new                # doctest: +SKIP
5
>>> queries.search(connect_readonly("corpus.sqlite"), q="bridge").total   # doctest: +SKIP
"""

from .ingest import Failure, IngestSummary, ingest
from .schema import SCHEMA_VERSION, connect, connect_readonly
from .writer import CorpusWriter, article_key

__all__ = ["SCHEMA_VERSION", "CorpusWriter", "Failure", "IngestSummary", "article_key", "connect",
           "connect_readonly", "ingest"]
