#!/usr/bin/env bash
# The benchmark of record: WorkerFleet's heartbeat path against etcd 3.4's lease keep-alive, the anchor, in the same
# run on the same machine with the same wrk settings. Both sides are durable: PostgreSQL with fsync and
# synchronous_commit on (SQLite as the service configures it), etcd with its own WAL fsync.
# Per storage provider, over N workers and N etcd leases, it measures:
#   - heartbeats/s and p99 latency, wrk -t2 -c64, each request a random worker with its own token
#     (POST /workers/w-i/heartbeat) or a random lease (POST /v3/lease/keepalive {"ID": i}); after a warm-up of
#     each, the rounds alternate etcd, ours, etcd, ours so a drift in the machine's speed favours neither; the ratio
#     to etcd as that of the two sides' medians and as the median of each round's own ratio;
#   - registrations/s: N registrations over 16 connections on the process just started (and etcd's lease grants/s,
#     seeded the same way), and at the end N more on a process that has registered N before them;
#   - the three lifecycle sweeps over N Active workers, with 10% and with 0% of them stale, and the same 10% once
#     more on the same process, as the service's own "<Request> handled in <ms> ms" debug log times them;
#   - GET /workers/active?limit=1000 and a selective selection's p95 latency (wrk -t1 -c4): Active, schedulable
#     workers of one of 3 regions with the gpu capability (1 in 97 has it) and a capacity of at least 8 (of 1-32);
#   - per heartbeat of our rounds: the CPU of the service and of the database's processes, and the KiB written to disk;
#   - the service's resident memory after the heartbeats.
# It prints one table of medians and writes each provider's figures to artifacts/bench/bench-<provider>-<UTC>.json.
#
# Usage: bash build/bench.sh [postgres|sqlite|both] [--smoke]          (default: both)
#   full mode: 100,000 workers, 20 s runs, 2 rounds per side; fails if any heartbeat answers 4xx or 5xx.
#   --smoke (CI, so the script cannot rot): 2,000 workers, 3 s runs, 1 round, no thresholds.
#   BENCH_WORKERS, BENCH_SECONDS and BENCH_ROUNDS override either mode's figures.
#   BENCH_SUSTAIN_MINUTES=N (default 0) adds N one-minute heartbeat runs back to back after the rounds, with the
#   service's resident memory after each: the memory at sustained load, and whether it stays flat.
# Run it as root on Debian: it installs wrk, etcd-server, curl, sqlite3 and postgresql-15 with apt-get when they
# are missing. Everything it starts listens on 127.0.0.1 and is stopped on exit, also on failure.
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."
source build/sqlite-timestamps.sh

providers=both
mode=full
for arg in "$@"; do
  case $arg in
    postgres | sqlite | both) providers=$arg ;;
    --smoke) mode=smoke ;;
    *) echo "usage: bash build/bench.sh [postgres|sqlite|both] [--smoke]" >&2; exit 2 ;;
  esac
done
[ "$providers" != both ] || providers="postgres sqlite"
# warmup: seconds per side before the rounds, and before each of the two reads. In full mode 30 s: the service's
# tiered JIT reaches its optimised code after about 20 s under load (measured: 4,600, 6,800, then 11,300+ heartbeats/s
# in successive 6 s runs of a fresh process; a list page on PostgreSQL cost 8.6–10.4 ms of CPU after 15 s of reads, the
# JIT still 19% of the service's samples, and 5.2 ms after 60 s), and a registry is measured as it runs for days, not
# in its first seconds. etcd is compiled ahead of time.
# sweep_timeout: the heartbeat timeout of the sweep phase, in seconds; stale detection waits one timeout after
# start-up, and the 0% sweep must still find the fresh workers fresh.
if [ "$mode" = smoke ]; then
  workers=${BENCH_WORKERS:-2000} seconds=${BENCH_SECONDS:-3} rounds=${BENCH_ROUNDS:-1} warmup=3 sweep_timeout=10
else
  workers=${BENCH_WORKERS:-100000} seconds=${BENCH_SECONDS:-20} rounds=${BENCH_ROUNDS:-2} warmup=30 sweep_timeout=60
fi
sustain_minutes=${BENCH_SUSTAIN_MINUTES:-0}
[[ $workers =~ ^[0-9]+$ && $workers -ge 100 && $seconds =~ ^[1-9][0-9]*$ && $rounds =~ ^[1-9][0-9]*$ && $sustain_minutes =~ ^[0-9]+$ ]] ||
  { echo "BENCH_WORKERS must be at least 100, BENCH_SECONDS and BENCH_ROUNDS positive integers, BENCH_SUSTAIN_MINUTES 0 or more" >&2; exit 2; }

