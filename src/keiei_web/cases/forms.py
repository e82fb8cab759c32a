"""Forms of the case pages. Labels and messages in Japanese through gettext_lazy.

On a validation error the views re-render the bound form, so nothing typed is lost.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from keiei.dates import event_window, read_typed_date
from keiei_web import clock
from keiei_web.accounts.choices import MONTH_CHOICES, prefecture_choices
from keiei_web.accounts.models import Bank, Company
from keiei_web.cases.models import BankResponseKind, Case, Program
from keiei_web.cases.payments import plan_item_keys
from keiei_web.cases.workflow import Transition


class DateInput(forms.DateInput):
    """A text input, not the browser's date picker: people type 2026-04-01, 2026/4/1 or
    令和8年4月1日 (`keiei.dates.read_typed_date`), which a date picker would not accept."""

    input_type = "text"

    def __init__(self, **kwargs: Any) -> None:
        attrs = {"placeholder": "2026-04-01", "autocomplete": "off", "class": "date"} | kwargs.pop("attrs", {})
        super().__init__(format="%Y-%m-%d", attrs=attrs, **kwargs)


class EventDateField(forms.DateField):
    """The date of something that happened (consultation, application, consent, transfer,
    report, approval…): from keiei.dates.EVENT_EARLIEST to today in Japan (keiei_web.clock).

    A date outside is refused next to the field, with its label, and nothing is stored: an
    event cannot have happened in 2099, and a stored 9999-12-31 would break the deadlines
    computed from it. Typed as 2026-04-01, 2026/4/1 or 令和8年4月1日 (keiei.dates.read_typed_date).
    """

    widget = DateInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", _("例: 2026-04-01、2026/4/1、令和8年4月1日"))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> dt.date | None:
        """Every way `keiei.dates.read_typed_date` reads; a message naming the field otherwise."""
        if value in self.empty_values:
            return None
        if isinstance(value, dt.date):
            return value
        day = read_typed_date(str(value))
        if day is None:
            raise forms.ValidationError(
                _("「%(field)s」は 2026-04-01、2026/4/1、令和8年4月1日 のように入力してください（入力: %(value)s）。"),
                code="invalid",
                params={"field": self.label, "value": str(value)[:40]},
            )
        return day

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is None:
            return
        reason = event_window(clock.today()).problem(value)
        if reason is not None:
            raise forms.ValidationError(
                _("「%(field)s」は%(reason)s。"), code="out_of_range", params={"field": self.label, "reason": reason}
            )


#: Free text typed into the case pages (memos, comments, report summaries): a few thousand
#: characters is a long letter; the plan's own texts are bounded by its schema.
COMMENT_MAX_LENGTH = 4000
SUMMARY_MAX_LENGTH = 10_000


def yen_field(label: Any, required: bool = True) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=0,
        max_value=10**12,
        widget=forms.NumberInput(attrs={"step": 1, "inputmode": "numeric", "class": "yen"}),
        help_text=_("円（税抜）"),
    )


class CaseCreateForm(forms.Form):
    existing_company = forms.ModelChoiceField(
        label=_("事業者（担当したことのある事業者から選ぶ）"),
        queryset=Company.objects.none(),
        required=False,
        empty_label=_("― 新しい事業者を登録する ―"),
    )
    company_name = forms.CharField(label=_("事業者名（新規）"), max_length=100, required=False)
    prefecture = forms.ChoiceField(
        label=_("本社の都道府県"), choices=[("", "―"), *prefecture_choices()], required=False
    )
    fiscal_year_end_month = forms.TypedChoiceField(
        label=_("決算月"), choices=MONTH_CHOICES, coerce=int, initial=3, required=False
    )
    program = forms.ChoiceField(label=_("事業区分"), choices=Program.choices)
    consulted_on = EventDateField(label=_("相談日"))
    main_bank = forms.ModelChoiceField(label=_("メイン金融機関"), queryset=Bank.objects.all())
    other_banks = forms.ModelMultipleChoiceField(
        label=_("その他の取引金融機関"),
        queryset=Bank.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    plan_fee = yen_field(_("計画策定支援費用（見積）"), required=False)
    monitoring_fee = yen_field(_("伴走支援費用（見積・合計）"), required=False)
    note = forms.CharField(
        label=_("メモ"), required=False, max_length=COMMENT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, companies: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if companies is not None:
            self.fields["existing_company"].queryset = companies  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("existing_company"):
            if not data.get("company_name"):
                self.add_error("company_name", _("事業者を選ぶか、新しい事業者名を入力してください。"))
            if not data.get("prefecture"):
                self.add_error("prefecture", _("新しい事業者の都道府県を選んでください。"))
        main = data.get("main_bank")
        if main is not None and main in (data.get("other_banks") or []):
            self.add_error("other_banks", _("メイン金融機関はここでは選ばないでください。"))
        return data

    def company(self) -> Company:
        data = self.cleaned_data
        if data.get("existing_company"):
            return data["existing_company"]  # type: ignore[no-any-return]
        return Company(
            name=data["company_name"],
            prefecture=data["prefecture"],
            fiscal_year_end_month=data.get("fiscal_year_end_month") or 3,
        )

    def estimated_fees(self) -> dict[str, int]:
        program = self.cleaned_data["program"]
        fees: dict[str, int] = {}
        if self.cleaned_data.get("plan_fee") is not None:
            fees["plan"] = self.cleaned_data["plan_fee"]
        if self.cleaned_data.get("monitoring_fee") is not None:
            fees["monitoring_end" if program == Program.EARLY else "monitoring"] = self.cleaned_data["monitoring_fee"]
        return fees


class TransitionForm(forms.Form):
    """The date of the step and a comment (required where the transition explains itself)."""

    on = EventDateField(label=_("日付"))
    comment = forms.CharField(
        label=_("コメント"), required=False, max_length=COMMENT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, case: Case, transition: Transition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        self.transition = transition
        if transition.needs_comment:
            self.fields["comment"].required = True
            self.fields["comment"].label = _("理由・コメント（必須）")

    def service_data(self) -> dict[str, Any]:
        return {}


class PlanClaimForm(TransitionForm):
    """支払申請 (plan): actual fees per plan item, the company's transfer, the monitoring interval."""

    transfer_on = EventDateField(label=_("事業者負担分（1/3）の振込日"))
    transfer_amount = yen_field(_("事業者負担分の振込額"))
    monitoring_interval_months = forms.TypedChoiceField(label=_("伴走支援の間隔"), coerce=int, choices=[])

    def __init__(self, *args: Any, case: Case, transition: Transition, **kwargs: Any) -> None:
        super().__init__(*args, case=case, transition=transition, **kwargs)
        rules = case.rules
        self.fee_keys = plan_item_keys(case)
        for key in self.fee_keys:
            item = rules.items[key]
            self.fields[f"fee_{key}"] = yen_field(item.label, required=key == "plan")
            if key in case.estimated_fees:
                self.fields[f"fee_{key}"].initial = case.estimated_fees[key]
        low, high = rules.monitoring_interval_months
        field = self.fields["monitoring_interval_months"]
        field.choices = [(m, _("%(m)dか月ごと") % {"m": m}) for m in range(low, high + 1)]  # type: ignore[attr-defined]
        field.initial = 6 if low <= 6 <= high else high
        self.order_fields(
            [f"fee_{k}" for k in self.fee_keys]
            + ["transfer_on", "transfer_amount", "monitoring_interval_months", "on", "comment"]
        )
        self.fields["on"].label = _("支払申請日")

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "fees": {k: data[f"fee_{k}"] for k in self.fee_keys if data.get(f"fee_{k}") is not None},
            "transfer_on": data["transfer_on"],
            "transfer_amount": data["transfer_amount"],
            "monitoring_interval_months": data["monitoring_interval_months"],
        }


