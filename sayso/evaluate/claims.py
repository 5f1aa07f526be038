"""Scoring claim grouping and stance against a labelled set (``sayso.claim-labels/1``).

A label file names attributions of PolNeAR articles by their offsets (content and cue spans, as sayso's
extractor found them), each with the claim it belongs to and its stance; claims belong to a ``dev`` part
(for choosing thresholds) or a ``heldout`` part (for reporting). The run extracts every labelled article,
groups *all* its attributions into claims (the labelled ones among the rest), and scores the labelled ones:

- grouping: B-cubed and pairwise precision, recall and F1 of the predicted claims against the labelled ones;
- stance: accuracy of each attribution's stance toward its predicted claim. A claim's stance depends on how
  its label is worded: when the predicted label is itself a labelled denial of the same labelled claim (the
  label states the opposite proposition), the gold asserts/denies of that claim's members are swapped before
  comparing, so that a correct reading is never counted wrong for the label's polarity.

docs/claims-labelling.md is the labelling guide; docs/claims.md reports the scores.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from ..claims.grouping import (NEIGHBOURS, RESOLUTION, SAME_SPEAKER_BONUS, THRESHOLD, Claim, Item, find_claims,
                               items_of)
from ..errors import InputError
from ..model import Article, overlap
from .polnear import read_metadata, read_text

SCHEMA = "sayso.claim-labels/1"
PARTS = ("dev", "heldout")
_FLIP = {"asserts": "denies", "denies": "asserts"}


@dataclass
class Label:
    """One labelled attribution."""

    article: str
    split: str
    content: list[tuple[int, int]]
    cue: list[tuple[int, int]]
    claim: str
    stance: str
    part: str
    excerpt: str = ""


def load_labels(path: Path) -> list[Label]:
    """The labelled attributions of a ``sayso.claim-labels/1`` file (InputError when it is not one)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(str(path), f"cannot read the label file ({exc})") from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise InputError(str(path), f"not a {SCHEMA} file")
    parts = {}
    for c in data.get("claims", []):
        if c.get("part") not in PARTS:
            raise InputError(str(path), f"claim {c.get('id')!r}: part must be one of {', '.join(PARTS)}")
        parts[c["id"]] = c["part"]
    out = []
    for n, a in enumerate(data.get("attributions", []), 1):
        try:
            if a["claim"] not in parts:
                raise InputError(str(path), f"attribution {n}: unknown claim {a['claim']!r}")
            if a["stance"] not in ("asserts", "denies", "doubts", "neutral"):
                raise InputError(str(path), f"attribution {n}: unknown stance {a['stance']!r}")
            out.append(Label(article=a["article"], split=a.get("split", "train"),
                             content=[(int(s), int(e)) for s, e in a["content"]],
                             cue=[(int(s), int(e)) for s, e in a["cue"]], claim=a["claim"],
                             stance=a["stance"], part=parts[a["claim"]], excerpt=a.get("excerpt", "")))
        except (KeyError, TypeError, ValueError):
            raise InputError(str(path), f"attribution {n}: needs article, content, cue, claim and stance") from None
    if not out:
        raise InputError(str(path), "no labelled attributions")
    return out


def load_articles(data_dir: Path, labels: list[Label],
                  show_progress: Callable[[Iterable, int], Iterable] = lambda it, n: it) -> dict[str, Article]:
    """Every labelled article, extracted from its raw text (so offsets are the corpus's own), with its
    outlet and publication date from the corpus metadata."""
    from ..pipeline import annotate_many

    meta = read_metadata(data_dir)
    wanted = sorted({(lab.split, lab.article) for lab in labels})
    articles = []
    for split, name in wanted:
        path = Path(data_dir) / split / "text" / f"{name}.txt"
        if not path.is_file():
            raise InputError(str(path), "labelled article not found (is --data the PolNeAR folder?)")
        text = read_text(path)
        row = meta.get(name, {})
        articles.append(Article(text=text, title=row.get("title") or text.split("\n", 1)[0],
                                outlet=row.get("outlet"), published=row.get("publication_date"),
                                url=f"polnear:{split}/{name}"))
    return {name: art for (_, name), art in zip(wanted, show_progress(annotate_many(articles), len(articles)))}


