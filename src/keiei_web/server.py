"""`keiei serve`: migrate, load the demo on first start, print the logins, serve with waitress.

Split so tests can call `prepare()` (migrate + demo) without starting a server. Waitress
(threads, pure Python) serves the WSGI app; whitenoise serves the static files from the apps,
so no collectstatic and no separate web server are needed on one's own machine.
"""

from __future__ import annotations

import os
import sys
from typing import TextIO

HOST = "127.0.0.1"
DEFAULT_THREADS = 8


def setup(settings_module: str = "keiei_web.config.settings.local") -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module)
    import django

    django.setup()


def prepare(load_demo: bool = True) -> bool:
    """Bring the database up to date; on first start load the demo. True when the demo was loaded."""
    from django.core.management import call_command

    from keiei_web import demo

    call_command("migrate", interactive=False, verbosity=0)
    return demo.load_if_empty() if load_demo else False


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
        from keiei.cli.table import render_table

        out.write("デモのログイン（初期パスワード。ログイン後、画面右上の氏名から変更できます）:\n")
        rows = [[x.role, x.username, x.password, x.organisation, x.name] for x in logins]
        table = render_table(["役割", "ユーザー名", "パスワード", "所属", "氏名"], rows, [False] * 5)
        out.write("".join(f"  {line}\n" for line in table.splitlines()))
    out.flush()


def run(port: int, *, load_demo: bool = True, threads: int = DEFAULT_THREADS, out: TextIO = sys.stdout) -> int:
    out.write("keiei: データベースを準備しています…\n")
    out.flush()
    setup()
    loaded = prepare(load_demo)
    from django.core.wsgi import get_wsgi_application
    from waitress.server import create_server

    try:
        server = create_server(get_wsgi_application(), host=HOST, port=port, threads=threads)
    except OSError as exc:
        sys.stderr.write(
            f"エラー: --port: ポート {port} を使えません（{exc.strerror or exc}）。別の番号を指定してください\n"
        )
        return 2
    banner(port, loaded, out)
    try:
        server.run()
    except KeyboardInterrupt:
        out.write("停止しました。\n")
    finally:
        server.close()
    return 0
