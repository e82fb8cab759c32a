"""The representative's name and remark as two fields (issue 12, item 4)."""

from __future__ import annotations

from pathlib import Path

import pytest

from keiei.case.file import parse_case
from keiei.plan import load_plan, parse_plan, read_plan_data
from keiei.plan.names import name_and_remark, split_name_remark

ROOT = Path(__file__).parents[2]
RYOKAN = ROOT / "examples" / "405gl-ryokan.yaml"


@pytest.mark.parametrize(
    ("text", "name", "remark"),
    [
        ("代表取締役 藤野 正（計画成立時に退任予定）", "代表取締役 藤野 正", "計画成立時に退任予定"),
        ("代表取締役 藤野 正 （退任予定（後任は専務））", "代表取締役 藤野 正", "退任予定（後任は専務）"),
        ("代表取締役 Sato (to retire)", "代表取締役 Sato (to retire)", None),  # half-width: ASCII, kept
        ('=HYPERLINK("http://x/","x")', '=HYPERLINK("http://x/","x")', None),
        ("代表取締役 小町 誠", "代表取締役 小町 誠", None),
        ("（退任予定）", "（退任予定）", None),  # no name before it: kept whole
        ("代表取締役 某（）", "代表取締役 某（）", None),  # an empty clause is no remark
        ("代表取締役 某）", "代表取締役 某）", None),  # brackets that do not balance
        ("代表（取締役） 某", "代表（取締役） 某", None),  # a clause inside the name stays
    ],
)
def test_a_trailing_bracketed_clause_is_the_remark(text: str, name: str, remark: str | None) -> None:
    assert split_name_remark(text) == (name, remark)


def test_a_remark_given_apart_is_taken_as_written() -> None:
    assert name_and_remark("代表取締役 某（ぼう）", "退任予定") == ("代表取締役 某（ぼう）", "退任予定")
    assert name_and_remark(None, None) == (None, None)


def test_the_ryokan_example_has_the_name_and_the_remark_apart() -> None:
    company = load_plan(RYOKAN).company
    assert company.representative == "代表取締役 藤野 正"
    assert company.representative_note == "計画成立時に退任予定。後任 専務取締役 藤野 大輔"


def test_an_older_file_with_the_remark_in_the_name_still_loads_and_splits() -> None:
    data = read_plan_data(RYOKAN)
    company = data["company"]
    company["representative"] = f"{company['representative']}（{company.pop('representative_note')}）"
    loaded = parse_plan(data, "old.yaml").company
    assert loaded.representative == "代表取締役 藤野 正"
    assert loaded.representative_note == "計画成立時に退任予定。後任 専務取締役 藤野 大輔"


def test_the_case_file_splits_the_applicants_and_advisers_representative_alike() -> None:
    case = parse_case(
        {
            "case": {
                "applicant": {"representative": "代表取締役 某（退任予定）"},
                "adviser": {"name": "事務所", "representative": "所長 某", "representative_note": "兼 税理士"},
            }
        }
    )
    assert case.applicant is not None and case.adviser is not None
    assert (case.applicant.representative, case.applicant.representative_note) == ("代表取締役 某", "退任予定")
    assert (case.adviser.representative, case.adviser.representative_note) == ("所長 某", "兼 税理士")
