"""`keiei demo`: not written yet."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser("demo", help="(準備中)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    print("準備中です。")
    return 0
