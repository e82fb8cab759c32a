"""Judging the draft: schema problems, the core's check, and the live panel beside the forms.

Why one place: the step pages (messages next to the inputs), the step list (a count per step),
the live panel and the autosave answer must agree, so they all read `evaluate(doc)`. It runs the
core exactly as `keiei plan check --json` does (`parse_plan`, then `keiei.plancheck.run_check`)
and never raises: a draft that is not a valid plan file yet gives its problems (Japanese, with
the path in the file), a plan the engine cannot project gives a Japanese sentence.

Results are cached by the canonical JSON of the draft (and the rules date), so the autosave and
the panel refresh that follows it judge the same draft once.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from keiei.dates import with_wareki
from keiei.errors import KeieiInputError
from keiei.plan import PlanInputError, parse_plan
from keiei.plan.messages import sort_key
from keiei.plancheck import run_check
from keiei.subsidy import compute_subsidy
from keiei_web.plans import exactjson, steps
from keiei_web.plans.charts import Bar, bar_chart, caption_unit
from keiei_web.plans.formkit import attach
from keiei_web.plans.planfile import complete_required
from keiei_web.plans.versioning import canonical_json

log = logging.getLogger(__name__)

CACHE_SIZE = 64
DEBT_YEARS_CHART_CAP = 30.0


@dataclass(frozen=True)
class Evaluation:
    """The draft judged: `problems` (path, message) empty means it is a valid plan file."""

    problems: tuple[tuple[str, str], ...] = ()
    check: dict[str, Any] | None = None
    check_error: str = ""

    @property
    def valid(self) -> bool:
        return not self.problems

    def findings(self) -> list[dict[str, Any]]:
        return list((self.check or {}).get("findings") or [])


_cache: OrderedDict[tuple[str, str], Evaluation] = OrderedDict()
_lock = threading.Lock()


def evaluate(doc: Mapping[str, Any], on: Any = None) -> Evaluation:
    """Problems of the draft, or the core's check of it (cached by content and date)."""
    key = (canonical_json(doc), on.isoformat() if on else "")
    with _lock:
        hit = _cache.get(key)
        if hit is not None:
            _cache.move_to_end(key)
            return hit
    result = _evaluate(exactjson.loads(key[0]), on)
    with _lock:
        _cache[key] = result
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return result


def _evaluate(doc: dict[str, Any], on: Any) -> Evaluation:
    try:
        plan = parse_plan(doc, "下書き")
    except PlanInputError as exc:
        return Evaluation(problems=_problems(doc, exc))
    try:
        return Evaluation(check=run_check(plan, "base", on=on))
    except KeieiInputError as exc:
        if on is not None and exc.field == "--date":  # the case's date predates the programme
            return _evaluate(doc, None)
        return Evaluation(check_error=exc.message_ja)
    except Exception as exc:  # the engine is the core's; the page must still answer
        log.exception("plan check failed")
        return Evaluation(check_error=_("計画を計算できませんでした（%(kind)s）。") % {"kind": type(exc).__name__})


def _problems(doc: dict[str, Any], exc: PlanInputError) -> tuple[tuple[str, str], ...]:
    """The error's problems, deduplicated, every missing required key named, in step order."""
    unique = complete_required(doc, list(exc.problems))
    return tuple(sorted(unique, key=lambda p: (_step_order(p[0]), _path_key(p[0]))))


def _step_order(path: str) -> int:
    step = steps.step_of_path(path)
    return steps.STEPS.index(step) if step else len(steps.STEPS)


def _path_key(path: str) -> Any:
    parts: list[str | int] = []
    for token in re.findall(r"[^.\[\]]+|\[\d+\]", path):
        parts.append(int(token[1:-1]) if token.startswith("[") else token)
    return sort_key(parts)


# --------------------------------------------------------------------------- per step


def counts_by_step(evaluation: Evaluation) -> dict[str, int]:
    counts = {s.slug: 0 for s in steps.STEPS}
    for path, _message in evaluation.problems:
        step = steps.step_of_path(path)
        if step:
            counts[step.slug] += 1
    return counts


