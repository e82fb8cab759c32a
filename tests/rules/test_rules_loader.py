"""The dated-parameter loader: lookups by date, and malformed files failing with file and key."""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from keiei.errors import KeieiInputError, RulesDataError
from keiei.rules import PROGRAMS, all_effective_dates, program_start, rules_for
from keiei.rules import programs as programs_mod
from keiei.rules.parameters import load_parameter_file


def write(tmp_path: Path, text: str, name: str = "rules.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


GOOD = """\
description: test rules
cap:
  unit: 円
  description: a cap
  values:
    2022-04-01: {value: 250000, reference: "new pamphlet"}
    2017-05-01: {value: 200000, reference: "old page", note: "written out of order on purpose"}
    2024-04-01: {value: null, reference: "rule ended"}
group:
  label: a group
  flag:
    unconfirmed: true
    values:
      2017-05-01: {value: true, reference: "somewhere"}
"""


# --- lookups on a well-formed file -----------------------------------------------------------


def test_a_value_holds_from_its_date_until_the_next_one(tmp_path: Path) -> None:
    cap = load_parameter_file(write(tmp_path, GOOD)).parameters["cap"]
    assert cap.at(dt.date(2017, 4, 30)) is None
    first = cap.at(dt.date(2017, 5, 1))
    assert first is not None and first.value == 200000 and first.reference == "old page"
    assert first.note == "written out of order on purpose"
    last_old = cap.at(dt.date(2022, 3, 31))
    assert last_old is not None and last_old.value == 200000
    new = cap.at(dt.date(2022, 4, 1))
    assert new is not None and new.value == 250000 and new.since == dt.date(2022, 4, 1)
    still = cap.at(dt.date(2024, 3, 31))
    assert still is not None and still.value == 250000


def test_a_null_value_ends_a_rule(tmp_path: Path) -> None:
    cap = load_parameter_file(write(tmp_path, GOOD)).parameters["cap"]
    assert cap.at(dt.date(2024, 4, 1)) is None
    assert cap.at(dt.date(2030, 1, 1)) is None


def test_a_file_is_flattened_to_dotted_keys_with_attributes(tmp_path: Path) -> None:
    pf = load_parameter_file(write(tmp_path, GOOD))
    assert set(pf.parameters) == {"cap", "group.flag"}
    assert pf.description == "test rules"
    assert pf.parameters["cap"].unit == "円"
    assert pf.parameters["cap"].description == "a cap"
    assert pf.parameters["group.flag"].unconfirmed is True
    assert pf.parameters["cap"].unconfirmed is False
    assert pf.attributes["group"] == {"label": "a group"}
    assert [e.since for e in pf.parameters["cap"].entries] == sorted(e.since for e in pf.parameters["cap"].entries)
    assert pf.effective_dates() == [dt.date(2017, 5, 1), dt.date(2022, 4, 1), dt.date(2024, 4, 1)]


def test_yaml_anchors_may_share_one_reference(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        references:
          seed: &seed "the pamphlet"
        a:
          values:
            2020-01-01: {value: 1, reference: *seed}
        """,
    )
    entry = load_parameter_file(path).parameters["a"].at(dt.date(2020, 1, 1))
    assert entry is not None and entry.reference == "the pamphlet"


# --- malformed files: RulesDataError naming the file and the dotted key ----------------------

MALFORMED = {
    "missing reference": (
        """\
        subsidy:
          cap:
            values:
              2022-04-01: {value: 150000}
        """,
        "subsidy.cap.values.2022-04-01",
    ),
    "empty reference": (
        """\
        subsidy:
          cap:
            values:
              2022-04-01: {value: 150000, reference: "  "}
        """,
        "subsidy.cap.values.2022-04-01",
    ),
    "non-date key": (
        """\
        subsidy:
          cap:
            values:
              april: {value: 150000, reference: x}
        """,
        "subsidy.cap.values.april",
    ),
    "quoted date key": (
        """\
        subsidy:
          cap:
            values:
              "2022-04-01": {value: 150000, reference: x}
        """,
        "subsidy.cap.values.2022-04-01",
    ),
    "date-time key": (
        """\
        subsidy:
          cap:
            values:
              2022-04-01 09:00:00: {value: 150000, reference: x}
        """,
        "subsidy.cap.values.2022-04-01 09:00:00",
    ),
    "entry not a mapping": (
        """\
        subsidy:
          cap:
            values:
              2022-04-01: 150000
        """,
        "subsidy.cap.values.2022-04-01",
    ),
    "entry without value": (
        """\
        subsidy:
          cap:
            values:
              2022-04-01: {reference: x}
        """,
        "subsidy.cap.values.2022-04-01",
    ),
    "unknown entry key": (
        """\
        subsidy:
          cap:
            values:
              2022-04-01: {value: 1, reference: x, refrence: y}
        """,
        "subsidy.cap.values.2022-04-01",
    ),
    "note not a string": (
        """\
        subsidy:
          cap:
            values:
              2022-04-01: {value: 1, reference: x, note: [a, b]}
        """,
        "subsidy.cap.values.2022-04-01.note",
    ),
    "values not a mapping": (
        """\
        subsidy:
          cap:
            values: [150000]
        """,
        "subsidy.cap.values",
    ),
    "empty values": (
        """\
        subsidy:
          cap:
            values: {}
        """,
        "subsidy.cap.values",
    ),
    "parameter not a mapping": (
        """\
        subsidy:
          cap: 150000
        """,
        "subsidy.cap",
    ),
    "unknown parameter key": (
        """\
        subsidy:
          cap:
            units: 円
            values:
              2022-04-01: {value: 1, reference: x}
        """,
        "subsidy.cap",
    ),
}


@pytest.mark.parametrize(("text", "key"), list(MALFORMED.values()), ids=list(MALFORMED))
def test_a_malformed_file_names_the_file_and_the_dotted_key(tmp_path: Path, text: str, key: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(RulesDataError) as caught:
        load_parameter_file(path)
    assert caught.value.field == f"{path}: {key}"
    assert str(path) in caught.value.user_line()
    assert isinstance(caught.value, KeieiInputError)


def test_a_duplicate_date_key_names_the_dotted_key(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        subsidy:
          cap:
            values:
              2022-04-01: {value: 150000, reference: x}
              2022-04-01: {value: 160000, reference: y}
        """,
    )
    with pytest.raises(RulesDataError) as caught:
        load_parameter_file(path)
    assert caught.value.field == f"{path}: subsidy.cap.values.2022-04-01"


def test_a_duplicate_date_key_is_refused_naming_the_file_and_the_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        subsidy:
          cap:
            values:
              2022-04-01: {value: 150000, reference: x}
              2022-04-01: {value: 160000, reference: y}
        """,
    )
    with pytest.raises(RulesDataError) as caught:
        load_parameter_file(path)
    assert caught.value.field.startswith(f"{path}: ")
    assert "duplicate key" in caught.value.message_en
    assert "line 5" in caught.value.message_en  # the second 2022-04-01


def test_a_duplicate_parameter_key_is_refused(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        cap:
          values:
            2022-04-01: {value: 1, reference: x}
        cap:
          values:
            2022-04-01: {value: 2, reference: x}
        """,
    )
    with pytest.raises(RulesDataError) as caught:
        load_parameter_file(path)
    assert caught.value.field.startswith(f"{path}: ")


