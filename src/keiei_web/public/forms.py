"""The public forms: the subsidy calculator and the consultation request.

Every field is bounded (lengths, digits, choices) and every message names its field in
Japanese; on an error the view re-renders the bound form, so nothing typed is lost.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from keiei.councils import find
from keiei.errors import KeieiInputError
from keiei.rules import PROGRAM_LABELS
from keiei_web.accounts.choices import prefecture_choices

#: The largest fee the calculator reads: ten billion yen is far above any programme's fees.
FEE_MAX = 10_000_000_000
_AMOUNT = re.compile(r"^[0-9][0-9,]{0,15}$")
_PHONE = re.compile(r"^0[0-9-]{8,13}$")


def parse_fee(text: str, label: str) -> int | None:
    """Whole yen typed as 240000, 240,000, ２４００００ or 240,000円; blank is None."""
    norm = unicodedata.normalize("NFKC", text).strip().removesuffix("円").strip()
    if not norm:
        return None
    if not _AMOUNT.match(norm):
        raise forms.ValidationError(
            _("「%(field)s」は 0 以上の整数（円）で入力してください（例: 240000）。"), params={"field": label}
        )
    value = int(norm.replace(",", ""))
    if value > FEE_MAX:
        raise forms.ValidationError(
            _("「%(field)s」は %(max)s 円以下で入力してください。"), params={"field": label, "max": f"{FEE_MAX:,}"}
        )
    return value


def _required(label: str) -> dict[str, str]:
    return {"required": f"「{label}」を入力してください。"}


def _max(label: str, n: int) -> dict[str, str]:
    return {"max_length": f"「{label}」は{n}文字以内で入力してください。", **_required(label)}


class ConsultationForm(forms.Form):
    company_name = forms.CharField(
        label=_("事業者名（会社名・屋号）"), max_length=100, error_messages=_max("事業者名", 100)
    )
    contact_name = forms.CharField(label=_("ご担当者名"), max_length=50, error_messages=_max("ご担当者名", 50))
    prefecture = forms.ChoiceField(
        label=_("本社の都道府県"),
        choices=[("", _("― 選んでください ―")), *prefecture_choices()],
        error_messages={
            "required": "「本社の都道府県」を選んでください。",
            "invalid_choice": "「本社の都道府県」は一覧から選んでください。",
        },
    )
    postal_code = forms.CharField(
        label=_("本社の郵便番号"),
        max_length=10,
        required=False,
        help_text=_("例: 540-0029（任意）"),
        error_messages=_max("本社の郵便番号", 10),
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
    )
    phone = forms.CharField(
        label=_("電話番号"),
        max_length=20,
        help_text=_("例: 06-1234-5678（協議会からご連絡します）"),
        error_messages=_max("電話番号", 20),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "type": "tel"}),
    )
    email = forms.EmailField(
        label=_("メールアドレス"),
        max_length=254,
        required=False,
        help_text=_("任意"),
        error_messages={
            "invalid": "「メールアドレス」の形式が正しくありません（例: info@example.jp）。",
            "max_length": "「メールアドレス」は254文字以内で入力してください。",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    program = forms.ChoiceField(
        label=_("診断で該当した事業"),
        required=False,
        choices=[("", _("わからない・診断していない"))] + [(k, v) for k, v in PROGRAM_LABELS.items()],
        error_messages={"invalid_choice": "「診断で該当した事業」は一覧から選んでください。"},
    )
    message = forms.CharField(
        label=_("ご相談の内容"),
        max_length=2000,
        help_text=_("2,000文字まで。決算の数字などは書かなくてかまいません。"),
        error_messages=_max("ご相談の内容", 2000),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    agree = forms.BooleanField(
        label=_("「個人情報の取扱い」に同意します"),
        error_messages={"required": "「個人情報の取扱い」への同意が必要です。"},
    )
    #: The honeypot: hidden from people (CSS, aria-hidden, no tab stop); a bot that fills every
    #: field fills it too, and such a post is refused without storing anything.
    website = forms.CharField(
        label=_("この欄は空のままにしてください"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def clean_phone(self) -> str:
        phone = unicodedata.normalize("NFKC", self.cleaned_data["phone"]).strip().replace("ー", "-")
        if not _PHONE.match(phone) or sum(c.isdigit() for c in phone) not in range(10, 12):
            raise forms.ValidationError(
                "「電話番号」は 0 から始まる10〜11桁の番号で入力してください（例: 06-1234-5678）。"
            )
        return phone

    def clean_postal_code(self) -> str:
        text = unicodedata.normalize("NFKC", self.cleaned_data["postal_code"]).strip()
        if not text:
            return ""
        try:
            offices = find(text)
        except KeieiInputError as exc:
            raise forms.ValidationError(f"「本社の郵便番号」: {exc.message_ja}") from None
        if not re.fullmatch(r"〒?\s*\d{3}-?\d{4}", text):
            raise forms.ValidationError("「本社の郵便番号」は 540-0029 のように7桁で入力してください。")
        self._postal_prefecture = offices[0].prefecture if offices else ""
        digits = re.sub(r"\D", "", text)
        return f"{digits[:3]}-{digits[3:]}"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        pref = getattr(self, "_postal_prefecture", "")
        if pref and data.get("prefecture") and pref != data["prefecture"]:
            self.add_error(
                "prefecture",
                f"「本社の都道府県」が郵便番号（{data.get('postal_code')}: {pref}）と違います。",
            )
        return data