TRANSITION_FORMS: dict[str, type[TransitionForm]] = {"claim_plan_payment": PlanClaimForm}

DATE_LABELS: dict[str, Any] = {
    "apply": _("利用申請日"),
    "accept": _("受理日"),
    "submit_to_banks": _("バンクミーティング日（提出日）"),
    "approve_plan_payment": _("支払承認日（伴走支援の開始日）"),
    "complete": _("完了日"),
    "withdraw": _("取下げ日"),
    "lapse": _("失効日"),
}


def transition_form(transition: Transition, case: Case, *args: Any, **kwargs: Any) -> TransitionForm:
    form = TRANSITION_FORMS.get(transition.name, TransitionForm)(*args, case=case, transition=transition, **kwargs)
    if transition.name in DATE_LABELS:
        form.fields["on"].label = DATE_LABELS[transition.name]
    return form


class BankResponseForm(forms.Form):
    """A bank's answer, tied to the plan version it was shown: the page puts the version's number
    and SHA-256 in hidden fields, and the service refuses the answer when they are not those of
    the latest version submitted to the bank (the adviser revised and submitted again meanwhile)."""

    kind = forms.ChoiceField(label=_("回答"), widget=forms.RadioSelect, choices=[])
    comment = forms.CharField(
        label=_("コメント（同意しない場合は必須）"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    on = EventDateField(label=_("回答日"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=10**6)
    sha256 = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args: Any, kinds: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, BankResponseKind(k).label) for k in kinds]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("version") or not re.fullmatch(r"[0-9a-f]{64}", data.get("sha256") or ""):
            self.add_error(
                None,
                _("どの版の計画への回答か分かりません。ページを読み込み直し、計画を確認してから回答してください。"),
            )
        if data.get("kind") == BankResponseKind.DECLINE and not (data.get("comment") or "").strip():
            self.add_error("comment", _("同意しない場合は、理由・意見を入力してください。"))
        return data


class MonitoringReportForm(forms.Form):
    on = EventDateField(label=_("報告日"))
    summary = forms.CharField(
        label=_("報告の要旨（決算の概要、アクションプランの進捗、計画と実績の差異の原因と対策、金融機関への支援依頼）"),
        max_length=SUMMARY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    fee = yen_field(_("今回の伴走支援費用（支払申請する場合）"), required=False)
    transfer_on = EventDateField(label=_("事業者負担分の振込日"), required=False)
    transfer_amount = yen_field(_("事業者負担分の振込額"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("fee"):
            for name in ("transfer_on", "transfer_amount"):
                if data.get(name) is None:
                    self.add_error(name, _("支払申請するときは入力してください。"))
        return data


class ClaimApproveForm(forms.Form):
    on = EventDateField(label=_("支払承認日"))
