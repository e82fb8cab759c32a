#!/usr/bin/env bash
# Shared set-up for scripts/run.sh and scripts/test.sh: system packages, then a virtual
# environment at .venv with keiei installed. Safe to run again: it only does what is missing.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
extras="${1:-}"   # "dev" installs the test tools too; without it, everything `keiei serve` needs

# 1. Python 3.11 or newer.
py="${PYTHON:-python3}"
if ! command -v "$py" >/dev/null 2>&1; then
  echo "keiei: Python 3.11 以上が見つかりません / python3 (3.11+) not found. Debian: apt-get install -y python3 python3-venv" >&2
  exit 1
fi
if ! "$py" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
  echo "keiei: Python 3.11 以上が必要です / Python 3.11+ is required (found $("$py" --version 2>&1))" >&2
  exit 1
fi

# 2. Debian packages.
missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  while read -r pkg; do
    [ -z "$pkg" ] && continue
    case "$pkg" in \#*) continue ;; esac
    # python3-venv is only needed when this Python cannot make a venv with pip by itself.
    if [ "$pkg" = "python3-venv" ] && "$py" -c 'import ensurepip, venv' >/dev/null 2>&1; then
      continue
    fi
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$pkg")
    fi
  done < <(cat scripts/system-packages.txt; [ "$extras" = "dev" ] && cat scripts/system-packages-dev.txt)
fi
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = "0" ]; then
    echo "keiei: installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "keiei: 次の Debian パッケージが必要です / these Debian packages are needed:" >&2
    echo "  sudo apt-get install -y ${missing[*]}" >&2
    echo "root で実行すると自動でインストールします / run as root to install them automatically." >&2
    exit 1
  fi
fi

# 3. The virtual environment at .venv, reinstalled only when pyproject.toml changes.
if [ ! -x .venv/bin/python ]; then
  "$py" -m venv .venv
fi
# The core alone (`pip install .`) has no documents or web app: run installs the web extra
# (which includes the documents), test installs dev (web + the test tools).
spec=".[web]"
[ "$extras" = "dev" ] && spec=".[dev]"
stamp=".venv/.keiei-installed-${extras:-run}"
want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  # (grep drops pip's warnings about local index folders some machines configure)
  .venv/bin/python -m pip install -q --upgrade pip 2> >(grep -v "is ignored" >&2) >/dev/null
  .venv/bin/python -m pip install -q -e "$spec" 2> >(grep -v "is ignored" >&2)
  echo "$want" > "$stamp"
fi
