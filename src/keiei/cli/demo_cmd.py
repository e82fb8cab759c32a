"""`keiei demo`: the README's main job — a walk through keiei on shipped demo data.

It runs the same code paths a user's commands run (rules, subsidy, councils, advisor and the
plan checks of the example plans), so a new user sees every part working after one command.
"""

from __future__ import annotations

import argparse
from pathlib import Path
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
    (
        "計画のチェック: 405事業・金属部品製造業（3行にリスケを依頼）",
        ["plan", "check", "examples/405-manufacturer.yaml"],
    ),
    (
        "計画のチェック: 早期経営改善・金沢の小さな和食店（計画3年）",
        ["plan", "check", "examples/early-restaurant.yaml"],
    ),
    (
        "計画のチェック: 405事業 中小版GL枠・温泉旅館（2行が債権放棄）",
        ["plan", "check", "examples/405gl-ryokan.yaml"],
    ),
    ("計画のチェック: 早期経営改善・地域スーパー（2店舗）", ["plan", "check", "examples/early-supermarket.yaml"]),
)
#: The repository's examples/ folder: demo steps name plans as `examples/…` and are found
#: here when the demo is started from another directory.
EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


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
        worst = max(worst, main([_locate(arg) for arg in argv]))
    return worst


def _locate(arg: str) -> str:
    """`examples/x.yaml` as given when it exists here, else the repository's copy."""
    if arg.startswith("examples/") and not Path(arg).exists() and (EXAMPLES / arg.removeprefix("examples/")).exists():
        return str(EXAMPLES / arg.removeprefix("examples/"))
    return arg
