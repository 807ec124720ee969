"""Bar charts as plain numbers for the SVG templates: the page needs no script and no
image service, and the same figures are in a table next to each chart."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

WIDTH, HEIGHT = 640, 220
LEFT, BOTTOM, TOP = 44, 28, 12  # room for the value axis, the period labels, the top value


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: int | None

    @property
    def center(self) -> float:
        return round(self.x + self.width / 2, 1)


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    maximum: int
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    baseline: int = HEIGHT - BOTTOM
    top: int = TOP

    @property
    def label_step(self) -> int:
        """Label every n-th bar only, so labels never overlap (at most eight)."""
        return max(1, -(-len(self.bars) // 8))

    @property
    def empty(self) -> bool:
        return not any(bar.value for bar in self.bars)


def period_label(start: date, unit: str) -> str:
    """A short label under a bar: ``2026-W48`` for weeks, ``2026-11`` for months."""
    if unit == "week":
        year, week, _day = start.isocalendar()
        return f"{year}-W{week:02d}"
    return start.strftime("%Y-%m")


def bar_chart(periods: list[date], values: list[int | None], unit: str) -> Chart:
    """One bar per period, scaled to the largest value (an unknown value has no bar)."""
    maximum = max((value for value in values if value), default=0)
    plot_height = HEIGHT - BOTTOM - TOP
    slot = (WIDTH - LEFT) / max(len(periods), 1)
    bars = []
    for index, (start, value) in enumerate(zip(periods, values, strict=True)):
        height = plot_height * (value or 0) / maximum if maximum else 0
        bars.append(
            Bar(
                x=round(LEFT + index * slot + slot * 0.15, 1),
                y=round(HEIGHT - BOTTOM - height, 1),
                width=round(slot * 0.7, 1),
                height=round(height, 1),
                label=period_label(start, unit),
                value=value,
            )
        )
    return Chart(bars, maximum)
