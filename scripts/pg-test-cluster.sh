#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and CI: Debian's postgresql binaries, a private data
# directory, a unix socket in that directory (no TCP port, so no clash with anything running).
#
#   scripts/pg-test-cluster.sh start   # prints `export IMR_TEST_PG_URL=...`; eval it
#   scripts/pg-test-cluster.sh stop    # stops the server and deletes the directory
#   scripts/pg-test-cluster.sh url     # prints the URL of the running cluster
#
# The directory is $IMR_PG_DIR (default /tmp/imr-pg-test); the URL is also written to
# $IMR_PG_DIR/url. initdb refuses to run as root, so as root the server runs as the `postgres`
# user (created by the Debian package).
set -euo pipefail

dir="${IMR_PG_DIR:-/tmp/imr-pg-test}"
bindir="${PG_BINDIR:-}"
if [[ -z "$bindir" ]]; then
  bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
fi
if [[ -z "$bindir" || ! -x "$bindir/initdb" ]]; then
  echo "pg-test-cluster: no PostgreSQL server binaries found (apt-get install postgresql)" >&2
  exit 1
fi

as_owner() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

url_for() { echo "postgresql:///imr_test?host=$dir/sock&user=imr"; }

case "${1:-}" in
  start)
    if [[ -f "$dir/url" ]] && as_owner "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      echo "export IMR_TEST_PG_URL='$(cat "$dir/url")'"
      exit 0
    fi
    rm -rf "$dir"
    mkdir -p "$dir/sock"
    [[ $(id -u) -eq 0 ]] && chown -R postgres: "$dir"
    as_owner "$bindir/initdb" -D "$dir/data" -U imr -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; exit 1; }
    # Durability does not matter for a throwaway cluster; speed does.
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses='' -c unix_socket_directories='$dir/sock' -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    as_owner "$bindir/createdb" -h "$dir/sock" -U imr imr_test
    url_for >"$dir/url"
    chmod a+r "$dir/url"
    echo "export IMR_TEST_PG_URL='$(cat "$dir/url")'"
    ;;
  stop)
    if [[ -d "$dir/data" ]]; then
      as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  url)
    cat "$dir/url"
    ;;
  *)
    echo "usage: $0 start|stop|url" >&2
    exit 2
    ;;
esac
