#!/usr/bin/env bash
# Heartbeat throughput with metrics on and off, interleaved (on, off, on, off, ...) on PostgreSQL through the real
# HTTP service: what publishing the metrics costs the hot path. Each run starts the service on a database of its own
# with WorkerFleet:Metrics:Enabled on or off, registers the workers, warms up, then measures with wrk; while metrics
# are on, GET /metrics is scraped every 5 s as a Prometheus would. Prints each run and the medians with the ratio.
# Usage: bash build/bench-metrics.sh [PAIRS] [SECONDS] [WORKERS]     (defaults 3, 15, 1000). Needs wrk.
# Runs on the server named by WORKERFLEET_TEST_POSTGRES, or a throwaway one (WORKERFLEET_PG_DURABLE=1 keeps fsync on).
set -euo pipefail
cd "$(dirname "$0")/.."
pairs=${1:-3} seconds=${2:-15} workers=${3:-1000}
command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install -y wrk" >&2; exit 1; }
source build/service-on-postgres.sh
port=$(( 20000 + RANDOM % 20000 ))

# run on|off: prints the heartbeats/s of one measured run.
run() {
  local scraper="" rps
  start_service "$port" WorkerFleet__Metrics__Enabled="$([ "$1" = on ] && echo true || echo false)"
  register_workers "$port" bench "$workers"
  heartbeat_script bench
  if [ "$1" = on ]; then
    (while sleep 5; do curl -sf -o /dev/null -H "Authorization: Bearer $reader_key" "http://127.0.0.1:$port/metrics" || true; done) &
    scraper=$!
  fi
  wrk -t2 -c64 -d10s -s "$work/post.lua" "http://127.0.0.1:$port" >/dev/null
  rps=$(wrk -t2 -c64 -d"${seconds}s" -s "$work/post.lua" "http://127.0.0.1:$port" | awk '/Requests\/sec/ { print $2 }')
  [ -z "$scraper" ] || kill "$scraper"
  stop_service
  echo "$rps"
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

: > "$work/on" && : > "$work/off"
for pair in $(seq 1 "$pairs"); do
  for mode in on off; do
    rps=$(run "$mode")
    echo "pair $pair, metrics $mode: $rps heartbeats/s"
    echo "$rps" >> "$work/$mode"
  done
done
on=$(median < "$work/on") off=$(median < "$work/off")
awk -v on="$on" -v off="$off" 'BEGIN { printf "median heartbeats/s: metrics on %.0f, off %.0f, on/off %.3f\n", on, off, on / off }'
