"""Logging filters for the web app's log lines (English, for operators)."""

from __future__ import annotations

import logging


class DropTracebackOf403(logging.Filter):
    """Keep a 403 as one line: drop the traceback Django's request logger attaches.

    A 403 is the access rules doing their job (keiei_web.access raises PermissionDenied), not a
    fault; a traceback per refusal would bury the lines that matter. Other statuses keep theirs.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