service_url=http://127.0.0.1:18180
etcd_url=http://127.0.0.1:18379
etcd_peer_url=http://127.0.0.1:18380
admin_key=admin-key-0123456789abcdef0123456789abcdef
reader_key=reader-key-0123456789abcdef0123456789abcdef
registration_key=registration-key-0123456789abcdef0123456789
never="0 0 0 1 1 ? 2099"              # a Quartz cron (seconds .. year) that does not fire during the run
seed_connections=16
# wrk's default 2 s timeout would also drop slower answers from the latency histogram: 10 s on every run.
heartbeat_wrk="-t2 -c64 --latency --timeout 10s"
list_wrk="-t1 -c4 --latency --timeout 10s"
service_pid=""
etcd_pid=""
seed_pid=""
work=""
declare -A result                     # result[provider.metric]
failed=""

say() { echo "bench: $*" >&2; }
fail() { echo "bench: FAILED: $*" >&2; exit 1; }

install_missing() {
  local packages=()
  command -v wrk >/dev/null || packages+=(wrk)
  [ -x /usr/bin/etcd ] || packages+=(etcd-server)
  command -v curl >/dev/null || packages+=(curl)
  command -v ps >/dev/null || packages+=(procps)
  [[ " $providers " != *" sqlite "* ]] || command -v sqlite3 >/dev/null || packages+=(sqlite3)
  [[ " $providers " != *" postgres "* ]] || [ -x /usr/lib/postgresql/15/bin/pg_ctl ] || packages+=(postgresql-15)
  if [ ${#packages[@]} -gt 0 ]; then
    say "installing ${packages[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
  fi
  command -v dotnet >/dev/null || fail "the .NET 10 SDK (dotnet) is not installed"
  etcd_version=$(etcd --version | sed -n 's/^etcd Version: //p')
  [[ $etcd_version == 3.4.* ]] || say "warning: etcd $etcd_version is not the 3.4 the anchor is defined with"
}

cleanup() {
  stop_pid "$seed_pid"
  stop_pid "$service_pid"
  stop_pid "$etcd_pid"
  if declare -F stop_postgres >/dev/null; then stop_postgres; fi
  [ -z "$work" ] || rm -rf "$work"
}

# stop_pid PID: SIGTERM, and SIGKILL if it is still there after 30 s.
stop_pid() {
  local pid=$1 i
  kill "$pid" 2>/dev/null || return 0
  for i in $(seq 150); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# wait_for SECONDS PID NAME LOG URL: until URL answers 2xx; fails when PID exits or the time is up.
wait_for() {
  local deadline=$((SECONDS + $1)) pid=$2 name=$3 log=$4 url=$5
  until curl -sf -o /dev/null --max-time 5 "$url"; do
    kill -0 "$pid" 2>/dev/null || { tail -30 "$log" >&2; fail "$name exited while starting"; }
    [ $SECONDS -lt $deadline ] || { tail -30 "$log" >&2; fail "$name did not answer $url within $1 s"; }
    sleep 0.2
  done
}

port_free() {
  if curl -s -o /dev/null --max-time 2 "$1"; then fail "something already listens at $1"; fi
}

# The server is new, but the load is measured as a running primary meets it: with write-ahead log segments to reuse.
# A new cluster has none, so until its log has grown to max_wal_size each new 16 MiB segment is created, written with
# zeros and synced by the backend that needs it, while every commit waits: stalls of over 100 ms that a primary which
# has been through a checkpoint, recycling its segments, does not have (docs/performance-log.md). So the log is grown
# once, by writing and dropping a table (about 250 bytes of log a row), and a checkpoint keeps its segments
# (min_wal_size).
start_postgres() {
  local log_mb=1024
  WORKERFLEET_PG_DURABLE=1 WORKERFLEET_PG_SETTINGS="-c min_wal_size=${log_mb}MB -c max_wal_size=${log_mb}MB"
  source build/postgres.sh
  trap cleanup EXIT                   # postgres.sh set a trap of its own; cleanup calls its stop_postgres
  [ "$(sql 'SHOW fsync' postgres) $(sql 'SHOW synchronous_commit' postgres)" = "on on" ] ||
    fail "PostgreSQL does not run with fsync and synchronous_commit on"
  durability="PostgreSQL 15, fsync on, synchronous_commit on"
  sql "CREATE TABLE wal_growth AS SELECT g, repeat('x', 200) AS pad FROM generate_series(1, $((log_mb * 4000))) AS g" postgres
  sql "DROP TABLE wal_growth" postgres
  sql "CHECKPOINT" postgres
  say "postgres: $(find "$pg_dir/data/pg_wal" -maxdepth 1 -type f -name '0*' | wc -l) log segments to reuse"
  sql "CREATE DATABASE workerfleet_bench" postgres
}

# sql STATEMENT [DATABASE]: runs it on the current provider's database.
sql() {
  case $provider in
    postgres) "$pg_bin/psql" "host=127.0.0.1 port=$pg_port user=postgres dbname=${2:-workerfleet_bench}" -qtAc "$1" ;;
    sqlite) sqlite3 -cmd ".timeout 30000" "$work/workerfleet.db" "$1" >/dev/null ;;
  esac
}

start_etcd() {
  port_free "$etcd_url/health"
  etcd --name bench --data-dir "$work/etcd" --logger zap --log-level warn \
    --listen-client-urls "$etcd_url" --advertise-client-urls "$etcd_url" \
    --listen-peer-urls "$etcd_peer_url" --initial-advertise-peer-urls "$etcd_peer_url" \
    --initial-cluster "bench=$etcd_peer_url" >"$work/etcd.log" 2>&1 &
  etcd_pid=$!
  wait_for 30 "$etcd_pid" etcd "$work/etcd.log" "$etcd_url/health"
}

stop_etcd() {
  stop_pid "$etcd_pid"
  etcd_pid=""
  rm -rf "$work/etcd"
}

# start_service LOG [NAME=VALUE ...]: the published service in Production on the current provider's database, with
# the lifecycle jobs' schedules out of the way; waits until it is healthy.
start_service() {
  local log=$1 storage
  shift
  if [ "$provider" = postgres ]; then
    storage=(WorkerFleet__Storage__Provider=Postgres
      "ConnectionStrings__WorkerFleet=Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=workerfleet_bench")
  else
    storage=(WorkerFleet__Storage__Provider=Sqlite "WorkerFleet__Storage__SqlitePath=$work/workerfleet.db")
  fi
  port_free "$service_url/health"
  env ASPNETCORE_ENVIRONMENT=Production "${storage[@]}" \
    WorkerFleet__Security__AdminKeys__0="$admin_key" WorkerFleet__Security__ReaderKeys__0="$reader_key" \
    WorkerFleet__Security__RegistrationKeys__0="$registration_key" WorkerFleet__Security__HeartbeatRateLimit=1000000 WorkerFleet__Security__RegistrationRateLimit=1000000 \
    WorkerFleet__Lifecycle__ActivationCron="$never" WorkerFleet__Lifecycle__StaleDetectionCron="$never" \
    WorkerFleet__Lifecycle__ReactivationCron="$never" Logging__LogLevel__Default=Warning "$@" \
    dotnet "$work/service/WorkerFleet.WebApi.dll" --contentRoot "$work/service" --urls "$service_url" >"$log" 2>&1 &
  service_pid=$!
  wait_for 120 "$service_pid" "the service" "$log" "$service_url/health"
}

stop_service() {
  stop_pid "$service_pid"
  service_pid=""
}

# api METHOD PATH KEY: the answer's body; fails unless it is a 2xx.
api() {
  curl -sSf --max-time 300 -X "$1" "$service_url$2" -H "Authorization: Bearer $3"
}

write_lua() {
  cat >"$work/seed.lua" <<'LUA'
-- Sends one request for each id 1..total exactly once. Thread k, with one connection, sends ids k, k + stride, ...
-- one at a time (the id moves on with each answer), writes "id status token" per answer to dir/answers-k, and
-- after its last answer creates dir/done-k and stops (wrk itself runs until -d or SIGINT).
-- Arguments: workers|leases total stride dir [registration key] [worker id prefix, "w-" by default].
local threads = 0
local regions = { "us-east-1", "eu-west-1", "ap-south-1" }
function setup(thread)
  threads = threads + 1
  thread:set("first", threads)
end

function init(args)
  kind, total, stride, dir, key, prefix = args[1], tonumber(args[2]), tonumber(args[3]), args[4], args[5], args[6] or "w-"
  id = first
  out = assert(io.open(dir .. "/answers-" .. first, "w"))
end

function request()
  if id > total then
    return wrk.format("GET", "/health") -- only until this thread's stop takes effect
  elseif kind == "workers" then
    return wrk.format("POST", "/workers", { ["Authorization"] = "Bearer " .. key, ["Content-Type"] = "application/json" },
      string.format('{"id":"%s%d","region":"%s","capacity":%d,"capabilities":%s}', prefix, id, regions[id % 3 + 1], id % 32 + 1,
        id % 97 == 0 and '["compute","gpu"]' or '["compute"]'))
  end
  return wrk.format("POST", "/v3/lease/grant", { ["Content-Type"] = "application/json" },
    string.format('{"TTL":3600,"ID":%d}', id))
end

function response(status, headers, body)
  if id > total then return end
  out:write(id, " ", status, " ", body:match('"token":"([^"]+)"') or "-", "\n")
  id = id + stride
  if id > total then
    out:close()
    assert(io.open(dir .. "/done-" .. first, "w")):close()
    wrk.thread:stop()
  end
end
LUA
  cat >"$work/load.lua" <<'LUA'
-- Load with one pre-built request per worker or lease, a random one each time. done() prints one line:
-- "result <requests/s> <p50 ms> <p95 ms> <p99 ms> <status errors (4xx/5xx)> <socket errors>".
-- Arguments: keepalive COUNT | heartbeat TOKENS_FILE (lines "id status token") | read PATH READER_KEY.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("index", threads)
end

function init(args)
  math.randomseed(os.time() + 7919 * index)
  requests = {}
  if args[1] == "keepalive" then
    for n = 1, tonumber(args[2]) do
      requests[n] = wrk.format("POST", "/v3/lease/keepalive", { ["Content-Type"] = "application/json" }, '{"ID":' .. n .. '}')
    end
  elseif args[1] == "heartbeat" then
    for line in io.lines(args[2]) do
      local n, token = line:match("^(%d+) %d+ (%S+)$")
      requests[tonumber(n)] = wrk.format("POST", "/workers/w-" .. n .. "/heartbeat", { ["Authorization"] = "Bearer " .. token })
    end
  else
    requests[1] = wrk.format("GET", args[2], { ["Authorization"] = "Bearer " .. args[3] })
  end
  count = #requests
end

function request()
  return requests[math.random(count)]
end

function done(summary, latency)
  local e = summary.errors
  io.write(string.format("result %.1f %.3f %.3f %.3f %d %d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    e.status, e.connect + e.read + e.write + e.timeout))
end
LUA
}

# seed KIND URL STATUS [KEY] [PREFIX COUNT]: sends the N (or COUNT) seeding requests (seed.lua), worker ids PREFIX1..
# ("w-" by default), fails unless each answered STATUS; sets $seed_rate, per second up to the last answer. The answers
# are in $work/seed-KIND/answers, or $work/seed-KIND-PREFIX/answers for another prefix.
seed() {
  local kind=$1 url=$2 status=$3 key=${4:-} prefix=${5:-w-} total=${6:-$workers} dir bound started finished wrong
  dir="$work/seed-$kind$([ "$prefix" = w- ] || echo "-${prefix%-}")" bound=$((60 + total / 100))
  rm -rf "$dir"
  mkdir -p "$dir"
  started=$(date +%s.%N)
  wrk -t$seed_connections -c$seed_connections -d${bound}s --timeout 30s -s "$work/seed.lua" "$url" \
    -- "$kind" "$total" "$seed_connections" "$dir" "$key" "$prefix" >"$dir/wrk.txt" &
  seed_pid=$!
  # wrk runs for its whole -d even when every thread has stopped: interrupt it (SIGINT) once they all have.
  until [ "$(find "$dir" -name 'done-*' | wc -l)" -eq $seed_connections ] || ! kill -0 $seed_pid 2>/dev/null; do sleep 0.1; done
  for _ in $(seq 50); do kill -INT $seed_pid 2>/dev/null || break; sleep 0.1; done
  stop_pid $seed_pid
  seed_pid=""
  [ "$(find "$dir" -name 'done-*' | wc -l)" -eq $seed_connections ] ||
    fail "seeding $kind: not done within ${bound} s ($(cat "$dir"/answers-* | wc -l) of $total answered)"
  finished=$(for f in "$dir"/done-*; do date -r "$f" +%s.%N; done | sort -g | tail -1)
  sort -n "$dir"/answers-* >"$dir/answers"
  wrong=$(awk -v s="$status" -v kind="$kind" '$2 != s || (kind == "workers" && $3 !~ /^wft_/)' "$dir/answers" | head -3)
  [ "$(wc -l <"$dir/answers")" -eq "$total" ] && [ -z "$wrong" ] ||
    fail "seeding $kind: $(wc -l <"$dir/answers") of $total answered, not all with $status (and a token): ${wrong:-}"
  seed_rate=$(awk -v n="$total" -v a="$started" -v b="$finished" 'BEGIN { printf "%.1f", n / (b - a) }')
}

# load NAME WRK_OPTIONS...: one wrk run with load.lua; prints "rps p50 p95 p99 status_errors socket_errors".
load() {
  local name=$1 line
  shift
  wrk "$@" >"$work/wrk-$name.txt"
  line=$(sed -n 's/^result //p' "$work/wrk-$name.txt")
  [ -n "$line" ] || fail "wrk $name printed no result: $(cat "$work/wrk-$name.txt")"
  echo "$line"
}
keepalive() { load "etcd-$1" $heartbeat_wrk -d"$2"s -s "$work/load.lua" "$etcd_url" -- keepalive "$workers"; }
heartbeat() { load "ours-$1" $heartbeat_wrk -d"$2"s -s "$work/load.lua" "$service_url" -- heartbeat "$work/seed-workers/answers"; }
# read NAME SECONDS PATH: GET PATH with the reader key under wrk $list_wrk.
read_load() { load "read-$1" $list_wrk -d"$2"s -s "$work/load.lua" "$service_url" -- read "$3" "$reader_key"; }
list_path=/workers/active?limit=1000
selection_path="/workers?status=active&schedulable=true&region=eu-west-1&capability=gpu&capability=compute&minCapacity=8&limit=100"

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
sum() { printf '%s\n' "$@" | awk '{ s += $1 } END { print s }'; }
# ratio A B: A / B to two decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# moved FIELD ANSWER: how many ids the /scheduler/run answer lists under FIELD.
moved() { sed -n "s/.*\"$1\":\[\([^]]*\)\].*/\1/p" <<<"$2" | tr ',' '\n' | grep -c . || true; }

# lifecycle_run ACTIVATED OFFLINE REACTIVATED: POST /scheduler/run, failing unless it moved that many workers.
lifecycle_run() {
  local answer got
  answer=$(api POST /scheduler/run "$admin_key")
  got="$(moved activated "$answer") $(moved markedOffline "$answer") $(moved reactivated "$answer")"
  [ "$got" = "$*" ] || fail "POST /scheduler/run moved (activated, offline, reactivated) $got, expected $*"
}

# timed_lifecycle_run LOG ACTIVATED OFFLINE REACTIVATED: lifecycle_run, then prints the three sweeps' milliseconds
# "activate stale reactivate" from the debug log lines it added.
timed_lifecycle_run() {
  local log=$1 from deadline=$((SECONDS + 30))
  shift
  from=$(wc -l <"$log")
  lifecycle_run "$@"
  # The console logger writes asynchronously: wait for the line of reactivation, which runs last.
  until awk -v from="$from" 'NR > from && /ReactivateOfflineWorkers handled in/ { found = 1 } END { exit !found }' "$log"; do
    [ $SECONDS -lt $deadline ] || fail "no \"ReactivateOfflineWorkers handled in\" line in $log"
    sleep 0.2
  done
  awk -v from="$from" 'NR > from && $2 == "handled" && $3 == "in" { ms[$1] = $4 }
    END { print ms["ActivatePendingWorkers"], ms["MarkStaleWorkersOffline"], ms["ReactivateOfflineWorkers"] }' "$log"
}

# heartbeats: warm-up of each side, then the rounds, etcd first; records per-round figures and their medians.
# counters: "service_ticks database_ticks written_kib": the CPU time (clock ticks) of the service and of PostgreSQL's
# processes (none for SQLite, which runs inside the service), and the KiB the machine has written to its disks
# (/proc/vmstat pgpgout; nothing else on it writes during our rounds). PostgreSQL's count is the postmaster's own time,
# the time of the children it has reaped (cutime, cstime) and of those alive, so a backend that exits mid-run is not lost.
counters() {
  local service database=0 child postmaster
  service=$(awk '{ print $14 + $15 }' "/proc/$service_pid/stat")
  if [ "$provider" = postgres ]; then
    postmaster=$(head -1 "$pg_dir/data/postmaster.pid")
    database=$(awk '{ print $14 + $15 + $16 + $17 }' "/proc/$postmaster/stat")
    for child in $(pgrep -P "$postmaster"); do
      database=$((database + $(awk '{ print $14 + $15 }' "/proc/$child/stat" 2>/dev/null || echo 0)))
    done
  fi
  echo "$service $database $(awk '/^pgpgout / { print $2 }' /proc/vmstat)"
}

# per_heartbeat BEFORE AFTER RPS: the CPU µs of the service and of the database, and the KiB written to disk, per heartbeat
# of a run between two counters readings.
per_heartbeat() {
  local -a b a
  read -r -a b <<<"$1"
  read -r -a a <<<"$2"
  awk -v n="$3" -v seconds="$seconds" -v tick="$(getconf CLK_TCK)" \
    -v s="$((a[0] - b[0]))" -v d="$((a[1] - b[1]))" -v w="$((a[2] - b[2]))" \
    'BEGIN { n *= seconds; printf "%.0f %.0f %.1f\n", s * 1e6 / tick / n, d * 1e6 / tick / n, w / n }'
}

heartbeats() {
  local round line e o before c round_ratio etcd_rps=() etcd_p99=() etcd_errors=() ours_rps=() ours_p99=() ours_status=()
  local ours_socket=() ratios=() service_us=() database_us=() written_kib=()
  say "$provider: warm-up, ${warmup} s per side"
  keepalive warmup "$warmup" >/dev/null
  heartbeat warmup "$warmup" >/dev/null
  for round in $(seq "$rounds"); do
    line=$(keepalive "$round" "$seconds")
    read -r -a e <<<"$line"
    before=$(counters)
    line=$(heartbeat "$round" "$seconds")
    read -r -a o <<<"$line"
    read -r -a c <<<"$(per_heartbeat "$before" "$(counters)" "${o[0]}")"
    round_ratio=$(ratio "${o[0]}" "${e[0]}")
    say "$provider round $round: etcd ${e[0]}/s p99 ${e[3]} ms, ours ${o[0]}/s p99 ${o[3]} ms (${round_ratio}×; 4xx/5xx ${o[4]}, socket errors ${o[5]});" \
      "per heartbeat: service ${c[0]} µs, database ${c[1]} µs of CPU, ${c[2]} KiB written to disk"
    etcd_rps+=("${e[0]}") etcd_p99+=("${e[3]}") etcd_errors+=($((e[4] + e[5])))
    ours_rps+=("${o[0]}") ours_p99+=("${o[3]}") ours_status+=("${o[4]}") ours_socket+=("${o[5]}")
    service_us+=("${c[0]}") database_us+=("${c[1]}") written_kib+=("${c[2]}") ratios+=("$round_ratio")
  done
  result[$provider.service_us]=$(median "${service_us[@]}") result[$provider.database_us]=$(median "${database_us[@]}")
  result[$provider.written_kib]=$(median "${written_kib[@]}")
  [ "$provider" = postgres ] || result[$provider.database_us]="in service"
  result[$provider.etcd_rps_rounds]=${etcd_rps[*]} result[$provider.etcd_p99_rounds]=${etcd_p99[*]}
  result[$provider.ours_rps_rounds]=${ours_rps[*]} result[$provider.ours_p99_rounds]=${ours_p99[*]}
  result[$provider.etcd_rps]=$(median "${etcd_rps[@]}") result[$provider.etcd_p99]=$(median "${etcd_p99[@]}")
  result[$provider.ours_rps]=$(median "${ours_rps[@]}") result[$provider.ours_p99]=$(median "${ours_p99[@]}")
  result[$provider.etcd_errors]=$(sum "${etcd_errors[@]}")
  result[$provider.ours_non2xx]=$(sum "${ours_status[@]}") result[$provider.ours_socket]=$(sum "${ours_socket[@]}")
  result[$provider.ratio]=$(ratio "${result[$provider.ours_rps]}" "${result[$provider.etcd_rps]}")
  # Each round pairs an etcd run with ours right after it: the median of those pairs' ratios as well, which a drift of
  # the machine between rounds moves less than the ratio of the two sides' medians.
  result[$provider.ratio_rounds]=${ratios[*]}
  result[$provider.ratio_of_rounds]=$(median "${ratios[@]}" | awk '{ printf "%.2f", $1 }')
}

# sustain: $sustain_minutes one-minute heartbeat runs back to back on the same process; records each minute's rate,
# p99 and the service's resident memory after it (none when it is 0).
sustain() {
  local minute line o rps=() p99=() rss=() non2xx=0
  for minute in $(seq "$sustain_minutes"); do
    line=$(heartbeat "sustain-$minute" 60)
    read -r -a o <<<"$line"
    rps+=("${o[0]}") p99+=("${o[3]}") rss+=($(( $(ps -o rss= -p "$service_pid") / 1024 )))
    non2xx=$((non2xx + o[4]))
    say "$provider sustained minute $minute: ${o[0]}/s p99 ${o[3]} ms (4xx/5xx ${o[4]}, socket errors ${o[5]}), resident ${rss[-1]} MiB"
  done
  result[$provider.sustain_rps_minutes]=${rps[*]} result[$provider.sustain_p99_minutes]=${p99[*]}
  result[$provider.sustain_rss_minutes]=${rss[*]} result[$provider.sustain_non2xx]=$non2xx
  [ "$sustain_minutes" -gt 0 ] || return 0
  result[$provider.sustain_rps]=$(median "${rps[@]}") result[$provider.sustain_p99]=$(printf '%s\n' "${p99[@]}" | sort -g | tail -1)
  result[$provider.sustain_rss]="${rss[0]} → ${rss[-1]}"
}

# sweeps: a second start with the use cases' debug log and a short heartbeat timeout; after stale detection's
# grace period, 10% of the workers get a heartbeat a day old and the rest a fresh one, and two runs follow.
sweeps() {
  local log="$work/service-sweeps.log" answer ten zero again
  stop_service
  start_service "$log" Logging__LogLevel__WorkerFleet.Application.Common.Behaviours=Debug \
    WorkerFleet__Lifecycle__HeartbeatTimeout="$(printf '00:%02d:%02d' $((sweep_timeout / 60)) $((sweep_timeout % 60)))"
  # The first use case starts the grace period; it also shows every worker is still Active.
  answer=$(api GET /workers/counts "$reader_key")
  [[ $answer == *"\"active\":$workers,"* ]] || fail "expected $workers Active workers, the service counts $answer"
  say "$provider: waiting out stale detection's grace period (${sweep_timeout} s)"
  sleep $((sweep_timeout + 1))
  sql "UPDATE workers SET last_heartbeat_at = CASE WHEN id LIKE 'w-%0' THEN $long_ago ELSE $now END"
  # These UPDATEs of every row at once leave dead row versions that no real load leaves in one go and that
  # autovacuum removes only later; without this the sweeps would be timed on the benchmark's own debris.
  [ "$provider" != postgres ] || sql "VACUUM ANALYZE workers"
  ten=$(timed_lifecycle_run "$log" 0 $((workers / 10)) 0)
  zero=$(timed_lifecycle_run "$log" 0 0 0)
  # The same 10% once more, as a running instance sees it: the first run of a process also pays for compiling the
  # sweep's code and queries.
  sql "UPDATE workers SET status = 'Active' WHERE status = 'Offline'"
  again=$(timed_lifecycle_run "$log" 0 $((workers / 10)) 0)
  read -r result[$provider.activate_10] result[$provider.stale_10] result[$provider.reactivate_10] <<<"$ten"
  read -r result[$provider.activate_0] result[$provider.stale_0] result[$provider.reactivate_0] <<<"$zero"
  read -r _ result[$provider.stale_10_again] _ <<<"$again"
  say "$provider sweeps (activate stale reactivate, ms): 10% stale: $ten; 0% stale: $zero; 10% stale again: $again"
}

# warm_registrations: on a fresh process, N registrations, then N more, timed: the rate of a process that has
# registered before. The seeding's own rate is a fresh process's, which spends its first seconds (10-20 s at 100,000
# workers) compiling the path again, optimised, while it serves.
warm_registrations() {
  stop_service
  start_service "$work/service-registrations.log"
  seed workers "$service_url" 201 "$registration_key" warmup- "$workers"
  seed workers "$service_url" 201 "$registration_key" again- "$workers"
  result[$provider.registrations_warm]=$seed_rate
  say "$provider: $workers more workers at $seed_rate/s on a process that had registered $workers"
}

bench_provider() {
  local started=$SECONDS answer
  say "$provider: $workers workers, ${seconds} s runs, $rounds round(s)"
  if [ "$provider" = postgres ]; then
    start_postgres
    now="now()" long_ago="now() - interval '1 day'"
  fi
  start_etcd
  seed leases "$etcd_url" 200
  result[$provider.lease_grants]=$seed_rate
  [ "$(curl -sSf --max-time 60 -X POST "$etcd_url/v3/lease/leases" -d '{}' | grep -o '"ID"' | wc -l)" -eq "$workers" ] ||
    fail "etcd does not hold $workers leases"

  start_service "$work/service.log"
  if [ "$provider" = sqlite ]; then
    now=$(sqlite_timestamp "$work/workerfleet.db" "'now'") long_ago=$(sqlite_timestamp "$work/workerfleet.db" "'2000-01-01 00:00:00'")
    durability="SQLite, journal_mode $(sqlite3 "$work/workerfleet.db" 'PRAGMA journal_mode'), synchronous FULL (the library default, checked by SqliteDurabilityTests)"
  fi
  seed workers "$service_url" 201 "$registration_key"
  result[$provider.registrations]=$seed_rate
  answer=$(api GET /workers/counts "$reader_key")
  [[ $answer == *"\"pending\":$workers,"* && $answer == *"\"total\":$workers}"* ]] ||
    fail "expected $workers Pending workers, the service counts $answer"
  say "$provider: $workers leases at ${result[$provider.lease_grants]}/s, $workers workers at ${result[$provider.registrations]}/s"

  heartbeats
  result[$provider.rss]=$(( $(ps -o rss= -p "$service_pid") / 1024 ))
  sustain

  # Every worker Active: a fresh heartbeat for each (the random load need not have reached all of them), then one run.
  sql "UPDATE workers SET last_heartbeat_at = $now"
  lifecycle_run "$workers" 0 0
  read_load list-warmup "$warmup" "$list_path" >/dev/null
  result[$provider.list_p95]=$(read_load list "$seconds" "$list_path" | awk '{ print $3 }')
  [[ $(api GET "$selection_path" "$reader_key") == *'"capabilities":["compute","gpu"]'* ]] || fail "the selection found no gpu worker"
  read_load selection-warmup "$warmup" "$selection_path" >/dev/null
  result[$provider.selection_p95]=$(read_load selection "$seconds" "$selection_path" | awk '{ print $3 }')

  sweeps
  warm_registrations
  stop_service
  stop_etcd
  if [ "$provider" = postgres ]; then stop_postgres; fi
  result[$provider.elapsed]=$((SECONDS - started))
  write_json
}

write_json() {
  local file cpu
  file="artifacts/bench/bench-$provider-$(date -u +%Y%m%dT%H%M%SZ).json"
  cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1 | tr -d '"\\')
  mkdir -p artifacts/bench
  cat >"$file" <<JSON
{
  "provider": "$provider",
  "mode": "$mode",
  "utc": "$(date -u +%Y-%m-%dT%H:%M:%SZ)",
  "commit": "$(git rev-parse HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo +dirty)",
  "machine": { "nproc": $(nproc), "cpu": "${cpu:-unknown}" },
  "storage": "$durability",
  "workers": $workers,
  "rounds": $rounds,
  "wrk": {
    "heartbeat": "wrk $heartbeat_wrk -d${seconds}s (warm-up ${warmup} s per side)",
    "list": "wrk $list_wrk -d${seconds}s (warm-up ${warmup} s)",
    "selection": "GET $selection_path, wrk $list_wrk -d${seconds}s (warm-up ${warmup} s)",
    "seeding": "wrk -t$seed_connections -c$seed_connections, one request per id"
  },
  "etcd": {
    "version": "$etcd_version",
    "leaseGrantsPerSecond": ${result[$provider.lease_grants]},
    "keepAliveRps": ${result[$provider.etcd_rps]},
    "keepAliveP99Ms": ${result[$provider.etcd_p99]},
    "keepAliveRpsRounds": [${result[$provider.etcd_rps_rounds]// /,}],
    "keepAliveP99MsRounds": [${result[$provider.etcd_p99_rounds]// /,}],
    "errors": ${result[$provider.etcd_errors]}
  },
  "workerfleet": {
    "heartbeatRps": ${result[$provider.ours_rps]},
    "heartbeatP99Ms": ${result[$provider.ours_p99]},
    "heartbeatRpsRounds": [${result[$provider.ours_rps_rounds]// /,}],
    "heartbeatP99MsRounds": [${result[$provider.ours_p99_rounds]// /,}],
    "heartbeatNon2xx": ${result[$provider.ours_non2xx]},
    "heartbeatSocketErrors": ${result[$provider.ours_socket]},
    "ratioRpsOursToEtcd": ${result[$provider.ratio]},
    "ratioRpsOursToEtcdRounds": [${result[$provider.ratio_rounds]// /,}],
    "ratioRpsOursToEtcdMedianOfRounds": ${result[$provider.ratio_of_rounds]},
    "perHeartbeat": { "serviceCpuUs": ${result[$provider.service_us]}, "databaseCpuUs": $([ "$provider" = postgres ] && echo "${result[$provider.database_us]}" || echo null), "diskWrittenKiB": ${result[$provider.written_kib]} },
    "registrationsPerSecond": ${result[$provider.registrations]},
    "registrationsPerSecondWarm": ${result[$provider.registrations_warm]},
    "sweepsMs": {
      "stale10Percent": { "activate": ${result[$provider.activate_10]}, "markStaleOffline": ${result[$provider.stale_10]}, "reactivate": ${result[$provider.reactivate_10]} },
      "stale0Percent": { "activate": ${result[$provider.activate_0]}, "markStaleOffline": ${result[$provider.stale_0]}, "reactivate": ${result[$provider.reactivate_0]} },
      "stale10PercentAgain": { "markStaleOffline": ${result[$provider.stale_10_again]} }
    },
    "listActive1000P95Ms": ${result[$provider.list_p95]},
    "selectionP95Ms": ${result[$provider.selection_p95]},
    "rssMiB": ${result[$provider.rss]},
    "sustained": { "minutes": $sustain_minutes, "heartbeatRps": [${result[$provider.sustain_rps_minutes]// /,}],
      "heartbeatP99Ms": [${result[$provider.sustain_p99_minutes]// /,}], "rssMiB": [${result[$provider.sustain_rss_minutes]// /,}],
      "errors": ${result[$provider.sustain_non2xx]} }
  },
  "elapsedSeconds": ${result[$provider.elapsed]}
}
JSON
  say "$provider: wrote $file"
}

# table_row LABEL METRIC: one line of the table, a column per provider.
table_row() {
  local p
  printf '%-38s' "$1"
  for p in $providers; do printf ' %12s' "${result[$p.$2]}"; done
  printf '\n'
}

print_table() {
  local p
  echo
  echo "WorkerFleet vs etcd $etcd_version lease keep-alive: $mode mode, $workers workers, ${seconds} s runs, median of $rounds round(s), $(nproc) cores"
  printf '%-38s' ""
  for p in $providers; do printf ' %12s' "$p"; done
  printf '\n'
  table_row "etcd keep-alive req/s" etcd_rps
  table_row "etcd keep-alive p99 ms" etcd_p99
  table_row "ours heartbeat req/s" ours_rps
  table_row "ours heartbeat p99 ms" ours_p99
  table_row "ours/etcd req/s" ratio
  table_row "ours/etcd req/s, median of rounds" ratio_of_rounds
  table_row "ours heartbeat 4xx/5xx (must be 0)" ours_non2xx
  table_row "ours heartbeat socket errors" ours_socket
  table_row "service CPU µs per heartbeat" service_us
  table_row "database CPU µs per heartbeat" database_us
  table_row "KiB written to disk per heartbeat" written_kib
  table_row "etcd lease grants/s" lease_grants
  table_row "ours registrations/s" registrations
  table_row "ours registrations/s, warm process" registrations_warm
  table_row "sweep stale 10% ms" stale_10
  table_row "sweep stale 10% ms, again" stale_10_again
  table_row "sweep stale 0% ms" stale_0
  table_row "sweep activate (0 moved) ms" activate_0
  table_row "sweep reactivate (0 moved) ms" reactivate_0
  table_row "GET /workers/active?limit=1000 p95 ms" list_p95
  table_row "selective GET /workers p95 ms" selection_p95
  table_row "service RSS MiB" rss
  if [ "$sustain_minutes" -gt 0 ]; then
    table_row "sustained ${sustain_minutes} min req/s (median)" sustain_rps
    table_row "sustained p99 ms (worst minute)" sustain_p99
    table_row "sustained RSS MiB (1st → last)" sustain_rss
    table_row "sustained 4xx/5xx (must be 0)" sustain_non2xx
  fi
  table_row "seconds taken" elapsed
}

install_missing
work=$(mktemp -d /tmp/workerfleet-bench.XXXXXX)
trap cleanup EXIT
# Published as the README deploys it (Release, precompiled with ReadyToRun), so the first sweeps and requests of each
# start are timed on the code a deployment runs.
say "publishing the service (Release)"
build_output=$(dotnet publish src/WorkerFleet.WebApi -c Release -o "$work/service" -nologo -clp:ErrorsOnly 2>&1) ||
  { echo "$build_output" >&2; fail "the build failed"; }
write_lua
for provider in $providers; do
  bench_provider
  if [ "$mode" != smoke ] && [ $((result[$provider.ours_non2xx] + result[$provider.sustain_non2xx])) -gt 0 ]; then
    failed+=" $provider"
  fi
done
print_table
[ -z "$failed" ] || fail "heartbeats answered 4xx/5xx on:$failed"
