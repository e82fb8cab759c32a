#!/usr/bin/env bash
# The test command: set up with the test tools, then lint, type-check and run the tests.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh dev
echo "== ruff =="
.venv/bin/ruff check src tests
echo "== mypy (strict, core) =="
.venv/bin/mypy
echo "== pytest =="
.venv/bin/pytest "$@"
