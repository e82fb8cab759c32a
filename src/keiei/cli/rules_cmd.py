"""`keiei rules show`: the programme rules in force on a date, each with its source."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from typing import Any

from keiei.cli.output import emit_json
from keiei.dates import parse_date, with_wareki
from keiei.rules import CONTENT_LABELS, PROGRAMS, check_program, rules_for


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser("rules", help="事業の規則（補助率・上限など）と出典を表示する")
    rules_sub = parser.add_subparsers(dest="rules_command", metavar="SUBCOMMAND", parser_class=type(parser))
    show = rules_sub.add_parser("show", help="指定日に有効な規則を出典つきで表示する")
    show.add_argument("--program", required=True, metavar="{" + ",".join(PROGRAMS) + "}", help="事業区分")
    show.add_argument("--date", help="基準日 YYYY-MM-DD（既定: 今日）")
    show.add_argument("--json", action="store_true", help="JSON で出力する")
    show.set_defaults(handler=run_show)
    parser.set_defaults(handler=lambda _args: _usage(parser))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def summary(rules: Any) -> dict[str, Any]:
    """The typed rules as plain data (also used by the advisor and the web app)."""
    return {
        "program": rules.program,
        "label": rules.label,
        "as_of": rules.as_of.isoformat(),
        "started": rules.started.isoformat(),
        "rate": f"{rules.rate.numerator}/{rules.rate.denominator}",
        "total_cap": rules.total_cap,
        "items": [
            {
                "item": i.key,
                "label": i.label,
                "cap": i.cap,
                "mandatory": i.mandatory,
                "counts_toward_total": i.counts_toward_total,
                "since": i.since.isoformat(),
                "reference": i.reference,
            }
            for i in rules.items.values()
        ],
        "items_not_yet_available": {k: (v.isoformat() if v else None) for k, v in rules.items_not_yet.items()},
        "max_subsidy": rules.max_subsidy(),
        "max_subsidy_with_guarantee_release": rules.max_subsidy(guarantee_release=True),
        "plan_split": rules.plan_split,
        "cumulative_cap": rules.cumulative_cap,
        "monitoring": {
            "period_years": rules.monitoring_period_years,
            "interval_months": {"min": rules.monitoring_interval_months[0], "max": rules.monitoring_interval_months[1]},
            "mandatory": list(rules.monitoring_mandatory),
            "optional": list(rules.monitoring_optional),
        },
        "plan_period_years": {"min": rules.plan_period_years[0], "max": rules.plan_period_years[1]},
        "required_contents": [{"code": c, "label": CONTENT_LABELS.get(c, c)} for c in rules.required_contents],
        "financial_support": rules.financial_support,
        "bank_step": rules.bank_step,
        "repeat_use": rules.repeat_use,
        "deadlines": rules.deadlines,
        "application_documents": list(rules.application_documents),
        "criteria": rules.criteria,
        "single_bank_unguaranteed_only_excluded": rules.single_bank_unguaranteed_only_excluded,
        "fee_tax_treatment": rules.fee_tax_treatment,
        "yen_rounding": rules.yen_rounding,
    }


def run_show(args: argparse.Namespace) -> int:
    check_program(args.program)
    on = parse_date(args.date) if args.date else dt.date.today()
    rules = rules_for(args.program, on)
    if args.json:
        data = summary(rules)
        data["parameters"] = [v.as_dict() for v in rules.values]
        emit_json(data)
        return 0
    print(f"{rules.label}（{args.program}）　{with_wareki(on)} 時点の規則")
    print(f"事業開始: {with_wareki(rules.started)}")
    print()
    for value in rules.values:
        flag = "　［未確認］" if value.unconfirmed else ""
        title = value.description or value.key
        unit = value.unit or ""
        shown = _show_value(value.value)
        print(f"■ {title}{flag}")
        print(f"    {value.key} = {shown}{unit if isinstance(value.value, int) else ''}")
        print(f"    適用開始: {with_wareki(value.since)}")
        print(f"    出典: {value.reference}")
        if value.note:
            print(f"    注記: {value.note}")
    return 0


def _show_value(value: Any) -> str:
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)
