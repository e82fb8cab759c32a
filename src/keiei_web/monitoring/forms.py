"""Forms of the monitoring pages: the books upload, the adviser's progress, a bank's reading."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from keiei.monitoring import FORMATS, LABELS
from keiei.monitoring.progress import STATUSES
from keiei_web.cases.forms import EventDateField
from keiei_web.monitoring.uploads import MAX_MAPPING_BYTES

TEXT_MAX = 4000


class UploadForm(forms.Form):
    books = forms.FileField(label=_("会計データ（仕訳帳・試算表の CSV、freee の試算表 JSON）"))
    fmt = forms.ChoiceField(
        label=_("形式"),
        choices=[("auto", _("自動で判定する"))] + [(f, LABELS[f]) for f in FORMATS if f != "auto"],
        initial="auto",
    )
    mapping = forms.FileField(label=_("勘定科目の対応表（YAML、任意。試算表 CSV では列の指定に必要）"), required=False)
    allow_unmapped = forms.BooleanField(label=_("対応のない科目を除いて取り込む"), required=False)

    def clean_mapping(self) -> str:
        upload = self.cleaned_data.get("mapping")
        if not upload:
            return ""
        if upload.size > MAX_MAPPING_BYTES:
            raise forms.ValidationError(_("対応表が大きすぎます（256 KB まで）。"))
        try:
            return bytes(upload.read()).decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("対応表は UTF-8 のテキスト（YAML）にしてください。")) from None


class ProgressForm(forms.Form):
    """monitoring.yaml's fields; one row of status, dates, evidence and note per plan action."""

    as_of = EventDateField(label=_("面談日"), required=False)
    closing = forms.CharField(
        label=_("決算・試算表の概要"), required=False, max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
    causes = forms.CharField(
        label=_("計画と実績の差の原因（1行に1つ）"), required=False, max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    countermeasures = forms.CharField(
        label=_("対策（1行に1つ）"), required=False, max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
    asks_of_banks = forms.CharField(
        label=_("金融機関へのお願い（1行に1つ）"), required=False, max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip

    def __init__(self, *args: Any, measures: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.measures = list(measures)
        for i, _measure in enumerate(self.measures):
            self.fields[f"status_{i}"] = forms.ChoiceField(
                label=_("状況"), required=False, choices=[("", "—")] + [(s, s) for s in STATUSES]
            )
            self.fields[f"started_{i}"] = forms.CharField(
                label=_("開始"), required=False, max_length=10, widget=forms.TextInput(attrs={"placeholder": "2025-10"})
            )
            self.fields[f"completed_{i}"] = forms.CharField(
                label=_("完了"), required=False, max_length=10, widget=forms.TextInput(attrs={"placeholder": "2025-11"})
            )
            self.fields[f"evidence_{i}"] = forms.CharField(label=_("根拠・証跡"), required=False, max_length=TEXT_MAX)
            self.fields[f"note_{i}"] = forms.CharField(label=_("メモ"), required=False, max_length=TEXT_MAX)

    def head_fields(self) -> list[Any]:
        return [self[name] for name in ("as_of", "closing", "causes", "countermeasures", "asks_of_banks")]

    def action_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "measure": m,
                **{k: self[f"{k}_{i}"] for k in ("status", "started", "completed", "evidence", "note")},
            }
            for i, m in enumerate(self.measures)
        ]


def progress_initial(progress: dict[str, Any], measures: Sequence[str]) -> dict[str, Any]:
    """The form's initial values from the stored monitoring.yaml structure."""
    out: dict[str, Any] = {
        "as_of": progress.get("as_of") or None,
        "closing": progress.get("closing") or "",
        **{k: "\n".join(progress.get(k) or []) for k in ("causes", "countermeasures", "asks_of_banks")},
    }
    by_measure = {a.get("measure"): a for a in progress.get("actions") or []}
    for i, measure in enumerate(measures):
        item = by_measure.get(measure) or {}
        for key in ("status", "started", "completed", "evidence", "note"):
            out[f"{key}_{i}"] = item.get(key) or ""
    return out


class ReadingForm(forms.Form):
    acknowledged = forms.BooleanField(label=_("レポートを確認しました"), required=False)
    comment = forms.CharField(
        label=_("意見・コメント（任意）"), required=False, max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
