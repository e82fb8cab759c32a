#!/usr/bin/env bash
# The test command: set up with the test tools, then lint, type-check, check the import
# contracts and run the tests, first on SQLite, then the database tests again on a throw-away
# local PostgreSQL.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh dev
echo "== ruff =="
.venv/bin/ruff check src tests
echo "== mypy (strict, core) =="
.venv/bin/mypy
echo "== import contracts (pyproject.toml [tool.importlinter]) =="
.venv/bin/lint-imports --no-cache --no-logo
echo "== pytest (SQLite) =="
.venv/bin/pytest "$@"
if [ -d tests/web ] && [ -z "${KEIEI_SKIP_POSTGRES:-}" ]; then
  echo "== pytest (PostgreSQL: database tests) =="
  bash scripts/with-postgres.sh .venv/bin/pytest tests/web -q -p no:cacheprovider
fi
