"""Faults survived: two app servers, one task worker, one throw-away PostgreSQL, 200 users.

Run from the repository root after the set-up (bounded: about 60 s of load plus set-up):

    .venv/bin/python benchmarks/faults.py [--users 200] [--seconds 60] [--think 6]

Everything listens on 127.0.0.1 only and lives in a temporary folder that is removed at the end.
What it does (docs/deploy.md, "Faults"):

1. starts PostgreSQL as scripts/with-postgres.sh does (initdb in a temporary folder, a free
   port, fsync off; as root the server runs as `postgres`), two `keiei serve --no-worker`
   processes on two ports (the first loads the demo: `--demo`) sharing one data folder (the
   shared storage) and one task worker (`keiei_worker`);
2. clones the demo's plan into one case per editing user (so every save is checkable), logs
   each demo account in once (on server A: the sessions are in the database, and users of
   server B use them — nothing is kept by an app server) and starts the users: half on each
   server; browsers open pages, editors GET a plan step and POST it back with a unique marker
   in the plan's note (a save answered 302 is acknowledged);
3. injects, at fixed times: (a) a plan PDF asked for, and `kill -9` of the worker while it is
   building; a new worker is started: the task must be retried and the document stored once;
   (b) `kill -9` of server B's whole process group: its users get a connection error (counted
   as injected) and go on with server A, as behind a load balancer; (c) PostgreSQL stopped and
   started again: errors only while it is down (+1 s), and no app server or worker restarted;
4. checks, on the database: every acknowledged save is there (each editor's case holds its
   last acknowledged marker, or the marker of a later save whose answer was lost), no draft is
   half-written (each draft is the cloned plan with only its note changed); the document was
   built by two attempts and stored once; server A's /healthz is 200.

Prints the counts, p50/p95 latency outside the injected faults, errors outside them (aim: 0)
and PASS/FAIL. Client, servers and database share the machine's cores.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from web_load import CASE_LINK, FormParser, User, free_port, percentile  # noqa: E402

ACCOUNTS = ["adviser1", "adviser2", "company1", "company2", "company3", "bank1", "bank2", "bank3", "council"]
KEIEI = [sys.executable, "-c", "import sys; from keiei.cli import main; sys.exit(main(sys.argv[1:]))"]
MANAGE = [sys.executable, "-m", "keiei_web.manage"]


# --- PostgreSQL, as scripts/with-postgres.sh -----------------------------------------------
class Postgres:
    def __init__(self, base: Path) -> None:
        bins = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
        if not bins or not (bins[-1] / "initdb").exists():
            raise SystemExit("PostgreSQL server not found: apt-get install -y postgresql")
        self.bin = bins[-1]
        self.dir = base / "pg"
        self.dir.mkdir()
        self.port = free_port()
        self.as_ = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_:
            shutil.chown(self.dir, "postgres")
            os.chmod(base, 0o755)
        self.url = f"postgresql://keiei@127.0.0.1:{self.port}/keiei"

    def _run(self, *args: str) -> None:
        subprocess.run([*self.as_, *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def init(self) -> None:
        self._run(
            str(self.bin / "initdb"),
            "-D",
            str(self.dir / "data"),
            "-U",
            "keiei",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        )
        self.start()
        self._run(str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "keiei", "keiei")

    def start(self) -> None:
        opts = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
        self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.dir / "data"),
            "-l",
            str(self.dir / "log"),
            "-w",
            "-o",
            opts,
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        subprocess.run(
            [*self.as_, str(self.bin / "pg_ctl"), "-D", str(self.dir / "data"), "-m", mode, "-w", "stop"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )


# --- processes ----------------------------------------------------------------------------
def spawn(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """A process in its own group, so kill -9 takes the whole app server (gunicorn's workers too)."""
    out = log.open("ab")
    return subprocess.Popen(args, cwd=env["KEIEI_DATA_DIR"], env=env, stdout=out, stderr=out, start_new_session=True)


def kill9(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)


def get(port: int, path: str, cookies: str = "", timeout: float = 10) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Cookie": cookies} if cookies else {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def wait_healthy(port: int, proc: subprocess.Popen[bytes], seconds: float = 180) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server on {port} exited with status {proc.returncode}")
        try:
            if get(port, "/healthz", timeout=3)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"server on {port} did not become healthy")


