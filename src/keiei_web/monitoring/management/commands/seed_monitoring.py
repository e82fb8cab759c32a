"""`manage.py seed_monitoring --cases 5000`: cases in monitoring with stored report figures.

For the portfolio's benchmark (benchmarks/monitoring_web.py) and for trying the page with a
realistic number of rows: one council (大阪府 unless --prefecture), one adviser firm, N companies
and cases in monitoring, each with its sessions (some overdue) and a `CaseMonitoring` row whose
rates and flags follow a fixed pseudo-random sequence (the same data every run). Bulk inserts:
no audit trail, no plans — these cases are for reading, not for working on.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from keiei_web import clock
from keiei_web.accounts.models import AdviserFirm, Company, Council
from keiei_web.cases.models import Case, MonitoringSession
from keiei_web.cases.workflow import State
from keiei_web.monitoring.models import CaseMonitoring

FLAG_SETS = ["", "", "", "sales", "sales,net_income", "ordinary_profit_sign", "repayment"]


class Command(BaseCommand):
    help = "伴走支援中の案件を N 件作る（ポートフォリオの確認・ベンチマーク用）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, default=5000)
        parser.add_argument("--prefecture", default="大阪府")
        parser.add_argument("--seed", type=int, default=13)

    def handle(self, *args: Any, **options: Any) -> None:
        n = max(0, min(int(options["cases"]), 200_000))
        rng = random.Random(options["seed"])
        today = clock.today()
        pref = options["prefecture"]
        with transaction.atomic():
            council, _c = Council.objects.get_or_create(
                prefecture=pref, defaults={"name": f"{pref}中小企業活性化協議会"}
            )
            firm, _f = AdviserFirm.objects.get_or_create(name="シード会計事務所")
            companies = Company.objects.bulk_create(
                [Company(name=f"シード株式会社{i:05d}", prefecture=pref, fiscal_year_end_month=3) for i in range(n)],
                batch_size=1000,
            )
            started = today - dt.timedelta(days=200)
            cases = Case.objects.bulk_create(
                [
                    Case(
                        company=c, adviser_firm=firm, council=council, program=rng.choice(["early", "405"]),
                        state=State.MONITORING, consulted_on=started - dt.timedelta(days=200),
                        monitoring_started_on=started, monitoring_interval_months=6,
                    )
                    for c in companies
                ],
                batch_size=1000,
            )  # fmt: skip
            sessions, summaries = [], []
            for case in cases:
                for seq in (1, 2):
                    due = started + dt.timedelta(days=180 * seq)
                    reported = due if due < today and rng.random() < 0.8 else None
                    sessions.append(
                        MonitoringSession(case=case, seq=seq, kind="monitoring", due_on=due, reported_on=reported)
                    )
                flags = rng.choice(FLAG_SETS)
                summaries.append(
                    CaseMonitoring(
                        case=case, session_seq=1, through=f"{today.year}-{today.month:02d}",
                        sales_achievement=Decimal(rng.randint(6000, 12000)) / 10000,
                        ordinary_achievement=Decimal(rng.randint(-5000, 15000)) / 10000,
                        flag_count=len([f for f in flags.split(",") if f]), flag_codes=flags,
                    )
                )  # fmt: skip
            MonitoringSession.objects.bulk_create(sessions, batch_size=2000)
            CaseMonitoring.objects.bulk_create(summaries, batch_size=2000)
        self.stdout.write(f"{n} 件の伴走支援中の案件を作りました（{council.name}）")
