#!/usr/bin/env bash
# A throwaway PostgreSQL for the tests and the bench: its own cluster in a temporary folder, on
# 127.0.0.1 at a non-default port, trust authentication (loopback only), never the machine's own server.
#
#   scripts/test-postgres.sh start     initialise (first time) and start; prints the URL
#   scripts/test-postgres.sh stop      stop it (the cluster stays for the next start)
#   scripts/test-postgres.sh restart   stop, then start (the fault tests use it)
#   scripts/test-postgres.sh destroy   stop it and delete the cluster
#   scripts/test-postgres.sh url       print the URL the tests use
#
# LUPA_TEST_POSTGRES_PORT (54329) and LUPA_TEST_POSTGRES_DIR (/tmp/lupa-test-postgres) override the
# defaults; the tests read the same two variables.
set -euo pipefail

port="${LUPA_TEST_POSTGRES_PORT:-54329}"
dir="${LUPA_TEST_POSTGRES_DIR:-/tmp/lupa-test-postgres}"
url="postgres://postgres@127.0.0.1:${port}/postgres"

find_bindir() {
  for candidate in /usr/lib/postgresql/*/bin; do
    if [ -x "$candidate/pg_ctl" ]; then
      echo "$candidate"
      return
    fi
  done
  if command -v pg_ctl >/dev/null; then
    dirname "$(command -v pg_ctl)"
    return
  fi
  echo "test-postgres: no PostgreSQL server binaries (install Debian's postgresql-15)" >&2
  exit 1
}

# PostgreSQL refuses to run as root; CI runs as root, so the cluster belongs to the postgres user.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

bindir="$(find_bindir)"

start() {
  if [ ! -f "$dir/PG_VERSION" ]; then
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres: "$dir"
    chmod 700 "$dir"
    as_owner "$bindir/initdb" --pgdata="$dir" --username=postgres --auth=trust --encoding=UTF8 \
      --locale=C.UTF-8 >/dev/null
  fi
  if as_owner "$bindir/pg_ctl" status --pgdata="$dir" >/dev/null 2>&1; then
    echo "$url"
    return
  fi
  as_owner "$bindir/pg_ctl" start --pgdata="$dir" --wait --silent --log="$dir/server.log" \
    --options="-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c max_connections=300"
  echo "$url"
}

stop() {
  if [ -f "$dir/PG_VERSION" ]; then
    as_owner "$bindir/pg_ctl" stop --pgdata="$dir" --mode=fast --wait --silent 2>/dev/null || true
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  restart)
    stop
    start
    ;;
  destroy)
    stop
    rm -rf "$dir"
    ;;
  url) echo "$url" ;;
  *)
    sed -n '2,13p' "$0"
    exit 2
    ;;
esac
