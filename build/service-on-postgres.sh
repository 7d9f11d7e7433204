#!/usr/bin/env bash
# Sourced by the benchmark and soak scripts: the Release build of the service on a PostgreSQL database of its own,
# on the server named by WORKERFLEET_TEST_POSTGRES (or a throwaway one), with keys of its own.
#   start_service PORT [NAME=VALUE ...]   creates a database, starts the service on it with those extra settings,
#                                         waits until it is healthy; sets $service and $database
#   stop_service                          stops it and drops its database
#   register_workers PORT PREFIX COUNT    registers PREFIX-1..PREFIX-COUNT; writes the Lua table `tokens` of their
#                                         tokens to $work/tokens.lua, for wrk scripts
#   heartbeat_script PREFIX               writes $work/post.lua: wrk heartbeats of a random registered worker
#   psql_on DATABASE SQL                  runs SQL on a database of that server
# $admin_key, $reader_key and $registration_key are the keys; $work is a folder removed at exit.
[ -n "${WORKERFLEET_TEST_POSTGRES:-}" ] || source build/postgres.sh

work=$(mktemp -d)
admin_key=admin-key-0123456789abcdef0123456789abcdef
reader_key=reader-key-0123456789abcdef0123456789abcdef
registration_key=registration-key-0123456789abcdef0123456789
service=""
database=""

pg_param() { echo "$WORKERFLEET_TEST_POSTGRES" | tr ';' '\n' | sed -n "s/^$1=//p"; }
psql_on() { psql "host=$(pg_param Host) port=$(pg_param Port) user=$(pg_param Username) dbname=$1" -qtAc "$2"; }

start_service() {
  local port=$1
  shift
  database="workerfleet_bench_${port}_$$"
  psql_on "$(pg_param Database)" "CREATE DATABASE $database" >/dev/null
  env ASPNETCORE_ENVIRONMENT=Production \
    WorkerFleet__Storage__Provider=Postgres \
    ConnectionStrings__WorkerFleet="$(echo "$WORKERFLEET_TEST_POSTGRES" | sed "s/Database=[^;]*/Database=$database/")" \
    WorkerFleet__Security__AdminKeys__0="$admin_key" WorkerFleet__Security__ReaderKeys__0="$reader_key" \
    WorkerFleet__Security__RegistrationKeys__0="$registration_key" WorkerFleet__Security__HeartbeatRateLimit=1000000 WorkerFleet__Security__RegistrationRateLimit=1000000 \
    Logging__LogLevel__Default=Warning "$@" \
    dotnet src/WorkerFleet.WebApi/bin/Release/net10.0/WorkerFleet.WebApi.dll --urls "http://127.0.0.1:$port" \
    >"$work/service-$port.log" 2>&1 &
  service=$!
  until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do
    kill -0 "$service" 2>/dev/null || { cat "$work/service-$port.log" >&2; exit 1; }
    sleep 0.2
  done
}

stop_service() {
  if [ -n "$service" ]; then
    kill "$service" 2>/dev/null && wait "$service" 2>/dev/null
    service=""
  fi
  if [ -n "$database" ]; then
    psql_on "$(pg_param Database)" "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null 2>&1
    database=""
  fi
  return 0
}

register_workers() {
  local port=$1 prefix=$2 count=$3 i token
  echo "tokens = {" > "$work/tokens.lua"
  for i in $(seq 1 "$count"); do
    token=$(curl -sf -X POST "http://127.0.0.1:$port/workers" -H "Authorization: Bearer $registration_key" \
      -H 'Content-Type: application/json' -d "{\"id\":\"$prefix-$i\",\"region\":\"bench\",\"capacity\":1}" |
      sed -E 's/.*"token":"([^"]+)".*/\1/')
    echo "  \"$token\"," >> "$work/tokens.lua"
  done
  echo "}" >> "$work/tokens.lua"
}

heartbeat_script() {
  cat > "$work/post.lua" <<LUA
dofile("$work/tokens.lua")
request = function()
  local i = math.random(1, #tokens)
  return wrk.format("POST", "/workers/$1-" .. i .. "/heartbeat", { ["Authorization"] = "Bearer " .. tokens[i] })
end
LUA
}

trap 'stop_service; rm -rf "$work"; stop_postgres 2>/dev/null || true' EXIT
dotnet build src/WorkerFleet.WebApi -c Release -nologo -clp:ErrorsOnly >/dev/null
