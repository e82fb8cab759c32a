"""Splitting a yen amount among banks or loans so that the parts add up exactly.

Why not `to_yen` on each share: rounding each part separately loses or invents yen (three
banks at 1/3 each). Apportionment is not the rounding of a figure but the division of a
whole, so it uses exact integer arithmetic: each part gets the floor of its exact share and
the yen left over go one each to the largest remainders (ties to the earlier party). The
result always sums to the total, and a part never exceeds its weight when total ≤ Σweights.
"""

from __future__ import annotations

from collections.abc import Sequence


def prorata(total: int, weights: Sequence[int]) -> list[int]:
    """Split `total` (≥ 0) in proportion to non-negative integer `weights`.

    All-zero weights give all zeros (the caller decides where an unplaced amount goes).
    """
    weight_sum = sum(weights)
    if total <= 0 or weight_sum <= 0:
        return [0] * len(weights)
    if len(weights) == 1:
        return [total]  # the one party's exact share, with no remainder
    parts: list[int] = []
    remainders: list[tuple[int, int]] = []
    for i, weight in enumerate(weights):
        quotient, remainder = divmod(total * weight, weight_sum)
        parts.append(quotient)
        remainders.append((-remainder, i))
    left = total - sum(parts)
    if left:
        for _, i in sorted(remainders)[:left]:
            parts[i] += 1
    return parts


def prorata_capped(total: int, weights: Sequence[int], caps: Sequence[int]) -> list[int]:
    """Split `total` by `weights`, no part above its cap; what a full party cannot take goes
    to the others by weight, then (if only zero-weight parties have room) by room.

    Requires 0 ≤ total ≤ Σcaps for a complete split; otherwise the rest stays unplaced.
    """
    # Fast path (the common case, the engine calls this per bank and year): when every party
    # with weight has room and the plain split fits under the caps, it is the answer, since
    # the loop below would place exactly that split in its first round.
    if all(c > 0 for w, c in zip(weights, caps, strict=True) if w > 0):
        parts = prorata(total, weights)
        if sum(parts) == total and all(p <= c for p, c in zip(parts, caps, strict=True)):
            return parts
    placed = [0] * len(weights)
    remaining = total
    active = [i for i, (w, c) in enumerate(zip(weights, caps, strict=True)) if w > 0 and c > 0]
    while remaining > 0 and active:
        parts = prorata(remaining, [weights[i] for i in active])
        remaining = 0
        still: list[int] = []
        for i, part in zip(active, parts, strict=True):
            take = min(part, caps[i] - placed[i])
            placed[i] += take
            remaining += part - take
            if caps[i] > placed[i]:
                still.append(i)
        active = still
    if remaining > 0:
        rooms = [max(0, c - p) for c, p in zip(caps, placed, strict=True)]
        for i, part in enumerate(prorata(min(remaining, sum(rooms)), rooms)):
            placed[i] += part
    return placed
