#!/usr/bin/env bash
# Heartbeat throughput at a small and a large history size, on PostgreSQL, through the real HTTP service.
# A heartbeat is one row update plus one upsert by primary key, so the two figures should match; the script
# also prints the most history rows any worker holds afterwards (never more than the history size).
# Usage: bash build/bench-heartbeat.sh [seconds-per-run]      Needs wrk (apt-get install -y wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-15}
command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install -y wrk" >&2; exit 1; }
source build/service-on-postgres.sh

workers=10
bench() {
  local size=$1 port=$2 rps rows
  start_service "$port" WorkerFleet__Lifecycle__HeartbeatHistorySize="$size"
  register_workers "$port" bench "$workers"
  heartbeat_script bench
  # Warm-up long enough to fill the rings, so the measured run overwrites old slots.
  wrk -t2 -c16 -d5s -s "$work/post.lua" "http://127.0.0.1:$port" >/dev/null
  rps=$(wrk -t2 -c16 -d"${seconds}s" -s "$work/post.lua" "http://127.0.0.1:$port" | awk '/Requests\/sec/ { print $2 }')
  rows=$(psql_on "$database" "SELECT max(n) FROM (SELECT count(*) AS n FROM worker_heartbeats GROUP BY worker_id) AS per_worker")
  stop_service
  echo "history size $size: $rps heartbeats/s, $rows history rows kept at most per worker" >&2
  echo "$rps"
}

# Alternate the two sizes so a drift in the machine's speed does not favour either.
small=0; large=0
for round in 1 2; do
  small=$(awk -v a="$small" -v b="$(bench 10 $((18080 + round)))" 'BEGIN { print a + b }')
  large=$(awk -v a="$large" -v b="$(bench 1000 $((18090 + round)))" 'BEGIN { print a + b }')
done
echo "heartbeats/s at history size 1000 vs 10 (two rounds each): $(awk -v a="$large" -v b="$small" 'BEGIN { printf "%.2f", a / b }')"
