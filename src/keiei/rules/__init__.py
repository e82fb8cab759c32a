"""Programme rules as dated data (YAML under rules/data/), and the one loader that reads them."""

from keiei.rules.programs import (
    CONTENT_LABELS,
    GUIDELINE_LABELS,
    PROGRAM_LABELS,
    MonitoringFlags,
    PROGRAMS,
    ProgramRules,
    ResolvedValue,
    SubsidyItemRule,
    all_effective_dates,
    check_program,
    monitoring_flags,
    program_start,
    rules_for,
)

__all__ = [
    "CONTENT_LABELS",
    "GUIDELINE_LABELS",
    "MonitoringFlags",
    "PROGRAMS",
    "PROGRAM_LABELS",
    "ProgramRules",
    "ResolvedValue",
    "SubsidyItemRule",
    "all_effective_dates",
    "check_program",
    "monitoring_flags",
    "program_start",
    "rules_for",
]
