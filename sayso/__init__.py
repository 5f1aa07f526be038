"""sayso: who said what, about whom, according to whom, with evidence.

>>> import sayso                                                            # doctest: +SKIP
>>> article = sayso.extract(open("page.html").read())                      # doctest: +SKIP
>>> [(a.kind, article.span_text(a.source)) for a in article.attributions]   # doctest: +SKIP
"""

from .errors import InputError, SaysoError, SpanError
from .model import SCHEMA, Article, Attribution, Entity, Subject

__version__ = "0.1.0"

__all__ = [
    "SCHEMA", "Article", "Attribution", "Entity", "InputError", "SaysoError", "SpanError", "Subject",
    "annotate", "annotate_many", "extract", "__version__",
]


def __getattr__(name: str):
    """The pipeline's functions, imported on first use: they load spaCy, which the parts of sayso that run
    without it (the fine-tuning stage of ``sayso train`` on a GPU host) never import."""
    if name in ("annotate", "annotate_many", "extract"):
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
