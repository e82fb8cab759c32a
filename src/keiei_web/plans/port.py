"""The plans app's side of `keiei_web.cases.planport`: the working plan, its check and frozen
versions, for the case workflow (registered in `PlansConfig.ready`). Plans depends on cases,
never the reverse; see keiei_web/cases/planport.py for why."""

from __future__ import annotations

import datetime as dt
from typing import Any

from keiei_web import clock
from keiei_web.cases.models import Case
from keiei_web.plans import panel
from keiei_web.plans.models import PlanDocument, PlanSubmission, PlanVersion
from keiei_web.plans.versioning import sha256_of


class DatabasePlans:
    """The `PlanPort` over the plans app's models."""

    def document(self, case: Case) -> PlanDocument:
        doc, _created = PlanDocument.objects.get_or_create(case=case)
        return doc

    def create_document(self, case: Case, user: Any) -> None:
        PlanDocument.objects.create(case=case, updated_by=user)

    def evaluate(self, data: Any, on: dt.date | None) -> panel.Evaluation:
        return panel.evaluate(data, on)

    def freeze_version(
        self, case: Case, user: Any, purpose: str, on: dt.date, banks: list[Any] | None = None
    ) -> PlanVersion:
        doc = self.document(case)
        latest = PlanVersion.objects.filter(case=case).order_by("-number").first()
        if latest is not None and latest.sha256 == sha256_of(doc.data):
            version = latest
        else:
            version = PlanVersion.objects.create(
                case=case,
                number=(latest.number + 1) if latest else 1,
                data=doc.data,
                created_at=clock.now(),
                created_by=user,
            )
        submission = PlanSubmission.objects.create(
            version=version, purpose=purpose, submitted_on=on, created_at=clock.now(), created_by=user
        )
        if banks:
            submission.banks.set(banks)
        return version
