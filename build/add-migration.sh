#!/usr/bin/env bash
# Adds an EF Core migration for both storage providers: build/add-migration.sh <MigrationName>
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:?usage: build/add-migration.sh <MigrationName>}
tools=artifacts/tools
[ -x "$tools/dotnet-ef" ] || dotnet tool install dotnet-ef --version 10.0.15 --tool-path "$tools"
project=src/WorkerFleet.Infrastructure
"$tools/dotnet-ef" migrations add "$name" --project "$project" --startup-project "$project" \
  --context SqliteWorkerFleetDbContext --output-dir Persistence/Migrations/Sqlite
"$tools/dotnet-ef" migrations add "$name" --project "$project" --startup-project "$project" \
  --context PostgresWorkerFleetDbContext --output-dir Persistence/Migrations/Postgres
# Migrations are an implementation detail of the Infrastructure package, not part of its public surface.
sed -i 's/^    public partial class /    internal partial class /; s/^    partial class /    internal partial class /' \
  "$project"/Persistence/Migrations/*/*.cs