def attach_to_page(page: steps.Page, step: steps.Step, evaluation: Evaluation) -> list[str]:
    """Put the step's problems next to its inputs (errors) and the check's findings (warnings);
    returns the step's problems no input took, as sentences for the top of the form."""
    mine = [(p, m) for p, m in evaluation.problems if steps.step_of_path(p) is step]
    left = attach(page.nodes, mine)
    findings = [
        (str(f.get("where") or ""), str(f.get("message") or ""))
        for f in evaluation.findings()
        if f.get("severity") in {"error", "warning"} and steps.step_of_path(str(f.get("where") or "")) is step
    ]
    attach(page.nodes, findings, warning=True)
    return [f"{path}: {message}" for path, message in left]


def describe(doc: Mapping[str, Any], problems: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """Problems for the panel: which step, and the input's label when one takes the path."""
    pages: dict[str, steps.Page] = {}
    out = []
    for path, message in problems:
        step = steps.step_of_path(path)
        label = ""
        if step is not None:
            if step.slug not in pages:
                pages[step.slug] = steps.build(step, doc)
            best = None
            for node in pages[step.slug].nodes:
                if node.path and _within(path, node.path) and (best is None or len(node.path) > len(best.path)):
                    best = node
            if best is not None:
                label = best.described
        out.append({"path": path, "message": message, "step": step, "label": label})
    return out


def _within(path: str, prefix: str) -> bool:
    return path == prefix or (path.startswith(prefix) and path[len(prefix)] in ".[")


# --------------------------------------------------------------------------- the panel


@dataclass
class PanelData:
    valid: bool
    problems: list[dict[str, Any]] = field(default_factory=list)
    check_error: str = ""
    summary: dict[str, Any] = field(default_factory=dict)
    criteria_sets: list[dict[str, Any]] = field(default_factory=list)
    years: list[dict[str, Any]] = field(default_factory=list)
    charts: list[dict[str, Any]] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)
    scenarios: list[dict[str, Any]] = field(default_factory=list)
    rules_note: str = ""
    program_mismatch: str = ""
    subsidy: Any = None
    subsidy_error: str = ""
    show_money: bool = False


def build_panel(case: Any, doc: Mapping[str, Any], *, show_money: bool) -> PanelData:
    """Everything the live panel shows for the draft of `case`."""
    evaluation = evaluate(doc, case.applied_on)
    panel = PanelData(valid=evaluation.valid, check_error=evaluation.check_error, show_money=show_money)
    program = doc.get("program")
    if program and str(program) != case.program:
        panel.program_mismatch = _("計画の事業区分（%(plan)s）が案件の事業区分（%(case)s）と違います。") % {
            "plan": program,
            "case": case.program,
        }
    if show_money:
        panel.subsidy, panel.subsidy_error = _subsidy(case)
    if not evaluation.valid:
        panel.problems = describe(doc, list(evaluation.problems))
        return panel
    check = evaluation.check
    if check is None:
        return panel
    panel.summary = dict(check.get("summary") or {})
    sets = dict((check.get("rules") or {}).get("sets") or {})
    grouped: dict[str, list[dict[str, Any]]] = {}
    for c in check.get("criteria") or []:
        grouped.setdefault(str(c.get("set")), []).append(c)
    panel.criteria_sets = [
        {
            "key": k,
            "label": sets.get(k, k),
            "items": v,
            "failed": [c for c in v if not c.get("passed")],
            "passed": [c for c in v if c.get("passed")],
        }
        for k, v in grouped.items()
    ]
    rules = check.get("rules") or {}
    if rules.get("as_of_basis") == "given" and case.applied_on:
        panel.rules_note = _("利用申請日 %(date)s") % {"date": with_wareki(case.applied_on)}
    else:
        panel.rules_note = str(rules.get("as_of_note") or "")
    panel.findings = [f for f in evaluation.findings() if f.get("severity") in {"error", "warning", "info"}]
    panel.years = _years(check)
    panel.charts = _charts(panel.years)
    panel.scenarios = [s for s in ((check.get("scenarios") or {}).get("scenarios") or []) if s.get("name") != "base"]
    return panel


