"""The ビジネスモデル俯瞰図, drawn from the plan's suppliers, customers, partners and flows.

One layout, two renderers: `layout()` places the boxes and arrows (suppliers on the left, the
company in the middle, customers on the right, partners below); `to_svg()` writes it as inline
SVG for the PDF (text stays text, so it is searchable) and `to_png()` draws the same shapes with
matplotlib for the workbook. Text is wrapped by an estimate of its width (full-width characters
1 em, others 0.55 em), which is close enough for the Noto CJK font both renderers use.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass, field

from keiei.documents.escape import MATPLOTLIB_TEXT, svg_attr, svg_text
from keiei.plan import Plan
from keiei.plan.model import Party

WIDTH = 1000.0
_SIDE_W = 230.0
_CENTER_W = 210.0
_LEFT_X = 10.0
_CENTER_X = (WIDTH - _CENTER_W) / 2
_RIGHT_X = WIDTH - 10.0 - _SIDE_W
_TOP = 44.0
_PAD = 8.0
_NAME_SIZE = 12.5
_ROLE_SIZE = 10.5
_LABEL_SIZE = 10.0
_LINE = 1.3  # line height in em

#: Style of each kind of flow: colour, dash pattern (SVG), legend text.
FLOW_STYLES: dict[str, tuple[str, str, str]] = {
    "goods": ("#1f4e79", "", "モノの流れ"),
    "money": ("#2e7d32", "6 4", "お金の流れ"),
    "service": ("#8e44ad", "", "サービス・委託"),
    "information": ("#777777", "2 3", "情報の流れ"),
    "": ("#444444", "", "その他"),
    "link": ("#999999", "2 3", "協力関係"),
}
BOX_FILLS = {
    "company": ("#fff4d6", "#b7791f"),
    "supplier": ("#eaf2fb", "#1f4e79"),
    "customer": ("#eaf7ee", "#2e7d32"),
    "partner": ("#f4eefa", "#6c3483"),
}


@dataclass(frozen=True, slots=True)
class Text:
    x: float
    y: float  # baseline
    text: str
    size: float
    anchor: str = "middle"  # start | middle | end
    bold: bool = False
    color: str = "#222222"


@dataclass(frozen=True, slots=True)
class Box:
    x: float
    y: float
    w: float
    h: float
    kind: str


@dataclass(frozen=True, slots=True)
class Arrow:
    points: tuple[tuple[float, float], ...]
    kind: str
    head: bool = True


@dataclass
class Diagram:
    width: float
    height: float
    boxes: list[Box] = field(default_factory=list)
    arrows: list[Arrow] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return len(self.boxes) <= 1 and not self.arrows


# --------------------------------------------------------------------------- text


def text_width(text: str, size: float) -> float:
    return sum(size if unicodedata.east_asian_width(ch) in "WFA" else size * 0.55 for ch in text)


_NO_LINE_START = set("、。，．）」』】〕・ーっゃゅょァィゥェォッャュョ％%,.)")


def wrap(text: str, size: float, width: float, max_lines: int = 4) -> list[str]:
    """Greedy wrap by estimated width; a closing mark never starts a line; '…' when cut."""
    lines: list[str] = []
    current = ""
    for ch in text:
        if ch == "\n":
            lines.append(current)
            current = ""
            continue
        if current and text_width(current + ch, size) > width and ch not in _NO_LINE_START:
            lines.append(current)
            current = ch.lstrip()
        else:
            current += ch
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][:-1] + "…"
    return lines


# --------------------------------------------------------------------------- layout


def _party_lines(p: Party, width: float) -> tuple[list[str], list[str]]:
    name = wrap(p.name, _NAME_SIZE, width - 2 * _PAD, 2)
    sub = p.role or ""
    if p.share is not None:
        sub = f"{sub}（{float(p.share) * 100:.0f}%）" if sub else f"割合 {float(p.share) * 100:.0f}%"
    if p.note:
        sub = f"{sub}　{p.note}" if sub else p.note
    return name, wrap(sub, _ROLE_SIZE, width - 2 * _PAD, 3) if sub else []


def _box_height(name: list[str], sub: list[str]) -> float:
    return 2 * _PAD + len(name) * _NAME_SIZE * _LINE + len(sub) * _ROLE_SIZE * _LINE


def _box_texts(box: Box, name: list[str], sub: list[str]) -> list[Text]:
    out: list[Text] = []
    y = box.y + _PAD + _NAME_SIZE
    cx = box.x + box.w / 2
    for line in name:
        out.append(Text(cx, y, line, _NAME_SIZE, bold=True))
        y += _NAME_SIZE * _LINE
    for line in sub:
        out.append(Text(cx, y, line, _ROLE_SIZE, color="#444444"))
        y += _ROLE_SIZE * _LINE
    return out


def _flow_kind(kind: str | None) -> str:
    return kind if kind in FLOW_STYLES else ""


def layout(plan: Plan) -> Diagram:
    """Place the parties and flows of `plan.business_model` (see the module docstring)."""
    bm = plan.business_model
    company = plan.company.name
    partners = list(bm.partners)
    known = {p.name for p in (*bm.suppliers, *bm.customers, *bm.partners)} | {company}
    for fl in bm.flows:  # names only used in flows become partners (shown below the company)
        for name in (fl.source, fl.target):
            if name not in known:
                partners.append(Party(name=name))
                known.add(name)

    flows_of: dict[str, list[tuple[int, bool]]] = {}  # party → [(flow index, towards company)]
    others: list[int] = []
    for i, fl in enumerate(bm.flows):
        if fl.source == company and fl.target != company:
            flows_of.setdefault(fl.target, []).append((i, False))
        elif fl.target == company and fl.source != company:
            flows_of.setdefault(fl.source, []).append((i, True))
        elif fl.source != fl.target:
            others.append(i)

    d = Diagram(WIDTH, 0)
    gap = _CENTER_X - (_LEFT_X + _SIDE_W)
    label_w = gap - 16
    anchors: dict[str, tuple[float, float, float, float]] = {}

    def column(parties: tuple[Party, ...], x: float, kind: str, side: str) -> float:
        y = _TOP
        for p in parties:
            name, sub = _party_lines(p, _SIDE_W)
            flows = flows_of.get(p.name, [])
            label_lines = [
                max(1, len(wrap(bm.flows[i].what or "", _LABEL_SIZE, label_w, 3))) if bm.flows[i].what else 0
                for i, _ in flows
            ]
            label_hs = [n * _LABEL_SIZE * _LINE for n in label_lines]
            need = sum(lh + 18 for lh in label_hs) + 6
            h = max(_box_height(name, sub), need)
            box = Box(x, y, _SIDE_W, h, kind)
            d.boxes.append(box)
            d.texts.extend(_box_texts(box, name, sub))
            anchors[p.name] = (x, y, _SIDE_W, h)
            # arrows one under another, each with its label above it, centred on the box
            cursor = y + (h - need) / 2 + 3
            for k, (i, towards) in enumerate(flows):
                cursor += label_hs[k] + 6
                fy = cursor
                cursor += 12
                edge = x + _SIDE_W if side == "left" else x
                inner = _CENTER_X if side == "left" else _CENTER_X + _CENTER_W
                start, end = ((edge, fy), (inner, fy)) if towards else ((inner, fy), (edge, fy))
                d.arrows.append(Arrow((start, end), _flow_kind(bm.flows[i].kind)))
                what = bm.flows[i].what
                if what:
                    lines = wrap(what, _LABEL_SIZE, label_w, 3)
                    mid = (edge + inner) / 2
                    base = fy - 5 - (len(lines) - 1) * _LABEL_SIZE * _LINE
                    for j, line in enumerate(lines):
                        d.texts.append(Text(mid, base + j * _LABEL_SIZE * _LINE, line, _LABEL_SIZE, color="#333333"))
            y += h + 14
        return y

    if bm.suppliers:
        d.texts.append(Text(_LEFT_X + _SIDE_W / 2, _TOP - 14, "仕入先・外注先", 12, bold=True, color="#1f4e79"))
    if bm.customers:
        d.texts.append(Text(_RIGHT_X + _SIDE_W / 2, _TOP - 14, "販売先", 12, bold=True, color="#2e7d32"))
    left_end = column(bm.suppliers, _LEFT_X, "supplier", "left")
    right_end = column(bm.customers, _RIGHT_X, "customer", "right")

    # the company: tall enough to face every party on both sides
    c = plan.company
    title = wrap(c.name, 15, _CENTER_W - 2 * _PAD, 2)
    sub_text = " ".join(x for x in (c.industry, f"従業員 {c.employees}名" if c.employees else None) if x)
    sub = wrap(sub_text, _ROLE_SIZE, _CENTER_W - 2 * _PAD, 4) if sub_text else []
    business = wrap(c.business or "", _ROLE_SIZE, _CENTER_W - 2 * _PAD, 6) if c.business else []
    own_h = 2 * _PAD + len(title) * 15 * _LINE + (len(sub) + len(business)) * _ROLE_SIZE * _LINE + 10
    bottom = max(left_end, right_end, _TOP + own_h + 14) - 14
    cbox = Box(_CENTER_X, _TOP, _CENTER_W, bottom - _TOP, "company")
    d.boxes.insert(0, cbox)
    d.texts.append(Text(_CENTER_X + _CENTER_W / 2, _TOP - 14, "当社", 12, bold=True, color="#b7791f"))
    cy = _TOP + (cbox.h - own_h) / 2 + _PAD + 15
    cx = _CENTER_X + _CENTER_W / 2
    for line in title:
        d.texts.append(Text(cx, cy, line, 15, bold=True))
        cy += 15 * _LINE
    for line in sub:
        d.texts.append(Text(cx, cy, line, _ROLE_SIZE, color="#444444"))
        cy += _ROLE_SIZE * _LINE
    cy += 6
    for line in business:
        d.texts.append(Text(cx, cy, line, _ROLE_SIZE, color="#444444"))
        cy += _ROLE_SIZE * _LINE
    anchors[company] = (cbox.x, cbox.y, cbox.w, cbox.h)

    # partners: a row below the company, joined by elbow arrows
    y = bottom
    if partners:
        linked = any(flows_of.get(p.name) for p in partners)
        row_top = bottom + (80 if linked else 50)
        n = len(partners)
        w = min(_SIDE_W, (WIDTH - 20 - (n - 1) * 14) / n)
        total = n * w + (n - 1) * 14
        x0 = (WIDTH - total) / 2
        heights = [_box_height(*_party_lines(p, w)) for p in partners]
        h = max(heights)
        for k, p in enumerate(partners):
            x = x0 + k * (w + 14)
            box = Box(x, row_top, w, h, "partner")
            d.boxes.append(box)
            d.texts.extend(_box_texts(box, *_party_lines(p, w)))
            anchors[p.name] = (x, row_top, w, h)
            flows = flows_of.get(p.name, [])
            px = x + w / 2
            if not flows:  # a partner without a flow: a plain link to the company
                top_x = min(max(px, _CENTER_X + 10), _CENTER_X + _CENTER_W - 10)
                mid_y = (bottom + row_top) / 2
                pts = ((top_x, bottom), (top_x, mid_y), (px, mid_y), (px, row_top))
                d.arrows.append(Arrow(pts, "link", head=False))
            for j, (i, towards) in enumerate(flows):
                jx = px + (j - (len(flows) - 1) / 2) * 16
                top_x = min(max(jx, _CENTER_X + 10), _CENTER_X + _CENTER_W - 10)
                mid_y = bottom + 40
                pts = ((top_x, bottom), (top_x, mid_y), (jx, mid_y), (jx, row_top))
                d.arrows.append(Arrow(pts if not towards else tuple(reversed(pts)), _flow_kind(bm.flows[i].kind)))
                what = bm.flows[i].what
                if what:
                    d.texts.append(
                        Text(jx + 6, mid_y + 16 + j * 13, wrap(what, _LABEL_SIZE, 200, 1)[0], _LABEL_SIZE, "start")
                    )
        y = row_top + h
    for i in others:  # flows between two parties: a straight line between the box centres' edges
        fl = bm.flows[i]
        a, b = anchors.get(fl.source), anchors.get(fl.target)
        if a is None or b is None:
            continue
        (ax, ay), (bx, by) = (a[0] + a[2] / 2, a[1] + a[3] / 2), (b[0] + b[2] / 2, b[1] + b[3] / 2)
        start = _edge_point(a, bx, by)
        end = _edge_point(b, ax, ay)
        d.arrows.append(Arrow((start, end), _flow_kind(fl.kind)))
        if fl.what:
            d.texts.append(
                Text((start[0] + end[0]) / 2, (start[1] + end[1]) / 2 - 4, fl.what, _LABEL_SIZE, color="#333333")
            )

    # legend
    kinds = sorted({a.kind for a in d.arrows if a.head}, key=list(FLOW_STYLES).index)
    y += 30
    x = 20.0
    for kind in kinds:
        d.arrows.append(Arrow(((x, y - 4), (x + 40, y - 4)), kind))
        d.texts.append(Text(x + 48, y, FLOW_STYLES[kind][2], _LABEL_SIZE, "start"))
        x += 48 + text_width(FLOW_STYLES[kind][2], _LABEL_SIZE) + 30
    d.height = y + 12
    return d


def _edge_point(box: tuple[float, float, float, float], tx: float, ty: float) -> tuple[float, float]:
    """Where the line from the box centre towards (tx, ty) leaves the box."""
    x, y, w, h = box
    cx, cy = x + w / 2, y + h / 2
    dx, dy = tx - cx, ty - cy
    if dx == 0 and dy == 0:
        return cx, cy
    scale = min(w / 2 / abs(dx) if dx else float("inf"), h / 2 / abs(dy) if dy else float("inf"))
    return cx + dx * scale, cy + dy * scale


def _head(points: tuple[tuple[float, float], ...], size: float = 9.0) -> tuple[tuple[float, float], ...]:
    """The arrowhead triangle at the last point."""
    (x1, y1), (x2, y2) = points[-2], points[-1]
    length = max(((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5, 1e-9)
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    bx, by = x2 - ux * size, y2 - uy * size
    return ((x2, y2), (bx - uy * size * 0.5, by + ux * size * 0.5), (bx + uy * size * 0.5, by - ux * size * 0.5))


def _shaft(points: tuple[tuple[float, float], ...], size: float = 9.0) -> tuple[tuple[float, float], ...]:
    """The line stops at the base of the head, so a dashed line never shows through it."""
    (x1, y1), (x2, y2) = points[-2], points[-1]
    length = max(((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5, 1e-9)
    return (*points[:-1], (x2 - (x2 - x1) / length * size * 0.8, y2 - (y2 - y1) / length * size * 0.8))


# --------------------------------------------------------------------------- renderers


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def to_svg(d: Diagram, *, font_family: str) -> str:
    """Inline SVG (no XML declaration), scaled to its container's width."""
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_n(d.width)} {_n(d.height)}" '
        f'width="100%" font-family="{svg_attr(font_family)}" role="img" aria-label="ビジネスモデル俯瞰図">'
    ]
    for b in d.boxes:
        fill, stroke = BOX_FILLS[b.kind]
        width = 2 if b.kind == "company" else 1.2
        out.append(
            f'<rect x="{_n(b.x)}" y="{_n(b.y)}" width="{_n(b.w)}" height="{_n(b.h)}" rx="6" '
            f'fill="{fill}" stroke="{stroke}" stroke-width="{width}"/>'
        )
    for a in d.arrows:
        color, dash, _ = FLOW_STYLES[a.kind]
        pts = " ".join(f"{_n(x)},{_n(y)}" for x, y in (_shaft(a.points) if a.head else a.points))
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(f'<polyline points="{pts}" fill="none" stroke="{color}" stroke-width="1.6"{dash_attr}/>')
        if a.head:
            head = " ".join(f"{_n(x)},{_n(y)}" for x, y in _head(a.points))
            out.append(f'<polygon points="{head}" fill="{color}"/>')
    for t in d.texts:
        weight = ' font-weight="bold"' if t.bold else ""
        out.append(
            f'<text x="{_n(t.x)}" y="{_n(t.y)}" font-size="{_n(t.size)}" text-anchor="{t.anchor}" '
            f'fill="{t.color}"{weight}>{svg_text(t.text)}</text>'
        )
    out.append("</svg>")
    return "\n".join(out)


