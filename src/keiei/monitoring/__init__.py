"""Monitoring (伴走支援): actual figures from the books, mapped onto the plan's lines.

Public API:
    import_books(path, plan, fmt, mapping) -> Actuals   read, map, reconcile (findings inside)
    read_books(path, fmt, mapping) -> Books             per-account figures, before mapping
    load_mapping(path) / Mapping                        the company's account and column mapping
    write_actuals / load_actuals                        actuals.yaml (docs/monitoring.md)

Pure core: the standard library and what the core already uses (PyYAML, japanera via keiei.dates).
"""

from keiei.monitoring.actuals import Actuals, PeriodFigures, build_actuals, load_actuals, write_actuals
from keiei.monitoring.books import Books
from keiei.monitoring.importer import FORMATS, LABELS, detect_format, import_books, read_books
from keiei.monitoring.mapping import Mapping, load_mapping

__all__ = [
    "FORMATS",
    "LABELS",
    "Actuals",
    "Books",
    "Mapping",
    "PeriodFigures",
    "build_actuals",
    "detect_format",
    "import_books",
    "load_actuals",
    "load_mapping",
    "read_books",
    "write_actuals",
]
