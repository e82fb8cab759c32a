"""Charts for the plan PDF: sales, ordinary profit and debt repayment years, actual and plan.

Drawn with matplotlib's object API (no pyplot state) under `fonts.matplotlib_settings()`, as
one SVG whose labels stay text (searchable in the PDF) and whose bytes are reproducible.
"""

from __future__ import annotations

import io
import re
from typing import Any

from keiei.documents.figures import Figures, in_unit, short_period

ACTUAL_COLOR = "#9aa5b1"
PLAN_COLOR = "#2b6cb0"
NEGATIVE_COLOR = "#c53030"
#: The 目安 banks use for 債務償還年数 (program-facts: about 10 or less in the final year).
REPAYMENT_YEARS_GUIDE = 10


def _tick(value: float, _pos: int) -> str:
    text = f"{abs(value):,.0f}"
    return f"△{text}" if value < 0 and text != "0" else text


def _bars(
    ax: Any, labels: list[str], values: list[float | None], kinds: list[str], title: str, cap: float | None = None
) -> None:
    """Bars with value labels; with `cap`, taller bars are cut at the cap (label keeps the value)."""
    from matplotlib.ticker import FuncFormatter

    xs = list(range(len(labels)))
    heights = [min(v or 0.0, cap) if cap is not None else (v or 0.0) for v in values]
    colors = [
        NEGATIVE_COLOR if (v or 0) < 0 else (ACTUAL_COLOR if k == "actual" else PLAN_COLOR)
        for v, k in zip(values, kinds, strict=True)
    ]
    ax.bar(xs, heights, color=colors, width=0.65)
    ax.axhline(0, color="#333333", linewidth=0.6)
    ax.set_xticks(xs, labels, fontsize=7.5)
    ax.yaxis.set_major_formatter(FuncFormatter(_tick))
    ax.tick_params(axis="y", labelsize=7)
    ax.set_title(title, loc="left")
    ax.grid(axis="y", color="#e2e8f0", linewidth=0.6)
    ax.set_axisbelow(True)
    top = max([abs(h) for h in heights] + [1.0])
    for x, v, h in zip(xs, values, heights, strict=True):
        if v is None:
            ax.text(x, 0, "算出不可", ha="center", va="bottom", fontsize=7, color="#555555")
            continue
        text = _tick(v, 0) if abs(v) >= 100 and cap is None else f"{v:,.1f}"
        if cap is not None and v > cap:
            text = f"{text}↑"  # the bar is cut at the axis' top
        ax.text(
            x,
            h + (top * 0.02 if h >= 0 else -top * 0.02),
            text,
            ha="center",
            va="bottom" if h >= 0 else "top",
            fontsize=7,
            color="#333333",
        )
    low, high = min([0.0, *heights]), max([0.0, *heights])
    pad = (high - low) * 0.16 or 1.0
    ax.set_ylim(low - pad if low < 0 else 0, high + pad)


def charts_svg(f: Figures) -> str:
    """One SVG with three panels; `width="100%"` so it scales to the page."""
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    from keiei.documents.fonts import SVG_METADATA, matplotlib_settings

    years = f.years
    labels = [short_period(y["period"]) + ("\n実績" if y["kind"] == "actual" else "\n計画") for y in years]
    kinds = [y["kind"] for y in years]
    sales: list[float | None] = [float(in_unit(y["pl"]["sales"], f.unit)) for y in years]
    ordinary: list[float | None] = [float(in_unit(y["pl"]["ordinary_profit"], f.unit)) for y in years]
    repay: list[float | None] = [y["indicators"]["debt_repayment_years"] for y in years]
    planned = [v for v, k in zip(repay, kinds, strict=True) if v is not None and k == "plan"]
    cap = max([REPAYMENT_YEARS_GUIDE * 2.0, *planned]) * 1.05
    with matplotlib_settings():
        fig = Figure(figsize=(10.6, 5.5))
        FigureCanvasSVG(fig)
        axes = fig.subplots(3, 1)
        _bars(axes[0], labels, sales, kinds, f"売上高（{f.unit}）")
        _bars(axes[1], labels, ordinary, kinds, f"経常利益（{f.unit}）")
        _bars(axes[2], labels, repay, kinds, "債務償還年数（年）", cap=cap)
        axes[2].axhline(REPAYMENT_YEARS_GUIDE, color="#b7791f", linewidth=0.9, linestyle=(0, (4, 3)))
        axes[2].text(
            len(years) - 0.45,
            REPAYMENT_YEARS_GUIDE,
            f"目安 {REPAYMENT_YEARS_GUIDE}年",
            ha="right",
            va="bottom",
            fontsize=7,
            color="#b7791f",
        )
        fig.subplots_adjust(left=0.08, right=0.99, bottom=0.07, top=0.95, hspace=0.62)
        buf = io.StringIO()
        fig.savefig(buf, format="svg", metadata=SVG_METADATA)
    svg = buf.getvalue()
    svg = svg[svg.index("<svg") :]
    return re.sub(r'<svg([^>]*?) width="[^"]*" height="[^"]*"', r'<svg\1 width="100%"', svg, count=1)
