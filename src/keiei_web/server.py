"""`keiei serve`: migrate, load the demo on first start, print the logins, serve on 127.0.0.1.

The whole sub-command lives here, with the web app it serves: `register(sub)` adds its options
to the `keiei` parser and `command(args)` runs it. The CLI calls `register` through importlib
when it builds its parser, so this module imports nothing but the standard library and the
core at import time (Django only inside the functions): `keiei --help` works without the web
extra, and `keiei serve` then says in one line that `keiei[web]` is missing.

Split so tests can call `prepare()` (migrate + demo) without starting a server.

Why gunicorn with several worker processes: Python runs one thread at a time per process, so a
threaded server uses one core however many users there are; with 50 people browsing and
editing, requests queued behind each other (p95 above 300 ms on two cores). Gunicorn forks
`--workers` processes (default: the CPUs, at most 4), each with a few threads, all accepting
on one socket that this module binds itself — so a port in use is one Japanese line, not a
gunicorn retry loop. The app is loaded once before forking (`preload_app`); database
connections are closed before the fork so no two processes share one. SQLite copes with
several processes in WAL mode (`config.datadir`). Where gunicorn cannot run (Windows: no
fork), waitress serves with threads in one process. Whitenoise serves the static files from
the apps, so no collectstatic and no separate web server are needed on one's own machine.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

from keiei.errors import KeieiInputError
from keiei.extras import require

HOST = "127.0.0.1"
DEFAULT_THREADS = 4
MAX_DEFAULT_WORKERS = 4


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `serve` to the `keiei` sub-command parsers (argparse only: no Django here)."""
    parser: argparse.ArgumentParser = sub.add_parser(
        "serve",
        help="Web アプリを起動する（127.0.0.1）",
        description="Web アプリを 127.0.0.1 で起動します。初回はデータベースを作成してデモデータを読み込み、"
        "デモのログインを表示します。データは ./var（環境変数 KEIEI_DATA_DIR で変更）に保存します。"
        "DATABASE_URL を指定すると PostgreSQL を使います（デモデータは --demo を付けたときだけ読み込みます）。",
    )
    parser.add_argument("--port", type=int, default=8000, help="待ち受けるポート（既定: 8000）")
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        metavar="N",
        help="処理するプロセスの数（既定: CPU の数、最大 4）",
    )
    demo = parser.add_mutually_exclusive_group()
    demo.add_argument(
        "--demo",
        action="store_true",
        help="空のデータベースにデモデータを読み込む（既定では SQLite の既定のデータベースのときだけ読み込む）",
    )
    demo.add_argument("--no-demo", action="store_true", help="初回起動でもデモデータを読み込まない")
    parser.add_argument(
        "--no-worker",
        action="store_true",
        help="書類の作成などの作業を処理するプロセス（worker）を起動しない（別に python -m keiei_web.manage keiei_worker を動かすとき）",
    )
    parser.set_defaults(handler=command)


def command(args: argparse.Namespace) -> int:
    """The `keiei serve` handler: check the options, then the web extra, then serve."""
    if not 1 <= args.port <= 65535:
        raise KeieiInputError("--port", "1～65535 の番号を指定してください", f"port out of range: {args.port}")
    if args.workers is not None and not 1 <= args.workers <= 64:
        raise KeieiInputError("--workers", "1～64 の数を指定してください", f"workers out of range: {args.workers}")
    require("web")
    load_demo = True if args.demo else False if args.no_demo else None
    return run(args.port, load_demo=load_demo, workers=args.workers, task_worker=not args.no_worker)


def default_workers() -> int:
    return max(1, min(MAX_DEFAULT_WORKERS, os.cpu_count() or 1))


def setup(settings_module: str = "keiei_web.config.settings.local") -> None:
    """Configure Django for a command run outside a server (serve, audit, backup, restore).

    Checks the web extra first, so each of those commands says `keiei[web]` is missing in one
    line instead of failing on `import django`."""
    require("web")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module)
    import django

    django.setup()


def demo_by_default() -> bool:
    """Whether a first start loads the demo without being asked: only on the SQLite default.

    The demo accounts have a published password; a database named by DATABASE_URL is a real
    installation's (PostgreSQL), where they must never appear unless asked for with --demo.
    """
    import os

    from django.conf import settings

    return not os.environ.get("DATABASE_URL") and settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")


def prepare(load_demo: bool | None = None) -> bool:
    """Bring the database up to date; on first start load the demo (None: only on the SQLite
    default, see demo_by_default). True when the demo was loaded. Raises demo.DemoUsersPresent
    under production settings when a demo account exists."""
    from django.core.management import call_command

    from keiei_web import demo

    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)  # the `default` cache is a database table
    if load_demo is None:
        load_demo = demo_by_default()
    loaded = demo.load_if_empty() if load_demo else False
    demo.refuse_demo_users()
    return loaded


