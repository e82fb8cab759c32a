"""Plain-text tables that line up with Japanese (full-width) characters.

Written by hand on the stdlib's `unicodedata.east_asian_width` rather than pulling in
tabulate + wcwidth: only left/right alignment and a rule line are needed. A core module (not
part of the CLI) because both the CLI and the web's `keiei serve` banner print tables, and the
web may not import the CLI (import contracts in pyproject.toml).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * (width - display_width(text))
    return gap + text if right else text + gap


def render_table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[bool]) -> str:
    widths = [display_width(h) for h in headers]
    for row in rows:
        widths = [max(w, display_width(c)) for w, c in zip(widths, row, strict=True)]
    lines = ["  ".join(_pad(h, w, r) for h, w, r in zip(headers, widths, right, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(_pad(c, w, r) for c, w, r in zip(row, widths, right, strict=True)).rstrip())
    return "\n".join(lines)
