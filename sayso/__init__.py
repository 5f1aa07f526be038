"""sayso: who said what, about whom, according to whom, with evidence.

>>> import sayso                                                            # doctest: +SKIP
>>> article = sayso.extract(open("page.html").read())                      # doctest: +SKIP
>>> [(a.kind, article.span_text(a.source)) for a in article.attributions]   # doctest: +SKIP
"""

from .errors import InputError, SaysoError, SpanError
from .model import SCHEMA, Article, Attribution, Entity
from .pipeline import annotate, annotate_many, extract

__version__ = "0.1.0"

__all__ = [
    "SCHEMA", "Article", "Attribution", "Entity", "InputError", "SaysoError", "SpanError",
    "annotate", "annotate_many", "extract", "__version__",
]
