#!/usr/bin/env bash
# Records a deliberate change of the packages' public surface in src/*/PublicAPI.Unshipped.txt: new members are
# added, removed shipped ones are marked *REMOVED*, and unshipped ones removed again are dropped. Review the diff in
# the commit: it is the API change. Without arguments it covers every package; `update-public-api.sh Client` only
# src/WorkerFleet.Client.
set -euo pipefail
cd "$(dirname "$0")/.."
projects=("$@")
[ ${#projects[@]} -gt 0 ] || projects=(Domain Application Infrastructure Client)
for project in "${projects[@]}"; do
  dotnet build "src/WorkerFleet.$project" -nologo --no-incremental -p:TreatWarningsAsErrors=false 2>&1 |
    python3 -c '
import re, sys
project = sys.argv[1]
added, removed = set(), set()
for line in sys.stdin:
    if f"WorkerFleet.{project}.csproj" not in line:
        continue
    m = re.search(r"(RS0016|RS0017): Symbol \x27(.*?)\x27 is ", line)
    if m:
        (added if m.group(1) == "RS0016" else removed).add(m.group(2))
path = f"src/WorkerFleet.{project}/PublicAPI.Unshipped.txt"
lines = [l.rstrip("\n") for l in open(path)]
# A symbol added since the last release and removed again is simply dropped; only a shipped one is marked *REMOVED*.
unshipped = set(lines)
lines = [l for l in lines if l not in removed]
lines += sorted(added) + sorted("*REMOVED*" + s for s in removed if s not in unshipped)
header = [l for l in lines if l.startswith("#")]
body = sorted(set(l for l in lines if l and not l.startswith("#")))
open(path, "w").write("\n".join(header + body) + "\n")
print(f"{project}: {len(added)} added, {len(removed)} removed")
' "$project"
done
