"""Layering inside the core: `keiei.plan` (the plan file and its model) imports nothing from
`keiei.finance` (the engine, which reads the plan).

Why a test: the two packages used to import each other, the plan checks reaching into the
engine through imports placed inside functions to dodge the cycle. The checks now live in
`keiei.finance.validate`; this test reads every module of `keiei.plan` with `ast` (so an import
inside a function, under `if TYPE_CHECKING:` or relative, counts as much as one at the top) and
fails naming the file and line if the dependency comes back.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PLAN = SRC / "keiei" / "plan"
FORBIDDEN = "keiei.finance"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_in(source: str, package: str) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in `source`, a module of `package`;
    relative imports are resolved against `package`."""
    out: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            out.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            out.append((node.lineno, module))
            # `from keiei import finance` names the package in the alias, not in the module
            out.extend((node.lineno, f"{module}.{alias.name}") for alias in node.names)
    return out


def _is_forbidden(module: str) -> bool:
    return module == FORBIDDEN or module.startswith(FORBIDDEN + ".")


PLAN_MODULES = sorted(PLAN.rglob("*.py"))


def test_the_plan_package_is_where_this_test_looks() -> None:
    assert (PLAN / "__init__.py").is_file()
    assert len(PLAN_MODULES) >= 5


@pytest.mark.parametrize("path", PLAN_MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_keiei_plan_imports_nothing_from_keiei_finance(path: Path) -> None:
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = imports_in(path.read_text(encoding="utf-8"), package)
    first = {line: module for line, module in reversed(found) if _is_forbidden(module)}  # one per line
    bad = [f"{path.relative_to(SRC)}:{line}: {module}" for line, module in sorted(first.items())]
    assert not bad, "keiei.plan must not import keiei.finance (put such code in keiei.finance):\n" + "\n".join(bad)


def test_the_check_sees_every_kind_of_import() -> None:
    """The reader itself: top level, `from keiei import`, under TYPE_CHECKING, in a function,
    relative; an import of keiei.plan is not flagged."""
    source = (
        "import keiei.finance\n"
        "from keiei import finance\n"
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from keiei.finance.projection import Projection\n"
        "def f():\n"
        "    from ..finance import cash\n"
        "from keiei.plan import model\n"
        "from . import periods\n"
    )
    found = imports_in(source, "keiei.plan")
    assert sorted({line for line, module in found if _is_forbidden(module)}) == [1, 2, 5, 7]
    assert (9, "keiei.plan.periods") in found
