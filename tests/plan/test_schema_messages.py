"""Schema errors point at what the user got wrong, in the order that explains it best."""

from __future__ import annotations

from pathlib import Path

import pytest

from keiei.plan import load_plan
from keiei.plan.loader import PlanInputError

DATA = Path(__file__).parent.parent / "data" / "plans"


def test_each_missing_required_key_is_named_once() -> None:
    with pytest.raises(PlanInputError) as info:
        load_plan(DATA / "bad" / "missing-required.yaml")
    assert [p[0] for p in info.value.problems] == ["actuals", "drivers"]


def test_a_misspelt_key_is_reported_as_a_typo_first(tmp_path: Path) -> None:
    text = (DATA / "minimal.yaml").read_text(encoding="utf-8")
    assert "balance:" in text
    broken = tmp_path / "typo.yaml"
    broken.write_text(text.replace("balance:", "balnce:", 1), encoding="utf-8")
    with pytest.raises(PlanInputError) as info:
        load_plan(broken)
    assert info.value.message_ja.startswith("不明な項目です")
    assert "balance" in info.value.message_ja
    assert info.value.field.endswith("balnce")
