#!/usr/bin/env bash
# The main job: set up, then serve the web app on 127.0.0.1 with the shipped demo data (SQLite
# in ./var; the demo logins are printed; Ctrl+C stops it). Options go to `keiei serve`
# (e.g. --port 8001). `.venv/bin/keiei demo` walks through the command line instead.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/setup.sh"
exec "$root/.venv/bin/keiei" serve "$@"
