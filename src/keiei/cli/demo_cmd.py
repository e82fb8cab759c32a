"""`keiei demo`: the README's main job — a walk through keiei on shipped demo data.

It runs the same code paths a user's commands run (rules, subsidy, councils, advisor and,
once plans exist, plan checks), so a new user sees every part working after one command.
"""

from __future__ import annotations

import argparse
from typing import Any

DEMO_STEPS: tuple[tuple[str, list[str]], ...] = (
    (
        "早期経営改善計画策定支援: 計画策定 24万円・伴走支援（期中・期末）各6万円",
        [
            "subsidy",
            "--program",
            "early",
            "--date",
            "2026-04-01",
            "--fee",
            "plan=240000",
            "--fee",
            "monitoring_mid=60000",
            "--fee",
            "monitoring_end=60000",
        ],
    ),
    (
        "405事業: 計画策定 330万円・伴走支援 90万円・保証解除交渉 15万円",
        [
            "subsidy",
            "--program",
            "405",
            "--date",
            "2026-04-01",
            "--fee",
            "plan=3300000",
            "--fee",
            "monitoring=900000",
            "--fee",
            "guarantee_release=150000",
        ],
    ),
    (
        "405事業 中小版GL枠: DD 450万円・計画策定 500万円・伴走支援 120万円",
        [
            "subsidy",
            "--program",
            "405-gl",
            "--date",
            "2026-04-01",
            "--fee",
            "dd=4500000",
            "--fee",
            "plan=5000000",
            "--fee",
            "monitoring=1200000",
        ],
    ),
    ("郵便番号 〒683-0823（鳥取県米子市）の相談先", ["councils", "find", "683-0823"]),
    (
        "事業の診断: 返済条件の変更が必要な大阪の製造業",
        [
            "advise",
            "--borrowing",
            "yes",
            "--reschedule",
            "yes",
            "--forgiveness",
            "no",
            "--main-bank",
            "yes",
            "--single-bank-unguaranteed-only",
            "no",
            "--used-before",
            "none",
            "--guarantee-release",
            "no",
            "--postal-code",
            "540-0029",
            "--date",
            "2026-04-01",
        ],
    ),
    (
        "事業の診断: 早期経営改善を以前に使った飲食店（2026年）",
        [
            "advise",
            "--borrowing",
            "yes",
            "--reschedule",
            "no",
            "--main-bank",
            "yes",
            "--used-before",
            "early",
            "--guarantee-release",
            "no",
            "--date",
            "2026-04-01",
        ],
    ),
)


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser("demo", help="同梱のデモデータで keiei の機能を一通り実行する")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from keiei.cli import main

    worst = 0
    for title, argv in DEMO_STEPS:
        print()
        print("=" * 72)
        print(f"■ {title}")
        print(f"$ keiei {' '.join(argv)}")
        print("=" * 72)
        worst = max(worst, main(argv))
    return worst
