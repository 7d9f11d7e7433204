#!/usr/bin/env bash
# Heartbeat throughput at a small and a large history size, on PostgreSQL, through the real HTTP service.
# A heartbeat is one row update plus one upsert by primary key, so the two figures should match; the script
# also prints the most history rows any worker holds afterwards (never more than the history size).
# Usage: bash build/bench-heartbeat.sh [seconds-per-run]      Needs wrk (apt-get install -y wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-15}
command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install -y wrk" >&2; exit 1; }
[ -n "${WORKERFLEET_TEST_POSTGRES:-}" ] || source build/postgres.sh

dotnet build src/WorkerFleet.WebApi -c Release -nologo -clp:ErrorsOnly >/dev/null
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
workers=10
cat > "$work/post.lua" <<LUA
wrk.method = "POST"
request = function() return wrk.format(nil, "/workers/bench-" .. math.random(1, $workers) .. "/heartbeat") end
LUA
psql_server() { psql "$(echo "$WORKERFLEET_TEST_POSTGRES" | sed 's/;/ /g; s/Host=/host=/; s/Port=/port=/; s/Username=/user=/; s/Database=/dbname=/')" -qtAc "$1"; }

bench() {
  local size=$1 port=$2 database="workerfleet_bench_$2_$$"
  psql_server "CREATE DATABASE $database" >/dev/null
  WorkerFleet__Storage__Provider=Postgres \
  ConnectionStrings__WorkerFleet="$(echo "$WORKERFLEET_TEST_POSTGRES" | sed "s/Database=[^;]*/Database=$database/")" \
  WorkerFleet__Lifecycle__HeartbeatHistorySize="$size" \
  Logging__LogLevel__Default=Warning \
    dotnet src/WorkerFleet.WebApi/bin/Release/net10.0/WorkerFleet.WebApi.dll --urls "http://127.0.0.1:$port" >"$work/service-$size.log" 2>&1 &
  local pid=$!
  until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do sleep 0.2; done
  for i in $(seq 1 "$workers"); do
    curl -sf -X POST "http://127.0.0.1:$port/workers" -H 'Content-Type: application/json' \
      -d "{\"id\":\"bench-$i\",\"region\":\"bench\",\"capacity\":1}" >/dev/null
  done
  # Warm-up long enough to fill the rings, so the measured run overwrites old slots.
  wrk -t2 -c16 -d5s -s "$work/post.lua" "http://127.0.0.1:$port" >/dev/null
  local rps rows
  rps=$(wrk -t2 -c16 -d"${seconds}s" -s "$work/post.lua" "http://127.0.0.1:$port" |
    awk '/Requests\/sec/ { print $2 }')
  rows=$(psql "$(echo "$WORKERFLEET_TEST_POSTGRES" | sed "s/;/ /g; s/Host=/host=/; s/Port=/port=/; s/Username=/user=/; s/Database=[^ ;]*/dbname=$database/")" -qtAc "SELECT max(n) FROM (SELECT count(*) AS n FROM worker_heartbeats GROUP BY worker_id) AS per_worker")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  psql_server "DROP DATABASE $database WITH (FORCE)" >/dev/null
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
