#!/usr/bin/env bash
# Soak: mixed load on the real service over loopback for a bounded time (default 10 minutes), then its figures.
# Heartbeats from many workers, reads by id and paged lists, with the three lifecycle jobs firing every 5 seconds,
# on PostgreSQL (WORKERFLEET_TEST_POSTGRES, or a throwaway server). Fails on any non-2xx response, a wrk socket
# error, or resident memory growing by more than half between the first and the last minute (the first sample after
# warm-up against the last).
# Usage: bash build/soak.sh [seconds]      (bash build/soak.sh 30 is the CI smoke run)   Needs wrk.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
workers=200
command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install -y wrk" >&2; exit 1; }
source build/service-on-postgres.sh

port=18099
start_service "$port" \
  "WorkerFleet__Lifecycle__ActivationCron=0/5 * * * * ?" "WorkerFleet__Lifecycle__StaleDetectionCron=0/5 * * * * ?" \
  "WorkerFleet__Lifecycle__ReactivationCron=0/5 * * * * ?"
register_workers "$port" soak "$workers"
cat > "$work/mix.lua" <<LUA
dofile("$work/tokens.lua")
local reader = { ["Authorization"] = "Bearer $reader_key" }
request = function()
  local i = math.random(1, #tokens)
  local roll = math.random(100)
  if roll <= 80 then
    return wrk.format("POST", "/workers/soak-" .. i .. "/heartbeat", { ["Authorization"] = "Bearer " .. tokens[i] })
  elseif roll <= 95 then
    return wrk.format("GET", "/workers/soak-" .. i, reader)
  end
  return wrk.format("GET", "/workers?limit=100", reader)
end
LUA

( while kill -0 "$service" 2>/dev/null; do ps -o rss= -p "$service" >> "$work/rss"; sleep 5; done ) &
sampler=$!
wrk -t2 -c16 -d"${seconds}s" --latency -s "$work/mix.lua" "http://127.0.0.1:$port" > "$work/wrk.txt"
kill "$sampler"
cat "$work/wrk.txt"

non2xx=$(sed -n 's/.*Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p' "$work/wrk.txt"); non2xx=${non2xx:-0}
socket=$(sed -n 's/.*Socket errors:.*connect \([0-9]*\), read \([0-9]*\), write \([0-9]*\), timeout \([0-9]*\).*/\1 \2 \3 \4/p' "$work/wrk.txt" | awk '{ print $1 + $2 + $3 + $4 }'); socket=${socket:-0}
samples=$(wc -l < "$work/rss"); window=$(( samples > 24 ? 12 : (samples + 1) / 2 ))
first=$(head -n "$window" "$work/rss" | sort -n | sed -n "$(( (window + 1) / 2 ))p")
last=$(tail -n "$window" "$work/rss" | sort -n | sed -n "$(( (window + 1) / 2 ))p")
requests=$(sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' "$work/wrk.txt")
rate=$(sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$work/wrk.txt")
echo "soak: ${seconds}s, $workers workers, $requests requests ($rate/s), non-2xx $non2xx, socket errors $socket, RSS median first $((first / 1024)) MiB -> last $((last / 1024)) MiB ($samples samples)"
kill -0 "$service" || { echo "the service died:"; cat "$work/service-$port.log"; exit 1; }
[ "$non2xx" -eq 0 ] && [ "$socket" -eq 0 ] || { echo "soak failed: errors under load" >&2; tail -50 "$work/service-$port.log" >&2; exit 1; }
[ "$last" -le $(( first * 3 / 2 )) ] || { echo "soak failed: memory grew from $first KiB to $last KiB" >&2; exit 1; }