def django(env: dict[str, str], code: str) -> Any:
    """Run `code` with Django set up (the servers' settings) and return the JSON it prints last."""
    prelude = "import json, django; django.setup()\n"
    done = subprocess.run(
        [sys.executable, "-c", prelude + code], env=env, cwd=env["KEIEI_DATA_DIR"], capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(f"django snippet failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


CLONE = """
from keiei_web.cases.models import Case
from keiei_web.cases.workflow import State
from keiei_web.plans.models import PlanDocument
source = next(c for c in Case.objects.filter(program="405").order_by("pk") if getattr(c, "plan", None) and c.plan.data)
ids = []
for i in range(N):
    c = Case.objects.create(company=source.company, adviser_firm=source.adviser_firm, council=source.council,
        program=source.program, state=State.DRAFTING, consulted_on=source.consulted_on,
        applied_on=source.applied_on, accepted_on=source.accepted_on, estimated_fees=source.estimated_fees)
    PlanDocument.objects.create(case=c, data=source.plan.data)
    ids.append(c.pk)
adviser = source.adviser_firm.users.filter(role="adviser").order_by("pk").first().username
version = source.plan_versions.order_by("number").first()
print(json.dumps({"ids": ids, "adviser": adviser, "base": source.plan.data,
                  "version": [source.pk, version.number] if version else None}))
"""

CHECK = """
from keiei_web.plans.models import PlanDocument
from keiei_web.jobs.models import DocumentBuild
from django.core.files.storage import storages
from django_tasks_db.models import DBTaskResult
drafts = {str(d.case_id): d.data for d in PlanDocument.objects.filter(case_id__in=IDS)}
builds = [dict(key=b.key, status=b.status, attempts=b.attempts) for b in DocumentBuild.objects.all()]
tasks = [dict(status=t.status, workers=t.worker_ids, path=t.task_path) for t in DBTaskResult.objects.all()]
try:
    files = storages["default"].listdir("documents")[1]
except FileNotFoundError:
    files = []
print(json.dumps({"drafts": drafts, "builds": builds, "tasks": tasks, "files": files}))
"""


# --- load ---------------------------------------------------------------------------------
@dataclass
class Record:
    at: float
    port: int
    kind: str
    status: int
    elapsed: float
    error: str = ""


@dataclass
class Editor:
    case_id: int
    acked: list[str] = field(default_factory=list)
    attempted: list[str] = field(default_factory=list)


class Sim(User):
    """A browser (web_load.User) that reports connection errors instead of retrying them."""

    def call(self, method: str, path: str, fields: list[tuple[str, str]] | None = None) -> tuple[int, str, float, str]:
        from urllib.parse import urlencode

        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if fields is not None:
            body = urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        start = time.perf_counter()
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            text = response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException) as exc:
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            return 0, "", time.perf_counter() - start, type(exc).__name__
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        return response.status, text, time.perf_counter() - start, ""


def run_user(
    sim: Sim,
    pages: list[str],
    editor: Editor | None,
    ports: dict[str, int],
    dead: threading.Event,
    stop: float,
    think: float,
    out: list[Record],
    lock: threading.Lock,
) -> None:
    rng = random.Random(id(sim))
    local: list[Record] = []
    time.sleep(rng.uniform(0, think))

    def note(kind: str, status: int, elapsed: float, error: str) -> None:
        local.append(Record(time.time(), sim.port, kind, status, elapsed, error))
        if status == 0 and sim.port == ports["B"] and dead.is_set():
            sim.port = ports["A"]  # the load balancer takes the dead server out
            sim.conn = http.client.HTTPConnection("127.0.0.1", sim.port, timeout=30)

    n = 0
    while time.time() < stop:
        if editor is not None and rng.random() < 0.5:
            step = f"/cases/{editor.case_id}/plan/edit/company/"
            status, html, elapsed, error = sim.call("GET", step)
            note("edit-get", status, elapsed, error)
            if status == 200:
                parser = FormParser()
                parser.feed(html)
                forms = [f for f in parser.forms if "logout" not in f[0]]
                if forms:
                    action, fields = forms[0]
                    n += 1
                    marker = f"fault-test {editor.case_id} #{n}"
                    fields = [(k, marker if k == "notes" else v) for k, v in fields]
                    if ("notes", marker) not in fields:
                        fields.append(("notes", marker))
                    editor.attempted.append(marker)
                    status, _, elapsed, error = sim.call("POST", action or step, fields)
                    note("save", status, elapsed, error)
                    if status == 302:
                        editor.acked.append(marker)
        else:
            status, _, elapsed, error = sim.call("GET", rng.choice(pages))
            note("browse", status, elapsed, error)
        time.sleep(rng.uniform(think / 2, think * 1.5))
    with lock:
        out.extend(local)


def login_cookies(port: int, account: str) -> dict[str, str] | None:
    user = User(port, account)
    return dict(user.cookies) if user.login() else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--editors", type=int, default=40, help="users who save (each in its own case)")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--think", type=float, default=6.0, help="mean seconds between a user's requests")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs)")
    args = parser.parse_args()
    users = max(2, min(args.users, 200))
    editors = max(1, min(args.editors, users // 2))
    seconds = max(30.0, min(args.seconds, 120.0))
    base = Path(tempfile.mkdtemp(prefix="keiei-faults-"))
    data = base / "data"
    data.mkdir(mode=0o700)
    pg = Postgres(base)
    procs: dict[str, subprocess.Popen[bytes]] = {}
    t0 = time.time()
    try:
        pg.init()
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT / "src"),
            "DATABASE_URL": pg.url,
            "KEIEI_DATA_DIR": str(data),
            "DJANGO_SETTINGS_MODULE": "keiei_web.config.settings.local",
            "KEIEI_TASK_LEASE_SECONDS": "6",
        }
        ports = {"A": free_port(), "B": free_port()}
        logs = {name: base / f"{name}.log" for name in ("A", "B", "worker", "worker2")}
        procs["A"] = spawn(
            [*KEIEI, "serve", "--port", str(ports["A"]), "--demo", "--no-worker", "--workers", "1"], env, logs["A"]
        )
        wait_healthy(ports["A"], procs["A"])
        procs["B"] = spawn(
            [*KEIEI, "serve", "--port", str(ports["B"]), "--no-worker", "--workers", "1"], env, logs["B"]
        )
        procs["worker"] = spawn([*MANAGE, "keiei_worker", "--interval", "0.5", "--nice", "10"], env, logs["worker"])
        wait_healthy(ports["B"], procs["B"])
        clone = django(env, f"N = {editors}\n" + CLONE)
        print(
            f"set-up {time.time() - t0:.0f} s: PostgreSQL :{pg.port}, servers A :{ports['A']} B :{ports['B']}, "
            f"worker, {editors} cases cloned for the editors",
            flush=True,
        )

        # Log each account in once, on A; users on B use the same sessions (database sessions).
        cookies = {a: login_cookies(ports["A"], a) for a in [*ACCOUNTS]}
        if any(c is None for c in cookies.values()):
            raise SystemExit(f"login failed: {[a for a, c in cookies.items() if c is None]}")
        pages_of: dict[str, list[str]] = {}
        for account in ACCOUNTS:
            probe = Sim(ports["B"], account)
            probe.cookies = dict(cookies[account] or {})
            status, home, _, _ = probe.call("GET", "/cases/")
            if status != 200:
                raise SystemExit(f"{account}: server B does not know the session made on A ({status})")
            cases = sorted(set(CASE_LINK.findall(home)))[:6]
            pages_of[account] = ["/cases/", *cases] + (
                [c + "plan/" for c in cases] if not account.startswith("bank") else []
            )

        records: list[Record] = []
        lock = threading.Lock()
        dead = threading.Event()
        start = time.time() + 1
        stop = start + seconds
        eds = [Editor(i) for i in clone["ids"]]
        threads = []
        for i in range(users):
            is_editor = i < editors
            account = clone["adviser"] if is_editor else ACCOUNTS[i % len(ACCOUNTS)]
            sim = Sim(ports["A"] if i % 2 == 0 else ports["B"], account)
            sim.cookies = dict(cookies.get(account) or login_cookies(ports["A"], account) or {})
            pages = pages_of.get(account) or ["/cases/"]
            threads.append(
                threading.Thread(
                    target=run_user,
                    args=(sim, pages, eds[i] if is_editor else None, ports, dead, stop, args.think, records, lock),
                    daemon=True,
                )
            )
        for t in threads:
            t.start()
        faults: dict[str, Any] = {}

        # (a) a document build; kill -9 the worker while it builds; start another.
        time.sleep(max(0, start + seconds * 0.12 - time.time()))
        cid, number = clone["version"]
        adviser = cookies[clone["adviser"]] or {}
        jar = "; ".join(f"{k}={v}" for k, v in adviser.items())
        doc = f"/cases/{cid}/plan/versions/{number}/download/pdf/"
        first = get(ports["A"], doc, jar)[0]
        building_at = None
        for _ in range(200):
            state = json.loads(get(ports["B"], doc + "status/", jar)[1])
            if state["status"] == "building":
                building_at = time.time()
                break
            time.sleep(0.1)
        time.sleep(1.0)
        kill9(procs["worker"])
        faults["worker_killed"] = time.time()
        procs["worker2"] = spawn([*MANAGE, "keiei_worker", "--interval", "0.5", "--nice", "10"], env, logs["worker2"])
        faults["doc_first_status"] = first
        faults["doc_seen_building"] = building_at is not None

        # (b) kill -9 server B (its process group: the master and its workers).
        time.sleep(max(0, start + seconds * 0.4 - time.time()))
        dead.set()
        kill9(procs["B"])
        faults["b_killed"] = time.time()

        # (c) PostgreSQL stopped and started again; nothing else is restarted.
        time.sleep(max(0, start + seconds * 0.65 - time.time()))
        faults["pg_down"] = time.time()
        pg.stop("fast")
        time.sleep(3)
        pg.start()
        faults["pg_up"] = time.time()

        for t in threads:
            t.join(timeout=seconds + 60)
        healthz_a = get(ports["A"], "/healthz")[0]
        # The document: ready (built by the second worker), asked for again: served.
        doc_status, doc_ready_at = 0, None
        deadline = time.time() + 90
        while time.time() < deadline:
            doc_status = get(ports["A"], doc, jar, timeout=30)[0]
            if doc_status == 200:
                doc_ready_at = time.time()
                break
            time.sleep(1)
        check = django(env, f"IDS = {clone['ids']}\n" + CHECK)
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                kill9(proc)
        pg.stop("immediate")
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
        else:
            print(f"kept: {base}")

    # --- verdicts ---------------------------------------------------------------------------
    pg_window = (faults["pg_down"], faults["pg_up"] + 1.0)

    def injected(r: Record) -> bool:
        if r.port == ports["B"] and r.at >= faults["b_killed"] - 0.5:
            return True  # the dead server's clients: a connection error, then server A
        return pg_window[0] <= r.at <= pg_window[1] + r.elapsed

    bad = [r for r in records if r.status == 0 or r.status >= 500 or r.status in (400, 403, 404, 409)]
    outside = [r for r in bad if not injected(r)]
    inside = [r for r in bad if injected(r)]
    lat = [r.elapsed for r in records if not injected(r) and r.status and r.status < 500]
    base_plan = clone["base"]
    acked = sum(len(e.acked) for e in eds)
    lost, torn = [], []
    for e in eds:
        draft = check["drafts"][str(e.case_id)]
        if {k: v for k, v in draft.items() if k != "notes"} != {k: v for k, v in base_plan.items() if k != "notes"}:
            torn.append(e.case_id)
        if e.acked:
            later = e.attempted[e.attempted.index(e.acked[-1]) :]
            if draft.get("notes") not in later:
                lost.append(e.case_id)
    builds = [b for b in check["builds"] if b["status"] == "ready"]
    pdf_tasks = [t for t in check["tasks"] if t["path"].endswith("build_document")]
    doc_ok = (
        doc_status == 200
        and len(check["files"]) == len(builds)
        and len(pdf_tasks) == 1
        and len(pdf_tasks[0]["workers"]) >= 2
        and pdf_tasks[0]["status"] == "SUCCESSFUL"
    )
    p95 = percentile(lat, 0.95) * 1000
    print(
        f"users {users} ({editors} editors, each in its own case), think {args.think:.1f} s, {seconds:.0f} s, "
        f"2 app servers (1 gunicorn process × 4 threads each), 1 worker, PostgreSQL"
    )
    print(
        f"requests {len(records)} ({len(records) / seconds:.1f}/s); saves attempted "
        f"{sum(len(e.attempted) for e in eds)}, acknowledged {acked}, checked in the database {acked - 0}"
    )
    for kind in ("browse", "edit-get", "save"):
        k = [r.elapsed for r in records if r.kind == kind and not injected(r) and r.status and r.status < 500]
        if k:
            print(
                f"  {kind:8s} n={len(k):5d}  p50 {percentile(k, 0.5) * 1000:6.1f} ms  p95 {percentile(k, 0.95) * 1000:6.1f} ms"
            )
    print(
        f"latency outside faults: p50 {percentile(lat, 0.5) * 1000:.1f} ms  p95 {p95:.1f} ms  p99 {percentile(lat, 0.99) * 1000:.1f} ms"
    )
    print(
        f"worker kill -9 mid-build: seen building {faults['doc_seen_building']}; task attempts "
        f"{[len(t['workers']) for t in pdf_tasks]}, status {[t['status'] for t in pdf_tasks]}; "
        f"stored files {len(check['files'])} for {len(builds)} ready builds; served after "
        f"{(doc_ready_at - faults['worker_killed']) if doc_ready_at else float('nan'):.1f} s: {'OK' if doc_ok else 'FAIL'}"
    )
    b_errors = [r for r in inside if r.port == ports["B"]]
    pg_errors = [r for r in inside if r.port != ports["B"] or r.at < faults["b_killed"]]
    print(
        f"server B kill -9: {len(b_errors)} connection errors on its clients "
        f"({sorted({r.error or str(r.status) for r in b_errors})}), then served by A"
    )
    print(
        f"PostgreSQL restart ({faults['pg_up'] - faults['pg_down']:.1f} s down): {len(pg_errors)} errors while down "
        f"({sorted({r.error or str(r.status) for r in pg_errors})}); /healthz on A afterwards: {healthz_a}"
    )
    print(f"saves: {acked} acknowledged, {len(lost)} lost, {len(torn)} half-written drafts")
    print(
        f"errors outside the injected faults: {len(outside)}"
        + (f" {sorted({(r.kind, r.status, r.error) for r in outside})[:8]}" if outside else "")
    )
    ok = not outside and not lost and not torn and doc_ok and healthz_a == 200
    print(
        f"faults survived (0 errors outside faults, every acknowledged save kept, document once): {'PASS' if ok else 'FAIL'}"
    )
    print(f"aim p95 < 100 ms: {'PASS' if p95 < 100 else 'FAIL'} ({p95:.1f} ms)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