def to_png(d: Diagram, *, dpi: int = 150) -> bytes:
    """The same drawing as a PNG (for the workbook), via matplotlib's Agg renderer."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import FancyBboxPatch, Polygon

    from keiei.documents.fonts import PNG_METADATA, matplotlib_settings

    scale = 0.72  # one layout unit is 1/100 inch = 0.72 pt
    with matplotlib_settings():
        fig = Figure(figsize=(d.width / 100, d.height / 100))
        FigureCanvasAgg(fig)
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_xlim(0, d.width)
        ax.set_ylim(d.height, 0)
        ax.axis("off")
        for b in d.boxes:
            fill, stroke = BOX_FILLS[b.kind]
            ax.add_patch(
                FancyBboxPatch(
                    (b.x, b.y),
                    b.w,
                    b.h,
                    boxstyle="round,pad=0,rounding_size=6",
                    facecolor=fill,
                    edgecolor=stroke,
                    linewidth=(2 if b.kind == "company" else 1.2) * scale,
                )
            )
        for a in d.arrows:
            color, dash, _ = FLOW_STYLES[a.kind]
            xs, ys = zip(*(_shaft(a.points) if a.head else a.points), strict=True)
            style: object = (0, tuple(float(v) * 0.6 for v in dash.split())) if dash else "solid"
            ax.plot(xs, ys, color=color, linewidth=1.6 * scale, linestyle=style)
            if a.head:
                ax.add_patch(Polygon(_head(a.points), closed=True, facecolor=color, edgecolor="none"))
        for t in d.texts:
            ax.text(
                t.x,
                t.y,
                t.text,
                fontsize=t.size * scale,
                ha={"start": "left", "middle": "center", "end": "right"}[t.anchor],
                va="baseline",
                color=t.color,
                fontweight="bold" if t.bold else "normal",
                **MATPLOTLIB_TEXT,  # user text: never read as mathtext
            )
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=dpi, metadata=PNG_METADATA, facecolor="white")
    return buf.getvalue()
