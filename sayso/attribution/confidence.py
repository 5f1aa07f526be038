"""Confidence of rule-found attributions: how often each kind of frame is right, measured on a corpus.

An attribution's confidence estimates the probability that it is correct in the sense of the
``attribution.overlap_source`` metric: its content overlaps a true attribution's content (token F1 >= 0.5,
one-to-one) and its source overlaps that attribution's source (or both have none). The table maps frame
descriptions, from specific to general, to (correct, total) counts from the PolNeAR training split;
``python -m sayso.evaluate.calibrate`` rebuilds it.
"""

from __future__ import annotations

import functools
import json
from importlib import resources

#: Pseudo-count that pulls a sparse key's rate towards its more general parent's.
PRIOR_WEIGHT = 8.0


def keys(frame: str, cue_class: str, has_source: bool) -> list[str]:
    """The table keys of a frame, most specific first: 'quote|speech|src', 'quote|src', 'quote', ''."""
    base = frame.split("+")[0]
    src = "src" if has_source else "nosrc"
    cont = "+continued" if "+continued" in frame else ""
    return [f"{base}{cont}|{cue_class}|{src}", f"{base}|{src}", base, ""]


@functools.lru_cache(maxsize=1)
def table() -> dict[str, list[int]]:
    path = resources.files("sayso.attribution") / "data" / "rule_confidence.json"
    if not path.is_file():
        return {}
    return json.loads(path.read_text())["counts"]


def confidence(frame: str, cue_class: str, has_source: bool) -> float:
    """Smoothed rate of correct attributions for this kind of frame (0.5 when nothing was measured)."""
    counts = table()
    rate = 0.5
    for key in reversed(keys(frame, cue_class, has_source)):
        if key in counts:
            ok, n = counts[key]
            rate = (ok + PRIOR_WEIGHT * rate) / (n + PRIOR_WEIGHT)
    return round(rate, 4)
