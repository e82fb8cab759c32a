"""The `keiei` command: a thin layer over the core.

Each sub-command lives in its own module with `register(subparsers)`; this module only wires
them together and turns input errors into one Japanese line and exit status 2 (English in the
log), and a missing extra (`keiei[documents]`, `keiei[web]`) into one line and exit status 3,
so no user ever sees a traceback.

`serve` lives with the web app (`keiei_web.server.register`); the parser reaches it through
importlib when it is built, never when this package is imported. That module imports only the
standard library and the core at import time, so `keiei --help` and every core sub-command work
where the web extra is not installed.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from keiei import __version__
from keiei.errors import KeieiInputError
from keiei.extras import EXIT_MISSING_EXTRA, MissingExtra, extra_providing

log = logging.getLogger("keiei")

EXIT_INPUT = 2
#: Where `keiei serve` lives (imported by name so the web is never a static import of the CLI).
WEB_SERVE_MODULE = "keiei_web.server"


class JapaneseArgumentParser(argparse.ArgumentParser):
    """argparse with one-line Japanese errors and exit status 2."""

    def error(self, message: str) -> NoReturn:
        log.info("usage error in %s: %s", self.prog, message)
        sys.stderr.write(f"エラー: {self.prog}: {_translate_argparse(message)}\n")
        sys.exit(EXIT_INPUT)


def _translate_argparse(message: str) -> str:
    """Put argparse's English usage errors into Japanese, keeping the names it quotes."""
    table = [
        ("the following arguments are required: ", "次の指定が必要です: "),
        ("unrecognized arguments: ", "認識できない指定です: "),
        ("invalid choice: ", "選べない値です: "),
        ("expected one argument", "値を1つ指定してください"),
        ("(choose from ", "（選べる値: "),
    ]
    for en, ja in table:
        message = message.replace(en, ja)
    return message.replace("')", "'）") if "（選べる値" in message else message


def build_parser() -> argparse.ArgumentParser:
    from keiei.cli import (
        actuals_cmd,
        advise_cmd,
        audit_cmd,
        backup_cmd,
        case_cmd,
        councils_cmd,
        demo_cmd,
        monitor_cmd,
        plan_cmd,
        remind_cmd,
        rules_cmd,
        subsidy_cmd,
    )

    serve_cmd = importlib.import_module(WEB_SERVE_MODULE)

    parser = JapaneseArgumentParser(
        prog="keiei",
        description="経営改善計画策定支援（早期・405事業）のための道具",
    )
    parser.add_argument("--version", action="version", version=f"keiei {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=JapaneseArgumentParser)
    commands = (
        rules_cmd,
        subsidy_cmd,
        councils_cmd,
        advise_cmd,
        plan_cmd,
        case_cmd,
        actuals_cmd,
        monitor_cmd,
        demo_cmd,
        serve_cmd,
        audit_cmd,
        backup_cmd,
        remind_cmd,
    )
    for module in commands:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # English log lines go to stderr only when asked (KEIEI_LOG=INFO|DEBUG), so a user sees
    # exactly one Japanese line per error.
    level = os.environ.get("KEIEI_LOG", "WARNING").upper()
    logging.basicConfig(level=getattr(logging, level, logging.WARNING), format="%(levelname)s %(name)s: %(message)s")
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # usage errors and --help: return the status instead of exiting
        return exc.code if isinstance(exc.code, int) else EXIT_INPUT
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return EXIT_INPUT
    try:
        code: int = handler(args)
    except KeieiInputError as exc:
        log.info("input error: %s: %s", exc.field, exc.message_en)
        sys.stderr.write(exc.user_line() + "\n")
        return EXIT_INPUT
    except MissingExtra as exc:
        return _missing_extra(exc)
    except KeyboardInterrupt:
        sys.stderr.write("中断しました。\n")
        return 130
    except BrokenPipeError:
        return 0
    except ModuleNotFoundError as exc:
        # A sub-command that forgot to call keiei.extras.require still names the extra.
        extra = extra_providing(exc.name)
        if extra is not None:
            return _missing_extra(MissingExtra(extra, exc.name or ""))
        return _unexpected(exc)
    except Exception as exc:  # last resort: a user never sees a traceback
        return _unexpected(exc)
    return code


def _missing_extra(exc: MissingExtra) -> int:
    log.info("missing extra: %s", exc)
    sys.stderr.write(exc.user_line() + "\n")
    return EXIT_MISSING_EXTRA


def _unexpected(exc: Exception) -> int:
    log.debug("unexpected error", exc_info=True)
    sys.stderr.write(
        f"エラー: 予期しない内部エラーです（{type(exc).__name__}: {exc}）。"
        "KEIEI_LOG=DEBUG を付けて再実行すると詳細が表示されます\n"
    )
    return 1
