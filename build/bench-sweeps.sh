#!/usr/bin/env bash
# Stale detection over 100,000 Active workers, two builds side by side: the change a commit makes to the sweeps,
# measured interleaved (old, new, old, new, ...) on the same machine in the same run, so a drift in the machine's
# speed favours neither. Each run loads the workers straight into a fresh database (10% of them a day silent), starts
# the service (Production, lifecycle jobs parked, heartbeat timeout 5 s), waits out stale detection's grace period and
# sends POST /scheduler/run twice: the first stale detection moves the 10%, the second finds nothing; then the 10% are
# made Active again and a third run moves them on the warmed process. The times are
# the service's own "MarkStaleWorkersOffline handled in <ms> ms" debug log. PostgreSQL runs with its normal durability.
#
# Usage: bash build/bench-sweeps.sh [sqlite|postgres|both] OLD_REV [NEW_REV] [PAIRS]
#   NEW_REV defaults to the working tree, PAIRS to 3. Prints each run and the medians with the new/old ratio.
# Needs sqlite3 and PostgreSQL 15 (apt-get install -y sqlite3 postgresql-15). Everything listens on 127.0.0.1 and is
# stopped on exit.
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."

providers=${1:?usage: bash build/bench-sweeps.sh [sqlite|postgres|both] OLD_REV [NEW_REV] [PAIRS]}
old_rev=${2:?usage: bash build/bench-sweeps.sh [sqlite|postgres|both] OLD_REV [NEW_REV] [PAIRS]}
new_rev=${3:-}
pairs=${4:-3}
[ "$providers" != both ] || providers="sqlite postgres"
work=$(mktemp -d /tmp/workerfleet-sweeps.XXXXXX)
port=$(( 20000 + RANDOM % 20000 ))
admin=admin-key-0123456789abcdef0123456789abcdef
reader=reader-key-0123456789abcdef0123456789abcdef
registration=registration-key-0123456789abcdef0123456789
extra_settings=(WorkerFleet__Lifecycle__HeartbeatTimeout=00:00:05 Logging__LogLevel__WorkerFleet.Application.Common.Behaviours=Debug)
source build/revisions.sh
source build/sqlite-timestamps.sh

# load PROVIDER RUN: 100,000 Active workers in one region, every tenth one silent for a day.
load() {
  if [ "$1" = sqlite ]; then
    local db="$work/$2.db" registered silent heard
    registered=$(sqlite_timestamp "$db" "'2026-01-01 00:00:00'")
    silent=$(sqlite_timestamp "$db" "'now', '-1 day'")
    heard=$(sqlite_timestamp "$db" "'2099-01-01 00:00:00'")
    sqlite3 "$db" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
      INSERT INTO workers (id, region, capacity, capabilities, metadata, status, registered_at, last_heartbeat_at, heartbeats_recorded, version, token_hash)
      SELECT 'w-' || i, 'bench', 1, '[]', '{}', 'Active', $registered, CASE WHEN i % 10 = 0 THEN $silent ELSE $heard END,
             1, 1, hex(randomblob(32)) FROM n"
  else
    psql "$2" "INSERT INTO workers (id, region, capacity, capabilities, metadata, status, registered_at, last_heartbeat_at, heartbeats_recorded, version, token_hash)
      SELECT 'w-' || i, 'bench', 1, '{}', '{}', 'Active', '2026-01-01', CASE WHEN i % 10 = 0 THEN now() - interval '1 day' ELSE timestamptz '2099-01-01' END,
             1, 1, md5(i::text) || md5((i + 1)::text) FROM generate_series(1, 100000) AS i"
    psql "$2" "VACUUM ANALYZE workers"
  fi
}

# run BUILD PROVIDER N: prints "<10% ms> <0% ms> <10% warm ms>".
run() {
  local log="$work/$1-$2-$3.log"
  storage "$2" "run_${1}_${2}_$3"
  start "$1" "$log"
  stop
  load "$2" "run_${1}_${2}_$3"
  start "$1" "$log"
  curl -sf -o /dev/null -H "Authorization: Bearer $reader" "http://127.0.0.1:$port/workers/counts"
  sleep 6
  for _ in 1 2; do
    curl -sf -o /dev/null -X POST -H "Authorization: Bearer $admin" "http://127.0.0.1:$port/scheduler/run"
  done
  # The same 10% once more on the warmed process, as a running instance sees it: the first run also pays for
  # compiling the sweep's code and queries.
  if [ "$2" = sqlite ]; then
    sqlite3 "$work/run_${1}_${2}_$3.db" "UPDATE workers SET status = 'Active' WHERE status = 'Offline'"
  else
    psql "run_${1}_${2}_$3" "UPDATE workers SET status = 'Active' WHERE status = 'Offline'"
    psql "run_${1}_${2}_$3" "VACUUM ANALYZE workers"
  fi
  curl -sf -o /dev/null -X POST -H "Authorization: Bearer $admin" "http://127.0.0.1:$port/scheduler/run"
  stop
  grep -o 'MarkStaleWorkersOffline handled in [0-9.]* ms' "$log" | awk '{ printf "%s ", $4 } END { print "" }'
}


for provider in $providers; do
  : > "$work/$provider.old"
  : > "$work/$provider.new"
  for pair in $(seq 1 "$pairs"); do
    for side in old new; do
      times=$(run "$side" "$provider" "$pair")
      echo "$provider $side run $pair: stale detection 10% / 0% / 10% warm: $times ms"
      echo "$times" >> "$work/$provider.$side"
    done
  done
  for column in 1 2 3; do
    old=$(awk -v c=$column '{ print $c }' "$work/$provider.old" | median)
    new=$(awk -v c=$column '{ print $c }' "$work/$provider.new" | median)
    label=$(case $column in 1) echo "10% stale";; 2) echo "none stale";; 3) echo "10% stale, warm";; esac)
    awk -v p="$provider" -v l="$label" -v o="$old" -v n="$new" \
      'BEGIN { printf "%s, stale detection, %s: median %.1f ms before, %.1f ms after, ratio %.2f\n", p, l, o, n, n / o }'
  done
done
