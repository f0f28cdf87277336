"""Capex by company and period, drawn from capex_facts_consolidated rows to a PNG.

One panel per company (or group of companies), periods left to right, fiscal years before
fiscal quarters: actual capex as solid bars, guidance as hatched bars, consensus as black
diamonds. A range shows its low..high as a whisker; an open-ended figure ("over 320 bn")
gets an upward arrow. Labels stay ASCII (tickers, periods) because CJK fonts are often
missing where this runs.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

# The object API with the Agg canvas: no pyplot global state, no window, safe in threads.
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

BILLION = 1e9
PANEL_COLUMNS = 3
BAR_WIDTH = 0.38
BAR_STYLES = {
    "actual": {"color": "#1f77b4", "hatch": None, "label": "actual"},
    "guidance": {"color": "#ff7f0e", "hatch": "//", "label": "guidance"},
}


@dataclass(frozen=True)
class ChartPoint:
    """One consolidated figure: what a company spent, plans, or was expected to spend."""

    company: str
    basis: str  # actual, guidance, consensus
    period: str  # YYYY or YYYYQn
    value_usd: float
    low_usd: float
    high_usd: float | None  # None: open-ended


def _new_figure(size: tuple[float, float]) -> Figure:
    # matplotlib is imported on first use: it costs most of a second, and runs with nothing
    # new never draw.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=size)
    FigureCanvasAgg(figure)
    return figure


def _period_order(period: str) -> tuple[int, int, int]:
    # Years first, then quarters, each in time order.
    return (len(period) != 4, int(period[:4]), int(period[5:] or 0))


def _panels(points: list[ChartPoint]) -> list[tuple[str, list[ChartPoint]]]:
    """Companies by their largest figure, largest first, so groups come before members."""
    by_company: dict[str, list[ChartPoint]] = {}
    for point in points:
        by_company.setdefault(point.company, []).append(point)
    return sorted(
        by_company.items(), key=lambda item: (-max(p.value_usd for p in item[1]), item[0])
    )


def _bar_x(point: ChartPoint, slot: dict[str, int], shared: set[str]) -> float:
    """Bars of a period share its slot only when it has both an actual and a guidance."""
    offset = BAR_WIDTH / 2 if point.period in shared else 0.0
    return slot[point.period] + (offset if point.basis == "guidance" else -offset)


def _draw_panel(axes, company: str, points: list[ChartPoint]) -> None:
    periods = sorted({p.period for p in points}, key=_period_order)
    slot = {period: index for index, period in enumerate(periods)}
    bars = [p for p in points if p.basis in BAR_STYLES]
    shared = {p.period for p in bars if p.basis == "actual"} & {
        p.period for p in bars if p.basis == "guidance"
    }
    for basis, style in BAR_STYLES.items():
        shown = [p for p in bars if p.basis == basis]
        if not shown:
            continue
        xs = [_bar_x(p, slot, shared) for p in shown]
        axes.bar(
            xs,
            [p.value_usd / BILLION for p in shown],
            width=[BAR_WIDTH if p.period in shared else 2 * BAR_WIDTH for p in shown],
            color=style["color"],
            hatch=style["hatch"],
            edgecolor="white" if style["hatch"] else None,
            label=style["label"],
        )
        for x, point in zip(xs, shown, strict=True):
            low = point.low_usd / BILLION
            if point.high_usd is None:  # open-ended: "at least"
                axes.annotate(
                    "", xy=(x, low * 1.15), xytext=(x, low), arrowprops={"arrowstyle": "->"}
                )
            elif point.high_usd > point.low_usd:
                axes.vlines(x, low, point.high_usd / BILLION, color="black")
    expected = [p for p in points if p.basis == "consensus"]
    if expected:
        axes.scatter(
            [slot[p.period] for p in expected],
            [p.value_usd / BILLION for p in expected],
            marker="D",
            color="black",
            zorder=3,
            label="consensus",
        )
    first_quarter = next((i for i, p in enumerate(periods) if len(p) != 4), None)
    if first_quarter:
        axes.axvline(first_quarter - 0.5, color="grey", linestyle=":", linewidth=1)
    # Room for open-ended arrows and range whiskers, which do not stretch the axes.
    top = max((p.high_usd or p.low_usd * 1.15) for p in points) / BILLION
    axes.set_ylim(0, max(top, max(p.value_usd for p in points) / BILLION) * 1.08)
    axes.set_xlim(-0.7, len(periods) - 0.3)
    axes.set_xticks(range(len(periods)), periods, rotation=45, fontsize=8)
    axes.set_title(company, fontsize=10)
    axes.set_ylabel("bn USD", fontsize=8)
    axes.grid(axis="y", alpha=0.3)


def draw_capex_chart(points: Iterable[ChartPoint]) -> Figure:
    """The chart as a matplotlib Figure (an explanatory blank one when there is no figure)."""
    points = [p for p in points if p.basis in ("actual", "guidance", "consensus")]
    panels = _panels(points)
    if not panels:
        figure = _new_figure((6, 2))
        axes = figure.subplots()
        axes.axis("off")
        axes.text(0.5, 0.5, "No capex figures in the warehouse yet", ha="center", va="center")
        return figure
    columns = min(PANEL_COLUMNS, len(panels))
    rows = math.ceil(len(panels) / columns)
    figure = _new_figure((4.2 * columns, 3.4 * rows))
    grid = figure.subplots(rows, columns, squeeze=False)
    for axes, (company, company_points) in zip(grid.flat, panels, strict=False):
        _draw_panel(axes, company, company_points)
    for axes in list(grid.flat)[len(panels) :]:
        axes.axis("off")
    handles = {}
    for axes in grid.flat:
        for handle, label in zip(*axes.get_legend_handles_labels(), strict=True):
            handles.setdefault(label, handle)
    figure.legend(handles.values(), handles.keys(), loc="upper right", fontsize=8)
    figure.suptitle("Capital expenditure by company and period (years, then quarters)")
    figure.tight_layout(rect=(0, 0, 0.92, 0.95))
    return figure


def render_png(points: Iterable[ChartPoint], *, dpi: int = 100) -> bytes:
    """The chart as PNG bytes."""
    buffer = io.BytesIO()
    draw_capex_chart(points).savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def write_capex_chart(points: Iterable[ChartPoint], path: Path) -> Path:
    """Write the chart to `path` (a .png) atomically, creating its folder."""
    png = render_png(points)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(path.suffix + ".partial")
    partial.write_bytes(png)
    partial.replace(path)
    return path
