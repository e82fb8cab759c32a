"""The plan file's one error type (kept apart so the reader and the builder both raise it)."""

from __future__ import annotations

from collections.abc import Sequence

from keiei.errors import KeieiInputError


class PlanInputError(KeieiInputError):
    """A plan file that cannot be used. `field` is the path (`banks[1].loans[0].balance`).

    Beyond the base class: `source` (the file), `line` (1-based, when known) and `problems`,
    every (path, Japanese reason) found, so a front end can list them all at once.
    """

    def __init__(
        self,
        field: str,
        message_ja: str,
        message_en: str,
        *,
        source: str | None = None,
        line: int | None = None,
        problems: Sequence[tuple[str, str]] = (),
    ) -> None:
        super().__init__(field, message_ja, message_en)
        self.source = source
        self.line = line
        self.problems: tuple[tuple[str, str], ...] = tuple(problems) or ((field, message_ja),)
