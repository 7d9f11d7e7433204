#!/usr/bin/env bash
# Start-up of the published service, precompiled (ReadyToRun, as `dotnet publish` makes it) against JIT-only (the same
# publish with -p:PublishReadyToRun=false), interleaved on the same machine. Each run starts the service in Production
# on a fresh SQLite file and measures, from the process's start, the time to the first 200 of an authenticated read
# (schema migrated, pipeline ready), then the time of its first registration.
#
# Usage: bash build/bench-startup.sh [RUNS]   (RUNS defaults to 5). Everything listens on 127.0.0.1 and is stopped on exit.
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."

runs=${1:-5}
work=$(mktemp -d /tmp/workerfleet-startup.XXXXXX)
port=$(( 20000 + RANDOM % 20000 ))
reader=reader-key-0123456789abcdef0123456789abcdef
registration=registration-key-0123456789abcdef0123456789
service_pid=
cleanup() {
  [ -z "$service_pid" ] || kill "$service_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

dotnet publish src/WorkerFleet.WebApi -c Release -o "$work/readytorun" -nologo -v q >/dev/null
dotnet publish src/WorkerFleet.WebApi -c Release -o "$work/jit" -nologo -v q -p:PublishReadyToRun=false >/dev/null

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# run BUILD N: prints "READY_MS FIRST_REGISTRATION_MS".
run() {
  local started ready registered
  started=$(now_ms)
  ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="http://127.0.0.1:$port" \
    WorkerFleet__Security__AdminKeys__0=admin-key-0123456789abcdef0123456789abcdef \
    WorkerFleet__Security__ReaderKeys__0=$reader WorkerFleet__Security__RegistrationKeys__0=$registration \
    WorkerFleet__Storage__SqlitePath="$work/$1-$2.db" dotnet "$work/$1/WorkerFleet.WebApi.dll" >"$work/$1-$2.log" 2>&1 &
  service_pid=$!
  until curl -sf -o /dev/null -H "Authorization: Bearer $reader" "http://127.0.0.1:$port/workers/counts"; do
    kill -0 "$service_pid" 2>/dev/null || { cat "$work/$1-$2.log" >&2; exit 1; }
    sleep 0.02
  done
  ready=$(now_ms)
  curl -sf -o /dev/null -X POST -H "Authorization: Bearer $registration" -H 'Content-Type: application/json' \
    -d '{"id":"w1","region":"r","capacity":1}' "http://127.0.0.1:$port/workers"
  registered=$(now_ms)
  kill "$service_pid"; wait "$service_pid" 2>/dev/null || true; service_pid=
  echo "$(( ready - started )) $(( registered - ready ))"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

: >"$work/jit.txt"; : >"$work/readytorun.txt"
for i in $(seq "$runs"); do
  for build in jit readytorun; do
    result=$(run "$build" "$i")
    echo "$build run $i: ready after $(cut -d' ' -f1 <<<"$result") ms, first registration $(cut -d' ' -f2 <<<"$result") ms"
    echo "$result" >>"$work/$build.txt"
  done
done
for column in 1 2; do
  what=$([ "$column" = 1 ] && echo "ready after" || echo "first registration")
  jit=$(cut -d' ' -f"$column" "$work/jit.txt" | median)
  r2r=$(cut -d' ' -f"$column" "$work/readytorun.txt" | median)
  echo "$what: median $jit ms JIT-only, $r2r ms ReadyToRun, ratio $(awk -v a="$r2r" -v b="$jit" 'BEGIN { printf "%.2f", a / b }')"
done
