#!/usr/bin/env bash
# Builds with warnings as errors and runs every test project. Uses the PostgreSQL named by
# WORKERFLEET_TEST_POSTGRES, or starts a throwaway one (build/postgres.sh). Ends with one summary line:
# "N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${WORKERFLEET_TEST_POSTGRES:-}" ]; then
  source build/postgres.sh
fi

mkdir -p artifacts
log=artifacts/test.log
dotnet build WorkerFleet.sln -c Release -warnaserror -nologo -clp:ErrorsOnly

set +e
dotnet test WorkerFleet.sln -c Release --no-build --nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# VSTest prints one "Passed!/Failed!  - Failed: N, Passed: N, Skipped: N, Total: N" line per test project.
read -r passed failed skipped projects < <(
  sed -nE 's/.*(Passed|Failed)!  - Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\3 \2 \4/p' "$log" |
    awk '{ p += $1; f += $2; s += $3; n++ } END { print p+0, f+0, s+0, n+0 }')
expected=$(grep -cE 'tests\\[^"]*\.csproj' WorkerFleet.sln)
if [ "$status" -eq 0 ] && [ "$projects" -lt "$expected" ]; then
  echo "only $projects of $expected test projects reported results" >&2
  status=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
