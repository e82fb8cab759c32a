"""How fast keiei projects plans, and how that compares with the finstmt library.

Run from the repository root (a benchmark that prints numbers and ratios; it asserts nothing):

    .venv/bin/python benchmarks/plans.py                 # everything (finstmt: a few minutes)
    .venv/bin/python benchmarks/plans.py --plans 2000 --skip-finstmt

1. Every plan in examples/: mean time per `project(plan)` and per `to_dict(project(plan))`.
2. Generated plans (default 20,000; deterministic seed): plan data as `load_plan` would read
   it, parsed once with `parse_plan` (timed on its own), then projected with `to_dict` on two
   processes; prints wall time and plans/s against the aim (20,000 in under 20 s).
3. finstmt 1.4.0, in a virtual environment of its own (benchmarks/.venv-finstmt, created here
   on the first run), forecasting 5 years from the example's 3 actual years; prints time per
   plan for both and the ratio against the aim (keiei at least 100× faster per plan).

See benchmarks/README.md for what is measured and the results seen on the reference machine.
"""

from __future__ import annotations

import argparse
import calendar
import gc
import json
import multiprocessing as mp
import os
import platform
import random
import subprocess
import sys
import threading
import time
import venv
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from multiprocessing.context import ForkContext, SpawnContext
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

from keiei.finance import project, to_dict
from keiei.plan import Plan, load_plan, parse_plan

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
EXAMPLES = ROOT / "examples"
FINSTMT_VENV = HERE / ".venv-finstmt"
FINSTMT_RUNNER = HERE / "finstmt_runner.py"
FINSTMT_REQUIREMENTS = ("finstmt==1.4.0", "pandas<2", "numpy<2")

SEED = 20250401
PROCESSES = 2
AIM_PLANS = 20_000
AIM_SECONDS = 20.0
AIM_RATIO = 100.0

#: Figures measured before issue 11 (lenders' shares, loan schedules, GL requirements, hidden
#: premises) on the machine named, printed beside today's run so a change shows as a ratio.
#: Best of the run, CPU time, `--plans 4000`: 2026-12-06, 2 cores, idle, commit 009be63.
BEFORE_ISSUE_11 = {
    "405-manufacturer.yaml": (0.514, 0.770),
    "405gl-ryokan.yaml": (0.461, 0.707),
    "early-restaurant.yaml": (0.216, 0.407),
    "early-supermarket.yaml": (0.292, 0.495),
    "generated_cpu_per_plan": (0.400, 0.400),
}
CAVEAT = (
    "finstmt's retained earnings do not roll forward from net income (its cash/debt plug hides\n"
    "    the gap), so it is a speed anchor, not a correctness one."
)


# --------------------------------------------------------------------------- helpers


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.3f} ms"


