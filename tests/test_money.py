"""千円 display: one truncation rule for a single figure, largest-remainder apportioning for
parts that must add up to their total (keiei.money.in_units / apportion)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from keiei.money import apportion, format_thousand_yen, in_units

amounts = st.lists(st.integers(min_value=-(10**12), max_value=10**12), min_size=1, max_size=12)


def test_in_units_truncates_toward_zero() -> None:
    assert in_units(1_999) == 1 and in_units(-1_999) == -1 and in_units(999) == 0 and in_units(-1_000) == -1
    assert format_thousand_yen(-1_999) == "△1" and format_thousand_yen(-999) == "0"


def test_apportion_example() -> None:
    # 1,600 + 1,600 + 1,800 = 5,000: truncated parts 1 + 1 + 1 = 3, the total 5; the two parts
    # nearest the next thousand (1,800 then the first 1,600) move up
    assert apportion([1_600, 1_600, 1_800], 1000, 5) == [2, 1, 2]
    assert apportion([5_000, 1_200], 1000, 7) == [5, 2]  # a whole number of units never moves
    assert apportion([1_500, -300], 1000, 1) == [1, 0]


@given(amounts)
def test_parts_add_up_to_the_truncated_total(parts: list[int]) -> None:
    shown = apportion(parts, 1000, in_units(sum(parts)))
    for a, s in zip(parts, shown, strict=True):
        assert abs(s * 1000 - a) < 1000  # the part's floor or ceiling
        if a % 1000 == 0:
            assert s * 1000 == a
    floor = sum(a // 1000 for a in parts)
    ceil = sum(-(-a // 1000) for a in parts)
    target = in_units(sum(parts))
    assert floor <= target <= ceil  # so it is always reachable …
    assert sum(shown) == target  # … and reached


@given(amounts, st.integers(min_value=-50, max_value=50))
def test_any_target_is_approached_as_far_as_the_bounds_allow(parts: list[int], offset: int) -> None:
    target = in_units(sum(parts)) + offset
    shown = apportion(parts, 1000, target)
    floor = sum(a // 1000 for a in parts)
    ceil = sum(-(-a // 1000) for a in parts)
    assert sum(shown) == min(max(target, floor), ceil)
    assert all(abs(s * 1000 - a) < 1000 for a, s in zip(parts, shown, strict=True))
