"""Times finstmt's forecast; run by benchmarks/plans.py inside benchmarks/.venv-finstmt.

Reads JSON on stdin: {"dates": [period ends], "income": {item: [yen per date]}, "balance":
{item: [...]}, "runs": N, "periods": P}. Builds fresh IncomeStatements / BalanceSheets /
FinancialStatements for every call (forecast changes the object's settings, so a second call
on the same object is not the same work) and times `.forecast(periods=P)` only. Writes JSON on
stdout. Needs finstmt 1.4.0 with pandas < 2 and numpy < 2; imports nothing from keiei.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from importlib.metadata import version
from typing import Any


def main() -> None:
    payload: dict[str, Any] = json.load(sys.stdin)
    start = time.perf_counter()
    import pandas as pd  # type: ignore[import-untyped]  # (pandas < 2, in the finstmt venv only)
    from finstmt import BalanceSheets, FinancialStatements, IncomeStatements  # type: ignore[import-not-found]

    imported = time.perf_counter() - start
    logging.getLogger("finstmt").setLevel(logging.WARNING)
    dates = payload["dates"]
    income = pd.DataFrame(payload["income"], index=dates).T
    balance = pd.DataFrame(payload["balance"], index=dates).T
    builds: list[float] = []
    forecasts: list[float] = []
    result: Any = None
    for _ in range(int(payload["runs"])):
        t0 = time.perf_counter()
        statements = FinancialStatements(IncomeStatements.from_df(income), BalanceSheets.from_df(balance))
        t1 = time.perf_counter()
        result = statements.forecast(periods=int(payload["periods"]))
        t2 = time.perf_counter()
        builds.append(t1 - t0)
        forecasts.append(t2 - t1)
    net_income = float(result.income_statements.net_income.sum())
    equity = result.balance_sheets.total_equity
    last_actual = float(statements.balance_sheets.total_equity.iloc[-1])
    json.dump(
        {
            "import_s": imported,
            "build_s": builds,
            "forecast_s": forecasts,
            "net_income_sum": net_income,
            "equity_change": float(equity.iloc[-1]) - last_actual,
            "versions": {name: version(name) for name in ("finstmt", "pandas", "numpy", "sympy")},
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
