"""The two modes' speed: fast (rules) against accurate (the trained tagger) on the same texts, CPU only.

Each measurement runs in its own process (``benchmarks.core.measure``: warm-up, then best of three passes),
the two modes alternate twice and each keeps its best run, since other load on the machine hits both
alike. Goal: accurate mode within 4x of fast mode's throughput.
Run: ``python -m benchmarks.model --data ../shared/data/polnear``.
"""

from __future__ import annotations

import json
import os

from benchmarks.core import OUT, _in_subprocess, polnear_parser

GOAL = 4.0


def main(argv: list[str] | None = None) -> None:
    args = polnear_parser(__doc__).parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    runs = [_in_subprocess("sayso", args.data, args.split, mode) for _ in range(2) for mode in ("fast", "accurate")]
    best = {mode: max((r for r in runs if r["mode"] == mode), key=lambda r: r["words_per_s"])
            for mode in ("fast", "accurate")}
    slower = best["fast"]["words_per_s"] / best["accurate"]["words_per_s"]
    fast = best["fast"]
    print(f"mode speed on PolNeAR {args.split} ({fast['articles']} articles, {fast['words']:,} words), "
          f"best of 2x3 passes, one process each, {os.cpu_count()} CPU cores:")
    print(f"{'':16}{'articles/s':>12}{'words/s':>12}{'peak RSS MB':>14}")
    for mode, row in best.items():
        print(f"{mode:16}{row['articles_per_s']:12.2f}{row['words_per_s']:12.0f}{row['peak_rss_mb']:14.0f}")
    print(f"accurate is {slower:.2f}x slower than fast  (goal <= {GOAL:.0f}x)")
    OUT.mkdir(exist_ok=True)
    (OUT / "model.json").write_text(json.dumps({**best, "accurate_slower_by": slower}, indent=1))


if __name__ == "__main__":
    main()
