"""The optional parts of keiei (pip extras) and the one line a user sees when one is missing.

Why extras: the core (rules, subsidy, councils, advisor, plan checks) needs four small
libraries, while the documents (Excel/PDF: Typst, matplotlib, …) and the web app
(Django, gunicorn, PostgreSQL driver, …) pull in much more. `pip install keiei` gives the core
and the `keiei` command; `keiei[documents]` adds `plan build`; `keiei[web]` (which includes
the documents) adds `serve`, `audit`, `backup` and `restore`.

A sub-command that needs an extra calls `require(extra)` before importing it, so a missing
extra is one Japanese line naming the install command and exit status 3 (`EXIT_MISSING_EXTRA`),
never an ImportError traceback. `extra_providing` maps a module an ImportError names back to its
extra, for the CLI's last-resort handler.

`EXTRAS` names each extra's distributions (as pyproject.toml lists them) and the module each
provides; tests/test_extras.py checks the two agree.
"""

from __future__ import annotations

import importlib.util

EXIT_MISSING_EXTRA = 3

#: extra -> {distribution name as in pyproject.toml: top-level module it provides}. Only what
#: the code imports to run; the server choices (gunicorn, waitress) and the PostgreSQL driver are
#: installed by `keiei[web]` but looked for when used (keiei_web.server, DATABASE_URL).
_DOCUMENTS = {
    "typst": "typst",
    "pypdf": "pypdf",
    "matplotlib": "matplotlib",
    "XlsxWriter": "xlsxwriter",
    "MarkupSafe": "markupsafe",
}
EXTRAS: dict[str, dict[str, str]] = {
    "documents": _DOCUMENTS,
    "web": {
        **_DOCUMENTS,
        "Django": "django",
        "dj-database-url": "dj_database_url",
        "whitenoise": "whitenoise",
        "django-axes": "axes",
    },
}


class MissingExtra(Exception):
    """A sub-command needs an extra that is not installed."""

    def __init__(self, extra: str, module: str) -> None:
        super().__init__(f"keiei[{extra}] is not installed (no module {module!r})")
        self.extra = extra
        self.module = module

    def user_line(self) -> str:
        return f"keiei[{self.extra}] が入っていません: pip install 'keiei[{self.extra}]'"


def _importable(module: str) -> bool:
    """Whether `module` can be imported, without importing it (importing matplotlib or Django
    takes a second; the sub-command imports them itself right after)."""
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):  # a finder that refuses the name; a half-imported module
        return False


def missing_module(extra: str) -> str | None:
    """The first module of `extra` that cannot be imported, or None when all can."""
    for module in EXTRAS[extra].values():
        if not _importable(module):
            return module
    return None


def require(extra: str) -> None:
    """Raise MissingExtra naming `extra` unless every module it provides can be imported."""
    module = missing_module(extra)
    if module is not None:
        raise MissingExtra(extra, module)


def extra_providing(module: str | None) -> str | None:
    """The smallest extra that provides the top-level package of `module`, or None."""
    if not module:
        return None
    top = module.split(".", 1)[0]
    for extra in sorted(EXTRAS, key=lambda name: len(EXTRAS[name])):
        if top in EXTRAS[extra].values():
            return extra
    return None
