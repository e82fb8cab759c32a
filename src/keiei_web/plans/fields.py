"""A JSON field that gives back the plan exactly as it was written, key order included.

Why not Django's JSONField: on PostgreSQL it is `jsonb`, which stores objects with their keys
re-sorted (shortest first). A plan's key order is meaningful to people — the monthly cash
table's rows, the SG&A accounts and the banks appear in the order the adviser entered them, in
the editor, the exported plan file and the documents — and SQLite kept it, so the two
databases disagreed. This field stores the JSON as text on every database (`json.dumps` with
non-ASCII kept), so both give back what was saved. The plan is never queried by its contents
in SQL, so nothing is lost by not using jsonb; the version hash uses its own canonical form
(`versioning.canonical_json`, keys sorted) and does not depend on the stored text.
"""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.db import models


class OrderedJSONField(models.TextField):  # type: ignore[type-arg]
    description = "JSON stored as text (key order kept)"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        return None if value is None else json.loads(value)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            try:
                return json.loads(value)
            except json.JSONDecodeError:
                return value
        return value

    def get_prep_value(self, value: Any) -> str | None:
        if value is None:
            return None
        return json.dumps(value, ensure_ascii=False, allow_nan=False)

    def value_to_string(self, obj: models.Model) -> str:
        return json.dumps(self.value_from_object(obj), ensure_ascii=False)

    def formfield(self, **kwargs: Any) -> Any:
        return super().formfield(**{"form_class": forms.JSONField, **kwargs})
