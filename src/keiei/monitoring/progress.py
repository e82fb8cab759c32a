"""`monitoring.yaml`: what the adviser writes at a monitoring session — each action's status,
evidence and dates, the causes of the gaps and the countermeasures, what is asked of the banks.

Why a file of its own (not a section of the plan or of actuals.yaml): the agreed plan is never
edited, and actuals.yaml is written by the importer and may be replaced by a new import; the
adviser's words belong to the session. The web stores the same fields per session.

Format (docs/monitoring.md):

```yaml
version: 1
as_of: 2026-04-10            # the session (YYYY-MM-DD)
closing: 上期は売上が計画の96%…   # the (interim) closing in brief
actions:                     # by the plan's action_plan[].measure (each measure at most once)
  - measure: メニュー価格の改定
    status: 完了             # 未着手・実施中・完了・中止
    started: 2025-10
    completed: 2025-11
    evidence: 新メニュー表（2025-11-01 改定）
    note: …
causes: [ランチの客数が…]    # causes of the gaps between plan and actual
countermeasures: [平日のランチに…]
asks_of_banks: [約定どおりの返済を続けます。…]
```
Every problem is a `KeieiInputError` naming the field, in Japanese.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from keiei import dates
from keiei.errors import Finding, KeieiInputError, Severity
from keiei.monitoring.yamlio import load_yaml
from keiei.plan import model as m

STATUSES: Final[tuple[str, ...]] = ("未着手", "実施中", "完了", "中止")
_KEYS: Final = frozenset({"version", "as_of", "closing", "actions", "causes", "countermeasures", "asks_of_banks"})
_ACTION_KEYS: Final = frozenset({"measure", "status", "started", "completed", "evidence", "note"})
_MAX_TEXT: Final = 4000


@dataclass(frozen=True)
class ActionProgress:
    measure: str
    status: str
    started: str | None = None
    completed: str | None = None
    evidence: str | None = None
    note: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "measure": self.measure,
            "status": self.status,
            "started": self.started,
            "completed": self.completed,
            "evidence": self.evidence,
            "note": self.note,
        }


@dataclass(frozen=True)
class Progress:
    as_of: str | None = None
    closing: str | None = None
    actions: tuple[ActionProgress, ...] = ()
    causes: tuple[str, ...] = ()
    countermeasures: tuple[str, ...] = ()
    asks_of_banks: tuple[str, ...] = ()
    source: str = "<data>"

    def as_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of,
            "closing": self.closing,
            "actions": [a.as_dict() for a in self.actions],
            "causes": list(self.causes),
            "countermeasures": list(self.countermeasures),
            "asks_of_banks": list(self.asks_of_banks),
        }


def _text(value: Any, where: str, *, required: bool = False) -> str | None:
    if value is None:
        if required:
            raise KeieiInputError(where, "必須の項目です", "required")
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise KeieiInputError(where, "文字列にしてください", "not a string")
    text = str(value).strip()
    if required and not text:
        raise KeieiInputError(where, "空にはできません", "empty")
    if len(text) > _MAX_TEXT:
        raise KeieiInputError(where, f"{_MAX_TEXT} 文字以内にしてください", "too long")
    return text or None


def _month_or_date(value: Any, where: str) -> str | None:
    text = _text(value, where)
    if text is None:
        return None
    if not re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", text):
        raise KeieiInputError(where, f"YYYY-MM か YYYY-MM-DD にしてください（{text!r}）", "bad date")
    problem = dates.text_problem(text, dates.PLAN_WINDOW)
    if problem:
        raise KeieiInputError(where, problem, "bad date")
    return text


def _texts(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise KeieiInputError(where, "文の一覧（- で始まる行）にしてください", "not a list")
    out = []
    for i, item in enumerate(value):
        text = _text(item, f"{where}[{i}]", required=True)
        assert text is not None
        out.append(text)
    return tuple(out)


def progress_from_dict(data: Any, plan: m.Plan, source: str = "monitoring") -> Progress:
    """The adviser's file, checked against the plan's action plan."""
    if not isinstance(data, dict):
        raise KeieiInputError(source, "項目: 値 の形にしてください", "not a mapping")
    unknown = sorted(str(k) for k in data if k not in _KEYS)
    if unknown:
        raise KeieiInputError(
            f"{source}.{unknown[0]}", f"不明な項目です（使える項目: {', '.join(sorted(_KEYS))}）", "unknown key"
        )
    if data.get("version", 1) != 1:
        raise KeieiInputError(f"{source}.version", "version は 1 です", "bad version")
    as_of = _text(data.get("as_of"), f"{source}.as_of")
    if as_of is not None:
        dates.parse_date(as_of, f"{source}.as_of", dates.PLAN_WINDOW)
    measures = {a.measure for a in plan.action_plan}
    actions: list[ActionProgress] = []
    raw = data.get("actions") or []
    if not isinstance(raw, list):
        raise KeieiInputError(f"{source}.actions", "施策の一覧（- で始まる行）にしてください", "not a list")
    seen: set[str] = set()
    for i, item in enumerate(raw):
        at = f"{source}.actions[{i}]"
        if not isinstance(item, dict):
            raise KeieiInputError(at, "measure・status などの 項目: 値 にしてください", "not a mapping")
        extra = sorted(str(k) for k in item if k not in _ACTION_KEYS)
        if extra:
            raise KeieiInputError(
                f"{at}.{extra[0]}", f"不明な項目です（使える項目: {', '.join(sorted(_ACTION_KEYS))}）", "unknown key"
            )
        measure = _text(item.get("measure"), f"{at}.measure", required=True)
        assert measure is not None
        if measure not in measures:
            listed = "、".join(sorted(measures)) or "（計画に行動計画がありません）"
            raise KeieiInputError(
                f"{at}.measure", f"計画の行動計画にない施策です: {measure}（計画の施策: {listed}）", "unknown measure"
            )
        if measure in seen:
            raise KeieiInputError(f"{at}.measure", f"同じ施策が2回あります: {measure}", "measure twice")
        seen.add(measure)
        status = _text(item.get("status"), f"{at}.status", required=True)
        if status not in STATUSES:
            raise KeieiInputError(
                f"{at}.status", f"状況は {'・'.join(STATUSES)} のどれかにしてください（{status!r}）", "bad status"
            )
        started = _month_or_date(item.get("started"), f"{at}.started")
        completed = _month_or_date(item.get("completed"), f"{at}.completed")
        if status == "完了" and completed is None:
            raise KeieiInputError(
                f"{at}.completed", "完了した施策には完了の時期（completed）を書いてください", "completed missing"
            )
        if status == "未着手" and (started or completed):
            raise KeieiInputError(f"{at}.status", "未着手の施策に開始・完了の時期があります", "not started but dated")
        if started and completed and completed[:7] < started[:7]:
            raise KeieiInputError(
                f"{at}.completed", f"完了（{completed}）が開始（{started}）より前です", "completed before started"
            )
        actions.append(
            ActionProgress(
                measure,
                status,
                started,
                completed,
                _text(item.get("evidence"), f"{at}.evidence"),
                _text(item.get("note"), f"{at}.note"),
            )
        )
    return Progress(
        as_of,
        _text(data.get("closing"), f"{source}.closing"),
        tuple(actions),
        _texts(data.get("causes"), f"{source}.causes"),
        _texts(data.get("countermeasures"), f"{source}.countermeasures"),
        _texts(data.get("asks_of_banks"), f"{source}.asks_of_banks"),
        source,
    )


def load_progress(path: str | Path, plan: m.Plan) -> Progress:
    return progress_from_dict(load_yaml(path, str(path)), plan, str(path))


def progress_findings(plan: m.Plan, progress: Progress | None, through: str | None) -> list[Finding]:
    """Actions past their deadline and not done, and actions of the plan with no status."""
    out: list[Finding] = []
    status = {a.measure: a for a in progress.actions} if progress else {}
    for action in plan.action_plan:
        item = status.get(action.measure)
        if item is None:
            if progress is not None:
                out.append(
                    Finding(
                        "monitor.action_no_status",
                        Severity.WARNING,
                        f"施策「{action.measure}」の状況が monitoring ファイルにありません",
                        f"actions.{action.measure}",
                        passed=False,
                    )
                )
            continue
        deadline = str(action.deadline) if action.deadline else None
        if deadline and through and item.status in ("未着手", "実施中") and deadline[:7] < through:
            out.append(
                Finding(
                    "monitor.action_overdue",
                    Severity.WARNING,
                    f"施策「{action.measure}」は期限 {deadline} を過ぎて {item.status} です",
                    f"actions.{action.measure}",
                    passed=False,
                    details={"deadline": deadline, "status": item.status},
                )
            )
        if item.status == "中止":
            out.append(
                Finding(
                    "monitor.action_stopped",
                    Severity.WARNING,
                    f"施策「{action.measure}」は中止です（計画の数値への効果を見直してください）",
                    f"actions.{action.measure}",
                    passed=False,
                )
            )
    return out