def key_years(check: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The base (last actual) year and the plan years: the key figures the panel and the banks'
    reading of a version show (sales, ordinary profit, net assets, 債務償還年数), from the check."""
    return _years(check)


def _years(check: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The base (last actual) year and the plan years: the four figures the panel shows."""
    rows = []
    years = list(check.get("years") or [])
    actual = [y for y in years if y.get("kind") == "actual"]
    shown = actual[-1:] + [y for y in years if y.get("kind") != "actual"]
    for i, y in enumerate(shown):
        pl, bs, ind = y.get("pl") or {}, y.get("bs") or {}, y.get("indicators") or {}
        rows.append(
            {
                "period": y.get("period"),
                "actual": y.get("kind") == "actual",
                "label": _("基準") if y.get("kind") == "actual" else _("%(n)d年目") % {"n": i if actual else i + 1},
                "sales": pl.get("sales"),
                "ordinary_profit": pl.get("ordinary_profit"),
                "debt_years": ind.get("debt_repayment_years"),
                "adjusted_net_assets": bs.get("adjusted_net_assets"),
                "net_assets": bs.get("net_assets"),
                "debt_years_shown": ind.get("debt_repayment_years_shown"),
                "cash": bs.get("cash"),
            }
        )
    return rows


def _short_period(period: Any) -> str:
    text = str(period or "")
    return f"{text[2:4]}/{int(text[5:7])}" if len(text) == 7 and text[5:7].isdigit() else text


def _yen_title(period: Any, value: Any) -> str:
    if value is None:
        return f"{period}: —"
    return f"{period}: {int(value):,}円".replace("-", "△")


def _charts(years: list[dict[str, Any]]) -> list[dict[str, Any]]:
    def bars(key: str) -> list[Bar]:
        return [
            Bar(_short_period(y["period"]), y[key], _yen_title(y["period"], y[key]), actual=y["actual"]) for y in years
        ]

    debt = []
    for y in years:
        v = y["debt_years"]
        if v is None:
            debt.append(
                Bar(
                    _short_period(y["period"]),
                    None,
                    f"{y['period']}: " + _("計算できません（返済原資がマイナス）"),
                    y["actual"],
                )
            )
        else:
            shown = min(float(v), DEBT_YEARS_CHART_CAP)
            text = f"{DEBT_YEARS_CHART_CAP:.0f}+" if float(v) > DEBT_YEARS_CHART_CAP else f"{float(v):.1f}"
            debt.append(Bar(_short_period(y["period"]), shown, f"{y['period']}: {float(v):.2f}年", y["actual"], text))

    def money(title: str, key: str, signed: bool = True) -> dict[str, Any]:
        data = bars(key)
        return {
            "title": f"{title}（{caption_unit(data)}）",
            "svg": bar_chart(data, title=title, signed=signed),
        }

    return [
        money(_("売上高"), "sales", signed=False),
        money(_("経常利益"), "ordinary_profit"),
        {
            "title": _("債務償還年数（年）"),
            "svg": bar_chart(
                debt, title=_("債務償還年数"), money=False, limit=10, limit_label=_("基準 10年"), signed=False
            ),
        },
        money(_("実態純資産"), "adjusted_net_assets"),
    ]


def _subsidy(case: Any) -> tuple[Any, str]:
    """The subsidy of the case's estimated fees (見積費用) under the case's rules."""
    fees = {k: int(v) for k, v in (case.estimated_fees or {}).items() if v is not None}
    if not fees:
        return None, _("案件に見積費用が登録されていません。")
    try:
        return compute_subsidy(case.program, fees, case.rules_date), ""
    except KeieiInputError as exc:
        return None, exc.message_ja
