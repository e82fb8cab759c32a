"""Benchmark: building the whole document package vs LibreOffice converting the workbook.

For every plan in examples/ (with examples/cases/<name>-case.yaml when present), time
`keiei.documents.build_package` (workbook + plan PDF + forms) in this process, sequentially and
with `parallel=True` (what `keiei plan build` asks for), the plan PDF alone
(`build_plan_pdf`, aim < 0.5 s), then LibreOffice headless converting the same workbook to
PDF — what users of an Excel template do to get a PDF — in the same run. Prints the times and
the ratio package ÷ LibreOffice (the aim: under 1/3).

Run: .venv/bin/python benchmarks/documents.py [--runs 3] [examples/405-manufacturer.yaml ...]
Needs `soffice` (Debian: apt-get install libreoffice-calc-nogui) for the comparison; without it
the package times are printed and the comparison is skipped.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

AIM = 1 / 3
PLAN_PDF_AIM = 0.5


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def time_libreoffice(binary: str, workbook: Path, runs: int, profile: Path) -> float:
    """Median wall time of `soffice --convert-to pdf` (after one warm-up that creates the profile)."""
    out = workbook.parent / "lo"
    command = [
        binary,
        "--headless",
        "--norestore",
        f"-env:UserInstallation={profile.as_uri()}",
        "--convert-to",
        "pdf",
        "--outdir",
        str(out),
        str(workbook),
    ]
    subprocess.run(command, capture_output=True, check=True, timeout=300)  # warm-up: profile, caches
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True, timeout=300)
        times.append(time.perf_counter() - start)
    if not (out / (workbook.stem + ".pdf")).exists():
        raise RuntimeError("LibreOffice wrote no PDF")
    return statistics.median(times)


def pages(pdf: Path) -> int:
    if not shutil.which("pdfinfo"):
        return 0
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=False).stdout
    return next((int(line.split()[-1]) for line in info.splitlines() if line.startswith("Pages:")), 0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("plans", nargs="*", type=Path, help="plan files (default: examples/*.yaml)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per measurement (median)")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    from keiei.documents import build_package, build_plan_pdf, load_case
    from keiei.plan import load_plan

    import_time = time.perf_counter() - start
    plans = args.plans or sorted((ROOT / "examples").glob("*.yaml"))
    binary = soffice()
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    print(f"CPUs: {os.cpu_count()}  load average: {load[0]:.2f}  runs: {args.runs} (median)")
    print(f"import keiei.documents: {import_time:.2f} s (once per process; not in the times below)")
    if binary is None:
        print("LibreOffice (soffice) is not installed: apt-get install libreoffice-calc-nogui. Comparison skipped.")
    header = f"{'plan':<22}{'files':>6}{'pages':>6}{'first':>8}{'seq':>8}{'par':>8}{'pdf':>7}{'LO':>8}{'pkg/LO':>8}{'aim':>6}"
    print(header)
    print("-" * len(header))
    ratios = []
    pdf_times = []
    with tempfile.TemporaryDirectory(prefix="keiei-bench-") as tmp:
        profile = Path(tmp) / "lo-profile"
        for path in plans:
            name = path.stem
            case_file = ROOT / "examples" / "cases" / f"{name}-case.yaml"
            case = load_case(case_file) if case_file.exists() else None
            plan = load_plan(path)
            out = Path(tmp) / name
            t0 = time.perf_counter()
            files = build_package(plan, out, case=case)  # first build: fonts and caches warm up
            first = time.perf_counter() - t0
            seq, par, pdf = [], [], []
            for _ in range(args.runs):
                t0 = time.perf_counter()
                build_plan_pdf(plan, None, out / "alone.pdf", case=case)
                pdf.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                build_package(plan, out, case=case)
                seq.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                build_package(plan, out, case=case, parallel=True)
                par.append(time.perf_counter() - t0)
            total_pages = sum(pages(f.path) for f in files if f.path.suffix == ".pdf")
            line = (
                f"{name:<22}{len(files):>6}{total_pages:>6}{first:>8.2f}"
                f"{statistics.median(seq):>8.2f}{statistics.median(par):>8.2f}{statistics.median(pdf):>7.2f}"
            )
            pdf_times.append(statistics.median(pdf))
            if binary is not None:
                lo = time_libreoffice(binary, out / "plan.xlsx", args.runs, profile)
                ratio = min(statistics.median(seq), statistics.median(par)) / lo
                ratios.append(ratio)
                line += f"{lo:>8.2f}{ratio:>8.2f}{'ok' if ratio <= AIM else 'no':>6}"
            print(line, flush=True)
    print(
        "first/seq/par: whole package (workbook + plan PDF + forms) in seconds; par = parallel=True; "
        f"pdf: the plan PDF alone (aim ≤ {PLAN_PDF_AIM} s, worst {max(pdf_times):.2f} s)."
    )
    if ratios:
        print(
            f"LO: soffice --convert-to pdf of the same workbook, seconds. Ratio package/LO median {statistics.median(ratios):.2f}"
            f" (aim ≤ {AIM:.2f})."
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
