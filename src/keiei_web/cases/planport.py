"""The plans app as the cases app sees it: the one way `keiei_web.cases` reaches plans.

Direction: `keiei_web.plans` depends on `keiei_web.cases` (a plan belongs to a case: its models
point at `Case`, its views use the case's workflow); `keiei_web.cases` never imports
`keiei_web.plans` (tests/web/test_app_dependencies.py checks it). The case workflow still
needs the working plan, its check and frozen versions at some transitions, so it calls a
`PlanPort` that the plans app registers in `PlansConfig.ready()`. This is dependency inversion
on purpose: without it the two apps import each other and either can break the other's import.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Protocol

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from keiei_web.cases.models import Case


class Purpose(models.TextChoices):
    """Why a plan version was frozen: the case step it was submitted for (plans.PlanSubmission)."""

    APPLICATION = "application", _("利用申請（協議会へ）")
    BANKS = "banks", _("金融機関へ提出")
    PAYMENT_CLAIM = "payment_claim", _("支払申請（協議会へ）")


class FrozenVersion(Protocol):
    """What the case workflow reads of a frozen plan version."""

    @property
    def pk(self) -> int: ...

    @property
    def number(self) -> int: ...

    @property
    def sha256(self) -> str: ...

    @property
    def short_hash(self) -> str: ...


class Evaluation(Protocol):
    """What the case workflow reads of the editor panel's evaluation of a plan."""

    @property
    def valid(self) -> bool: ...

    @property
    def problems(self) -> tuple[tuple[str, str], ...]: ...

    @property
    def check(self) -> dict[str, Any] | None: ...

    @property
    def check_error(self) -> str: ...


class PlanPort(Protocol):
    def document(self, case: Case) -> Any:
        """The case's working plan (`plans.PlanDocument`, created when missing); `.data` is the plan."""

    def create_document(self, case: Case, user: Any) -> None:
        """An empty working plan for a new case."""

    def evaluate(self, data: Any, on: dt.date | None) -> Evaluation:
        """Parse and check plan data as the editor's panel does."""

    def freeze_version(
        self, case: Case, user: Any, purpose: str, on: dt.date, banks: list[Any] | None
    ) -> FrozenVersion:
        """Freeze the working plan (or reuse the latest unchanged version) and record the submission."""


_port: PlanPort | None = None


def register(port: PlanPort) -> None:
    global _port
    _port = port


def plans() -> PlanPort:
    if _port is None:
        raise ImproperlyConfigured("keiei_web.plans is not installed: no plan port registered")
    return _port
