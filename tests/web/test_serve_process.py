"""`keiei serve` as a user runs it: a real server process with worker processes, stopped by Ctrl+C.

Runs the installed `keiei` command in a temporary data folder (SQLite, demo data) on a free
loopback port; no other network is touched.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

KEIEI = Path(sys.executable).with_name("keiei")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.append(int(entry.name))
    return out


def get(port: int, path: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path)
        return conn.getresponse().status
    finally:
        conn.close()


@pytest.fixture
def serve(tmp_path: Path):  # type: ignore[no-untyped-def]
    if not KEIEI.exists() or not Path("/proc").is_dir():
        pytest.skip("needs the installed keiei command and Linux /proc")
    port = free_port()
    env = {**os.environ, "KEIEI_DATA_DIR": str(tmp_path), "KEIEI_TODAY": "2026-05-15"}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    proc = subprocess.Popen(
        [str(KEIEI), "serve", "--port", str(port), "--workers", "2"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            if get(port, "/accounts/login/") == 200:
                break
        except OSError:
            time.sleep(0.3)
        if proc.poll() is not None:
            break
    yield proc, port
    if proc.poll() is None:
        proc.kill()
        proc.wait()


def test_serve_answers_with_worker_processes_and_stops_on_ctrl_c(serve) -> None:  # type: ignore[no-untyped-def]
    proc, port = serve
    assert proc.poll() is None, proc.stderr.read()
    assert get(port, "/accounts/login/") == 200
    assert get(port, "/cases/") == 302  # not logged in: to the login page
    workers = children(proc.pid)
    tasks = [pid for pid in workers if b"keiei_worker" in Path(f"/proc/{pid}/cmdline").read_bytes()]
    assert len(tasks) == 1  # the task worker (document builds) beside the web processes
    assert len(workers) - len(tasks) == 2  # --workers 2: two processes share the socket
    proc.send_signal(signal.SIGINT)
    for pid in workers:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGINT)  # Ctrl+C in a terminal reaches the whole process group
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "デモのログイン" in out and "adviser1" in out
    assert out.rstrip().endswith("停止しました。")
    assert out.count("停止しました。") == 1  # printed by the main process only, not by each worker
    assert "Traceback" not in err


def test_a_port_in_use_is_one_japanese_line(serve, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _proc, port = serve
    env = {**os.environ, "KEIEI_DATA_DIR": str(tmp_path / "second")}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [str(KEIEI), "serve", "--port", str(port), "--no-demo"], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 2
    assert result.stderr.startswith("エラー: --port: ポート") and result.stderr.count("\n") == 1
