"""Errors and findings shared by the whole core.

Why two kinds: bad *input* (an unknown programme, a negative fee, a malformed YAML file) is a
`KeieiInputError` carrying the field, a Japanese message for the user and an English message for
logs; the CLI turns it into one line and exit status 2. A *check* on valid input never raises:
it returns a list of `Finding`s, so a user sees every problem at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class KeieiInputError(Exception):
    """Input that cannot be used, naming the field and the reason (ja for users, en for logs)."""

    def __init__(self, field: str, message_ja: str, message_en: str) -> None:
        super().__init__(f"{field}: {message_en}")
        self.field = field
        self.message_ja = message_ja
        self.message_en = message_en

    def __reduce__(self) -> tuple[type[KeieiInputError], tuple[str, str, str]]:
        """Pickle by the three fields: the plan PDF is built in a forked worker
        (`build_package(parallel=True)`), whose errors come back pickled; the default would
        call `__init__` with the one formatted message and fail with a TypeError."""
        return (self.__class__, (self.field, self.message_ja, self.message_en))

    def user_line(self) -> str:
        """The single line a user sees."""
        return f"エラー: {self.field}: {self.message_ja}"


class RulesDataError(KeieiInputError):
    """A rules data file is malformed; `field` is 'path/to/file.yaml: dotted.key'."""


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Finding:
    """One result of a check: stable code, severity, Japanese message, and where it applies."""

    code: str
    severity: Severity
    message: str
    where: str = ""
    passed: bool | None = None
    details: dict[str, object] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "where": self.where,
        }
        if self.passed is not None:
            out["passed"] = self.passed
        if self.details:
            out["details"] = self.details
        return out