def banner(port: int, loaded: bool, out: TextIO) -> None:
    from django.conf import settings

    from keiei_web import demo

    db = settings.DATABASES["default"]
    where = (
        db["NAME"]
        if db["ENGINE"].endswith("sqlite3")
        else f"{db['ENGINE'].rsplit('.', 1)[-1]}: {db.get('HOST') or ''}/{db['NAME']}"
    )
    out.write(f"keiei を起動しました: http://{HOST}:{port}/  （終了は Ctrl+C）\n")
    out.write(f"データベース: {where}\n")
    if loaded:
        out.write(
            "初回起動のため、デモデータ（大阪府の協議会・認定支援機関2・事業者3・金融機関3・案件3件）を読み込みました。\n"
        )
    logins = demo.logins()
    if logins:
        from keiei.texttable import render_table

        out.write("デモのログイン（初期パスワード。ログイン後、画面右上の氏名から変更できます）:\n")
        rows = [[x.role, x.username, x.password, x.organisation, x.name] for x in logins]
        table = render_table(["役割", "ユーザー名", "パスワード", "所属", "氏名"], rows, [False] * 5)
        out.write("".join(f"  {line}\n" for line in table.splitlines()))
    out.flush()


def bind(port: int) -> socket.socket:
    """The listening socket on 127.0.0.1:port (OSError when the port cannot be used)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((HOST, port))
        sock.listen(2048)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def run(
    port: int,
    *,
    load_demo: bool | None = None,
    workers: int | None = None,
    threads: int = DEFAULT_THREADS,
    out: TextIO = sys.stdout,
    task_worker: bool = True,
) -> int:
    out.write("keiei: データベースを準備しています…\n")
    out.flush()
    setup()
    from keiei_web import demo

    try:
        loaded = prepare(load_demo)
    except demo.DemoUsersPresent as exc:
        sys.stderr.write(f"エラー: {exc.message_ja}\n")
        return 2
    from django.core.wsgi import get_wsgi_application
    from django.db import connections

    try:
        sock = bind(port)
    except OSError as exc:
        sys.stderr.write(
            f"エラー: --port: ポート {port} を使えません（{exc.strerror or exc}）。別の番号を指定してください\n"
        )
        return 2
    app = get_wsgi_application()
    banner(port, loaded, out)
    connections.close_all()  # no connection may cross the fork into the workers
    supervisor = TaskWorker() if task_worker else None
    if supervisor is not None:
        supervisor.start()
    try:
        try:
            import gunicorn  # noqa: F401
        except ImportError:
            return _serve_waitress(app, sock, threads * (workers or default_workers()), out)
        return _serve_gunicorn(app, sock, workers or default_workers(), threads, out)
    finally:
        if supervisor is not None:
            supervisor.stop()


_WORKER_MAIN = (
    "import signal; signal.signal(signal.SIGINT, signal.SIG_IGN); "
    "from keiei_web.manage import main; main(['manage', 'keiei_worker', '--nice', '10'])"
)


class TaskWorker:
    """The task worker (`keiei_worker`: document builds, re-checks) beside the web processes.

    Why a child process of `keiei serve`: the README's one command must still do everything on
    one machine with no other server; the queue is a table of the same database. A worker that
    dies (killed, out of memory) is started again after a second; its task is requeued when its
    lease expires (keiei_web.jobs.leases). Only the process that started it stops it: gunicorn's
    forked web workers inherit this object and must not.
    """

    def __init__(self) -> None:
        import subprocess
        import threading

        self._owner = os.getpid()
        self._stopping = threading.Event()
        self._proc: subprocess.Popen[bytes] | None = None
        self._thread = threading.Thread(target=self._supervise, name="keiei-task-worker", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _spawn(self) -> None:
        import subprocess

        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "keiei_web.config.settings.local"),
        }
        # Ctrl+C reaches the whole process group; the worker ignores it until its own handler
        # (a graceful stop) is set, so an interrupt while it is still starting prints no
        # traceback. `keiei serve` stops it with SIGTERM.
        self._proc = subprocess.Popen([sys.executable, "-c", _WORKER_MAIN], env=env)

    def _supervise(self) -> None:
        while not self._stopping.is_set():
            if self._proc is None or self._proc.poll() is not None:
                self._spawn()
            self._stopping.wait(1.0)

    def stop(self) -> None:
        if os.getpid() != self._owner:
            return
        self._stopping.set()
        self._thread.join(timeout=5)
        proc = self._proc
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except Exception:
                proc.kill()


def _serve_gunicorn(app: WSGIApplication, sock: socket.socket, workers: int, threads: int, out: TextIO) -> int:
    from gunicorn.app.base import BaseApplication

    options = {
        "bind": [f"fd://{sock.fileno()}"],
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "preload_app": True,
        "timeout": 300,  # building a document package takes seconds, not minutes
        "graceful_timeout": 5,
        "keepalive": 30,  # browsers keep a connection for a while between clicks
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "proc_name": "keiei",
    }

    class Server(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        # The stubs disagree: gunicorn's take the environ as a MutableMapping, typeshed's WSGI
        # type (and Django's handler) as a dict; gunicorn passes a dict at run time.
        def load(self) -> WSGIApplication:  # type: ignore[override]
            return app

    master = os.getpid()
    try:
        Server().run()
    except SystemExit as exc:  # the arbiter (and each forked worker) ends through sys.exit
        if os.getpid() != master:
            raise  # a worker leaving: let it exit as gunicorn intends
        code = exc.code if isinstance(exc.code, int) else 1
    except KeyboardInterrupt:
        code = 0
    else:
        code = 0
    if os.getpid() != master:
        os._exit(0)
    if code == 0:
        out.write("停止しました。\n")
    return code


def _serve_waitress(app: WSGIApplication, sock: socket.socket, threads: int, out: TextIO) -> int:
    from waitress.server import create_server

    server = create_server(app, sockets=[sock], threads=threads)
    try:
        server.run()
    except KeyboardInterrupt:
        out.write("停止しました。\n")
    finally:
        server.close()
    return 0
