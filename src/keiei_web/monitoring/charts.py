"""Plan against actual as inline SVG lines: the monthly figure and the cumulative (年度累計).

Why SVG from the server, as in keiei_web.plans.charts: no script, no CDN, the page works
offline and prints. The plan is a dashed line, the actual a solid one with a dot per month;
each dot has a <title> with the exact yen figure and the chart an aria-label, so the numbers are
reachable without the picture (the tables below it hold them all). Coordinates are floats for
drawing only; the figures stay integer yen.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from keiei_web.plans.charts import scale_unit

WIDTH, HEIGHT = 640, 220
PAD_L, PAD_R, PAD_T, PAD_B = 56, 12, 14, 40


def line_chart(
    months: Sequence[str], plan: Sequence[int | None], actual: Sequence[int | None], *, title: str
) -> SafeString:
    """Two lines over the months: plan (dashed) and actual (solid, dots)."""
    known = [float(v) for v in (*plan, *actual) if v is not None]
    divisor, unit = scale_unit(known)
    top, bottom = max([0.0, *known]), min([0.0, *known])
    if top == bottom:
        top = bottom + 1
    inner_w, inner_h = WIDTH - PAD_L - PAD_R, HEIGHT - PAD_T - PAD_B
    n = max(len(months), 1)

    def x(i: int) -> float:
        return PAD_L + inner_w * (i + 0.5) / n

    def y(v: float) -> float:
        return PAD_T + (top - v) / (top - bottom) * inner_h

    label = f"{title}（{unit}）"
    parts = [
        f'<svg class="chart line-chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" '
        f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">',
        f'<text class="axis" x="4" y="10">{escape(unit)}</text>',
    ]
    for frac in (0.0, 0.5, 1.0):
        value = bottom + (top - bottom) * frac
        parts.append(
            f'<line class="grid" x1="{PAD_L}" x2="{WIDTH - PAD_R}" y1="{y(value):.1f}" y2="{y(value):.1f}"/>'
            f'<text class="axis" x="{PAD_L - 4}" y="{y(value) + 4:.1f}" text-anchor="end">'
            f"{escape(f'{value / divisor:,.0f}')}</text>"
        )
    if bottom < 0:
        parts.append(f'<line class="zero" x1="{PAD_L}" x2="{WIDTH - PAD_R}" y1="{y(0):.1f}" y2="{y(0):.1f}"/>')
    step = max(1, n // 12)
    for i, month in enumerate(months):
        if i % step == 0:
            parts.append(
                f'<text class="axis" x="{x(i):.1f}" y="{HEIGHT - PAD_B + 16}" text-anchor="middle">{escape(month)}</text>'
            )
    for name, values, css in (("計画", plan, "plan"), ("実績", actual, "actual")):
        points = [(x(i), y(float(v))) for i, v in enumerate(values) if v is not None]
        if points:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
            parts.append(f'<polyline class="series {css}" points="{path}" fill="none"/>')
        for i, v in enumerate(values):
            if v is not None and css == "actual":
                parts.append(
                    f'<circle class="dot {css}" cx="{x(i):.1f}" cy="{y(float(v)):.1f}" r="3">'
                    f"<title>{escape(f'{months[i]} {name} {v:,} 円')}</title></circle>"
                )
    legend_y = HEIGHT - 8
    parts.append(
        f'<line class="series plan" x1="{PAD_L}" x2="{PAD_L + 24}" y1="{legend_y - 4}" y2="{legend_y - 4}"/>'
        f'<text class="axis" x="{PAD_L + 28}" y="{legend_y}">計画</text>'
        f'<line class="series actual" x1="{PAD_L + 70}" x2="{PAD_L + 94}" y1="{legend_y - 4}" y2="{legend_y - 4}"/>'
        f'<text class="axis" x="{PAD_L + 98}" y="{legend_y}">実績</text>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text above is escaped
