#!/usr/bin/env bash
# Run a command with DATABASE_URL pointing at a throw-away local PostgreSQL cluster.
# The cluster lives in a temporary folder, listens only on a Unix socket and 127.0.0.1, and is
# stopped and removed afterwards. As root, the server runs as the `postgres` user (initdb
# refuses root); otherwise as the current user.
set -euo pipefail
bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "keiei: PostgreSQL が見つかりません / PostgreSQL server not found: apt-get install -y postgresql" >&2
  exit 1
fi
dir="$(mktemp -d /tmp/keiei-pg.XXXXXX)"
# A free port, so a second run (or another PostgreSQL) on this machine does not collide.
port="${KEIEI_PG_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
as=()
if [ "$(id -u)" = "0" ]; then
  chown postgres: "$dir"
  as=(runuser -u postgres --)
fi
cleanup() {
  "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
"${as[@]}" "$bin/initdb" -D "$dir/data" -U keiei --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
if ! "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null; then
  echo "keiei: PostgreSQL を起動できませんでした / could not start PostgreSQL:" >&2
  cat "$dir/log" >&2 || true
  exit 1
fi
"${as[@]}" "$bin/createdb" -h 127.0.0.1 -p "$port" -U keiei keiei
export DATABASE_URL="postgresql://keiei@127.0.0.1:$port/keiei"
"$@"
