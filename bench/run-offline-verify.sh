#!/usr/bin/env bash
# Offline verify-bundle throughput for issue 13 (a measurement, not a test).
#
#   bench/run-offline-verify.sh            env: OFFLINE_VERIFY_EVENTS (1000000), OFFLINE_VERIFY_ROUNDS (3),
#                                          OFFLINE_VERIFY_BUNDLE (/tmp/steno-offline-verify-<events>.ndjson),
#                                          OFFLINE_VERIFY_JAVA_OPTS (-Xms1g -Xmx3g)
#
# 1. builds domain and bench from this checkout (offline, under /tmp/mvn.lock),
# 2. generates a bundle of N sealed events with real inclusion proofs and a signed checkpoint (skipped when the
#    file and its .key exist),
# 3. runs io.stenographer.bench.verify.OfflineVerifyMeasurement: per round the verifier's events/s (the same
#    BundleVerifier that `verify-bundle` runs), the hash floor (SHA-256 of the same leaf inputs, in memory, on all
#    cores and on one) and the read floor (read + split lines), then medians, spread and ratios.
# No service and no database. The machine may be shared: the figures are indicative.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
EVENTS="${OFFLINE_VERIFY_EVENTS:-1000000}"
ROUNDS="${OFFLINE_VERIFY_ROUNDS:-3}"
BUNDLE="${OFFLINE_VERIFY_BUNDLE:-/tmp/steno-offline-verify-$EVENTS.ndjson}"
JAVA_OPTS="${OFFLINE_VERIFY_JAVA_OPTS:--Xms1g -Xmx3g}"

cd "$REPO"
flock /tmp/mvn.lock ./mvnw -B -ntp -o -q package -pl bench -am -DskipTests
# The checkout's classes first, never an older domain jar from the local repository.
CLASSPATH="$REPO/domain/target/classes:$REPO/bench/target/classes"
MAIN=io.stenographer.bench.verify.OfflineVerifyMeasurement

if [ ! -s "$BUNDLE" ] || [ ! -s "$BUNDLE.key" ]; then
    # shellcheck disable=SC2086 # JAVA_OPTS is a list of JVM options
    java $JAVA_OPTS -cp "$CLASSPATH" "$MAIN" generate --events "$EVENTS" --bundle "$BUNDLE"
fi
echo "source: $(git -C "$REPO" rev-parse --short HEAD)$(git -C "$REPO" diff --quiet HEAD -- domain bench || echo ' (with uncommitted changes)')"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) before the run"
echo "reproduce: OFFLINE_VERIFY_EVENTS=$EVENTS OFFLINE_VERIFY_ROUNDS=$ROUNDS bench/run-offline-verify.sh"
# shellcheck disable=SC2086
java $JAVA_OPTS -cp "$CLASSPATH" "$MAIN" measure --bundle "$BUNDLE" --rounds "$ROUNDS"
echo "machine: load average $(cut -d' ' -f1-3 /proc/loadavg) after the run"
