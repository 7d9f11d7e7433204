#!/usr/bin/env bash
# What the dashboard's reads cost on a fleet of 100,000 workers in PostgreSQL, through the real HTTP service:
# the counts, the first page, a page deep in the fleet (cursor paging, so it should cost what the first does),
# a status filter, an id-prefix search and a selective selection (region, capability, minimum capacity). Each request is timed N times with curl; prints median and p95 in ms.
# Usage: bash build/bench-dashboard.sh [requests-per-read] [workers]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-50}
fleet=${2:-100000}
source build/service-on-postgres.sh

port=18180
start_service "$port"

# Seeded in one statement: registering 100,000 workers over HTTP would measure registration, not reading.
psql_on "$database" "
  INSERT INTO workers (id, region, capacity, capabilities, metadata, status, registered_at, last_heartbeat_at,
                       heartbeats_recorded, version, token_hash)
  SELECT 'w-' || lpad(i::text, 6, '0'), (ARRAY['us-east-1','eu-west-1','ap-south-1'])[1 + i % 3], 1 + i % 32,
         CASE WHEN i % 97 = 0 THEN ARRAY['compute','gpu'] ELSE ARRAY['compute'] END,
         '{}', (ARRAY['Pending','Active','Offline','Failed'])[1 + i % 4], now(), now(), 1, 1, md5(i::text) || md5('t' || i)
  FROM generate_series(1, $fleet) AS i;
  ANALYZE workers;" >/dev/null

deep=$(printf 'w-%06d' $((fleet - 100)) | base64 | tr '+/' '-_' | tr -d '=')
time_read() {
  local name=$1 path=$2
  curl -sf -o /dev/null -H "Authorization: Bearer $reader_key" "http://127.0.0.1:$port$path" || { echo "$name: $path failed" >&2; exit 1; }
  for _ in $(seq 1 "$runs"); do
    curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $reader_key" "http://127.0.0.1:$port$path"
  done | sort -n | awk -v name="$name" '{ t[NR] = $1 * 1000 } END {
    printf "%-38s median %6.1f ms   p95 %6.1f ms\n", name, t[int((NR + 1) / 2)], t[int(NR * 0.95)] }'
}

echo "$fleet workers, $runs requests per read:"
time_read "GET /workers/counts" "/workers/counts"
time_read "first page of 50" "/workers?limit=50"
time_read "page of 50, 100 workers from the end" "/workers?limit=50&cursor=$deep"
time_read "Active, first page of 50" "/workers?status=Active&limit=50"
time_read "id prefix w-0999, page of 50" "/workers?idPrefix=w-0999&limit=50"
time_read "Active gpu in eu-west-1, capacity >= 8" "/workers?status=Active&region=eu-west-1&capability=gpu&capability=compute&minCapacity=8&limit=100"
time_read "GET /alarms" "/alarms"
time_read "Quartz jobs" "/quartz-api/schedulers/QuartzScheduler/jobs"
