"""Fixtures for every CLI test (helpers to call: tests/cli/helpers.py)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _quiet_log(monkeypatch: pytest.MonkeyPatch) -> None:
    """English log lines go to stderr only when KEIEI_LOG asks; keep them off for these tests."""
    monkeypatch.delenv("KEIEI_LOG", raising=False)
