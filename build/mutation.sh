#!/usr/bin/env bash
# Mutation testing with Stryker.NET (the local tool pinned in dotnet-tools.json): each production project against the
# tests meant to prove it. Domain against its unit tests, Application against its unit tests, Infrastructure (its
# migrations left out) against its integration tests, the Application tests (which run every use case on the real
# SQLite storage: the lifecycle control's holds, overrides and grace periods are proven there) and the functional
# tests, on the PostgreSQL named by WORKERFLEET_TEST_POSTGRES or a throwaway one. Reports go to
# artifacts/mutation/<project>/reports/ (HTML and JSON), and each project's score is printed at the end. No score
# threshold fails the run: it is a measurement, not a gate.
#
# Usage: bash build/mutation.sh [Domain|Application|Infrastructure|all]   (default all)
#   STRYKER_CONCURRENCY (default 2) sets how many test runs go at once. MUTATION_WITHOUT_FUNCTIONAL=1 runs Infrastructure
#   without the functional tests: much faster, and a lower bound on its score (more tests only kill more).
#   MUTATION_TEST_FILTER passes a `dotnet test --filter` expression to Stryker, to leave out slow tests: again a lower
#   bound on the score. MUTATION_FILES (space-separated globs, default '**/*.cs') mutates only those files, for a run
#   in parts: the parts' reports add up to the project's. Progress is one character per mutant tested (Stryker's Dots
#   reporter), so a log shows it.
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."

target=${1:-all}
case "$target" in
  Domain | Application | Infrastructure) projects=("$target") ;;
  all) projects=(Domain Application Infrastructure) ;;
  *) echo "usage: bash build/mutation.sh [Domain|Application|Infrastructure|all]" >&2; exit 2 ;;
esac

dotnet tool restore >/dev/null
if [[ " ${projects[*]} " == *" Infrastructure "* ]] && [ -z "${WORKERFLEET_TEST_POSTGRES:-}" ]; then
  source build/postgres.sh
fi

root=$PWD
scores=()
for project in "${projects[@]}"; do
  output="$root/artifacts/mutation/$project"
  rm -rf "$output"
  read -r -a mutate <<<"${MUTATION_FILES:-**/*.cs}"
  case "$project" in
    Domain) tests=(tests/WorkerFleet.Domain.UnitTests) ;;
    Application) tests=(tests/WorkerFleet.Application.UnitTests) ;;
    Infrastructure)
      tests=(tests/WorkerFleet.Infrastructure.IntegrationTests tests/WorkerFleet.Application.UnitTests)
      [ "${MUTATION_WITHOUT_FUNCTIONAL:-}" = 1 ] || tests+=(tests/WorkerFleet.WebApi.FunctionalTests)
      mutate+=('!**/Migrations/**') ;;
  esac
  test_args=()
  for test in "${tests[@]}"; do
    test_args+=(--test-project "$root/$test/$(basename "$test").csproj")
  done
  filter_args=()
  [ -z "${MUTATION_TEST_FILTER:-}" ] || filter_args=(--test-case-filter "$MUTATION_TEST_FILTER")
  mutate_args=()
  for pattern in "${mutate[@]}"; do
    mutate_args+=(--mutate "$pattern")
  done

  log="$output.log"
  mkdir -p "$(dirname "$log")"
  (cd "${tests[0]}" && dotnet stryker --project "WorkerFleet.$project.csproj" "${test_args[@]}" "${mutate_args[@]}" "${filter_args[@]}" \
    --configuration Release --concurrency "${STRYKER_CONCURRENCY:-2}" --reporter Html --reporter Json --reporter Dots \
    --output "$output" --skip-version-check) 2>&1 | tee "$log"
  # Stryker ends its run with "The final mutation score is NN.NN %".
  score=$(sed -nE 's/.*final mutation score is ([0-9.]+) %.*/\1/p' "$log" | tail -1)
  [ -n "$score" ] || { echo "Stryker reported no mutation score for $project (see $log)" >&2; exit 1; }
  scores+=("$project $score")
done

echo "mutation scores (reports under artifacts/mutation/):"
printf '  %s %%\n' "${scores[@]}"
