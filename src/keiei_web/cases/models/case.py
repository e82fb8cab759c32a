"""The case: one company's use of one programme, with the dates each step happened.

The state field is written only by keiei_web.cases.services, which records every change in
the audit trail; the admin shows it read-only.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property

from django.db import models
from django.utils.translation import gettext_lazy as _

from keiei.rules import PROGRAM_LABELS, ProgramRules, program_start, rules_for
from keiei_web.accounts.models import AdviserFirm, Company, Council
from keiei_web.cases.workflow import State, state_label


class Program(models.TextChoices):
    EARLY = "early", PROGRAM_LABELS["early"]
    P405 = "405", PROGRAM_LABELS["405"]
    P405_GL = "405-gl", PROGRAM_LABELS["405-gl"]


class Case(models.Model):
    company = models.ForeignKey(Company, verbose_name=_("事業者"), on_delete=models.PROTECT, related_name="cases")
    adviser_firm = models.ForeignKey(
        AdviserFirm, verbose_name=_("認定支援機関"), on_delete=models.PROTECT, related_name="cases"
    )
    council = models.ForeignKey(Council, verbose_name=_("協議会"), on_delete=models.PROTECT, related_name="cases")
    program = models.CharField(_("事業区分"), max_length=8, choices=Program.choices)
    state = models.CharField(_("状態"), max_length=16, choices=State.choices, default=State.CONSULTATION)

    consulted_on = models.DateField(_("相談日"))
    applied_on = models.DateField(_("利用申請日"), null=True, blank=True)
    accepted_on = models.DateField(_("受理日"), null=True, blank=True)
    bank_meeting_on = models.DateField(_("バンクミーティング日"), null=True, blank=True)
    agreed_on = models.DateField(_("受取書・同意取得日"), null=True, blank=True)
    monitoring_started_on = models.DateField(_("伴走支援開始日"), null=True, blank=True)
    closed_on = models.DateField(_("終了日"), null=True, blank=True)

    #: Estimated fees by subsidy item (tax-exclusive yen), as in the application's 見積明細.
    estimated_fees = models.JSONField(_("見積費用"), default=dict, blank=True)
    monitoring_interval_months = models.PositiveSmallIntegerField(_("伴走支援の間隔（か月）"), null=True, blank=True)
    note = models.TextField(_("メモ"), blank=True)

    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("案件")
        verbose_name_plural = _("案件")
        ordering = ("-id",)
        indexes = (models.Index(fields=["state"]), models.Index(fields=["council", "state"]))

    def __str__(self) -> str:
        return f"{self.reference} {self.company.name}"

    @property
    def reference(self) -> str:
        """案件番号 shown to users (K-00012)."""
        return f"K-{self.pk:05d}" if self.pk else "K-（未登録）"

    @property
    def rules_date(self) -> dt.date:
        """Rules in force on the application date apply; before it, those of the consultation day."""
        return self.applied_on or self.consulted_on

    @cached_property
    def rules(self) -> ProgramRules:
        """The rules on `rules_date`, for showing and computing.

        A stored date before the programme began (which the services refuse, but an old row may
        hold) reads the programme's first rules instead of failing every page of the case; the
        services check the real date with `rules_for` itself (`services.check_rules_date`).
        """
        return rules_for(self.program, max(self.rules_date, program_start(self.program)))

    @property
    def state_label(self) -> str:
        return state_label(self.state, self.program)

    @property
    def program_label(self) -> str:
        return str(Program(self.program).label)

    @property
    def is_early(self) -> bool:
        return self.program == Program.EARLY
