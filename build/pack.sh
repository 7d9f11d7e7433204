#!/usr/bin/env bash
# Packs WorkerFleet.Domain, WorkerFleet.Application, WorkerFleet.Infrastructure and WorkerFleet.Client, each with its
# symbol package, into artifacts/packages (or the folder given as the first argument). The version is set in
# src/Directory.Build.props; a second argument overrides it (the packaging test packs a unique prerelease version).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-artifacts/packages}
version=${2:+-p:Version=$2}
mkdir -p "$out"
for project in Domain Application Infrastructure Client; do
  dotnet pack "src/WorkerFleet.$project" -c Release -o "$out" -nologo -clp:ErrorsOnly -warnaserror \
    -p:ContinuousIntegrationBuild=true $version
done
ls -l "$out"/*.nupkg "$out"/*.snupkg
