# Sourced by the scripts that measure two builds side by side (bench-sweeps.sh, bench-selection.sh): each publishes
# two revisions and runs them in turns on fresh databases, one service at a time on 127.0.0.1.
# The caller sets: $work (a temporary directory), $port, $admin, $reader, $registration, $providers, $old_rev and
# $new_rev (empty for the working tree), and may set extra_settings=(NAME=value ...) for every start.
service_pid=
cleanup() {
  [ -z "$service_pid" ] || kill "$service_pid" 2>/dev/null || true
  git worktree remove --force "$work/old-src" 2>/dev/null || true
  [ -z "$new_rev" ] || git worktree remove --force "$work/new-src" 2>/dev/null || true
  if declare -F stop_postgres >/dev/null; then stop_postgres; fi
  rm -rf "$work"
}
trap cleanup EXIT

# build NAME REV: publishes the service at REV (the working tree when REV is empty) to $work/NAME.
build() {
  local source=.
  if [ -n "$2" ]; then
    source="$work/$1-src"
    git worktree add -q --detach "$source" "$2"
  fi
  dotnet publish "$source/src/WorkerFleet.WebApi" -c Release -o "$work/$1" -nologo -v q >/dev/null
}
build old "$old_rev"
build new "$new_rev"

if [[ " $providers " == *" postgres "* ]]; then
  WORKERFLEET_PG_DURABLE=1 source build/postgres.sh
  trap cleanup EXIT # postgres.sh set a trap of its own, which would leave $work and the worktrees behind
  psql() { "$pg_bin/psql" "host=127.0.0.1 port=$pg_port user=postgres dbname=$1" -qAt -c "$2"; }
fi

# storage PROVIDER RUN: a fresh, empty database for one run; sets the service's storage settings.
storage() {
  if [ "$1" = sqlite ]; then
    storage_settings=(WorkerFleet__Storage__Provider=Sqlite "WorkerFleet__Storage__SqlitePath=$work/$2.db")
  else
    psql postgres "CREATE DATABASE $2"
    storage_settings=(WorkerFleet__Storage__Provider=Postgres "ConnectionStrings__WorkerFleet=Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=$2")
  fi
}

# start BUILD LOG: starts that build (Production, lifecycle jobs parked) and waits until it answers /health.
start() {
  env "${storage_settings[@]}" ASPNETCORE_ENVIRONMENT=Production \
    WorkerFleet__Security__AdminKeys__0=$admin WorkerFleet__Security__ReaderKeys__0=$reader \
    WorkerFleet__Security__RegistrationKeys__0=$registration \
    "WorkerFleet__Lifecycle__ActivationCron=0 0 0 1 1 ? 2099" "WorkerFleet__Lifecycle__StaleDetectionCron=0 0 0 1 1 ? 2099" \
    "WorkerFleet__Lifecycle__ReactivationCron=0 0 0 1 1 ? 2099" Logging__LogLevel__Default=Warning "${extra_settings[@]}" \
    dotnet "$work/$1/WorkerFleet.WebApi.dll" --urls "http://127.0.0.1:$port" > "$2" 2>&1 &
  service_pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$port/health"; do
    kill -0 "$service_pid" 2>/dev/null || { cat "$2" >&2; exit 1; }
    sleep 0.2
  done
}

stop() {
  kill "$service_pid"
  wait "$service_pid" || true
  service_pid=
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
