"""The steps of the plan editor: what each one shows from the plan file and how it reads back.

One module per step (`company`, `business`, `actuals`, `drivers`, `banks`, `support`, `actions`,
`cash`); the kit they share is `kit` (Builder, Reader, field and series specs), the plan lines
and their labels come from `lines` (keiei.plan.glossary). This module is the registry.

Each step owns some top-level keys of the plan file (`company`, `actuals`, `drivers`…).
`build(doc)` turns those keys into inputs (keiei_web.plans.formkit) grouped for its template;
`read(post, doc)` turns what was posted back into those keys, keeping everything the form does
not show: unknown keys of a row travel in a hidden `<row>._keep` field, unknown keys of an
object are taken from the stored draft. Reading never fails — a value that is not a number yet
is stored as typed and the schema names it — so a draft always saves (nothing typed is lost).

Conventions of the posted names (shared with plan-editor.js):
- `<list>[i]…` rows; a row with nothing typed is dropped; `<row>._delete` drops it on purpose;
- `<series>[i]` the value of plan year i+1; only year 1 typed = the same every year (one value);
  blank later years repeat the year before;
- `<row>.v[i]` the same for a series whose key depends on a select in the row (sga kind…);
- `<x>._mode`, `<x>._unit`, `<x>._repay`: which key of the file a value goes to.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from keiei_web.plans.formkit import set_or_drop
from keiei_web.plans.steps import actions, actuals, banks, business, cash, company, drivers, support
from keiei_web.plans.steps.drivers import resize_series
from keiei_web.plans.steps.kit import (
    MAX_YEARS,
    Builder,
    Page,
    Reader,
    Step,
    plan_years,
    read_series,
    tr,
)

__all__ = [
    "BY_SLUG",
    "FIRST",
    "MAX_YEARS",
    "STEPS",
    "Builder",
    "Page",
    "Reader",
    "Step",
    "build",
    "merge",
    "next_step",
    "plan_years",
    "read",
    "read_series",
    "resize_series",
    "step_of_path",
]

STEPS: tuple[Step, ...] = (
    Step(
        "company",
        tr("会社概要"),
        ("program", "version", "company", "causes_of_distress", "basic_policy", "display_unit", "settings", "notes"),
        "plans/steps/company.html",
        company.build,
        company.read,
    ),
    Step(
        "business",
        tr("ビジネスモデル"),
        ("business_model",),
        "plans/steps/business.html",
        business.build,
        business.read,
    ),
    Step("actuals", _("実績（決算書）"), ("actuals",), "plans/steps/actuals.html", actuals.build, actuals.read),
    Step("drivers", _("計画の前提"), ("drivers",), "plans/steps/drivers.html", drivers.build, drivers.read),
    Step("banks", _("金融機関・借入"), ("banks",), "plans/steps/banks.html", banks.build, banks.read),
    Step("support", _("金融支援"), ("financial_support",), "plans/steps/support.html", support.build, support.read),
    Step("actions", _("アクションプラン"), ("action_plan",), "plans/steps/actions.html", actions.build, actions.read),
    Step("cash", _("資金繰り表"), ("cash_table",), "plans/steps/cash.html", cash.build, cash.read),
)
BY_SLUG = {s.slug: s for s in STEPS}
FIRST = STEPS[0].slug


def step_of_path(path: str) -> Step | None:
    """The step editing the plan file's key at the start of `path` (None: no step, e.g. scenarios)."""
    head = path.split(".", 1)[0].split("[", 1)[0]
    for step in STEPS:
        if head in step.keys:
            return step
    if path.startswith("(") or not head:
        return STEPS[0]
    return None


def next_step(slug: str) -> Step | None:
    for i, step in enumerate(STEPS):
        if step.slug == slug and i + 1 < len(STEPS):
            return STEPS[i + 1]
    return None


def build(
    step: Step,
    doc: Mapping[str, Any],
    *,
    disabled: bool = False,
    add: str = "",
    may_edit: Callable[[str], bool] | None = None,
) -> Page:
    """The step's inputs for `doc`; `may_edit(path)` False makes that input read-only."""
    b = Builder(doc, disabled=disabled, add=add, may_edit=may_edit)
    data = step.build(b)
    return Page(nodes=b.nodes, data=data)


def read(step: Step, post: Mapping[str, Any], doc: Mapping[str, Any]) -> tuple[dict[str, Any], Reader]:
    """The step's keys as posted (None = remove the key), and the reader's notes."""
    r = Reader(post, doc)
    return step.read(r), r


def merge(doc: Mapping[str, Any], fragment: Mapping[str, Any]) -> dict[str, Any]:
    """`doc` with the step's keys replaced (removed when empty); other keys untouched."""
    out = copy.deepcopy(dict(doc))
    for key, value in fragment.items():
        set_or_drop(out, key, value)
    return out
