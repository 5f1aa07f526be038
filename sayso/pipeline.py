"""From page to attributions: ingest, parse, find attributions and speakers, in one call or a stream."""

from __future__ import annotations

from typing import Iterable, Iterator

from . import nlp as _nlp
from .errors import InputError
from .ingest import read_text_or_html
from .model import Article


def annotate(article: Article, mode: str = "fast") -> Article:
    """Fill ``article.attributions`` and ``article.entities`` from its text (in place; returns it)."""
    return next(annotate_many([article], mode))


def annotate_many(articles: Iterable[Article], mode: str = "fast", batch_size: int = 16) -> Iterator[Article]:
    """Annotate a stream of articles with one pipeline, batching the parse; yields them in order."""
    nlp = _nlp.load(mode)
    pending = iter(articles)
    # nlp.pipe with as_tuples keeps each article next to its doc without holding the stream in memory
    for doc, article in nlp.pipe(((a.text, a) for a in pending), as_tuples=True, batch_size=batch_size):
        article.attributions = doc._.attributions
        article.entities = doc._.speakers
        yield article


def annotate_each(articles: list[Article], mode: str = "fast",
                  batch_size: int = 16) -> Iterator[Article | Exception]:
    """Each article annotated, in order, or the exception that stopped it: the list goes through the pipeline
    in one batch and, if the batch fails, article by article, so that one odd page costs only itself."""
    try:
        yield from list(annotate_many(articles, mode, batch_size))
        return
    except Exception:  # noqa: BLE001 - which article broke the batch is found below
        pass
    for article in articles:
        try:
            yield annotate(article, mode)
        except Exception as exc:  # noqa: BLE001 - any crash on one article is that article's failure
            yield exc


def annotation_error(where: str, exc: Exception) -> InputError:
    """The one-line error of an article the pipeline failed on (what ``annotate_each`` gave for it)."""
    message = (str(exc).strip().splitlines() or [""])[0][:200]
    return InputError(where, f"annotation failed ({type(exc).__name__}: {message})")


def extract(text_or_html: str | bytes, *, url: str | None = None, mode: str = "fast",
            any_language: bool = False) -> Article:
    """Every attribution of one article given as HTML or text (str or bytes).

    A page that is surely not English raises :class:`~sayso.errors.InputError` unless ``any_language``.

    >>> art = extract('Harlan Wins\\n\\n"We won," Senator Maria Harlan said.')   # doctest: +SKIP
    >>> art.attributions[0].kind, art.entity(art.attributions[0].entity).name  # doctest: +SKIP
    ('direct', 'Maria Harlan')
    """
    if isinstance(text_or_html, bytes):
        from .ingest import read_bytes

        article = read_bytes(text_or_html, where="<bytes>", url=url, any_language=any_language)
    else:
        article = read_text_or_html(text_or_html, url=url, any_language=any_language)
    return annotate(article, mode)
