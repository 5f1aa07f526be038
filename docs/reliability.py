"""Draw docs/reliability-accurate.png: the accurate mode's reliability diagram on PolNeAR dev.

Reads the cross-fitted (confidence, correct) pairs that ``sayso train`` stores in the model's metrics.json,
so every point is an attribution scored by a calibration curve fitted without its own article.
matplotlib is a documentation tool only (``pip install -e .[docs]``), never a runtime dependency.

    python docs/reliability.py
"""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
METRICS = ROOT / "sayso" / "models" / "attribution-tagger" / "metrics.json"
OUT = ROOT / "docs" / "reliability-accurate.png"
BINS = 10


def main() -> None:
    cal = json.loads(METRICS.read_text())["calibration"]
    pairs = cal["crossfit"]
    sums = [[0.0, 0.0, 0] for _ in range(BINS)]
    for conf, ok in pairs:
        b = min(int(conf * BINS), BINS - 1)
        sums[b][0] += conf
        sums[b][1] += ok
        sums[b][2] += 1
    xs = [s[0] / s[2] for s in sums if s[2]]
    ys = [s[1] / s[2] for s in sums if s[2]]
    ns = [s[2] for s in sums if s[2]]
    fig, (ax, hist) = plt.subplots(2, 1, figsize=(5, 6), height_ratios=[3, 1], sharex=True)
    ax.plot([0, 1], [0, 1], ls="--", color="grey", lw=1, label="perfect calibration")
    ax.plot(xs, ys, marker="o", color="C0", label=f"accurate mode (ECE {cal['ece_crossfit']:.3f})")
    ax.set_ylabel("share correct (attribution.overlap_source)")
    ax.set_title(f"Reliability on PolNeAR dev, {len(pairs)} attributions\n(isotonic, 5-fold cross-fitted by article)",
                 fontsize=10)
    ax.legend(loc="upper left", fontsize=8)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    hist.bar([(b + 0.5) / BINS for b in range(BINS)], [s[2] for s in sums], width=0.9 / BINS, color="C0")
    hist.set_xlabel("confidence")
    hist.set_ylabel("attributions")
    fig.tight_layout()
    fig.savefig(OUT, dpi=110)
    print(f"wrote {OUT} ({sum(ns)} attributions in {len(ns)} bins)")


if __name__ == "__main__":
    main()
