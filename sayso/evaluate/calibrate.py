"""Measure how often each kind of rule frame is right, and how well confidences match accuracy.

    python -m sayso.evaluate.calibrate DIR --split train --write   # rebuild the shipped table
    python -m sayso.evaluate.calibrate DIR --split dev             # expected calibration error on dev
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

from ..attribution.confidence import keys
from .metrics import correct
from .polnear import load_split

TABLE = Path(__file__).resolve().parent.parent / "attribution" / "data" / "rule_confidence.json"


def expected_calibration_error(pairs: list[tuple[float, bool]], bins: int = 10) -> float:
    """ECE: the bin-weighted mean gap between confidence and accuracy, equal-width bins.

    >>> expected_calibration_error([(0.9, True), (0.9, False)])
    0.4
    """
    if not pairs:
        return 0.0
    sums: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
    for conf, ok in pairs:
        b = min(int(conf * bins), bins - 1)
        sums[b][0] += conf
        sums[b][1] += float(ok)
        sums[b][2] += 1
    return round(sum(abs(c - o) for c, o, n in sums.values()) / len(pairs), 6)


def frame_outcomes(data_dir: Path, split: str) -> list[tuple[str, str, bool, float, bool]]:
    """(frame, cue class, has source, confidence, correct) for every outermost rule attribution."""
    from ..attribution.rules import find_attributions
    from ..nlp import load

    gold = load_split(data_dir, split)
    nlp = load("fast")
    out = []
    with nlp.select_pipes(disable=["sayso"]):
        for g, doc in zip(gold, nlp.pipe((g.text for g in gold), batch_size=16)):
            found = [f for f in find_attributions(doc) if f.depth == 0]
            pred = [{"source": f.source, "cue": f.cue, "content": f.content} for f in found]
            ok = correct(g.text, [vars(a) for a in g.attributions], pred)
            out.extend((f.frame, f.cue_class, bool(f.source), f.confidence, o) for f, o in zip(found, ok))
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data_dir", type=Path)
    ap.add_argument("--split", default="train")
    ap.add_argument("--write", action="store_true", help="write the counts as the shipped confidence table")
    args = ap.parse_args(argv)
    outcomes = frame_outcomes(args.data_dir, args.split)
    if args.write:
        counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for frame, cls, src, _, ok in outcomes:
            for key in keys(frame, cls, src):
                counts[key][0] += int(ok)
                counts[key][1] += 1
        TABLE.write_text(json.dumps({"split": args.split, "correct": "attribution.overlap_source",
                                     "counts": dict(sorted(counts.items()))}, indent=0) + "\n")
        print(f"wrote {TABLE} ({len(counts)} keys from {len(outcomes)} attributions)")
    pairs = [(conf, ok) for *_, conf, ok in outcomes]
    acc = sum(ok for _, ok in pairs) / max(len(pairs), 1)
    print(f"{args.split}: {len(pairs)} attributions, accuracy {acc:.3f}, "
          f"mean confidence {sum(c for c, _ in pairs) / max(len(pairs), 1):.3f}, "
          f"ECE {expected_calibration_error(pairs):.4f}")


if __name__ == "__main__":
    main()
