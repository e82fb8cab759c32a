#!/usr/bin/env bash
# The test command: set up with the test tools, then lint, type-check, check the import
# contracts and run the tests, first on SQLite, then the database tests again on a throw-away
# local PostgreSQL.
# pytest runs on every core (pytest-xdist, one test file per worker so module and session
# fixtures are built once per file); KEIEI_TEST_WORKERS=N sets the number of workers,
# KEIEI_TEST_WORKERS=0 runs in one process (easier to debug). See docs/testing.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh dev
echo "== ruff =="
.venv/bin/ruff check src tests
echo "== mypy (strict, src: core and web, django-stubs) =="
.venv/bin/mypy
echo "== import contracts (pyproject.toml [tool.importlinter]) =="
.venv/bin/lint-imports --no-cache --no-logo
workers="${KEIEI_TEST_WORKERS:-auto}"
parallel=()
if [ "$workers" != "0" ]; then
  parallel=(-n "$workers" --dist loadfile)
fi
echo "== pytest (SQLite, workers: $workers) =="
.venv/bin/pytest "${parallel[@]}" "$@"
if [ -d tests/web ] && [ -z "${KEIEI_SKIP_POSTGRES:-}" ]; then
  # Each worker gets its own test database on the one cluster (pytest-django: test_keiei_gw0, …).
  echo "== pytest (PostgreSQL: database tests, workers: $workers) =="
  bash scripts/with-postgres.sh .venv/bin/pytest "${parallel[@]}" tests/web -q -p no:cacheprovider
fi
