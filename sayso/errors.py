"""The kinds of user error sayso reports; each is caught once at the CLI or HTTP edge."""

from __future__ import annotations


class SaysoError(Exception):
    """Base class: an error caused by what the user gave us, reported without a traceback."""


class PlacedError(SaysoError):
    """An error about one named thing (a file, a record, a database): ``where: problem``."""

    def __init__(self, where: str, problem: str):
        super().__init__(f"{where}: {problem}")
        self.where = where
        self.problem = problem

    def __reduce__(self):
        # pickled by its two fields, so it crosses process boundaries (batch workers) intact
        return type(self), (self.where, self.problem)


class InputError(PlacedError):
    """An input (file, stdin, record) that cannot be read as an article.

    >>> str(InputError("page.html", "empty file"))
    'page.html: empty file'
    """


class SpanError(SaysoError):
    """An attribution span that is not verbatim text of its article (never emitted)."""


class StoreError(PlacedError):
    """A corpus database that cannot be opened or used (missing, not a sayso store, newer schema).

    >>> str(StoreError("corpus.sqlite", "no such corpus database"))
    'corpus.sqlite: no such corpus database'
    """


class QueryError(SaysoError):
    """A search or listing asked with a value that means nothing (a bad date, an unknown kind)."""
