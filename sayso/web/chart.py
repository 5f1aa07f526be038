"""The speaker page's chart of attributions over time, laid out here and drawn as inline SVG by the
template (no script, no CDN).

Months with no attributions between the first and the last are shown as empty bars, so gaps are visible;
a span of more than four years is counted by year instead.

>>> c = timeline_chart([{"month": "2026-01", "count": 2}, {"month": "2026-03", "count": 4}])
>>> [(b.label, b.count) for b in c.bars]
[('2026-01', 2), ('2026-02', 0), ('2026-03', 4)]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

WIDTH, HEIGHT = 720, 180
_LEFT, _BOTTOM, _TOP = 36, 24, 10


@dataclass
class Bar:
    """One month (or year) of the chart."""

    label: str
    count: int
    x: float
    y: float
    width: float
    height: float


@dataclass
class Chart:
    """The laid-out chart: bars, tick labels on the time axis, and the scale."""

    width: int = WIDTH
    height: int = HEIGHT
    bars: list[Bar] = field(default_factory=list)
    ticks: list[tuple[float, str]] = field(default_factory=list)   # (x, label) under the axis
    scale: list[tuple[float, int]] = field(default_factory=list)   # (y, count) beside the axis
    unit: str = "month"


def timeline_chart(timeline: list[dict[str, Any]]) -> Chart:
    """Lay out ``[{"month": "YYYY-MM", "count": n}, ...]`` (sorted) as bars."""
    counts = {t["month"]: t["count"] for t in timeline}
    if not counts:
        return Chart()
    months = _months(min(counts), max(counts))
    unit = "month"
    if len(months) > 48:
        unit = "year"
        years: dict[str, int] = {}
        for m in months:
            years[m[:4]] = years.get(m[:4], 0) + counts.get(m, 0)
        counts, months = years, list(years)
    top = max(counts.values()) or 1
    plot_w, plot_h = WIDTH - _LEFT - 8, HEIGHT - _BOTTOM - _TOP
    step = plot_w / len(months)
    chart = Chart(unit=unit)
    for i, m in enumerate(months):
        n = counts.get(m, 0)
        h = plot_h * n / top
        chart.bars.append(Bar(m, n, round(_LEFT + i * step + step * 0.1, 1), round(_TOP + plot_h - h, 1),
                              round(max(step * 0.8, 1), 1), round(h, 1)))
    every = max(1, round(len(months) / 8))
    chart.ticks = [(round(_LEFT + i * step + step / 2, 1), m) for i, m in enumerate(months) if i % every == 0]
    chart.scale = [(float(_TOP + plot_h), 0), (float(_TOP), top)]
    return chart


def _months(first: str, last: str) -> list[str]:
    y, m = int(first[:4]), int(first[5:7])
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out
