"""The interim plan editor: the plan file's content as JSON text.

A stop-gap until the step-by-step forms (later phase): it lets an adviser load or correct the
parsed plan file. An error names the line and column and keeps the text as typed.
"""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from keiei import limits
from keiei_web.plans import exactjson

#: How a limit's path reads when it is the whole plan.
WHOLE_PLAN = "(計画全体)"


def limit_message(exc: limits.LimitError) -> str:
    """One sentence for a plan beyond keiei.limits: where, and which limit."""
    return gettext("保存できません。%(field)s: %(reason)s") % {"field": exc.field, "reason": exc.message_ja}


RELOAD = _("入力内容を受け取れませんでした。ページを読み込み直してから入力してください。")


class RevisionField(forms.IntegerField):
    """The revision of the working plan the page was built from (PlanDocument.revision): a save
    from an older page is merged with what was saved since, or refused (keiei_web.plans.drafts)."""

    def __init__(self) -> None:
        super().__init__(widget=forms.HiddenInput, required=False, min_value=0, max_value=10**9)


def _require_revision(form: forms.Form, data: dict[str, Any]) -> None:
    if data.get("revision") is None:
        form.add_error(None, RELOAD)


class PlanJsonForm(forms.Form):
    # The stubs see BaseForm.data (the bound data) overridden; at run time the form's metaclass
    # moves declared fields into base_fields, so `self.data` stays the posted data.
    data = forms.CharField(  # type: ignore[assignment]
        label=_("計画（JSON）"),
        widget=forms.Textarea(attrs={"rows": 24, "class": "code", "spellcheck": "false"}),
    )
    revision = RevisionField()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _require_revision(self, data)
        return data

    def clean_data(self) -> dict[str, Any]:
        """The plan as JSON values, within keiei.limits (depth, sizes, numbers), or the reason."""
        text = self.cleaned_data["data"]
        try:
            value = limits.loads_json(text, parse_float=exactjson.exact_number, whole=WHOLE_PLAN)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(
                _("JSON として読めません（%(line)d行目 %(col)d文字目: %(msg)s）。"),
                params={"line": exc.lineno, "col": exc.colno, "msg": exc.msg},
            ) from None
        except limits.LimitError as exc:
            raise forms.ValidationError(limit_message(exc)) from None
        if not isinstance(value, dict):
            raise forms.ValidationError(_("計画は JSON のオブジェクト（{ … }）で入力してください。"))
        return value


class PlanImportForm(forms.Form):
    """An uploaded plan file (YAML or JSON); the file is judged by keiei_web.plans.planfile."""

    file = forms.FileField(
        label=_("計画ファイル（.yaml・.yml・.json）"),
        widget=forms.ClearableFileInput(attrs={"accept": ".yaml,.yml,.json"}),
    )
    revision = RevisionField()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _require_revision(self, data)
        return data
