"""Load benchmark for the web app: N simultaneous users browsing and editing, on loopback.

Run from the repository root after the set-up (`bash scripts/run.sh` or `scripts/setup.sh`):

    .venv/bin/python benchmarks/web_load.py [--users 50] [--seconds 30] [--port 0]

It starts `keiei serve` in a temporary data folder (SQLite, demo data), logs each simulated
user in with a demo account, and lets them loop until the time is up: advisers and companies
open dashboards, case pages, plan pages and the audit trail, and advisers save plan steps
(GET the step form, POST it back as it is — the "saved as you go" request). Each user waits a
think time between clicks (`--think`, default 2 s: a person reading the page); `--think 0` turns
it into a saturation test where latency is simply users ÷ throughput. Only 127.0.0.1 is
contacted; the run is bounded in time and number of users and stops by itself.

Prints requests/s, p50/p95/p99 latency and errors, and PASS/FAIL against the aim
(p95 under 200 ms, no errors on SQLite). Client and server share the machine's cores, so the
figures include the client's own overhead: a conservative measurement.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
KEIEI = ROOT / ".venv" / "bin" / "keiei"
PASSWORD = "keiei-demo"
ACCOUNTS = ["adviser1", "adviser2", "company1", "company2", "company3", "bank1", "bank2", "bank3", "council"]
EDITORS = {"adviser1", "adviser2"}
#: The public pages (no login) that owners read: each user also reads them, so their p95 is in the run.
PUBLIC_PAGES = [
    "/guide/",
    "/guide/advise/?has_borrowing=yes&at=has_borrowing",
    "/guide/advise/?has_borrowing=yes&needs_rescheduling=yes&needs_forgiveness_or_gl=no&has_main_bank=yes"
    "&single_bank_unguaranteed_only=no&wants_guarantee_release=no&succession_concern=no&used_before=none"
    "&postal_code=540-0029",
    "/guide/subsidy/?program=405&plan=3000000&monitoring=900000",
    "/guide/councils/?q=540-0029",
    "/guide/consult/",
]
CASE_LINK = re.compile(r'href="(/cases/\d+/)"')
STEP_LINK = re.compile(r'href="(/cases/\d+/plan/edit/[\w-]+/)"')


class FormParser(HTMLParser):
    """Collects the fields of the first POST form that is not the logout form."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, list[tuple[str, str]]]] = []
        self._current: list[tuple[str, str]] | None = None
        self._textarea: str | None = None
        self._select: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self._current = []
            self.forms.append((a.get("action", ""), self._current))
        elif self._current is None:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind in ("submit", "button", "file"):
                return
            self._current.append((a["name"], a.get("value", "")))
        elif tag == "textarea" and a.get("name"):
            self._textarea, self._text = a["name"], []
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self._current.append((self._select, a.get("value", "")))

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._textarea is not None and self._current is not None:
            self._current.append((self._textarea, "".join(self._text)))
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._current = None


class User:
    """One simulated browser: its own keep-alive connection and cookies."""

    def __init__(self, port: int, account: str) -> None:
        self.port = port
        self.account = account
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies: dict[str, str] = {}
        self.last_location = ""

    def request(self, method: str, path: str, fields: list[tuple[str, str]] | None = None) -> tuple[int, str, float]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if fields is not None:
            body = urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        start = time.perf_counter()
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (OSError, http.client.HTTPException) as exc:
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                # The server closed an idle keep-alive connection just as it was reused: a
                # browser sends the request again on a new connection, and so do we (once).
                stale = isinstance(exc, (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError))
                if attempt == 2 or not stale:
                    return 599, "", time.perf_counter() - start
        elapsed = time.perf_counter() - start
        self.last_location = response.getheader("Location", "") or ""
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        return response.status, text, elapsed

    def login(self) -> bool:
        status, html, _ = self.request("GET", "/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        if status != 200 or not token:
            return False
        fields = [("csrfmiddlewaretoken", token.group(1)), ("username", self.account), ("password", PASSWORD)]
        status, _, _ = self.request("POST", "/accounts/login/", fields)
        return status == 302


def _stat(pid: int) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def server_cpu(pid: int) -> float | None:
    """User + system CPU seconds of the server process and its worker processes (Linux /proc)."""
    if _stat(pid) is None:
        return None
    tree, total = {pid}, 0
    for entry in sorted(Path("/proc").iterdir(), key=lambda p: int(p.name) if p.name.isdigit() else 0):
        if entry.name.isdigit():
            fields = _stat(int(entry.name))
            if fields and (int(entry.name) in tree or int(fields[1]) in tree):
                tree.add(int(entry.name))
                total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(port: int, proc: subprocess.Popen[bytes], seconds: float = 120) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"keiei serve exited early with status {proc.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/accounts/login/")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("keiei serve did not answer in time")


