#!/usr/bin/env bash
# Runs the timing-sensitive test classes N times in a row (default 10) while a CPU-heavy process keeps one
# core busy, and stops at the first failure. Not part of CI: it checks that the suite does not depend on the
# timing of background threads. Build first (./mvnw verify, or ./mvnw install -DskipTests), then:
#
#   .ci/repeat-timing-tests.sh [N]
#
# Quarkus tests: sequencer, tamper detection, log endpoints, database outage. Packaged-jar suites: the crash
# suite and the two-process suite. Output: target/repeat-timing-tests/run-<i>.log per round.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS="${1:-10}"
OUT=target/repeat-timing-tests
mkdir -p "$OUT"
QUARKUS_TESTS="SequencerConcurrencyTest,TamperDetectionTest,LogEndpointsTest,DatabaseOutageTest"
PACKAGED_TESTS="CrashSuiteIT,TwoServicesOneDatabaseIT"

# The competing load: one shell spinning on one of the machine's cores for the whole run.
sh -c 'while :; do :; done' &
HOG=$!
trap 'kill $HOG 2>/dev/null' EXIT

for i in $(seq 1 "$ROUNDS"); do
    start=$(date +%s)
    if ./mvnw -B -ntp -o -pl bootstrap surefire:test -Dtest="$QUARKUS_TESTS" \
            failsafe:integration-test failsafe:verify -Dit.test="$PACKAGED_TESTS" >"$OUT/run-$i.log" 2>&1; then
        result=passed
    else
        result=FAILED
    fi
    tests=$(grep -E "Tests run: [0-9]+, Failures" "$OUT/run-$i.log" | grep -v " -- in " | sed 's/\[[A-Z]*\] //' | paste -sd ';')
    echo "round $i/$ROUNDS: $result in $(( $(date +%s) - start )) s, load $(cut -d' ' -f1 /proc/loadavg) ($tests)"
    if [ "$result" = FAILED ]; then
        echo "see $OUT/run-$i.log"
        exit 1
    fi
done
echo "all $ROUNDS rounds passed"
