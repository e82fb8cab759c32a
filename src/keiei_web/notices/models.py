"""Notices (the bell), each user's e-mail choice, and the reminders already sent.

A notice is written in the same transaction as the event it tells of (keiei_web.notices.events),
so a refused or rolled-back action tells nobody; its e-mail is sent after the commit. The text
is composed when the notice is made and holds no plan figures — only what happened, to which
case, and the page to open (`url`); `data` keeps the few words the e-mail templates need.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from keiei_web import access


class NoticeKind(models.TextChoices):
    PLAN_SUBMITTED = access.NOTICE_PLAN_SUBMITTED, _("計画の提出")
    BANK_ANSWERED = access.NOTICE_BANK_ANSWERED, _("金融機関の回答")
    STATE_CHANGED = access.NOTICE_STATE_CHANGED, _("案件の状態の変更")
    DEADLINE_SOON = access.NOTICE_DEADLINE_SOON, _("期限が近づいています")
    DEADLINE_PASSED = access.NOTICE_DEADLINE_PASSED, _("期限を過ぎました")


class MailStatus(models.TextChoices):
    PENDING = "pending", _("送信待ち")
    SENT = "sent", _("送信済み")
    SKIPPED = "skipped", _("送信しない（メール通知オフ・アドレスなし）")
    FAILED = "failed", _("送信できませんでした")


class Notice(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("宛先"), on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField(_("種類"), max_length=20, choices=NoticeKind.choices)
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("案件"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("内容"), max_length=300)
    #: The page the notice opens (a path of this site; the e-mail makes it absolute).
    url = models.CharField(_("リンク"), max_length=300)
    #: The words the e-mail templates use (version number, bank, states, deadline) — no figures.
    data = models.JSONField(_("詳細"), default=dict, blank=True)
    created_at = models.DateTimeField(_("日時"))
    read_at = models.DateTimeField(_("既読日時"), null=True, blank=True)
    mail = models.CharField(_("メール"), max_length=10, choices=MailStatus.choices, default=MailStatus.PENDING)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ("-created_at", "-id")
        indexes = (models.Index(fields=["recipient", "read_at"]),)

    def __str__(self) -> str:
        return self.title


class NoticePreference(models.Model):
    """A user's choice about e-mail (no row: e-mail on, the default)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE, related_name="notice_preference"
    )
    email = models.BooleanField(_("メールでも通知を受け取る"), default=True)

    class Meta:
        verbose_name = _("通知の設定")
        verbose_name_plural = _("通知の設定")


class ReminderStage(models.TextChoices):
    SOON = "soon", _("期限間近")
    OVERDUE = "overdue", _("期限超過")


class Reminder(models.Model):
    """A deadline reminder already sent: one per (case, deadline, due date, stage), so `keiei
    remind` run twice — or by two cron hosts at once — sends each reminder once (the unique
    constraint decides, not a read before the write)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    deadline = models.CharField(_("期限"), max_length=40)
    due = models.DateField(_("期日"))
    stage = models.CharField(_("段階"), max_length=10, choices=ReminderStage.choices)
    sent_at = models.DateTimeField(_("送信日時"))

    class Meta:
        verbose_name = _("期限の通知")
        verbose_name_plural = _("期限の通知")
        constraints = (
            models.UniqueConstraint(fields=["case", "deadline", "due", "stage"], name="reminder_once_per_stage"),
        )
