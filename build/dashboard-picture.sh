#!/usr/bin/env bash
# Makes docs/dashboard.png: the dashboard of the service as `dotnet run` starts it (embedded SQLite, the default
# schedules, the development keys), with a small fleet registered and heartbeating over HTTP, after the default
# schedules have activated it and marked one silent worker Offline. Takes about three minutes (the default heartbeat
# timeout is two). Needs Chromium (apt-get install -y chromium) and npm, which fetches playwright-core.
# Usage: bash build/dashboard-picture.sh [output.png]
set -euo pipefail
cd "$(dirname "$0")/.."
picture=$(realpath -m "${1:-docs/dashboard.png}")
port=18280
url="http://127.0.0.1:$port"
admin="Authorization: Bearer dev-admin-key-change-me-0123456789abcdef"
registrar="Authorization: Bearer dev-registration-key-change-me-0123456789"
work=$(mktemp -d)
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

npm install --prefix "$work/npm" --no-save --no-audit --no-fund --silent playwright-core@1.65.1
dotnet build src/WorkerFleet.WebApi -c Release -nologo -clp:ErrorsOnly
(cd src/WorkerFleet.WebApi/bin/Release/net10.0 &&
  ASPNETCORE_ENVIRONMENT=Development WorkerFleet__Storage__SqlitePath="$work/workerfleet.db" \
    exec dotnet WorkerFleet.WebApi.dll --urls "$url") > "$work/service.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 60); do curl -sf -o /dev/null "$url/health/live" && break; sleep 1; done
curl -sf -o /dev/null "$url/health/live" || { cat "$work/service.log" >&2; exit 1; }

register() { # id region capacity capabilities-json
  curl -sf -H "$registrar" -H 'Content-Type: application/json' \
    -d "{\"id\":\"$1\",\"region\":\"$2\",\"capacity\":$3,\"capabilities\":$4,\"metadata\":{\"rack\":\"r1\"}}" "$url/workers" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])'
}
heartbeat_forever() { # id token
  while true; do curl -s -o /dev/null -X POST -H "Authorization: Bearer $2" "$url/workers/$1/heartbeat"; sleep 10; done
}

for spec in "gpu-node-1 eu-west-1 8 [\"compute\",\"gpu\"]" "gpu-node-2 eu-west-1 8 [\"compute\",\"gpu\"]" \
            "cpu-node-1 us-east-1 16 [\"compute\"]" "cpu-node-2 us-east-1 16 [\"compute\"]" "cpu-node-3 us-east-1 4 [\"compute\"]"; do
  read -r id region capacity capabilities <<< "$spec"
  token=$(register "$id" "$region" "$capacity" "$capabilities")
  heartbeat_forever "$id" "$token" &
  pids+=($!)
done
# One worker that heartbeats once and falls silent, and one that never heartbeats.
silent=$(register batch-runner-1 us-east-1 2 '["batch"]')
curl -sf -o /dev/null -X POST -H "Authorization: Bearer $silent" "$url/workers/batch-runner-1/heartbeat"
register new-node-1 ap-south-1 4 '["compute"]' > /dev/null
curl -sf -o /dev/null -X PUT -H "$admin" -H 'Content-Type: application/json' \
  -d '{"schedulable":false,"reason":"Kernel upgrade"}' "$url/workers/cpu-node-3/schedulable"

echo "waiting for the default schedules to activate the fleet and mark batch-runner-1 Offline (about 2.5 minutes)"
for _ in $(seq 1 40); do
  offline=$(curl -sf -H "$admin" "$url/workers/counts" | python3 -c 'import json, sys; print(json.load(sys.stdin)["offline"])')
  [ "$offline" = 1 ] && break
  sleep 5
done
[ "$offline" = 1 ] || { echo "batch-runner-1 was not marked Offline" >&2; exit 1; }

PLAYWRIGHT="$work/npm/node_modules/playwright-core/index.mjs" DASHBOARD_URL="$url" \
  DASHBOARD_KEY="dev-admin-key-change-me-0123456789abcdef" PICTURE="$picture" node build/dashboard-picture.mjs
echo "saved $picture"
