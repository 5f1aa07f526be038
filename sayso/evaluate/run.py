"""Running sayso over an annotated corpus and scoring it against the gold attributions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..model import Article
from .metrics import score
from .polnear import GoldArticle, load_split


def as_prediction(article: Article) -> list[dict]:
    """The reference scorer's view of an article's attributions."""
    return [
        {"source": [list(s) for s in a.source], "cue": [list(s) for s in a.cue],
         "content": [list(s) for s in a.content]}
        # PolNeAR annotates no nested attributions (Putin's words inside NBC's report): leave them out
        for a in article.outermost()
    ]


def predict_split(data_dir: Path, split: str, mode: str = "fast",
                  show_progress: Callable[[Iterable, int], Iterable] = lambda it, n: it
                  ) -> Iterator[tuple[GoldArticle, list[dict]]]:
    """Each gold article of a PolNeAR split with sayso's prediction on its raw text (the scorer's view)."""
    from ..pipeline import annotate_many

    gold = load_split(data_dir, split)
    articles = (Article(text=g.text, title=g.text.split("\n", 1)[0]) for g in gold)
    for g, article in zip(gold, show_progress(annotate_many(articles, mode), len(gold))):
        yield g, as_prediction(article)


def evaluate_polnear(data_dir: Path, split: str, mode: str = "fast", predictions: Path | None = None,
                     show_progress: Callable[[Iterable, int], Iterable] = lambda it, n: it) -> dict:
    """Extract from every raw text of a PolNeAR split, score, and optionally write the predictions."""
    pairs = []
    out = open(predictions, "w", encoding="utf-8") if predictions else None
    try:
        for g, pred in predict_split(data_dir, split, mode, show_progress):
            if out:
                out.write(json.dumps({"doc": g.name, "attributions": pred}) + "\n")
            pairs.append((g.text, [vars(a) for a in g.attributions], pred))
    finally:
        if out:
            out.close()
    return score(pairs)
