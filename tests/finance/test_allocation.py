"""Apportionment: parts always add up to the whole, never above a cap."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from keiei.finance.allocation import prorata, prorata_capped

WEIGHTS = st.lists(st.integers(0, 10**12), min_size=1, max_size=6)


def test_three_equal_banks_share_one_hundred_yen_exactly() -> None:
    assert prorata(100, [1, 1, 1]) == [34, 33, 33]


def test_zero_weights_place_nothing() -> None:
    assert prorata(100, [0, 0]) == [0, 0]


@settings(derandomize=True, max_examples=300, deadline=None)
@given(st.integers(0, 10**13), WEIGHTS)
def test_prorata_sums_to_total_and_stays_within_one_yen_of_the_exact_share(total: int, weights: list[int]) -> None:
    parts = prorata(total, weights)
    if sum(weights) == 0:
        assert parts == [0] * len(weights)
        return
    assert sum(parts) == total
    for part, weight in zip(parts, weights, strict=True):
        exact = total * weight / sum(weights)
        assert part >= 0 and abs(part - exact) < 1 + 1e-6 * exact
        if total <= sum(weights):
            assert part <= weight


@settings(derandomize=True, max_examples=300, deadline=None)
@given(st.data(), WEIGHTS)
def test_prorata_capped_places_everything_up_to_the_caps(data: st.DataObject, weights: list[int]) -> None:
    caps = data.draw(st.lists(st.integers(0, 10**12), min_size=len(weights), max_size=len(weights)))
    total = data.draw(st.integers(0, sum(caps)))
    parts = prorata_capped(total, weights, caps)
    assert sum(parts) == total
    assert all(0 <= p <= c for p, c in zip(parts, caps, strict=True))


def test_a_full_bank_passes_its_share_to_the_others() -> None:
    assert prorata_capped(90, [1, 1, 1], [10, 100, 100]) == [10, 40, 40]
