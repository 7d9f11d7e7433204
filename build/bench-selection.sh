#!/usr/bin/env bash
# The selective selection over 100,000 workers, two builds side by side: GET /workers?status=active&region=eu-west-1
# &capability=gpu&minCapacity=8&schedulable=true&limit=100 (gpu on 1 in 97 workers, 3 regions, capacities 1-32, a
# quarter of the workers Active; about 60 match), and the same with a capability every worker has, which may stop at
# its page. Each run loads the workers straight into a fresh database, starts the service (Production), warms it up
# and times each query with wrk -t1 -c4 for SECONDS, the builds in turns (old, new, old, new, ...) so a drift in the
# machine's speed favours neither.
#
# Usage: bash build/bench-selection.sh [sqlite|postgres|both] OLD_REV [NEW_REV] [PAIRS] [SECONDS]
#   NEW_REV defaults to the working tree, PAIRS to 3, SECONDS to 10. Prints each run's p50 and p95 and the medians
#   with the new/old ratio. Needs sqlite3, wrk and PostgreSQL 15.
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."

usage="usage: bash build/bench-selection.sh [sqlite|postgres|both] OLD_REV [NEW_REV] [PAIRS] [SECONDS]"
providers=${1:?$usage}
old_rev=${2:?$usage}
new_rev=${3:-}
pairs=${4:-3}
seconds=${5:-10}
[ "$providers" != both ] || providers="sqlite postgres"
work=$(mktemp -d /tmp/workerfleet-selection.XXXXXX)
port=$(( 20000 + RANDOM % 20000 ))
admin=admin-key-0123456789abcdef0123456789abcdef
reader=reader-key-0123456789abcdef0123456789abcdef
registration=registration-key-0123456789abcdef0123456789
extra_settings=()
source build/revisions.sh
source build/sqlite-timestamps.sh

selective="/workers?status=active&region=eu-west-1&capability=gpu&minCapacity=8&schedulable=true&limit=100"
common="/workers?status=active&region=eu-west-1&capability=compute&minCapacity=8&schedulable=true&limit=100"

# load PROVIDER RUN: the 100,000 workers, inserted into the migrated schema (on SQLite its triggers index them).
load() {
  if [ "$1" = sqlite ]; then
    local db="$work/$2.db" at
    at=$(sqlite_timestamp "$db" "'2026-01-01 00:00:00'")
    sqlite3 "$db" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
      INSERT INTO workers (id, region, capacity, capabilities, metadata, status, registered_at, last_heartbeat_at, heartbeats_recorded, version, token_hash)
      SELECT printf('w-%06d', i), CASE i % 3 WHEN 0 THEN 'us-east-1' WHEN 1 THEN 'eu-west-1' ELSE 'ap-south-1' END, 1 + i % 32,
             CASE WHEN i % 97 = 0 THEN '[\"compute\",\"gpu\"]' ELSE '[\"compute\"]' END, '{}',
             CASE i % 4 WHEN 0 THEN 'Pending' WHEN 1 THEN 'Active' WHEN 2 THEN 'Offline' ELSE 'Failed' END,
             $at, $at, 1, 1, hex(randomblob(32)) FROM n;
      ANALYZE;"
  else
    psql "$2" "INSERT INTO workers (id, region, capacity, capabilities, metadata, status, registered_at, last_heartbeat_at, heartbeats_recorded, version, token_hash)
      SELECT 'w-' || lpad(i::text, 6, '0'), (ARRAY['us-east-1','eu-west-1','ap-south-1'])[1 + i % 3], 1 + i % 32,
             CASE WHEN i % 97 = 0 THEN ARRAY['compute','gpu'] ELSE ARRAY['compute'] END, '{}',
             (ARRAY['Pending','Active','Offline','Failed'])[1 + i % 4], now(), now(), 1, 1, md5(i::text) || md5('t' || i)
      FROM generate_series(1, 100000) AS i"
    psql "$2" "VACUUM ANALYZE workers"
  fi
}

cat >"$work/read.lua" <<'LUA'
-- One GET with the reader key; done() prints "result <p50 ms> <p95 ms> <non-2xx>".
function init(args)
  request_text = wrk.format("GET", args[1], { ["Authorization"] = "Bearer " .. args[2] })
end

function request()
  return request_text
end

function done(summary, latency)
  io.write(string.format("result %.3f %.3f %d\n", latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    summary.errors.status))
end
LUA

# time PATH SECONDS: prints "<p50 ms> <p95 ms>", failing on any non-2xx answer.
time_path() {
  local result
  result=$(wrk -t1 -c4 -d"$2"s -s "$work/read.lua" "http://127.0.0.1:$port" -- "$1" "$reader" | awk '$1 == "result" { print $2, $3, $4 }')
  [ "${result##* }" = 0 ] || { echo "$1 answered non-2xx: $result" >&2; exit 1; }
  echo "${result% *}"
}

# run BUILD PROVIDER N: prints "<selective p50> <selective p95> <common p50> <common p95>".
run() {
  local log="$work/$1-$2-$3.log"
  storage "$2" "run_${1}_${2}_$3"
  start "$1" "$log"
  stop
  load "$2" "run_${1}_${2}_$3"
  start "$1" "$log"
  time_path "$selective" 3 >/dev/null
  time_path "$common" 3 >/dev/null
  echo "$(time_path "$selective" "$seconds") $(time_path "$common" "$seconds")"
  stop
}

for provider in $providers; do
  : > "$work/$provider.old"
  : > "$work/$provider.new"
  for pair in $(seq 1 "$pairs"); do
    for side in old new; do
      times=$(run "$side" "$provider" "$pair")
      echo "$provider $side run $pair: selective p50 p95, common p50 p95: $times ms"
      echo "$times" >> "$work/$provider.$side"
    done
  done
  for column in 2 4; do
    old=$(awk -v c=$column '{ print $c }' "$work/$provider.old" | median)
    new=$(awk -v c=$column '{ print $c }' "$work/$provider.new" | median)
    label=$([ "$column" = 2 ] && echo "selective (gpu)" || echo "common capability")
    awk -v p="$provider" -v l="$label" -v o="$old" -v n="$new" \
      'BEGIN { printf "%s, %s, p95: median %.1f ms before, %.1f ms after, ratio %.2f\n", p, l, o, n, n / o }'
  done
done
