"""The charts over time, laid out here and drawn as inline SVG by the templates (no script, no CDN): a
speaker's attributions per month, and a claim's attributions per day, month or year by stance.

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
    chart = Chart(unit=unit)
    slots, chart.ticks, chart.scale = _axes(months, top)
    for m, (x, width) in zip(months, slots):
        n = counts.get(m, 0)
        h = _PLOT_H * n / top
        chart.bars.append(Bar(m, n, x, round(_TOP + _PLOT_H - h, 1), width, round(h, 1)))
    return chart


#: The height of the plot between its top margin and the time axis.
_PLOT_H = HEIGHT - _BOTTOM - _TOP


def _axes(periods: list[str], top: int) -> tuple[list[tuple[float, float]], list[tuple[float, str]],
                                                 list[tuple[float, int]]]:
    """The layout both charts share: each period's bar slot (x, width), the tick labels under the time axis
    (about eight, at the slots' middles), and the scale beside it (the axis at 0, the top at ``top``)."""
    step = (WIDTH - _LEFT - 8) / len(periods)
    slots = [(round(_LEFT + i * step + step * 0.1, 1), round(max(step * 0.8, 1), 1)) for i in range(len(periods))]
    every = max(1, round(len(periods) / 8))
    ticks = [(round(_LEFT + i * step + step / 2, 1), p) for i, p in enumerate(periods) if i % every == 0]
    return slots, ticks, [(float(_TOP + _PLOT_H), 0), (float(_TOP), top)]


def _months(first: str, last: str) -> list[str]:
    y, m = int(first[:4]), int(first[5:7])
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


@dataclass
class Segment:
    """One stance's part of a bar of the stance timeline."""

    stance: str
    count: int
    y: float
    height: float


@dataclass
class StackedBar:
    """One day, month or year of the stance timeline: its stances stacked, asserting at the bottom."""

    label: str
    count: int
    x: float
    width: float
    segments: list[Segment] = field(default_factory=list)


@dataclass
class StanceChart:
    """The laid-out stance timeline: stacked bars, tick labels, the scale, and the members without a date."""

    width: int = WIDTH
    height: int = HEIGHT
    bars: list[StackedBar] = field(default_factory=list)
    ticks: list[tuple[float, str]] = field(default_factory=list)
    scale: list[tuple[float, int]] = field(default_factory=list)
    unit: str = "day"
    undated: int = 0


def stance_timeline(dated: list[tuple[str | None, str]], stances: tuple[str, ...]) -> StanceChart:
    """Lay out ``[(date or None, stance), ...]`` (ISO dates) as bars stacked by stance in the order of
    ``stances``: a bar a day when the dates span two months or less, a month up to four years, else a year.
    Periods with nothing between the first and the last are empty bars, so gaps show.

    >>> c = stance_timeline([("2026-06-08", "asserts"), ("2026-06-10", "denies"), ("2026-06-10", "asserts"),
    ...                      (None, "doubts")], ("asserts", "denies", "doubts", "neutral"))
    >>> c.unit, [(b.label, b.count, [s.stance for s in b.segments]) for b in c.bars], c.undated
    ('day', [('2026-06-08', 1, ['asserts']), ('2026-06-09', 0, []), ('2026-06-10', 2, ['asserts', 'denies'])], 1)
    """
    from datetime import date, timedelta

    days = sorted(d[:10] for d, _ in dated if d)
    chart = StanceChart(undated=sum(1 for d, _ in dated if not d))
    if not days:
        return chart
    first, last = date.fromisoformat(days[0]), date.fromisoformat(days[-1])
    if (last - first).days <= 62:
        periods = [(first + timedelta(n)).isoformat() for n in range((last - first).days + 1)]
        key = 10
    else:
        periods, key, chart.unit = _months(days[0][:7], days[-1][:7]), 7, "month"
        if len(periods) > 48:
            periods, key, chart.unit = [str(y) for y in range(first.year, last.year + 1)], 4, "year"
    counts: dict[str, dict[str, int]] = {p: {} for p in periods}
    for d, stance in dated:
        if d:
            counts[d[:key]][stance] = counts[d[:key]].get(stance, 0) + 1
    top = max(sum(c.values()) for c in counts.values())
    slots, chart.ticks, chart.scale = _axes(periods, top)
    for period, (x, width) in zip(periods, slots):
        bar = StackedBar(period, sum(counts[period].values()), x, width)
        base = float(_TOP + _PLOT_H)
        for stance in stances:
            n = counts[period].get(stance, 0)
            if n:
                h = _PLOT_H * n / top
                base -= h
                bar.segments.append(Segment(stance, n, round(base, 1), round(h, 1)))
        chart.bars.append(bar)
    return chart
