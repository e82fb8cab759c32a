"""`keiei councils list|find`: the 中小企業活性化協議会 office to contact, by prefecture or postal code.

A thin layer over `keiei.councils`: the core finds and orders offices; this module only prints
them, as JSON for programs (the keys council, operator, prefecture, postal_code, address, phone
are an interface) or as a short Japanese list for people. Input errors are raised as
KeieiInputError and become one line and exit status 2 in the dispatcher.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

from keiei.cli.output import emit_json
from keiei.councils import Office, all_offices, find, source

_ROLE_LABELS = {"main": "主たる窓口", "branch": "もう一つの窓口"}


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "councils", help="中小企業活性化協議会の窓口を都道府県名・郵便番号で調べる"
    )
    councils_sub = parser.add_subparsers(dest="councils_command", metavar="SUBCOMMAND", parser_class=type(parser))

    list_parser = councils_sub.add_parser("list", help="全国の協議会の窓口（47協議会・49窓口）を表示する")
    list_parser.add_argument("--json", action="store_true", help="JSON で出力する")
    list_parser.set_defaults(handler=run_list)

    find_parser = councils_sub.add_parser(
        "find", help="郵便番号（100-0005 など）または都道府県名（大阪、北海道 など）で窓口を探す"
    )
    find_parser.add_argument("query", metavar="QUERY", help="郵便番号または都道府県名")
    find_parser.add_argument("--json", action="store_true", help="JSON で出力する")
    find_parser.set_defaults(handler=run_find)

    parser.set_defaults(handler=lambda _args: _usage(parser))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def run(args: argparse.Namespace) -> int:
    """Dispatch on the sub-command (kept for callers that hold a parsed Namespace)."""
    if getattr(args, "councils_command", None) == "list":
        return run_list(args)
    if getattr(args, "councils_command", None) == "find":
        return run_find(args)
    return 2


def run_list(args: argparse.Namespace) -> int:
    offices = all_offices()
    if args.json:
        emit_json([o.as_dict() for o in offices])
        return 0
    origin = source()
    councils = len({o.council for o in offices})
    print(f"全国の中小企業活性化協議会: {councils}協議会・{len(offices)}窓口")
    print(
        f"出典: {origin.get('publisher', '')}「{origin.get('pamphlet', '')}」の"
        f"「{origin.get('title', '')}」（住所は郵便番号データで確認済み）"
    )
    _print_offices(offices, show_reason=False)
    return 0


def run_find(args: argparse.Namespace) -> int:
    offices = find(args.query)
    if args.json:
        emit_json([o.as_dict() for o in offices])
        return 0
    print(f"「{args.query}」の窓口: {len(offices)}件")
    _print_offices(offices, show_reason=True)
    return 0


def _print_offices(offices: Sequence[Office], *, show_reason: bool) -> None:
    for office in offices:
        print()
        print("\n".join(format_office(office, show_reason=show_reason)))


def format_office(office: Office, *, show_reason: bool = True) -> list[str]:
    """An office as a few readable Japanese lines."""
    heading = office.council
    if office.role is not None:
        heading += f"（{office.site}・{_ROLE_LABELS.get(office.role, office.role)}）"
    lines = [
        heading,
        f"  設置主体: {office.operator}",
        f"  〒{office.postal_code} {office.address}",
        f"  電話: {office.phone}",
    ]
    if show_reason and office.reason:
        lines.append(f"  表示順: {office.reason}")
    lines.extend(f"  ※ {note.message}" for note in office.notes)
    if office.corrections:
        fixed = "、".join(f"「{c.seed}」→「{c.corrected}」" for c in office.corrections)
        lines.append(f"  ※ 住所はパンフレットの誤記を郵便番号データに基づき訂正しています: {fixed}")
    return lines
