#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 on a loopback port, data under a temp folder, stopped when the calling shell
# exits. Source it: `source build/postgres.sh` exports WORKERFLEET_TEST_POSTGRES with its connection string.
# Run it (`bash build/postgres.sh`) to start one for local use; it prints the connection string and keeps running.
# It runs with fsync off, for tests; WORKERFLEET_PG_DURABLE=1 keeps PostgreSQL's own durability (fsync and
# synchronous_commit on), for benchmarks. WORKERFLEET_PG_SETTINGS adds server settings ("-c name=value ...").
set -euo pipefail
pg_bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
[ -x "$pg_bin/pg_ctl" ] || { echo "PostgreSQL 15 is not installed ($pg_bin/pg_ctl missing): apt-get install -y postgresql-15" >&2; exit 1; }

pg_dir=$(mktemp -d /tmp/workerfleet-pg.XXXXXX)
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$pg_dir"

pg_durability=$([ "${WORKERFLEET_PG_DURABLE:-}" = 1 ] || echo "-c fsync=off")
stop_postgres() { as_postgres "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast stop >/dev/null 2>&1 || true; rm -rf "$pg_dir"; }
trap stop_postgres EXIT
as_postgres "$pg_bin/initdb" -D "$pg_dir/data" -A trust -U postgres >/dev/null
# PostgreSQL cannot be told to pick a free port itself, so a random one is tried, and another while the one tried is
# taken (the server's log then says it could not bind), up to five times. A port given in WORKERFLEET_PG_PORT is tried once.
for attempt in 1 2 3 4 5; do
  pg_port=${WORKERFLEET_PG_PORT:-$(( 20000 + RANDOM % 20000 ))}
  if as_postgres "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w start \
    -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 $pg_durability -c max_connections=200 ${WORKERFLEET_PG_SETTINGS:-}" >/dev/null; then
    break
  fi
  if [ -n "${WORKERFLEET_PG_PORT:-}" ] || [ "$attempt" = 5 ] || ! grep -q "could not bind" "$pg_dir/log"; then
    cat "$pg_dir/log" >&2
    exit 1
  fi
done

export WORKERFLEET_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres"
echo "PostgreSQL 15 on 127.0.0.1:$pg_port (data in $pg_dir)" >&2

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  echo "WORKERFLEET_TEST_POSTGRES=$WORKERFLEET_TEST_POSTGRES"
  echo "Press Ctrl+C to stop." >&2
  while sleep 3600; do :; done
fi
