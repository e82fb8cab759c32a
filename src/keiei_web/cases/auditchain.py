"""The audit trail's hash chain on the web side: a CaseEvent's hashed fields, and verification.

How a link is hashed and a chain verified is the core's (keiei.auditchain); this module only
turns rows into the core's values. `chain_fields` reads attributes only, so the data migration
that chained the events recorded before the chain existed uses it on its historical models.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from itertools import groupby
from typing import Any

from keiei.auditchain import ChainReport, Link, add_chain


def chain_fields(event: Any) -> dict[str, Any]:
    """The hashed fields of an event (keiei.auditchain.HASHED_FIELDS), as JSON values.

    The time is UTC with microseconds, as both SQLite and PostgreSQL store it; the actor is its
    user id (with the name and role as they were, which a later rename does not change).
    """
    return {
        "case": event.case_id,
        "seq": event.seq,
        "at": event.at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor": event.actor_id,
        "actor_name": event.actor_name,
        "actor_role": event.actor_role,
        "action": event.action,
        "summary": str(event.summary),
        "from_state": event.from_state,
        "to_state": event.to_state,
        "before": event.before,
        "after": event.after,
    }


def case_label(case_id: int) -> str:
    from keiei_web.cases.models import Case

    return Case(pk=case_id).reference


def verify(case_ids: Iterable[int] | None = None) -> ChainReport:
    """Recompute every case's chain (or those of `case_ids`); one problem per broken case.

    Streams the events case by case (ordered by case and sequence), so memory holds one case's
    chain at a time; a case without any event is reported too (its creation is always recorded).
    """
    from keiei_web.cases.models import Case, CaseEvent

    cases = Case.objects.order_by("pk")
    events = CaseEvent.objects.order_by("case_id", "seq", "id")
    if case_ids is not None:
        wanted = sorted(set(case_ids))
        cases, events = cases.filter(pk__in=wanted), events.filter(case_id__in=wanted)
    report = ChainReport()
    case_pks = list(cases.values_list("pk", flat=True))
    chains = groupby(events.iterator(chunk_size=2000), key=lambda e: e.case_id)
    for case_id, group in chains:
        while case_pks and case_pks[0] < case_id:
            add_chain(report, case_pks[0], case_label(case_pks[0]), [])
            case_pks.pop(0)
        if case_pks and case_pks[0] == case_id:
            case_pks.pop(0)
        links = [Link(e.pk, e.seq, e.prev_hash, e.hash, chain_fields(e)) for e in group]
        add_chain(report, case_id, case_label(case_id), links)
    for case_id in case_pks:
        add_chain(report, case_id, case_label(case_id), [])
    return report


def verify_database(case_ids: Iterable[int] | None = None) -> ChainReport:
    """`verify` for `keiei audit verify`: a database that is missing or not migrated is one
    Japanese line (KeieiInputError), not a traceback, and nothing is created or changed."""
    from pathlib import Path

    from django.conf import settings
    from django.db import DatabaseError

    from keiei.errors import KeieiInputError

    db = settings.DATABASES["default"]
    name = str(db.get("NAME") or "")
    if db["ENGINE"].endswith("sqlite3") and Path(name).is_absolute() and not Path(name).exists():
        raise KeieiInputError(
            "データベース",
            f"{name} がありません（KEIEI_DATA_DIR か DATABASE_URL を確認してください）",
            f"no database at {name}",
        )
    try:
        if case_ids is not None:
            from keiei_web.cases.models import Case

            found = set(Case.objects.filter(pk__in=case_ids).values_list("pk", flat=True))
            missing = [case_label(pk) for pk in sorted(set(case_ids) - found)]
            if missing:
                raise KeieiInputError("--case", f"案件 {'、'.join(missing)} はありません", f"no case {missing}")
        return verify(case_ids)
    except DatabaseError as exc:
        raise KeieiInputError(
            "データベース",
            "操作履歴を読めません。keiei serve（または python -m keiei_web.manage migrate）でデータベースを"
            f"最新にしてから実行してください（{type(exc).__name__}）",
            f"cannot read the audit trail: {exc}",
        ) from None