def test_bad_yaml_names_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "subsidy:\n  cap: {values: [unclosed\n")
    with pytest.raises(RulesDataError) as caught:
        load_parameter_file(path)
    assert caught.value.field == f"{path}: (top)"
    assert "invalid YAML" in caught.value.message_en


def test_bad_yaml_gives_a_single_user_line(tmp_path: Path) -> None:
    path = write(tmp_path, "subsidy:\n  cap: {values: [unclosed\n")
    with pytest.raises(RulesDataError) as caught:
        load_parameter_file(path)
    assert "\n" not in caught.value.user_line()


@pytest.mark.parametrize("text", ["- a\n- b\n", "just text\n", ""], ids=["list", "scalar", "empty"])
def test_a_top_level_that_is_not_a_mapping_is_refused(tmp_path: Path, text: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(RulesDataError) as caught:
        load_parameter_file(path)
    assert caught.value.field == f"{path}: (top)"


def test_a_missing_file_is_refused_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    with pytest.raises(RulesDataError) as caught:
        load_parameter_file(path)
    assert caught.value.field == f"{path}: (top)"


def test_python_tags_are_not_executed(tmp_path: Path) -> None:
    path = write(tmp_path, "a: !!python/object/apply:os.system ['echo hacked']\n")
    with pytest.raises(RulesDataError):
        load_parameter_file(path)


# --- the shipped data files -------------------------------------------------------------------


@pytest.mark.parametrize("name", [*PROGRAMS, "common"])
def test_every_shipped_value_has_a_reference(name: str) -> None:
    path = programs_mod.data_dir() / f"{name}.yaml"
    pf = load_parameter_file(path)
    assert pf.parameters
    for key, param in pf.parameters.items():
        for entry in param.entries:
            assert entry.reference.strip(), f"{name}: {key} {entry.since}"


def test_the_unconfirmed_shared_rules_are_flagged() -> None:
    pf = load_parameter_file(programs_mod.data_dir() / "common.yaml")
    assert pf.parameters["fees.tax_treatment"].unconfirmed
    assert pf.parameters["fees.yen_rounding"].unconfirmed


def test_the_405_start_date_is_marked_unconfirmed_in_its_reference() -> None:
    pf = load_parameter_file(programs_mod.data_dir() / "405.yaml")
    (entry,) = pf.parameters["program.available"].entries
    assert "未確認" in entry.reference


def test_effective_dates_of_the_shipped_files() -> None:
    assert all_effective_dates() == {
        "early": [dt.date(2017, 5, 1), dt.date(2022, 4, 1), dt.date(2024, 4, 1)],
        "405": [dt.date(2013, 3, 1), dt.date(2022, 4, 1), dt.date(2024, 4, 1)],
        "405-gl": [dt.date(2022, 4, 15), dt.date(2024, 4, 1)],
        "common": [dt.date(2013, 3, 1)],
    }


def test_programme_starts() -> None:
    assert program_start("early") == dt.date(2017, 5, 1)
    assert program_start("405") == dt.date(2013, 3, 1)
    assert program_start("405-gl") == dt.date(2022, 4, 15)


def test_max_subsidy_with_and_without_the_add_on() -> None:
    early = rules_for("early", dt.date(2026, 4, 1))
    assert early.max_subsidy() == 250000
    assert early.max_subsidy(guarantee_release=True) == 350000
    assert rules_for("early", dt.date(2021, 4, 1)).max_subsidy(guarantee_release=True) == 200000
    assert rules_for("405", dt.date(2026, 4, 1)).max_subsidy(guarantee_release=True) == 3100000
    assert rules_for("405-gl", dt.date(2026, 4, 1)).max_subsidy(guarantee_release=True) == 7000000


def test_every_rules_value_carries_its_source() -> None:
    for program in PROGRAMS:
        rules = rules_for(program, dt.date(2026, 4, 1))
        assert rules.values
        keys = {v.key for v in rules.values}
        assert {"subsidy.total_cap", "common.fees.tax_treatment", "common.fees.yen_rounding"} <= keys
        for value in rules.values:
            assert value.reference.strip(), value.key


# --- rules_for over a broken copy of the shipped data ------------------------------------------


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of the shipped rules that rules_for reads instead of the package data."""
    for name in [*PROGRAMS, "common"]:
        (tmp_path / f"{name}.yaml").write_text(
            (programs_mod.data_dir() / f"{name}.yaml").read_text(encoding="utf-8"), encoding="utf-8"
        )
    monkeypatch.setattr(programs_mod, "data_dir", lambda: tmp_path)
    programs_mod.program_file.cache_clear()
    programs_mod.common_file.cache_clear()
    yield tmp_path
    programs_mod.program_file.cache_clear()
    programs_mod.common_file.cache_clear()


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_copy_reads_like_the_original(data_copy: Path) -> None:
    assert rules_for("early", dt.date(2026, 4, 1)).total_cap == 250000


def test_a_non_integer_cap_is_refused_naming_the_key(data_copy: Path) -> None:
    _replace(
        data_copy / "early.yaml",
        "2022-04-01: {value: 150000, reference: *seed}",
        '2022-04-01: {value: "15万", reference: *seed}',
    )
    with pytest.raises(RulesDataError) as caught:
        rules_for("early", dt.date(2026, 4, 1))
    assert caught.value.field == f"{data_copy / 'early.yaml'}: subsidy.items.plan.cap"
    # The old value still reads: the bad entry only matters from its date.
    assert rules_for("early", dt.date(2021, 4, 1)).items["plan"].cap == 200000


def test_a_rate_above_one_is_refused(data_copy: Path) -> None:
    _replace(
        data_copy / "405.yaml",
        '2013-03-01: {value: "2/3", reference: *seed}',
        '2013-03-01: {value: "3/2", reference: *seed}',
    )
    with pytest.raises(RulesDataError) as caught:
        rules_for("405", dt.date(2026, 4, 1))
    assert caught.value.field == f"{data_copy / '405.yaml'}: subsidy.rate"


def test_an_unknown_rounding_mode_is_refused(data_copy: Path) -> None:
    _replace(data_copy / "common.yaml", "value: truncate", "value: banker")
    with pytest.raises(RulesDataError) as caught:
        rules_for("405", dt.date(2026, 4, 1))
    assert caught.value.field == f"{data_copy / 'common.yaml'}: fees.yen_rounding"


def test_half_up_rounding_is_a_data_change_only(data_copy: Path) -> None:
    from keiei.subsidy import compute_subsidy

    _replace(data_copy / "common.yaml", "value: truncate", "value: half_up")
    result = compute_subsidy("early", {"plan": 100000, "monitoring_end": 1}, dt.date(2026, 4, 1))
    assert [i.subsidy for i in result.items] == [66667, 1]


def test_a_missing_required_rule_is_refused_naming_it(data_copy: Path) -> None:
    _replace(data_copy / "405-gl.yaml", "  financial_support:\n", "  financial_support_x:\n")
    with pytest.raises(RulesDataError) as caught:
        rules_for("405-gl", dt.date(2026, 4, 1))
    assert caught.value.field == f"{data_copy / '405-gl.yaml'}: plan.financial_support"


def test_a_broken_shipped_file_reaches_the_cli_as_one_error(
    data_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from keiei.cli import main

    _replace(data_copy / "early.yaml", "2022-04-01: {value: 150000, reference: *seed}", "2022-04-01: {value: 150000}")
    code = main(["subsidy", "--program", "early", "--date", "2026-04-01", "--fee", "plan=1"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1
    assert "subsidy.items.plan.cap.values.2022-04-01" in err


# --- unconfirmed rules are flagged, so `rules show` marks them ［未確認］ --------------------------


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("common", "fees.tax_treatment"),
        ("common", "fees.yen_rounding"),
        ("405", "program.available"),
        ("405", "plan.period_years"),
        ("405-gl", "subsidy.plan_split"),
    ],
)
def test_every_unconfirmed_rule_is_flagged(name: str, key: str) -> None:
    pf = load_parameter_file(programs_mod.data_dir() / f"{name}.yaml")
    assert pf.parameters[key].unconfirmed
