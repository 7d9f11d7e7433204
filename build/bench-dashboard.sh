#!/usr/bin/env bash
# What the dashboard's reads cost on a fleet of 100,000 workers in PostgreSQL, through the real HTTP service:
# the counts, the first page, a page deep in the fleet (cursor paging, so it should cost what the first does),
# a status filter and an id-prefix search. Each request is timed N times with curl; prints median and p95 in ms.
# Usage: bash build/bench-dashboard.sh [requests-per-read] [workers]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-50}
fleet=${2:-100000}
[ -n "${WORKERFLEET_TEST_POSTGRES:-}" ] || source build/postgres.sh

dotnet build src/WorkerFleet.WebApi -c Release -nologo -clp:ErrorsOnly >/dev/null
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
database="workerfleet_dashboard_$$"
libpq() { echo "$WORKERFLEET_TEST_POSTGRES" | sed "s/;/ /g; s/Host=/host=/; s/Port=/port=/; s/Username=/user=/; s/Database=[^ ;]*/dbname=$1/"; }
psql "$(libpq postgres)" -qtAc "CREATE DATABASE $database" >/dev/null

port=18180
key=bench-reader-key-0123456789abcdef0123456789
WorkerFleet__Storage__Provider=Postgres \
ConnectionStrings__WorkerFleet="$(echo "$WORKERFLEET_TEST_POSTGRES" | sed "s/Database=[^;]*/Database=$database/")" \
WorkerFleet__Security__ReaderKeys__0="$key" \
WorkerFleet__Security__AdminKeys__0=bench-admin-key-0123456789abcdef0123456789 \
WorkerFleet__Security__RegistrationKeys__0=bench-registration-key-0123456789abcdef01 \
Logging__LogLevel__Default=Warning \
  dotnet src/WorkerFleet.WebApi/bin/Release/net10.0/WorkerFleet.WebApi.dll --urls "http://127.0.0.1:$port" >"$work/service.log" 2>&1 &
service=$!
until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do sleep 0.2; done

# Seeded in one statement: registering 100,000 workers over HTTP would measure registration, not reading.
psql "$(libpq "$database")" -qtAc "
  INSERT INTO workers (id, region, capacity, capabilities, metadata, status, registered_at, last_heartbeat_at,
                       heartbeats_recorded, version, token_hash)
  SELECT 'w-' || lpad(i::text, 6, '0'), (ARRAY['us-east-1','eu-west-1','ap-south-1'])[1 + i % 3], 8, ARRAY['compute'],
         '{}', (ARRAY['Pending','Active','Offline','Failed'])[1 + i % 4], now(), now(), 1, 1, md5(i::text) || md5('t' || i)
  FROM generate_series(1, $fleet) AS i;
  ANALYZE workers;" >/dev/null

deep=$(printf 'w-%06d' $((fleet - 100)) | base64 | tr '+/' '-_' | tr -d '=')
time_read() {
  local name=$1 path=$2
  curl -sf -o /dev/null -H "Authorization: Bearer $key" "http://127.0.0.1:$port$path" || { echo "$name: $path failed" >&2; exit 1; }
  for _ in $(seq 1 "$runs"); do
    curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $key" "http://127.0.0.1:$port$path"
  done | sort -n | awk -v name="$name" '{ t[NR] = $1 * 1000 } END {
    printf "%-38s median %6.1f ms   p95 %6.1f ms\n", name, t[int((NR + 1) / 2)], t[int(NR * 0.95)] }'
}

echo "$fleet workers, $runs requests per read:"
time_read "GET /workers/counts" "/workers/counts"
time_read "first page of 50" "/workers?limit=50"
time_read "page of 50, 100 workers from the end" "/workers?limit=50&cursor=$deep"
time_read "Active, first page of 50" "/workers?status=Active&limit=50"
time_read "id prefix w-0999, page of 50" "/workers?idPrefix=w-0999&limit=50"
time_read "GET /alarms" "/alarms"
time_read "Quartz jobs" "/quartz-api/schedulers/QuartzScheduler/jobs"
kill "$service"; wait "$service" 2>/dev/null || true
psql "$(libpq postgres)" -qtAc "DROP DATABASE $database WITH (FORCE)" >/dev/null
