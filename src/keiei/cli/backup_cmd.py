"""`keiei backup FILE` and `keiei restore FILE`: the installation (database and data folder) in one file.

Django is imported only when the command runs (through importlib), as for `keiei serve`; the
work is done by keiei_web.backup. The settings are those `keiei serve` uses (the data folder
`KEIEI_DATA_DIR` or ./var, the database `DATABASE_URL` or SQLite there).
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    backup: argparse.ArgumentParser = sub.add_parser(
        "backup",
        help="データベースとデータフォルダを1つのファイルにバックアップする",
        description="データベース（SQLite または DATABASE_URL の PostgreSQL）の全レコードと、データフォルダ"
        "（作成済みの書類など）を1つのファイル（tar.gz、所有者のみ読める）に書き出します。",
    )
    backup.add_argument("file", type=Path, help="書き出すファイル（例: keiei-backup-20261205.tar.gz）")
    backup.add_argument("--json", action="store_true", help="結果を JSON で出力する")
    backup.set_defaults(handler=run_backup)
    restore: argparse.ArgumentParser = sub.add_parser(
        "restore",
        help="バックアップファイルを空のデータフォルダとデータベースに復元する",
        description="keiei backup のファイルを、空のデータフォルダと空のデータベースに復元します。"
        "復元後、計画の各版の SHA-256 が内容と一致することを確かめ、復元した件数を表示します。",
    )
    restore.add_argument("file", type=Path, help="keiei backup で作ったファイル")
    restore.add_argument(
        "--allow-mismatch",
        action="store_true",
        help="計画の版の SHA-256 が一致しなくても復元する（一致しない版は表示する）",
    )
    restore.add_argument("--json", action="store_true", help="結果を JSON で出力する")
    restore.set_defaults(handler=run_restore)


def _web() -> Any:
    server = importlib.import_module("keiei_web.server")
    server.setup()
    return importlib.import_module("keiei_web.backup")


def _data_dir() -> Path:
    datadir = importlib.import_module("keiei_web.config.datadir")
    path: Path = datadir.ensure_data_dir()
    return path


def _finish(report: Any, title: str, as_json: bool) -> int:
    if as_json:
        sys.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(title + "\n" + "".join(f"  {line}\n" for line in report.lines()))
    return 1 if report.version_mismatches or report.audit_problems else 0


def run_backup(args: argparse.Namespace) -> int:
    web = _web()
    try:
        report = web.backup(args.file, _data_dir())
    except web.BackupError as exc:
        sys.stderr.write(f"エラー: {exc.message_ja}\n")
        return 2
    return _finish(report, f"バックアップを書き出しました: {args.file}", args.json)


def run_restore(args: argparse.Namespace) -> int:
    web = _web()
    try:
        report = web.restore(args.file, _data_dir(), allow_mismatch=args.allow_mismatch)
    except web.BackupError as exc:
        sys.stderr.write(f"エラー: {exc.message_ja}\n")
        return 2
    return _finish(report, f"復元しました: {args.file}", args.json)
