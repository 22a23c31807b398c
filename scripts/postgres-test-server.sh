#!/usr/bin/env bash
# Starts (or stops) a throwaway PostgreSQL server for the test suite, from Debian's package
# (installed if absent), in a temporary directory on 127.0.0.1. Prints the admin URL on start.
#   scripts/postgres-test-server.sh start <dir> <port> [durable]
#   scripts/postgres-test-server.sh stop <dir>
set -euo pipefail

action=${1:?start|stop}
dir=${2:?data directory}
port=${3:-55432}
durable=${4:-}

pg_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1
}

if [ "$(id -u)" = 0 ]; then run=(runuser -u postgres --); owner=postgres; else run=(); owner=$(id -un); fi

case "$action" in
  start)
    if [ -z "$(pg_bin)" ]; then
      echo "PostgreSQL not found: installing Debian's postgresql package" >&2
      if [ "$(id -u)" = 0 ]; then apt_get=(apt-get); else apt_get=(sudo apt-get); fi
      "${apt_get[@]}" update -qq >&2 && DEBIAN_FRONTEND=noninteractive "${apt_get[@]}" install -y -qq postgresql >&2
    fi
    bin=$(pg_bin)
    mkdir -p "$dir/socket"
    chown -R "$owner" "$dir"
    [ -s "$dir/data/PG_VERSION" ] || "${run[@]}" "$bin/initdb" -D "$dir/data" -U app -A trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1
    # Durability off for speed (a test server, thrown away after the run) unless a test crashes the
    # server on purpose and needs committed rows to survive.
    speed="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    [ "$durable" = durable ] && speed=""
    "${run[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
      -o "-p $port -k $dir/socket -c listen_addresses=127.0.0.1 $speed -c max_connections=300" \
      start >&2
    echo "postgresql://app@127.0.0.1:$port/postgres"
    ;;
  stop)
    bin=$(pg_bin)
    [ -d "$dir/data" ] && "${run[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
    ;;
  *)
    echo "usage: $0 start|stop <dir> [port]" >&2
    exit 2
    ;;
esac