def prepare(user: User) -> tuple[list[str], list[str]] | None:
    """Log in and find the user's pages (not timed: password hashing is slow on purpose)."""
    if not user.login():
        return None
    status, home, _ = user.request("GET", "/")
    if status == 302:
        status, home, _ = user.request("GET", "/cases/")
    cases = sorted(set(CASE_LINK.findall(home))) or ["/cases/"]
    pages = ["/cases/", *cases, *PUBLIC_PAGES]
    if user.account.startswith(("adviser", "company")):
        pages += [c + "plan/" for c in cases] + [c + "history/" for c in cases]
    steps: list[str] = []
    if user.account in EDITORS:
        for case in cases:
            status, html, _ = user.request("GET", case + "plan/edit/")
            if status == 302:  # the editor opens on its first step
                status, html, _ = user.request("GET", user.last_location)
            if 'data-autosave="1"' in html:  # only plans this user may edit in the case's state
                steps += STEP_LINK.findall(html)
    return pages, sorted(set(steps))


def run_user(
    user: User,
    plan: tuple[list[str], list[str]],
    start: threading.Barrier,
    seconds: float,
    think: float,
    results: list[tuple[str, int, float]],
    lock: threading.Lock,
) -> None:
    rng = random.Random(user.account + str(id(user)))
    local: list[tuple[str, int, float]] = []
    pages, steps = plan
    start.wait()
    deadline = time.time() + seconds
    time.sleep(rng.uniform(0, think))  # users arrive spread out, not in one burst
    while time.time() < deadline:
        if steps and rng.random() < 0.3:
            step = rng.choice(steps)
            status, html, elapsed = user.request("GET", step)
            local.append(("edit-get", status, elapsed))
            parser = FormParser()
            parser.feed(html)
            forms = [f for f in parser.forms if "logout" not in f[0]]
            if status == 200 and forms:
                action, fields = forms[0]
                status, _, elapsed = user.request("POST", action or step, fields)
                local.append(("edit-post", status, elapsed))
        else:
            status, _, elapsed = user.request("GET", rng.choice(pages))
            local.append(("browse", status, elapsed))
        if think:
            time.sleep(rng.uniform(think / 2, think * 1.5))  # a person reads before the next click
    with lock:
        results.extend(local)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument(
        "--think", type=float, default=2.0, help="mean think time between a user's requests in seconds (0 = hammer)"
    )
    args = parser.parse_args()
    if not KEIEI.exists():
        print("Run the set-up first: bash scripts/setup.sh", file=sys.stderr)
        return 1
    users = max(1, min(args.users, 200))
    seconds = max(1.0, min(args.seconds, 300.0))
    port = args.port or free_port()
    data = Path(tempfile.mkdtemp(prefix="keiei-load-"))
    env = {**os.environ, "KEIEI_DATA_DIR": str(data)}
    env.pop("DATABASE_URL", None)
    proc = subprocess.Popen(
        [str(KEIEI), "serve", "--port", str(port)],
        cwd=data,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(port, proc)
        results: list[tuple[str, int, float]] = []
        lock = threading.Lock()
        pool = [User(port, ACCOUNTS[i % len(ACCOUNTS)]) for i in range(users)]
        print(f"logging {users} users in (not timed) ...", flush=True)
        plans = [prepare(u) for u in pool]
        failed = [u.account for u, p in zip(pool, plans, strict=True) if p is None]
        if failed:
            print(f"login failed for: {', '.join(failed)}")
            return 1
        barrier = threading.Barrier(users + 1)
        threads = [
            threading.Thread(target=run_user, args=(u, p, barrier, seconds, max(0.0, args.think), results, lock))
            for u, p in zip(pool, plans, strict=True)
        ]
        for t in threads:
            t.start()
        barrier.wait()
        cpu_before = server_cpu(proc.pid)
        started = time.time()
        for t in threads:
            t.join(timeout=seconds + 60)
        wall = time.time() - started
        cpu_after = server_cpu(proc.pid)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(data, ignore_errors=True)
    latencies = [r[2] for r in results if r[1] < 500]
    errors = [r for r in results if r[1] >= 400]
    p95 = percentile(latencies, 0.95) * 1000
    print(
        f"users {users}, think time {args.think:.1f} s (uniform ±50 %), {seconds:.0f} s, server: keiei serve on 127.0.0.1:{port}, SQLite"
    )
    print(f"requests {len(results)}  ({len(results) / wall:.1f} req/s)")
    for kind in ("browse", "edit-get", "edit-post"):
        lat = [r[2] for r in results if r[0] == kind]
        if lat:
            print(
                f"  {kind:9s} n={len(lat):6d}  p50 {percentile(lat, 0.5) * 1000:7.1f} ms  "
                f"p95 {percentile(lat, 0.95) * 1000:7.1f} ms"
            )
    print(
        f"latency p50 {percentile(latencies, 0.5) * 1000:.1f} ms  p95 {p95:.1f} ms  "
        f"p99 {percentile(latencies, 0.99) * 1000:.1f} ms  max {max(latencies, default=0) * 1000:.1f} ms"
        f"  mean {statistics.fmean(latencies) * 1000 if latencies else 0:.1f} ms"
    )
    if cpu_before is not None and cpu_after is not None and results:
        used = cpu_after - cpu_before
        print(
            f"server CPU {used:.1f} s over {wall:.0f} s ({used / wall * 100:.0f} % of one core), "
            f"{used / len(results) * 1000:.1f} ms per request"
        )
    print(f"errors {len(errors)}" + (f"  (statuses: {sorted({r[1] for r in errors})})" if errors else ""))
    ok = p95 < 200 and not errors
    print(f"aim p95 < 200 ms and no errors: {'PASS' if ok else 'FAIL'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
