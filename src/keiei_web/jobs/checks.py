"""Council-wide re-check: every open case's working plan judged again by the core.

Why a task: after a rule file changes (a new 公募要領, a corrected cap), every open plan must be
judged again, which is a second of CPU per plan — minutes for a council, far too long for a
request. The result is a summary (JSON, kept as the task's return value): how many plans were
judged, which are not valid plan files, and which fail a criterion, by case reference.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import close_old_connections


def recheck_open_plans(on: str | None = None) -> dict[str, Any]:
    from keiei.errors import KeieiInputError
    from keiei.plan import PlanInputError, parse_plan
    from keiei.plancheck import run_check
    from keiei_web.cases.models import Case
    from keiei_web.cases.workflow import ACTIVE

    day = dt.date.fromisoformat(on) if on else None
    checked, invalid, failing = 0, [], []
    cases = Case.objects.filter(state__in=[s.value for s in ACTIVE]).select_related("plan").order_by("pk")
    for case in cases.iterator(chunk_size=100):
        data = getattr(getattr(case, "plan", None), "data", None)
        if not data:
            continue
        checked += 1
        try:
            result = run_check(parse_plan(data, case.reference), "base", on=day or case.applied_on)
        except PlanInputError:
            invalid.append(case.reference)
            continue
        except KeieiInputError:
            result = run_check(parse_plan(data, case.reference), "base")
        failed = [
            c["label"] for c in result.get("criteria", []) if c.get("passed") is False and c.get("weight") == "error"
        ]
        if failed:
            failing.append({"case": case.reference, "failed": failed})
    close_old_connections()
    return {"on": on or "", "checked": checked, "invalid": invalid, "failing": failing}
