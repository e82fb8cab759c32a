"""The plan schema describes the plan lines in the glossary's words (keiei.plan.glossary).

The schema is a static file (docs/plan-format.md and editors read it as is), so it is not
generated from the glossary: this test keeps the two from drifting apart instead, and that
every line the schema knows is in the glossary.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pytest

from keiei.plan import glossary


def _properties(definition: str) -> dict[str, Any]:
    text = resources.files("keiei.plan").joinpath("plan.schema.json").read_text(encoding="utf-8")
    props: dict[str, Any] = json.loads(text)["$defs"][definition]["properties"]
    return props


def _descriptions(definition: str, keys: set[str]) -> dict[str, str]:
    return {k: v.get("description", "") for k, v in _properties(definition).items() if k in keys}


@pytest.mark.parametrize(
    ("definition", "lines", "checked", "other"),
    [
        ("pl_actual", glossary.PL_INPUT_LINES, glossary.PL_SUBTOTALS, set()),
        ("bs_actual", glossary.BS_LINES, glossary.BS_TOTALS, set()),
        ("cash_month", glossary.CASH_GROUPS, (), {"month", "kind", "note"}),
    ],
)
def test_schema_descriptions_are_the_glossary(
    definition: str,
    lines: tuple[glossary.Line, ...],
    checked: tuple[glossary.Line, ...],
    other: set[str],
) -> None:
    expected = {line.key: line.description for line in lines}
    expected |= {line.key: glossary.checked_label(line) for line in checked}
    assert set(_properties(definition)) == set(expected) | other  # no line left out of the glossary
    assert _descriptions(definition, set(expected)) == expected


def test_statement_wordings_of_memo_lines() -> None:
    """A memo line keeps its plain name; the statement marks it (documents' 計画損益計算書)."""
    pl = glossary.statement_labels(glossary.PL_INPUT_LINES + glossary.PL_MEMOS)
    assert pl["depreciation"] == "（参考）減価償却費"
    assert pl["simple_cash_flow"] == "（参考）簡易キャッシュフロー"
    assert next(x for x in glossary.PL_INPUT_LINES if x.key == "depreciation").statement == "減価償却費"


def test_institution_words() -> None:
    """Issue 12: the consent form names the institution by its own word."""
    from keiei.plan.glossary import institution_words

    assert institution_words("地方銀行", "なにわ銀行") == ("当行", "貴行")
    assert institution_words("信用金庫", "大阪中央信金") == ("当金庫", "貴庫")
    assert institution_words("信用組合") == ("当組合", "貴組合")
    assert institution_words("政府系金融機関", "日本政策金融公庫") == ("当公庫", "貴公庫")
    assert institution_words(None, "日本政策金融公庫") == ("当公庫", "貴公庫")
    assert institution_words(None, "商工組合中央金庫") == ("当金庫", "貴庫")
    assert institution_words(None, "") == ("当行", "貴行")
