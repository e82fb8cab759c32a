"""`keiei serve`: the web app on 127.0.0.1 (gunicorn workers), with demo data on first start.

Django is imported only inside `run` (through importlib, so mypy does not follow it either):
the core stays free of the web framework, and every other sub-command starts fast.
"""

from __future__ import annotations

import argparse
import importlib
from typing import Any

from keiei.errors import KeieiInputError


def register(sub: Any) -> None:
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
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if not 1 <= args.port <= 65535:
        raise KeieiInputError("--port", "1～65535 の番号を指定してください", f"port out of range: {args.port}")
    if args.workers is not None and not 1 <= args.workers <= 64:
        raise KeieiInputError("--workers", "1～64 の数を指定してください", f"workers out of range: {args.workers}")
    server = importlib.import_module("keiei_web.server")
    load_demo = True if args.demo else False if args.no_demo else None
    code: int = server.run(args.port, load_demo=load_demo, workers=args.workers)
    return code
