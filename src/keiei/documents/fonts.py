"""Fonts, matplotlib settings and fixed timestamps: the one place documents get them from.

Why one module: the PDF (Typst, given the font folder explicitly), the charts and the diagram image
(matplotlib) and the workbook (the font Excel shows) must agree on a Japanese font, and every
output must be byte-for-byte reproducible, so the settings that make them so live together.

- PDF: the templates ask for `Noto Sans CJK JP` (Debian `fonts-noto-cjk`); Typst gets only the
  folders of those files (`cjk_font_dirs`, system fonts ignored) and embeds a subset.
- matplotlib: its font cache may predate the fonts being installed, so the Noto CJK files are
  registered explicitly (`ensure_matplotlib_fonts`); SVG keeps text as text (`svg.fonttype:
  none`) so chart labels in the PDF are real, searchable text drawn with the embedded font;
  `svg.hashsalt` and empty metadata make the SVG and PNG bytes stable.
- Excel: cells name 游ゴシック (the default Japanese font of Excel for Windows and macOS);
  LibreOffice substitutes a Japanese font where it is missing.
"""

from __future__ import annotations

import datetime as dt
import glob
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any, cast

FONT_FAMILY = "Noto Sans CJK JP"
#: CSS font stack: Noto CJK first (what the tests and the Debian image have), then common
#: Japanese fonts of other systems.
CSS_FONT_STACK = '"Noto Sans CJK JP", "Noto Sans JP", "Source Han Sans JP", "Hiragino Sans", "Yu Gothic", sans-serif'
EXCEL_FONT = "游ゴシック"
EXCEL_FONT_SIZE = 10

#: Where distributions put the Noto CJK files (Debian/Ubuntu, Fedora, Arch, Homebrew).
_FONT_GLOBS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-*.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-*.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-*.ttc",
    "/usr/share/fonts/OTF/NotoSansCJK-*.ttc",
    "/opt/homebrew/share/fonts/NotoSansCJK-*.ttc",
)

#: matplotlib settings for every chart and the diagram image.
MATPLOTLIB_RC: dict[str, Any] = {
    "font.family": [FONT_FAMILY, "DejaVu Sans"],
    "font.size": 9,
    "svg.fonttype": "none",
    "svg.hashsalt": "keiei",
    "axes.unicode_minus": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
    "figure.dpi": 100,
}
#: Metadata that keeps matplotlib output free of dates and version strings.
SVG_METADATA: dict[str, Any] = {"Date": None, "Creator": None}
PNG_METADATA: dict[str, Any] = {"Software": None}
PNG_DPI = 150


@cache
def cjk_font_files() -> tuple[str, ...]:
    """The Noto Sans CJK font files on this machine (regular and bold), or () if none."""
    found: list[str] = []
    for pattern in _FONT_GLOBS:
        found.extend(sorted(glob.glob(pattern)))
    if not found and shutil.which("fc-match"):
        for style in ("Regular", "Bold"):
            result = subprocess.run(
                ["fc-match", "-f", "%{file}", f"{FONT_FAMILY}:style={style}"],
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode == 0 and "CJK" in result.stdout:
                found.append(result.stdout.strip())
    return tuple(dict.fromkeys(f for f in found if "Mono" not in f))


def cjk_font_dirs() -> tuple[str, ...]:
    """The folders holding the Noto Sans CJK files, for Typst (which takes folders, not files)."""
    import os

    return tuple(dict.fromkeys(os.path.dirname(f) for f in cjk_font_files()))


@cache
def ensure_matplotlib_fonts() -> bool:
    """Register the Noto CJK files with matplotlib once; False when none is installed."""
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    if FONT_FAMILY in names:
        return True
    for path in cjk_font_files():
        font_manager.fontManager.addfont(path)
    return FONT_FAMILY in {f.name for f in font_manager.fontManager.ttflist}


@contextmanager
def matplotlib_settings() -> Iterator[None]:
    """The rcParams every figure is drawn under (restored afterwards)."""
    import matplotlib

    ensure_matplotlib_fonts()
    with matplotlib.rc_context(cast(Any, MATPLOTLIB_RC)):
        yield


def document_timestamp(day: dt.date) -> dt.datetime:
    """The fixed creation time written into PDF and workbook metadata (midnight UTC of `day`)."""
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
