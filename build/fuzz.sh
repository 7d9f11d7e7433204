#!/usr/bin/env bash
# The property-based fuzz of every public route (FuzzPropertyTests) for longer than CI runs it: generated request
# sequences against the service on SQLite and on PostgreSQL in lockstep, drawn from a random seed. A failing
# sequence is cut down to the smallest part that still fails and printed with its own seed; `fuzz.sh 1 <that seed>`
# runs it again. Uses the PostgreSQL named by WORKERFLEET_TEST_POSTGRES, or starts a throwaway one.
# Usage: bash build/fuzz.sh [sequences] [sequence seed]          (default: 2000 sequences)
set -euo pipefail
cd "$(dirname "$0")/.."
sequences=${1:-2000}
seed=${2:-}
from=$(od -An -N6 -tu8 /dev/urandom | tr -d ' ')

if [ -z "${WORKERFLEET_TEST_POSTGRES:-}" ]; then
  source build/postgres.sh
fi

if [ -n "$seed" ]; then
  echo "fuzz: the sequence of seed $seed"
else
  echo "fuzz: $sequences sequences drawn from $from"
fi
WORKERFLEET_FUZZ_SEQUENCES=$sequences WORKERFLEET_FUZZ_FROM=$from WORKERFLEET_FUZZ_SEED=$seed \
  dotnet test tests/WorkerFleet.WebApi.FunctionalTests -c Release --nologo --filter "FullyQualifiedName~FuzzPropertyTests"
