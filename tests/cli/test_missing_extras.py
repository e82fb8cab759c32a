"""The `keiei` command where an extra is not installed: the core works, the rest is one line.

No package is uninstalled: each run is a fresh Python process whose first meta path finder
refuses every module of the extras (as `pip install keiei` without extras would leave them),
then calls `keiei.cli.main`. A fresh process, because the test process has usually imported
matplotlib or Django already, and blocking a module that is already imported proves nothing.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from keiei.extras import EXIT_MISSING_EXTRA, EXTRAS

ROOT = Path(__file__).resolve().parents[2]
PLAN = str(ROOT / "examples" / "405-manufacturer.yaml")

#: Every module an extra installs, the server choices and the PostgreSQL driver included.
WEB_ONLY = ("gunicorn", "waitress", "psycopg")
DOCUMENTS = tuple(EXTRAS["documents"].values())
ALL_EXTRAS = tuple(sorted({*EXTRAS["web"].values(), *WEB_ONLY}))

RUNNER = """
import importlib.abc, os, sys

class Refuse(importlib.abc.MetaPathFinder):
    def __init__(self, names):
        self.names = names

    def find_spec(self, name, path=None, target=None):
        if name.split(".", 1)[0] in self.names:
            raise ModuleNotFoundError(f"No module named {name!r} (refused by the test)", name=name)
        return None

sys.meta_path.insert(0, Refuse(set(sys.argv[1].split(","))))
if os.environ.get("KEIEI_TEST_SKIP_REQUIRE"):  # a sub-command that forgot keiei.extras.require
    import keiei.cli.plan_build
    keiei.cli.plan_build.require = lambda extra: None
if sys.argv[2] == "--import-core":
    import pkgutil, keiei
    core = [m.name for m in pkgutil.walk_packages(keiei.__path__, "keiei.") if not m.name.startswith("keiei.documents")]
    for name in core:
        __import__(name)
    print(len(core), sorted(set(sys.argv[1].split(",")) & {m.split(".")[0] for m in sys.modules}))
    sys.exit(0)
from keiei.cli import main
sys.exit(main(sys.argv[2:]))
"""


def keiei_without(blocked: tuple[str, ...], *argv: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", RUNNER, ",".join(blocked), *argv],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **env},
        timeout=120,
    )


def test_every_core_module_imports_without_any_extra() -> None:
    """The core and the CLI (every module of `keiei` but the documents, new ones included)."""
    result = keiei_without(ALL_EXTRAS, "--import-core")
    assert result.returncode == 0, result.stderr
    count, loaded = result.stdout.split(" ", 1)
    assert int(count) > 20 and loaded.strip() == "[]"


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["subsidy", "--program", "405", "--fee", "plan=3300000", "--date", "2026-04-01"],
        ["rules", "show", "--program", "early", "--date", "2026-04-01"],
        ["councils", "find", "683-0823"],
        ["plan", "check", PLAN],
        ["plan", "check", PLAN, "--json"],
    ],
)
def test_the_core_sub_commands_work_without_any_extra(argv: list[str]) -> None:
    result = keiei_without(ALL_EXTRAS, *argv)
    assert result.returncode == 0, result.stderr
    assert result.stdout and not result.stderr


def test_help_still_lists_the_commands_of_the_extras() -> None:
    out = keiei_without(ALL_EXTRAS, "--help").stdout
    for command in ("plan", "serve", "audit", "backup", "restore"):
        assert f"    {command} " in out


def test_plan_build_without_the_documents_names_the_extra(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = keiei_without(DOCUMENTS, "plan", "build", PLAN, "-o", str(out))
    assert result.returncode == EXIT_MISSING_EXTRA == 3
    assert result.stderr == "keiei[documents] が入っていません: pip install 'keiei[documents]'\n"
    assert result.stdout == "" and not out.exists()  # refused before anything was read or written


def test_a_sub_command_that_forgets_to_ask_still_names_the_extra(tmp_path: Path) -> None:
    """The CLI's last resort: a ModuleNotFoundError for an extra's module becomes the same line."""
    result = keiei_without(DOCUMENTS, "plan", "build", PLAN, "-o", str(tmp_path / "out"), KEIEI_TEST_SKIP_REQUIRE="1")
    assert result.returncode == 3
    assert result.stderr == "keiei[documents] が入っていません: pip install 'keiei[documents]'\n"


@pytest.mark.parametrize(
    "argv",
    [
        ["serve", "--port", "8765"],
        ["audit", "verify"],
        ["backup", "keiei-backup.tar.gz"],
        ["restore", "keiei-backup.tar.gz"],
    ],
)
def test_the_web_commands_without_the_web_name_the_extra(argv: list[str], tmp_path: Path) -> None:
    result = keiei_without(ALL_EXTRAS, *argv, KEIEI_DATA_DIR=str(tmp_path / "var"))
    assert result.returncode == 3, result.stderr
    assert result.stderr == "keiei[web] が入っていません: pip install 'keiei[web]'\n"
    assert not (tmp_path / "var").exists() and not (ROOT / "keiei-backup.tar.gz").exists()


def test_serve_without_only_the_documents_names_the_web_extra() -> None:
    """`keiei[web]` includes the documents, so the web extra is the one to install."""
    result = keiei_without(DOCUMENTS, "serve", "--port", "8765")
    assert (result.returncode, result.stderr) == (3, "keiei[web] が入っていません: pip install 'keiei[web]'\n")


def test_bad_options_are_still_input_errors_without_the_web() -> None:
    result = keiei_without(ALL_EXTRAS, "serve", "--port", "70000")
    assert result.returncode == 2 and result.stderr.startswith("エラー: --port:")
