"""Small charts for the live panel, as inline SVG made on the server.

Why SVG from Python: the machine running keiei may have no internet (no CDN) and the page must
work without JavaScript, so a chart is markup like the rest of the page. The charts are tiny
(a bar per year, a zero line, an optional limit line); each bar has a <title> with the exact
figure, and the whole chart an aria-label, so the numbers are reachable without the picture.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 320, 132
PAD_L, PAD_R, PAD_T, PAD_B = 8, 8, 16, 30


@dataclass(frozen=True)
class Bar:
    label: str  # under the bar (期: 26/3)
    value: float | None
    title: str  # the exact figure, for the tooltip
    actual: bool = False  # actual years are drawn grey
    text: str = ""  # the label above the bar, when not the value itself (e.g. "30+")


def caption_unit(bars: Sequence[Bar], money: bool = True) -> str:
    """The unit a chart's caption names (百万円 / 千円), as bar_chart chooses it."""
    return scale_unit([b.value for b in bars])[1] if money else ""


def scale_unit(values: Sequence[float | None]) -> tuple[float, str]:
    """Divisor and unit for bar labels: 百万円 for large figures, 千円 otherwise."""
    biggest = max((abs(v) for v in values if v is not None), default=0)
    if biggest >= 10_000_000:
        return 1_000_000, "百万円"
    return 1_000, "千円"


def _short(value: float, divisor: float) -> str:
    scaled = value / divisor
    text = f"{scaled:,.0f}" if abs(scaled) >= 100 or divisor == 1 else f"{scaled:,.1f}"
    return text.replace("-", "△")


def bar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    money: bool = True,
    limit: float | None = None,
    limit_label: str = "",
    signed: bool = True,
) -> SafeString:
    """Bars per year around a zero line; negatives red; an optional dashed limit line."""
    values = [b.value for b in bars]
    divisor, unit = scale_unit(values) if money else (1, "")
    known = [v for v in values if v is not None]
    top = max([0.0, *known, *([limit] if limit is not None else [])])
    bottom = min([0.0, *known]) if signed else 0.0
    if top == bottom:
        top = bottom + 1
    inner_w = WIDTH - PAD_L - PAD_R
    inner_h = HEIGHT - PAD_T - PAD_B

    def y(v: float) -> float:
        return PAD_T + (top - v) / (top - bottom) * inner_h

    n = max(len(bars), 1)
    slot = inner_w / n
    bar_w = min(34.0, slot * 0.62)
    label = f"{title}（{unit}）" if unit else title
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" '
        f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">',
    ]
    zero = y(0)
    for i, bar in enumerate(bars):
        cx = PAD_L + slot * (i + 0.5)
        parts.append(
            f'<text class="axis" x="{cx:.1f}" y="{HEIGHT - 16}" text-anchor="middle">{escape(bar.label)}</text>'
        )
        if bar.value is None:
            parts.append(f'<text class="axis" x="{cx:.1f}" y="{zero - 4:.1f}" text-anchor="middle">—</text>')
            continue
        y1, y2 = sorted((y(bar.value), zero))
        kind = "actual" if bar.actual else ("neg" if bar.value < 0 else "pos")
        h = max(y2 - y1, 0.8)
        parts.append(
            f'<rect class="bar {kind}" x="{cx - bar_w / 2:.1f}" y="{y1:.1f}" width="{bar_w:.1f}" height="{h:.1f}">'
            f"<title>{escape(bar.title)}</title></rect>"
        )
        text = bar.text or (_short(bar.value, divisor) if money else f"{bar.value:,.1f}")
        # negative bars hang below zero: their label sits just above the zero line, clear of the axis
        ty = y1 - 3 if bar.value >= 0 else zero - 3
        parts.append(f'<text class="val" x="{cx:.1f}" y="{ty:.1f}" text-anchor="middle">{escape(text)}</text>')
    parts.append(f'<line class="zero" x1="{PAD_L}" x2="{WIDTH - PAD_R}" y1="{zero:.1f}" y2="{zero:.1f}"/>')
    if limit is not None:
        ly = y(limit)
        parts.append(f'<line class="limit" x1="{PAD_L}" x2="{WIDTH - PAD_R}" y1="{ly:.1f}" y2="{ly:.1f}"/>')
        parts.append(
            f'<text class="limit-label" x="{WIDTH - PAD_R}" y="{ly - 3:.1f}" text-anchor="end">{escape(limit_label)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text and attribute above is escaped
