"""Renaming a bank renames every reference, so the renamed plan still loads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from keiei.plan import parse_plan
from keiei.plan.loader import _read
from keiei.plan.references import rename_banks

ROOT = Path(__file__).parents[2]


def _data(name: str) -> dict[str, Any]:
    """The plan file's data as the loader reads it (dates as text, amounts as Decimal)."""
    data, _ = _read(ROOT / "examples" / name)
    assert isinstance(data, dict)
    return data


def test_every_reference_follows_the_bank_in_every_example() -> None:
    for name in ("405-manufacturer.yaml", "405gl-ryokan.yaml", "early-restaurant.yaml", "early-supermarket.yaml"):
        data = _data(name)
        olds = [b["name"] for b in data["banks"]]
        rename_banks(data, {old: f"改名{k}" for k, old in enumerate(olds)})
        plan = parse_plan(data)  # raises if any reference still names an old bank
        assert [b.name for b in plan.banks] == [f"改名{k}" for k in range(len(olds))]


def test_references_renamed_in_shares_forgiveness_and_the_guideline() -> None:
    data = _data("405-manufacturer.yaml")
    rename_banks(data, {"なにわ銀行": "浪速銀行"})
    assert "浪速銀行" in data["financial_support"]["rescheduling"]["shares"]
    ryokan = _data("405gl-ryokan.yaml")
    bank = ryokan["financial_support"]["forgiveness"][0]["bank"]
    rename_banks(ryokan, {bank: "新名称銀行"})
    assert ryokan["financial_support"]["forgiveness"][0]["bank"] == "新名称銀行"
    parse_plan(ryokan)
