#!/usr/bin/env bash
# The whole test suite: clean build (TreatWarningsAsErrors), then every test project.
# Prints "N passed, N failed[, N skipped]" last; exit code 0 only when nothing failed.
set -uo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# A throwaway PostgreSQL cluster for this run only (free port, temporary folder), stopped and deleted on exit.
pg_env=$(scripts/setup-test-deps.sh start) || { echo "0 passed, 1 failed"; exit 1; }
eval "$pg_env"
trap 'scripts/setup-test-deps.sh stop "$GLIDEPATH_TEST_PGDIR" || true' EXIT

results=$(mktemp -d)
dotnet build Glidepath.slnx -c Release --no-incremental -warnaserror -nologo -v quiet || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }

dotnet test Glidepath.slnx -c Release --no-build --logger "trx" --results-directory "$results" -nologo "$@"
test_rc=$?

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(echo "$counters" | sed -n 's/.* passed="\([0-9]*\)".*/\1/p'); f=$(echo "$counters" | sed -n 's/.* failed="\([0-9]*\)".*/\1/p')
  e=$(echo "$counters" | sed -n 's/.* error="\([0-9]*\)".*/\1/p'); t=$(echo "$counters" | sed -n 's/.* total="\([0-9]*\)".*/\1/p')
  x=$(echo "$counters" | sed -n 's/.* executed="\([0-9]*\)".*/\1/p')
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0} + ${e:-0})); skipped=$((skipped + ${t:-0} - ${x:-0}))
done
if [ "$test_rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # No test failed, yet the run did: a fixture's clean-up (xUnit's "[Test Class Cleanup Failure]" line above) or a test host.
  echo "dotnet test exited $test_rc though no test failed: see a \"Cleanup Failure\" or test host error above"
  failed=1
fi
rm -rf "$results"

if [ "$skipped" -gt 0 ]; then echo "$passed passed, $failed failed, $skipped skipped"; else echo "$passed passed, $failed failed"; fi
[ "$failed" -eq 0 ]
