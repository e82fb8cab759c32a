#!/usr/bin/env bash
# The main job: set up, then walk through keiei on the shipped demo data.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/setup.sh"
exec "$root/.venv/bin/keiei" demo "$@"
