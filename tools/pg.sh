#!/usr/bin/env bash
# Start (or stop) a throwaway PostgreSQL server for the tests and write .pg/env with its DSN.
# Installs PostgreSQL from Debian's packages when it is missing (CI runs as root on a fresh machine).
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${JINCAI_PG_PORT:-55432}"
DATA="${JINCAI_PG_DATA:-/tmp/jincai-pg-$PORT}"
mkdir -p .pg

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

as_pg() {  # postgres refuses to run as root
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-start}" in
start)
  BIN="$(find_bin)"
  if [ -z "$BIN" ]; then
    if [ "$(id -u)" != 0 ]; then
      echo "PostgreSQL 未安装且非 root，无法安装 / PostgreSQL is missing and we are not root" >&2; exit 1
    fi
    echo "安装 PostgreSQL / installing PostgreSQL from Debian packages" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    BIN="$(find_bin)"
  fi
  if [ ! -s "$DATA/PG_VERSION" ]; then
    rm -rf "$DATA"; mkdir -p "$DATA"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$DATA"
    as_pg "$BIN/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if ! as_pg "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
    as_pg "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w -t 60 \
      -o "-p $PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off" start >/dev/null
  fi
  echo "export JINCAI_PG_DSN=postgresql://postgres@127.0.0.1:$PORT/postgres" > .pg/env
  echo "PostgreSQL 已启动 / running on 127.0.0.1:$PORT ($BIN)" >&2
  ;;
stop)
  BIN="$(find_bin)"
  [ -n "$BIN" ] && as_pg "$BIN/pg_ctl" -D "$DATA" -m fast stop >/dev/null 2>&1 || true
  rm -f .pg/env
  ;;
esac
