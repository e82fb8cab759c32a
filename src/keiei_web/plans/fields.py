"""A JSON field that gives back the plan exactly as it was written, key order included.

Why not Django's JSONField: on PostgreSQL it is `jsonb`, which stores objects with their keys
re-sorted (shortest first). A plan's key order is meaningful to people — the monthly cash
table's rows, the SG&A accounts and the banks appear in the order the adviser entered them, in
the editor, the exported plan file and the documents — and SQLite kept it, so the two
databases disagreed. This field stores the JSON as text on every database (`json.dumps` with
non-ASCII kept), so both give back what was saved. The plan is never queried by its contents
in SQL, so nothing is lost by not using jsonb; the version hash uses its own canonical form
(`versioning.canonical_json`, keys sorted) and does not depend on the stored text. Numbers are
written and read by `exactjson`: a decimal a float cannot hold exactly stays a Decimal.
"""

from __future__ import annotations

import json
import threading
from typing import TYPE_CHECKING, Any

from django import forms
from django.db import models

from keiei_web.plans import exactjson


def _loads(text: str) -> Any:
    """`json.loads`, also for a draft stored before keiei.limits bounded its depth.

    The C decoder counts nesting against the recursion limit *from the caller's depth*, so a
    900-deep draft reads in a shallow call and fails under a deep one (a view inside middleware,
    a test runner's worker). Such a draft was written by `json.dumps` in a request, so it is
    within the limit counted from zero: on RecursionError it is read again in a fresh thread,
    whose depth starts at zero. The pages then name it as beyond the limits (stored_problem).
    """
    try:
        return exactjson.loads(text)
    except RecursionError:
        pass
    result: list[Any] = []
    failure: list[BaseException] = []

    def read() -> None:
        try:
            result.append(exactjson.loads(text))
        except BaseException as exc:  # handed back to the caller's thread below
            failure.append(exc)

    worker = threading.Thread(target=read, name="keiei-deep-json")
    worker.start()
    worker.join()
    if failure:
        raise failure[0]
    return result[0]


if TYPE_CHECKING:  # the stubs' generic parameters: what the field is set with and gives back
    _TextField = models.TextField[Any, Any]
else:  # Django's class takes no parameters at run time
    _TextField = models.TextField


class OrderedJSONField(_TextField):
    description = "JSON stored as text (key order kept)"
    if TYPE_CHECKING:  # what django-stubs' plugin reads as the field's set and get types
        _pyi_private_set_type: Any
        _pyi_private_get_type: Any

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        return None if value is None else _loads(value)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            try:
                return exactjson.loads(value)
            except json.JSONDecodeError:
                return value
        return value

    def get_prep_value(self, value: Any) -> str | None:
        if value is None:
            return None
        return exactjson.dumps(value)

    def value_to_string(self, obj: models.Model) -> str:
        return exactjson.dumps(self.value_from_object(obj))

    def formfield(
        self,
        form_class: type[forms.Field] | None = None,
        choices_form_class: type[forms.ChoiceField] | None = None,
        **kwargs: Any,
    ) -> forms.Field | None:
        return super().formfield(
            form_class=form_class or forms.JSONField, choices_form_class=choices_form_class, **kwargs
        )
