#!/usr/bin/env bash
# Builds with warnings as errors, runs the dashboard's node tests and every test project. Uses the PostgreSQL named by
# WORKERFLEET_TEST_POSTGRES, or starts a throwaway one (build/postgres.sh). Ends with one summary line over both:
# "N passed, N failed, N skipped". A test that runs longer than the hang limit (WORKERFLEET_TEST_HANG_TIMEOUT, default
# 10 minutes; the slowest test takes under a minute) fails its project with a dump of the test host under
# artifacts/test-results, and the ten slowest tests are printed before the summary.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${WORKERFLEET_TEST_POSTGRES:-}" ]; then
  source build/postgres.sh
fi

mkdir -p artifacts
log=artifacts/test.log
node_log=artifacts/node-tests.tap
results=artifacts/test-results
rm -rf "$node_log" "$results"
dotnet build WorkerFleet.sln -c Release -warnaserror -nologo -clp:ErrorsOnly

# The dashboard's modules, under Node's own test runner (after the build, which installs the cronstrue they test
# with): the spec report to the terminal, the TAP report to a file for the counts.
set +e
node --test --test-reporter=spec --test-reporter-destination=stdout --test-reporter=tap \
  --test-reporter-destination="$node_log" src/WorkerFleet.WebApi/Dashboard/tests/*.test.mjs
node_status=$?
dotnet test WorkerFleet.sln -c Release --no-build --nologo --results-directory "$results" --logger trx \
  --blame-hang-timeout "${WORKERFLEET_TEST_HANG_TIMEOUT:-10m}" --blame-hang-dump-type mini 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# Each result in a TRX report is one <UnitTestResult … testName="…" … duration="hh:mm:ss.fffffff" …> element.
echo "slowest tests:"
cat "$results"/*.trx 2>/dev/null | grep -o '<UnitTestResult [^>]*>' |
  sed -nE 's/.*testName="([^"]*)".*duration="([0-9]+):([0-9]+):([0-9.]+)".*/\2 \3 \4 \1/p' |
  awk '{ seconds = $1 * 3600 + $2 * 60 + $3; $1 = $2 = $3 = ""; sub(/^ +/, ""); printf "%9.1f s  %s\n", seconds, $0 }' |
  sort -rn | head -10 || true

# VSTest prints one "Passed!/Failed!  - Failed: N, Passed: N, Skipped: N, Total: N" line per test project.
read -r passed failed skipped projects < <(
  sed -nE 's/.*(Passed|Failed)!  - Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\3 \2 \4/p' "$log" |
    awk '{ p += $1; f += $2; s += $3; n++ } END { print p+0, f+0, s+0, n+0 }')
expected=$(grep -cE 'tests\\[^"]*\.csproj' WorkerFleet.sln)
if [ "$status" -eq 0 ] && [ "$projects" -lt "$expected" ]; then
  echo "only $projects of $expected test projects reported results" >&2
  status=1
fi

# Node's TAP report ends with "# pass N", "# fail N", "# cancelled N", "# skipped N" and "# todo N" (nested results are
# indented). A cancelled test did not pass, so it counts as failed; a todo counts as skipped.
read -r node_passed node_failed node_skipped < <(
  awk '/^# pass /{ p = $3 } /^# fail /{ f += $3 } /^# cancelled /{ f += $3 } /^# (skipped|todo) /{ s += $3 }
    END { print p+0, f+0, s+0 }' "$node_log" 2>/dev/null || echo "0 0 0")
if [ "$node_status" -ne 0 ]; then
  status=1
elif [ "$node_passed" -eq 0 ]; then
  echo "the dashboard's node tests reported no results" >&2
  status=1
fi
echo "$((passed + node_passed)) passed, $((failed + node_failed)) failed, $((skipped + node_skipped)) skipped"
exit "$status"
