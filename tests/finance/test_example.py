"""The shipped example: the story it tells holds, and its full result is pinned by a snapshot.

Update the snapshot after an intended change with `KEIEI_UPDATE_SNAPSHOTS=1 pytest tests/finance`:
the run rewrites the file and fails until you have reviewed `git diff` (tests/snapshots.py).
The key figures of that file are recomputed independently in test_golden_independent.py.
"""

from __future__ import annotations

import json
from pathlib import Path

from keiei.finance import project, to_dict
from keiei.plan import load_plan

from ..snapshots import check_snapshot

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "examples" / "405-manufacturer.yaml"
SNAPSHOT = ROOT / "tests" / "data" / "plans" / "405-manufacturer.projection.json"


def test_example_story() -> None:
    plan = load_plan(EXAMPLE)
    projection = project(plan)
    actual, planned = projection.actual_years, projection.plan_years
    assert plan.program == "405" and len(plan.banks) == 3 and len(actual) == 3 and len(planned) == 5
    assert all(y.pl.ordinary_profit < 0 for y in actual)
    assert planned[0].pl.ordinary_profit < 0 < planned[1].pl.ordinary_profit  # 経常黒字化 in year 2
    assert all(y.pl.ordinary_profit > 0 for y in planned[1:])
    base_bs = actual[-1].bs
    assert base_bs is not None and base_bs.adjusted_net_assets < 0  # 実質債務超過 at the base date
    assert planned[2].bs is not None and planned[2].bs.adjusted_net_assets > 0  # resolved in year 3
    final = planned[-1].indicators.debt_repayment_years
    assert final is not None and final <= 10
    assert all(y.bs is not None and y.bs.cash >= 40_000_000 for y in planned)  # the minimum cash kept
    main = projection.banks[0]
    assert main.main and "保証協会" in (plan.banks[0].loans[0].guarantor or "")
    assert all(sum(b.repayment) < sum(b.contractual_repayment) for b in projection.banks)  # リスケ


def test_example_snapshot() -> None:
    out = to_dict(project(load_plan(EXAMPLE)))
    text = json.dumps(out, ensure_ascii=False, indent=1) + "\n"
    check_snapshot(SNAPSHOT, text)
