"""What the case workflow asks of the monitoring app (`keiei_web.monitoring`), without importing it.

A monitoring payment claim needs the session's 伴走支援レポート (the books imported and compared
with the plan, issue 13). The report lives in the monitoring app, which depends on cases (and
plans); so, as with `planport`, the app registers an implementation in its `ready()` and the
services ask through this protocol. With no app registered (a trimmed installation) nothing is
required, which is the behaviour before issue 13.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from keiei_web.cases.models import MonitoringSession


class MonitoringPort(Protocol):
    def claim_refusal(self, session: MonitoringSession) -> str | None:
        """None when `session` may carry a payment claim, else the Japanese reason it may not."""


_port: MonitoringPort | None = None


def register(port: MonitoringPort) -> None:
    global _port
    _port = port


def claim_refusal(session: MonitoringSession) -> str | None:
    return _port.claim_refusal(session) if _port is not None else None