def match(label: Label, article: Article) -> str | None:
    """The id of the extracted attribution a label names: same content spans, else the one whose content
    overlaps the label's most (at least half of it) with an overlapping cue."""
    best, best_overlap = None, 0
    size = sum(e - s for s, e in label.content)
    for att in article.attributions:
        if att.content == label.content and att.cue == label.cue:
            return att.id
        ov = overlap(att.content, label.content)
        if ov * 2 >= size and overlap(att.cue, label.cue) > 0 and ov > best_overlap:
            best, best_overlap = att.id, ov
    return best


def bcubed(gold: dict[str, str], pred: dict[str, str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of a predicted clustering against a gold one (same keys)."""
    by_gold: dict[str, set[str]] = {}
    by_pred: dict[str, set[str]] = {}
    for k in gold:
        by_gold.setdefault(gold[k], set()).add(k)
        by_pred.setdefault(pred[k], set()).add(k)
    p = r = 0.0
    for k in gold:
        same = by_gold[gold[k]] & by_pred[pred[k]]
        p += len(same) / len(by_pred[pred[k]])
        r += len(same) / len(by_gold[gold[k]])
    p, r = p / len(gold), r / len(gold)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def pairwise(gold: dict[str, str], pred: dict[str, str]) -> tuple[float, float, float]:
    """Pairwise precision, recall and F1: of the pairs put in one claim, how many belong together."""
    keys = sorted(gold)
    tp = fp = fn = 0
    for i, a in enumerate(keys):
        for b in keys[i + 1:]:
            g, p = gold[a] == gold[b], pred[a] == pred[b]
            tp += g and p
            fp += p and not g
            fn += g and not p
    pr = tp / (tp + fp) if tp + fp else 1.0
    rc = tp / (tp + fn) if tp + fn else 1.0
    return pr, rc, (2 * pr * rc / (pr + rc) if pr + rc else 0.0)


def matches(labels: list[Label], articles: dict[str, Article]) -> tuple[dict[tuple[str, str], Label], list[Label]]:
    """The labels by the (article, attribution id) they name, and those naming no extracted attribution (or
    one an earlier label already named)."""
    refs: dict[tuple[str, str], Label] = {}
    unmatched = []
    for lab in labels:
        aid = match(lab, articles[lab.article])
        if aid is None or (lab.article, aid) in refs:
            unmatched.append(lab)
        else:
            refs[(lab.article, aid)] = lab
    return refs, unmatched


def score(labels: list[Label], articles: dict[str, Article], claims: list[Claim]) -> dict:
    """Grouping and stance scores per part, for claims found over the labelled articles."""
    refs, unmatched = matches(labels, articles)
    where: dict[tuple[str, str], tuple[Claim, str]] = {}
    for claim in claims:
        for m in claim.members:
            where[(m.ref.article_id, m.ref.attribution_id)] = (claim, m.stance)
    result: dict = {"labelled": len(labels), "matched": len(refs), "unmatched": len(unmatched)}
    for part in PARTS + ("all",):
        keys = [k for k, lab in refs.items() if part == "all" or lab.part == part]
        if not keys:
            continue
        gold = {f"{k[0]}/{k[1]}": refs[k].claim for k in keys}
        pred = {f"{k[0]}/{k[1]}": where[k][0].id for k in keys}
        right = 0
        confusion: Counter = Counter()
        for k in keys:
            claim, predicted = where[k]
            expected = refs[k].stance
            head = refs.get((claim.label_ref.article_id, claim.label_ref.attribution_id))
            if head is not None and head.claim == refs[k].claim and head.stance == "denies":
                expected = _FLIP.get(expected, expected)
            right += predicted == expected
            confusion[f"{expected}->{predicted}"] += 1
        # a labelled attribution the extractor no longer finds is a miss for both scores
        missed = sum(1 for lab in unmatched if part == "all" or lab.part == part)
        n = len(keys) + missed
        bp, br, bf = bcubed(gold, pred)
        pp, pr, pf = pairwise(gold, pred)
        result[part] = {
            "attributions": n, "claims": len(set(gold.values())),
            "bcubed": {"precision": bp, "recall": br, "f1": bf},
            "pairwise": {"precision": pp, "recall": pr, "f1": pf},
            "stance_accuracy": right / n,
            "stance_confusion": dict(sorted(confusion.items())),
        }
    return result


def labelled_partition(labels: list[Label], articles: dict[str, Article], items: list[Item]) -> list[int]:
    """One claim number per item: the labelled claim of the labelled items, a claim of its own for the rest."""
    refs, _ = matches(labels, articles)
    numbers: dict[str, int] = {}
    keys = [(it.article_id, it.attribution.id) for it in items]
    return [numbers.setdefault(refs[k].claim if k in refs else f"{k[0]}/{k[1]}", len(numbers)) for k in keys]


def evaluate_claims(label_path: Path, data_dir: Path, encoder, *, threshold: float = THRESHOLD,
                    resolution: float = RESOLUTION, same_speaker_bonus: float = SAME_SPEAKER_BONUS,
                    neighbours: int | None = NEIGHBOURS,
                    show_progress: Callable[[Iterable, int], Iterable] = lambda it, n: it,
                    thresholds: Iterable[float] = (), labelled_grouping: bool = False) -> dict:
    """Extract the labelled articles, find claims over all their attributions and score them.

    With ``thresholds``, also scores each of those thresholds (the embeddings are computed once), under
    ``"sweep"``: that is how the threshold is chosen on the development part. With ``labelled_grouping``,
    the claims are the labelled ones (every other attribution alone), so that the score measures the labels
    and stances chosen for a right grouping: the stance reader on its own.
    """
    labels = load_labels(label_path)
    articles = load_articles(data_dir, labels, show_progress)
    items: list[Item] = [it for name, art in articles.items() for it in items_of(name, art)]
    partition = labelled_partition(labels, articles, items) if labelled_grouping else None
    result = score(labels, articles, find_claims(items, encoder, threshold=threshold, resolution=resolution,
                                                 same_speaker_bonus=same_speaker_bonus, neighbours=neighbours,
                                                 partition=partition))
    result["labelled_grouping"] = labelled_grouping
    result["threshold"] = threshold
    result["resolution"] = resolution
    result["same_speaker_bonus"] = same_speaker_bonus
    result["neighbours"] = neighbours
    sweep = []
    for t in thresholds:
        r = score(labels, articles, find_claims(items, encoder, threshold=t, resolution=resolution,
                                                same_speaker_bonus=same_speaker_bonus, neighbours=neighbours))
        sweep.append({"threshold": t, **{p: {"bcubed_f1": r[p]["bcubed"]["f1"], "pairwise_f1": r[p]["pairwise"]["f1"],
                                             "stance_accuracy": r[p]["stance_accuracy"]}
                                         for p in PARTS if p in r}})
    if sweep:
        result["sweep"] = sweep
    return result


def _links_kept(neighbours: int | None) -> str:
    """How many of each attribution's links the grouping kept, in words."""
    return "every link kept" if neighbours is None else f"links to the {neighbours} nearest kept"


def format_result(result: dict) -> str:
    """The scores as a small table, one row per part."""
    grouping = ("the labelled grouping" if result.get("labelled_grouping") else
                f"threshold {result['threshold']:.2f}, resolution {result['resolution']:g}, "
                f"same-speaker bonus {result['same_speaker_bonus']:.2f}, "
                f"{_links_kept(result.get('neighbours'))}")
    lines = [f"claims: {grouping}; "
             f"{result['matched']}/{result['labelled']} labelled attributions found by the extractor",
             f"{'part':<8} {'attrs':>5} {'claims':>6} {'B3 P':>6} {'B3 R':>6} {'B3 F1':>6} "
             f"{'pair P':>6} {'pair R':>6} {'pairF1':>6} {'stance':>6}"]
    for part in PARTS + ("all",):
        if part not in result:
            continue
        r = result[part]
        b, p = r["bcubed"], r["pairwise"]
        lines.append(f"{part:<8} {r['attributions']:>5} {r['claims']:>6} {b['precision']:>6.3f} {b['recall']:>6.3f} "
                     f"{b['f1']:>6.3f} {p['precision']:>6.3f} {p['recall']:>6.3f} {p['f1']:>6.3f} "
                     f"{r['stance_accuracy']:>6.3f}")
    for s in result.get("sweep", []):
        lines.append(f"  sweep t={s['threshold']:.2f}: " + "  ".join(
            f"{p} B3 {s[p]['bcubed_f1']:.3f} pair {s[p]['pairwise_f1']:.3f} stance {s[p]['stance_accuracy']:.3f}"
            for p in PARTS if p in s))
    return "\n".join(lines)
