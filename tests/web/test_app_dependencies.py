"""The direction between the web apps: `keiei_web.plans` depends on `keiei_web.cases`, never the
reverse (the case workflow reaches plans through `keiei_web.cases.planport`, registered by
`PlansConfig.ready`). Read from the source with `ast`, so every import counts: module level,
inside functions and under `TYPE_CHECKING` alike."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import keiei_web

WEB = Path(keiei_web.__file__).resolve().parent


def package_of(path: Path) -> str:
    return ".".join(path.relative_to(WEB.parent).with_suffix("").parts[:-1])


def imported_modules(path: Path, package: str) -> Iterator[tuple[int, str]]:
    """(line, absolute module name) of every import in the file, relative ones resolved."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            yield node.lineno, module
            for alias in node.names:  # `from keiei_web import plans`
                yield node.lineno, f"{module}.{alias.name}"


def imports_of(app: str, target: str) -> list[str]:
    found = []
    for path in sorted((WEB / app).rglob("*.py")):
        for line, module in imported_modules(path, package_of(path)):
            if module == target or module.startswith(target + "."):
                found.append(f"{path.relative_to(WEB.parent)}:{line}: {module}")
    return found


def test_cases_never_imports_plans() -> None:
    assert imports_of("cases", "keiei_web.plans") == []


def test_plans_depends_on_cases() -> None:
    """The chosen direction holds (and the check above is not vacuous)."""
    assert imports_of("plans", "keiei_web.cases")


def test_relative_and_nested_imports_are_seen(tmp_path: Path) -> None:
    path = tmp_path / "x.py"
    path.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from ..plans import models\n"
        "def f():\n    import keiei_web.plans.panel\n",
        encoding="utf-8",
    )
    modules = {m for _line, m in imported_modules(path, "keiei_web.cases")}
    assert {"keiei_web.plans", "keiei_web.plans.models", "keiei_web.plans.panel"} <= modules
