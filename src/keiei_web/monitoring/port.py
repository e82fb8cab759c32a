"""The monitoring app's answer to the case workflow (`keiei_web.cases.monitoringport`)."""

from __future__ import annotations

from keiei_web.cases.models import MonitoringSession


class MonitoringReports:
    def claim_refusal(self, session: MonitoringSession) -> str | None:
        from keiei_web.monitoring.services import claim_refusal

        return claim_refusal(session)
