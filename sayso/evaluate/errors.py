"""What goes wrong: sayso's attributions on a PolNeAR split sorted into kinds of error, with counts and examples.

Predictions are paired with gold attributions as ``attribution.overlap`` pairs them (content token F1 >= 0.5,
one to one). An unpaired gold attribution is missed, an unpaired prediction spurious; in a pair, each role
whose span differs from the gold one after the scorer's normalisation counts as one error of that role, by
how it differs (starts early, ends late, no overlap ...).

    python -m sayso.evaluate.errors ../shared/data/polnear --split dev --mode accurate --out docs/error-analysis.md
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path
from typing import Iterable, Sequence

from .metrics import ROLES, Tokens, _pairs, _prepare

Span = tuple[int, int]


def _edges(pred: Sequence[Span], gold: Sequence[Span]) -> list[str]:
    """How a predicted span differs from the gold one: 'starts early', 'ends late', 'split' ..."""
    if not pred:
        return ["missing"]
    if not gold:
        return ["where none"]
    if not any(ps < ge and gs < pe for ps, pe in pred for gs, ge in gold):
        return ["elsewhere"]
    out = []
    if len(pred) != len(gold):
        out.append("fragments differ")
    if pred[0][0] < gold[0][0]:
        out.append("starts early")
    elif pred[0][0] > gold[0][0]:
        out.append("starts late")
    if pred[-1][1] > gold[-1][1]:
        out.append("ends late")
    elif pred[-1][1] < gold[-1][1]:
        out.append("ends early")
    return out or ["fragments differ"]


def classify(text: str, gold: Sequence[dict], pred: Sequence[dict]) -> list[tuple[str, dict | None, dict | None]]:
    """(error kind, gold attribution, predicted attribution) for every error of one article."""
    toks = Tokens(text)
    G = [_prepare(text, toks, a) for a in gold]
    P = [_prepare(text, toks, a) for a in pred]
    pairs = _pairs(P, G)
    errors: list[tuple[str, dict | None, dict | None]] = []
    for i, j in pairs:
        for role in ROLES:
            if P[i].value[role] != G[j].value[role]:
                for how in _edges(P[i].value[role], G[j].value[role]):
                    errors.append((f"{role} {how}", gold[j], pred[i]))
    paired_g = {j for _, j in pairs}
    paired_p = {i for i, _ in pairs}
    for j, g in enumerate(gold):
        if j not in paired_g:
            near = any(G[j].tokens["content"] & P[i].tokens["content"] for i in range(len(P)))
            errors.append(("attribution missed" + (" (content partly found)" if near else ""), g, None))
    for i, p in enumerate(pred):
        if i not in paired_p:
            near = any(P[i].tokens["content"] & G[j].tokens["content"] for j in range(len(G)))
            errors.append(("attribution spurious" + (" (overlaps a gold one)" if near else ""), None, p))
    return errors


def _show(text: str, spans: Sequence[Sequence[int]], limit: int = 90) -> str:
    s = " … ".join(text[a:b] for a, b in spans).replace("\n", " ")
    return (s[: limit - 1] + "…") if len(s) > limit else s


def _example(text: str, kind: str, g: dict | None, p: dict | None) -> str:
    role = kind.split()[0]
    lines = []
    if role in ROLES and g is not None and p is not None:
        lines.append(f"cue “{_show(text, g['cue'], 40)}”")
        lines.append(f"gold {role}: “{_show(text, g[role])}”")
        lines.append(f"ours: “{_show(text, p[role])}”")
    else:
        att = g if g is not None else p
        label = "gold" if g is not None else "ours"
        for r in ("source", "cue", "content"):
            if att[r]:
                lines.append(f"{label} {r}: “{_show(text, att[r])}”")
    return "<br>".join(lines)


def report(items: Iterable[tuple[str, str, list[dict], list[dict]]]) -> tuple[Counter, dict]:
    """Counts of every error kind over ``(name, text, gold, predicted)`` articles, and one example of each."""
    counts: Counter = Counter()
    examples: dict[str, tuple[str, str]] = {}
    for name, text, gold, pred in items:
        for kind, g, p in classify(text, gold, pred):
            counts[kind] += 1
            shown = _example(text, kind, g, p)
            # prefer a short example: the first one under 400 characters
            if kind not in examples or (len(examples[kind][1]) > 400 and len(shown) <= 400):
                examples[kind] = (name, shown)
    return counts, examples


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data_dir", type=Path)
    ap.add_argument("--split", default="dev")
    ap.add_argument("--mode", default="accurate")
    ap.add_argument("--top", type=int, default=10)
    ap.add_argument("--out", type=Path, help="write a Markdown table here (default: print it)")
    args = ap.parse_args(argv)

    from .run import predict_split

    predicted = list(predict_split(args.data_dir, args.split, args.mode))
    counts, examples = report((g.name, g.text, [vars(a) for a in g.attributions], pred) for g, pred in predicted)
    total = sum(counts.values())
    lines = [
        "| # | error kind | count | share | example (article; gold vs ours) |",
        "|---|---|---|---|---|",
    ]
    for n, (kind, c) in enumerate(counts.most_common(args.top), 1):
        name, shown = examples[kind]
        lines.append(f"| {n} | {kind} | {c} | {100 * c / total:.1f}% | `{name}`<br>{shown.replace('|', '/')} |")
    table = "\n".join(lines)
    rest = ", ".join(f"{k} {c}" for k, c in counts.most_common()[args.top :])
    text = (f"{total} errors of {args.mode} mode on PolNeAR {args.split} ({len(predicted)} articles).\n\n{table}\n\n"
            f"Other kinds: {rest or 'none'}.\n")
    if args.out:
        args.out.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