def mean_time(fn: Callable[[], object], repetitions: int, rounds: int = 5) -> tuple[float, float]:
    """(mean over all repetitions, mean of the fastest round) in seconds per call."""
    fn()  # warm up
    per_round = max(1, repetitions // rounds)
    totals = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(per_round):
            fn()
        totals.append(time.perf_counter() - start)
    return sum(totals) / (per_round * rounds), min(totals) / per_round


def load_average() -> str:
    try:
        one, five, _ = os.getloadavg()
    except OSError:
        return ""
    return f", load average {one:.2f} (1 min) {five:.2f} (5 min)"


# --------------------------------------------------------------------------- 1. examples


def example_files() -> list[Path]:
    return sorted(p for p in EXAMPLES.iterdir() if p.suffix.lower() in {".yaml", ".yml", ".json"})


def describe(plan: Plan) -> str:
    loans = sum(len(b.loans) + len(b.new_loans) for b in plan.banks)
    support = "rescheduling" if plan.financial_support.rescheduling else "no rescheduling"
    return (
        f"{len(plan.actuals)} actual + {plan.drivers.years} plan years, {len(plan.banks)} banks / {loans} loans, "
        f"{support}"
    )


def full_result(plan: Plan) -> dict[str, Any]:
    """What a tool reading keiei's result gets: the projection as a JSON-ready dict."""
    return to_dict(project(plan))


def bench_examples(repetitions: int) -> dict[str, float]:
    print(f"1. Plans in examples/ — mean per plan over {repetitions:,} projections (best round in brackets)")
    result: dict[str, float] = {}
    for path in example_files():
        plan = load_plan(path)
        only, only_best = mean_time(partial(project, plan), repetitions)
        full, full_best = mean_time(partial(full_result, plan), repetitions)
        print(f"   {path.name}: {describe(plan)}")
        before = BEFORE_ISSUE_11.get(path.name)
        was = (
            (
                f"  (before issue 11: {before[0]:.3f} ms, ×{only_best * 1000 / before[0]:.2f})",
                f"  (before issue 11: {before[1]:.3f} ms, ×{full_best * 1000 / before[1]:.2f})",
            )
            if before
            else ("", "")
        )
        print(f"     project(plan)           {ms(only)}  [{ms(only_best)}]{was[0]}")
        print(f"     to_dict(project(plan))  {ms(full)}  [{ms(full_best)}]{was[1]}")
        result[path.name] = full
    print()
    return result


# --------------------------------------------------------------------------- 2. generated plans

SEGMENTS = ("自動車部品", "産業機械部品", "試作加工", "保守サービス")
SGA_ACCOUNTS = (
    ("役員報酬", "personnel"),
    ("給与手当", "personnel"),
    ("法定福利費", "personnel"),
    ("荷造運賃", "variable"),
    ("販売手数料", "variable"),
    ("地代家賃", "fixed"),
    ("通信費", "fixed"),
    ("保険料", "fixed"),
    ("租税公課", "fixed"),
    ("その他経費", "fixed"),
)


def generate_plan(index: int, seed: int = SEED) -> dict[str, Any]:
    """Plan data (as load_plan would read the file: yen int, ratios Decimal) for plan `index`.

    Deterministic per (seed, index). Varies: 1–5 plan years, 1–3 actual years, growth / amounts
    / segment sales, 1–10 SG&A accounts, capex, working-capital turnovers, half of the plans
    loss-making ("troubled": falling sales, high cost ratios, write-downs, adjustments), 0–4
    banks with 1–3 loans each, new loans, rescheduling on or off (balance or uncovered basis),
    some debt forgiveness, action-plan effects and both rounding modes. All pass the schema.
    """
    rng = random.Random(seed * 1_000_003 + index)

    def ratio(low: int, high: int, places: int = 3) -> Decimal:
        return Decimal(rng.randint(low, high)).scaleb(-places)

    def series(make: Callable[[], Any]) -> Any:
        return make() if rng.random() < 0.5 else [make() for _ in range(years)]

    years = rng.randint(1, 5)
    month = rng.randint(1, 12)
    n_actuals = rng.randint(1, 3)
    troubled = rng.random() < 0.5
    size = rng.randint(50, 5_000) * 1_000_000
    first = 2025 - n_actuals
    segment_names = list(SEGMENTS[: rng.randint(1, 3)]) if rng.random() < 0.4 else []
    actuals: list[dict[str, Any]] = []
    for k in range(n_actuals):
        sales = size * rng.randint(90, 110) // 100
        pl: dict[str, Any] = {
            "sales": sales,
            "cost_of_sales": sales * rng.randint(60, 85 if troubled else 75) // 100,
            "sga": sales * rng.randint(10, 25) // 100,
            "non_operating_income": rng.randint(0, sales // 200),
            "non_operating_expenses": rng.randint(0, sales // 50),
            "income_taxes": 70_000,
            "depreciation": rng.randint(0, sales // 30),
        }
        pl["interest_expense"] = pl["non_operating_expenses"] // 2
        if troubled and rng.random() < 0.3:
            pl["extraordinary_loss"] = rng.randint(0, sales // 20)
        year: dict[str, Any] = {"period": f"{first + k:04d}-{month:02d}", "pl": pl, "employees": rng.randint(5, 300)}
        if k == n_actuals - 1 or rng.random() < 0.5:
            year["bs"] = {
                "cash": sales // rng.randint(6, 24),
                "receivables": sales // rng.randint(4, 12),
                "inventory": sales // rng.randint(6, 24),
                "other_current_assets": rng.randint(0, sales // 50),
                "fixed_assets": sales // rng.randint(2, 6),
                "payables": sales // rng.randint(6, 24),
                "interest_bearing_debt": 0,
                "other_liabilities": rng.randint(0, sales // 40),
            }
            if troubled and rng.random() < 0.7:
                year["adjustments"] = [
                    {
                        "item": "回収不能債権",
                        "line": "receivables",
                        "amount": -rng.randint(0, sales // 50),
                        "reason": "破産",
                    },
                    {
                        "item": "退職給付債務",
                        "line": "other_liabilities",
                        "amount": rng.randint(0, sales // 30),
                        "reason": "引当金未計上",
                        **({"ends_year": rng.randint(1, years)} if rng.random() < 0.3 else {}),
                    },
                ]
        actuals.append(year)
    last = actuals[-1]
    last_sales = last["pl"]["sales"]
    if segment_names:
        shares = [rng.randint(1, 10) for _ in segment_names]
        last["segments"] = {name: last_sales * s // sum(shares) for name, s in zip(segment_names, shares, strict=True)}

    low, high = (-80, 40) if troubled else (-20, 80)
    kind = rng.choice(["growth", "amounts", "segments"] if segment_names else ["growth", "growth", "amounts"])
    if kind == "growth":
        sales_driver: dict[str, Any] = {"growth": series(lambda: ratio(low, high))}
    elif kind == "amounts":
        sales_driver = {"amounts": series(lambda: last_sales * rng.randint(90, 115) // 100)}
    else:
        sales_driver = {"segments": [{"name": n, "growth": series(lambda: ratio(low, high))} for n in segment_names]}
    sga: list[dict[str, Any]] = []
    for name, item_kind in rng.sample(SGA_ACCOUNTS, rng.randint(1, len(SGA_ACCOUNTS))):
        if item_kind == "variable":
            sga.append({"name": name, "kind": item_kind, "ratio": series(lambda: ratio(5, 40))})
        else:
            sga.append(
                {"name": name, "kind": item_kind, "amount": series(lambda: last_sales * rng.randint(5, 60) // 1000)}
            )
    tax: dict[str, Any] = {"rate": ratio(250, 350), "per_capita": rng.choice([70_000, 180_000, 290_000])}
    if troubled or rng.random() < 0.3:
        tax["loss_carryforward"] = rng.randint(0, last_sales // 5)
    if rng.random() < 0.5:
        tax["reduced_rate"], tax["reduced_limit"] = Decimal("0.25"), 8_000_000

    def turnover(basis: str) -> dict[str, Any]:
        if rng.random() < 0.5:
            return {"months": series(lambda: ratio(5, 30, 1)), "basis": basis}
        return {"days": series(lambda: rng.randint(15, 90)), "basis": basis}

    drivers: dict[str, Any] = {
        "years": years,
        "sales": sales_driver,
        "cost_of_sales": {
            "ratio": series(lambda: ratio(450, 750)),
            "fixed": series(lambda: last_sales * rng.randint(0, 150) // 1000),
        },
        "sga": sga,
        "depreciation": {"existing": series(lambda: rng.randint(0, last_sales // 30))},
        "capex": [
            {
                "name": f"設備{j + 1}",
                "year": rng.randint(1, years),
                "amount": rng.randint(1, 50) * 1_000_000,
                "useful_life": rng.randint(3, 15),
                "purpose": rng.choice(["maintenance", "growth"]),
            }
            for j in range(rng.randint(0, 3))
        ],
        "working_capital": {
            line: turnover(basis)
            for line, basis in (("receivables", "sales"), ("inventory", "cost_of_sales"), ("payables", "cost_of_sales"))
            if rng.random() < 0.7
        },
        "non_operating_income": rng.randint(0, last_sales // 200),
        "non_operating_expenses": rng.randint(0, last_sales // 200),
        "tax": tax,
    }
    if troubled and rng.random() < 0.4:
        drivers["extraordinary_loss"] = series(lambda: rng.randint(0, last_sales // 40))
    if troubled and rng.random() < 0.3:
        drivers["asset_writedowns"] = series(lambda: rng.randint(0, last_sales // 50))
    if rng.random() < 0.2:
        drivers["dividends"] = series(lambda: rng.randint(0, last_sales // 100))

    banks: list[dict[str, Any]] = []
    loans_total = 0
    for b in range(rng.randint(0, 4)):
        loans = []
        for j in range(rng.randint(1, 3)):
            balance = rng.randint(1, 200) * last_sales // 1000
            loans_total += balance
            loan: dict[str, Any] = {
                "name": f"証書貸付{j + 1}",
                "balance": balance,
                "rate": ratio(50, 300, 4),
                "covered": balance * rng.randint(0, 100) // 100,
            }
            if rng.random() < 0.6:
                loan["monthly_repayment"] = balance // rng.randint(36, 120)
            else:
                loan["annual_repayment"] = balance // rng.randint(3, 10)
            if rng.random() < 0.5:
                loan["maturity"] = f"{2026 + rng.randint(0, 8):04d}-{rng.randint(1, 12):02d}"
            if rng.random() < 0.15:
                loan["rescheduled"] = False
            loans.append(loan)
        bank: dict[str, Any] = {"name": f"銀行{b + 1}", "main": b == 0, "loans": loans}
        if rng.random() < 0.2:
            bank["new_loans"] = [
                {
                    "name": "新規融資",
                    "year": rng.randint(1, years),
                    "amount": rng.randint(1, 10) * 10_000_000,
                    "rate": ratio(100, 300, 4),
                    "term_years": rng.randint(3, 10),
                    "grace_years": rng.randint(0, 2),
                }
            ]
        banks.append(bank)
    other_debt = rng.randint(0, last_sales // 20) if rng.random() < 0.3 else 0
    last["bs"]["interest_bearing_debt"] = loans_total + other_debt

    program = "early"
    support: dict[str, Any] = {}
    if banks and (troubled or rng.random() < 0.2):
        program = "405"
        from_year = rng.randint(1, years)
        support["rescheduling"] = {
            "basis": rng.choice(["balance", "uncovered"]),
            "from_year": from_year,
            "until_year": rng.randint(from_year, years),
            "minimum_cash": last_sales // rng.randint(12, 36),
            "capacity_share": rng.choice([Decimal(1), Decimal("0.9"), Decimal("0.8")]),
            "deduct_maintenance_capex": rng.random() < 0.8,
        }
        if rng.random() < 0.15:
            program = "405-gl"
            main_balance = sum(loan["balance"] for loan in banks[0]["loans"])
            support["forgiveness"] = [
                {"bank": banks[0]["name"], "amount": max(1, main_balance // 4), "year": rng.randint(1, years)}
            ]
    actions: list[dict[str, Any]] = []
    if rng.random() < 0.5:
        actions.append({"measure": "価格改定", "effects": [{"line": "sales", "ratio": ratio(0, 50)}]})
        actions.append(
            {
                "measure": "外注の内製化",
                "effects": [{"line": "cost_of_sales", "ratio": -ratio(0, 20), "from_year": years}],
            }
        )
        if rng.random() < 0.5:
            actions.append(
                {
                    "measure": "経費削減",
                    "effects": [{"line": "sga", "item": sga[0]["name"], "amount": -rng.randint(0, 5_000_000)}],
                }
            )
    return {
        "program": program,
        "company": {
            "name": f"ベンチマーク株式会社{index}",
            "fiscal_year_end_month": month,
            "employees": rng.randint(5, 300),
        },
        "settings": {"rounding": rng.choice(["half_up", "truncate"])},
        "actuals": actuals,
        "drivers": drivers,
        "banks": banks,
        "financial_support": support,
        "action_plan": actions,
    }


def _worker(k: int, processes: int, count: int, seed: int, barrier: Barrier, results: Any) -> None:
    try:
        _work(k, processes, count, seed, barrier, results)
    except BaseException:
        barrier.abort()  # the parent stops waiting and reports it
        raise


def _work(k: int, processes: int, count: int, seed: int, barrier: Barrier, results: Any) -> None:
    """Generate and parse this process's share of the plans, wait, then project them.

    The garbage collector is paused while the plans are made and the parsed plans are then
    frozen (`gc.freeze`): a process holding 10,000 parsed plans would otherwise rescan them
    in every collection during the timed part, which a service projecting plans one at a
    time never does. Collection runs normally while projecting.
    """
    gc.disable()
    start = time.perf_counter()
    data = [generate_plan(i, seed) for i in range(k, count, processes)]
    generated = time.perf_counter()
    plans: list[Plan] = []
    failed = 0
    for item in data:
        try:
            plans.append(parse_plan(item))
        except Exception:  # reported, not fatal: the benchmark still measures the rest
            failed += 1
    parsed = time.perf_counter()
    del data
    gc.collect()
    gc.freeze()
    gc.enable()
    barrier.wait()  # every process has parsed its plans
    barrier.wait()  # the parent has taken the start time
    begin = time.perf_counter()
    cpu = time.process_time()
    checksum = 0
    for plan in plans:
        out = to_dict(project(plan))
        final = out["years"][-1]["bs"]
        checksum += final["cash"] + final["net_assets"]
    busy = time.perf_counter() - begin
    cpu = time.process_time() - cpu
    results.put((k, len(plans), failed, checksum, generated - start, parsed - generated, busy, cpu))


def bench_generated(count: int, seed: int) -> None:
    print(f"2. {count:,} generated plans (seed {seed}) on {PROCESSES} processes")
    ctx: ForkContext | SpawnContext
    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context("spawn")
    barrier = ctx.Barrier(PROCESSES + 1)
    results = ctx.Queue()
    workers = [
        ctx.Process(target=_worker, args=(k, PROCESSES, count, seed, barrier, results)) for k in range(PROCESSES)
    ]
    started = time.perf_counter()
    for w in workers:
        w.start()
    print("   generating and parsing…", end="", flush=True)
    try:
        barrier.wait()
        ready = time.perf_counter()
        print(f" done in {ready - started:.1f} s")
        barrier.wait()
    except threading.BrokenBarrierError:
        print("\n   !! a worker process failed (its traceback is above); no timing")
        for w in workers:
            w.join()
        return
    begin = time.perf_counter()
    rows = [results.get() for _ in workers]
    wall = time.perf_counter() - begin
    for w in workers:
        w.join()
    projected = sum(r[1] for r in rows)
    failed = sum(r[2] for r in rows)
    checksum = sum(r[3] for r in rows)
    gen = max(r[4] for r in rows)
    parse = max(r[5] for r in rows)
    busy = [(r[6], r[7], r[1]) for r in rows]
    print(f"   plan data generated: {gen:.1f} s per process (not timed below)")
    print(
        f"   parse_plan (schema check + typing), timed apart: {parse:.1f} s per process, "
        f"{ms(parse / max(1, projected / PROCESSES))} per plan"
    )
    if failed:
        print(f"   !! {failed} generated plans were refused by parse_plan (left out)")
    rate = projected / wall if wall > 0 else float("inf")
    print(f"   to_dict(project(plan)) for {projected:,} plans: {wall:.2f} s wall → {rate:,.0f} plans/s")
    print(
        "   per process: "
        + "; ".join(f"{b:.2f} s busy, {c:.2f} s CPU ({ms(c / max(1, n))} CPU per plan)" for b, c, n in busy)
    )
    per_plan = min(c / max(1, n) for _, c, n in busy) * 1000
    was = BEFORE_ISSUE_11["generated_cpu_per_plan"][0]
    print(f"   before issue 11: {was:.3f} ms CPU per plan → now {per_plan:.3f} ms, ×{per_plan / was:.2f}")
    aim = AIM_SECONDS * count / AIM_PLANS
    verdict = "PASS" if wall < aim else "FAIL"
    print(f"   aim: {count:,} plans in < {aim:.1f} s on two cores ({AIM_PLANS:,} in < {AIM_SECONDS:.0f} s) → {verdict}")
    print(f"   checksum (Σ final-year cash + net assets, yen): {checksum:,}")
    print()


# --------------------------------------------------------------------------- 3. finstmt


def finstmt_python() -> Path:
    folder = "Scripts" if os.name == "nt" else "bin"
    return FINSTMT_VENV / folder / ("python.exe" if os.name == "nt" else "python")


def ensure_finstmt() -> Path | None:
    """The finstmt venv's python, creating the venv on the first run; None if that fails."""
    python = finstmt_python()
    check = [str(python), "-c", "import finstmt, pandas, numpy"]
    if python.exists() and subprocess.run(check, capture_output=True).returncode == 0:
        return python
    print(f"   creating {FINSTMT_VENV.relative_to(ROOT)} and installing {' '.join(FINSTMT_REQUIREMENTS)} …", flush=True)
    try:
        venv.EnvBuilder(with_pip=True, clear=True).create(FINSTMT_VENV)
        install = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        done = subprocess.run([*install, *FINSTMT_REQUIREMENTS], capture_output=True, text=True, timeout=1800)
    except (OSError, subprocess.SubprocessError) as exc:
        print(f"   !! could not create the finstmt environment: {exc}")
        return None
    if done.returncode != 0 or subprocess.run(check, capture_output=True).returncode != 0:
        reason = (done.stderr or done.stdout).strip().splitlines()
        print("   !! could not install finstmt (no network or no package index?):")
        for line in reason[-5:]:
            print(f"      {line}")
        return None
    return python


def finstmt_input(plan: Plan, runs: int, periods: int) -> dict[str, Any]:
    """The example's actual years as the item names finstmt reads, columns = period ends."""
    projection = project(plan)
    dates = []
    income: dict[str, list[int]] = {}
    balance: dict[str, list[int]] = {}
    for period, year in zip(plan.actuals, projection.actual_years, strict=True):
        if year.bs is None:
            continue
        end = calendar.monthrange(period.period.year, period.period.month)[1]
        dates.append(f"{period.period.year:04d}-{period.period.month:02d}-{end:02d}")
        pl, bs = year.pl, year.bs
        for name, value in (
            ("Revenue", pl.sales),
            ("Cost of Revenue", pl.cost_of_sales),
            ("SG&A", pl.sga),
            ("Interest Expense", pl.interest_expense),
            ("Income Tax Expense", pl.income_taxes),
            ("Net Income", pl.net_income),
            ("Depreciation", pl.depreciation),
        ):
            income.setdefault(name, []).append(value)
        for name, value in (
            ("Cash", bs.cash),
            ("Receivables", bs.receivables),
            ("Inventory", bs.inventory),
            ("Net PPE", bs.fixed_assets),
            ("Total Assets", bs.total_assets),
            ("Accounts Payable", bs.payables),
            ("Long-Term Debt", bs.interest_bearing_debt),
            ("Total Liabilities", bs.total_liabilities),
            ("Total Stockholder's Equity", bs.net_assets),
            ("Total Liabilities and Equity", bs.total_liabilities + bs.net_assets),
        ):
            balance.setdefault(name, []).append(value)
    return {"dates": dates, "income": income, "balance": balance, "runs": runs, "periods": periods}


def bench_finstmt(runs: int, ours: float | None) -> None:
    example = EXAMPLES / "405-manufacturer.yaml"
    plan = load_plan(example)
    years = plan.drivers.years
    print(f"3. finstmt: the same {years}-year forecast from the actual years of {example.name}")
    python = ensure_finstmt()
    if python is None:
        print("   finstmt skipped: its environment could not be created; keiei's numbers above stand alone.")
        return
    payload = finstmt_input(plan, runs, years)
    env = {**os.environ, "TQDM_DISABLE": "1", "PYTHONWARNINGS": "ignore"}
    print(f"   running {runs} forecast(s) (each on freshly built statements; several seconds each) …", flush=True)
    done = subprocess.run(
        [str(python), str(FINSTMT_RUNNER)], input=json.dumps(payload), capture_output=True, text=True, env=env
    )
    if done.returncode != 0:
        print("   !! the finstmt runner failed:")
        for line in done.stderr.strip().splitlines()[-8:]:
            print(f"      {line}")
        return
    r = json.loads(done.stdout)
    forecasts = r["forecast_s"]
    theirs = sum(forecasts) / len(forecasts)
    versions = ", ".join(f"{k} {v}" for k, v in r["versions"].items())
    print(f"   {versions}")
    print(
        f"   import {r['import_s']:.1f} s; building the statements {sum(r['build_s']) / len(r['build_s']):.1f} s "
        "per call (not timed)"
    )
    print(
        f"   forecast(periods={years}): {theirs:.2f} s per plan (calls: {', '.join(f'{x:.2f}' for x in forecasts)} s)"
    )
    if ours is None:
        ours = mean_time(partial(full_result, plan), 500)[0]
    ratio = theirs / ours
    verdict = "PASS" if ratio >= AIM_RATIO else "FAIL"
    print(f"   keiei to_dict(project(plan)): {ms(ours)} per plan")
    print(f"   keiei is {ratio:,.0f}× faster per plan (aim ≥ {AIM_RATIO:.0f}×) → {verdict}")
    print(
        f"   caveat: {CAVEAT}\n"
        f"    Here Σ net income over the {years} forecast years is {r['net_income_sum']:,.0f} yen, "
        f"yet equity moved {r['equity_change']:,.0f} yen."
    )
    print()


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--plans", type=int, default=AIM_PLANS, help="generated plans to project (default 20,000)")
    parser.add_argument("--skip-finstmt", action="store_true", help="leave out the finstmt comparison")
    parser.add_argument("--finstmt-runs", type=int, default=3, help="finstmt forecasts to time (default 3)")
    parser.add_argument("--repetitions", type=int, default=2_000, help="projections per example plan (default 2,000)")
    parser.add_argument("--seed", type=int, default=SEED, help=f"seed of the generated plans (default {SEED})")
    args = parser.parse_args(argv)
    print(
        f"keiei benchmark — Python {platform.python_version()}, {platform.system()} {platform.machine()}, "
        f"{os.cpu_count()} CPUs{load_average()}\n"
        "Times are wall clock unless marked CPU; other work on the machine slows them (see the load average).\n"
    )
    examples = bench_examples(args.repetitions)
    if args.plans > 0:
        bench_generated(args.plans, args.seed)
    if not args.skip_finstmt:
        bench_finstmt(max(1, args.finstmt_runs), examples.get("405-manufacturer.yaml"))
    print(f"done{load_average()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
