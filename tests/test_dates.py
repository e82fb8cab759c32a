"""keiei.dates: the windows a date must fall in, parsing `--date`, and 和暦 that never fails."""

from __future__ import annotations

import datetime as dt

import pytest

from keiei.dates import (
    EVENT_EARLIEST,
    FOUNDED_WINDOW,
    PLAN_WINDOW,
    RULES_WINDOW,
    event_window,
    parse_date,
    text_problem,
    wareki,
    wareki_year,
    with_wareki,
)
from keiei.errors import KeieiInputError


def test_the_windows_are_the_documented_ones() -> None:
    assert (PLAN_WINDOW.earliest, PLAN_WINDOW.latest) == (dt.date(2000, 1, 1), dt.date(2100, 12, 31))
    assert (RULES_WINDOW.earliest, RULES_WINDOW.latest) == (dt.date(2000, 1, 1), dt.date(2100, 12, 31))
    today = dt.date(2026, 4, 1)
    events = event_window(today)
    assert (events.earliest, events.latest) == (EVENT_EARLIEST, today)
    assert today in events and today + dt.timedelta(days=1) not in events
    assert dt.date(1999, 12, 31) not in events


def test_a_date_outside_its_window_names_the_field_and_the_window() -> None:
    with pytest.raises(KeieiInputError) as info:
        event_window(dt.date(2026, 4, 1)).check(dt.date(2099, 1, 1), "回答日")
    assert info.value.field == "回答日"
    assert info.value.message_ja == "2000-01-01 から 2026-04-01（今日） までの日付にしてください（指定値: 2099-01-01）"
    assert PLAN_WINDOW.clamp(dt.date(9999, 12, 31)) == dt.date(2100, 12, 31)


@pytest.mark.parametrize("text", ["9999-12-31", "1999-12-31", "2101-01-01"])
def test_cli_dates_outside_the_rules_window_are_refused(text: str) -> None:
    with pytest.raises(KeieiInputError) as info:
        parse_date(text)
    assert info.value.field == "--date" and "2000-01-01 から 2100-12-31 まで" in info.value.message_ja


def test_cli_dates_inside_and_bad_shapes() -> None:
    assert parse_date(" 2026-04-01 ") == dt.date(2026, 4, 1)
    for bad in ("2026-4-1", "2026-02-30", "x"):
        with pytest.raises(KeieiInputError, match="YYYY-MM-DD"):
            parse_date(bad)


def test_text_dates_of_files() -> None:
    assert text_problem("2025-03", PLAN_WINDOW) is None
    assert text_problem("2100-12-31", PLAN_WINDOW) is None
    assert text_problem("9999-12", PLAN_WINDOW) == "2000-01 から 2100-12 までの年月にしてください（指定値: 9999-12）"
    assert text_problem("1999", PLAN_WINDOW) == "2000 から 2100 までの年にしてください（指定値: 1999）"
    assert text_problem("2025-02-30", PLAN_WINDOW) == "存在しない日付です（指定値: 2025-02-30）"
    assert text_problem("1978-04-01", FOUNDED_WINDOW) is None  # an old company
    assert text_problem("not a date", PLAN_WINDOW) is None  # the schema names the shape


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2019, 5, 1), "令和元年5月1日"),
        (dt.date(2019, 4, 30), "平成31年4月30日"),
        (dt.date(1989, 1, 7), "昭和64年1月7日"),
        (dt.date(1873, 1, 1), "明治6年1月1日"),
        (dt.date(2118, 1, 1), "令和100年1月1日"),  # japanera's %y alone would say 令和00年
        (dt.date(1872, 12, 31), "西暦1872年12月31日"),  # before the Gregorian calendar in Japan
        (dt.date(9999, 12, 31), "西暦9999年12月31日"),  # japanera: "Era not found"
        (dt.date(1, 1, 1), "西暦1年1月1日"),
    ],
)
def test_wareki_never_fails(day: dt.date, expected: str) -> None:
    assert wareki(day) == expected
    assert with_wareki(day) == f"{day.isoformat()}（{expected}）"
    assert wareki(day).startswith(wareki_year(day))


def test_dates_typed_the_ways_people_type_them() -> None:
    import datetime as dt

    from keiei.dates import read_typed_date

    april = dt.date(2026, 4, 1)
    for text in (
        "2026-04-01",
        "2026/4/1",
        "2026.4.1",
        "2026年4月1日",
        "令和8年4月1日",
        "R8.4.1",
        "２０２６／４／１",
        " 令和８年４月１日 ",
    ):
        assert read_typed_date(text) == april, text
    assert read_typed_date("令和元年5月1日") == dt.date(2019, 5, 1)
    assert read_typed_date("平成31年4月30日") == dt.date(2019, 4, 30)
    # a day before its era began, after the next began, or that does not exist: not a date
    for text in ("令和元年4月30日", "平成31年5月1日", "2026-02-30", "令和8年13月1日", "明日", "", "2026-04"):
        assert read_typed_date(text) is None, text
