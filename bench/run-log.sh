#!/usr/bin/env bash
# Tamper-evident log benchmark for issue 3 (a measurement, not a test).
#
#   bench/run-log.sh [LogBenchmark options]    e.g. bench/run-log.sh --events 200000 --ingest-seconds 30
#
# 1. builds (offline; see bench/lib.sh) from a private snapshot of this checkout, so that edits made meanwhile
#    do not reach the measured build,
# 2. starts the packaged service (prod profile, embedded durable PostgreSQL, tokens from BenchTokenIssuer;
#    see bench/lib.sh) in the background, in its own process group, on port 18090 with a fresh data directory, and waits for
#    /q/health/ready,
# 3. runs io.stenographer.bench.log.LogBenchmark: time to integrate under sustained batch ingest,
#    bulk load of 1,000,000 sealed events (COPY), proof latency at that size, full verification,
#    each beside its baseline,
# 4. stops the service (its whole process group) and the embedded PostgreSQL, and deletes the data.
#
# Environment: LOGBENCH_HTTP_PORT (18090), LOGBENCH_PG_PORT (54349), LOGBENCH_DATA_DIR (/tmp/steno-logbench),
#              LOGBENCH_WORK_DIR (/tmp/steno-logbench-src), LOGBENCH_KEEP (0: clean up),
#              LOGBENCH_READY_TIMEOUT seconds (600), LOGBENCH_JAVA_OPTS (-Xms1g -Xmx3g; the bench keeps the
#              1M leaf inputs in memory for the SHA-256 baseline), LOGBENCH_SERVICE_OPTS (extra -D for the
#              service, empty by default).
# Results: bench/results/log-<UTC time>.txt and ...-service.log (git-ignored).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_NAME="run-log"
HTTP_PORT="${LOGBENCH_HTTP_PORT:-18090}"
PG_PORT="${LOGBENCH_PG_PORT:-54349}"
DIR_PREFIX="/tmp/steno-logbench"
DATA_DIR="${LOGBENCH_DATA_DIR:-/tmp/steno-logbench}"
WORK_DIR="${LOGBENCH_WORK_DIR:-/tmp/steno-logbench-src}"
KEEP="${LOGBENCH_KEEP:-0}"
READY_TIMEOUT="${LOGBENCH_READY_TIMEOUT:-600}"
JAVA_OPTS="${LOGBENCH_JAVA_OPTS:--Xms1g -Xmx3g}"
SERVICE_OPTS="${LOGBENCH_SERVICE_OPTS:-}"
RESULTS="$REPO/bench/results"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
SERVICE_LOG="$RESULTS/log-$STAMP-service.log"
OUT="$RESULTS/log-$STAMP.txt"

# shellcheck source=bench/lib.sh
. "$REPO/bench/lib.sh"
OTHER_PORTS="18080 18110"
bench_check_settings
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$RESULTS"
# (1) build from a snapshot, (2) start the service
bench_snapshot_and_build "$REPO"
# shellcheck disable=SC2086 # SERVICE_OPTS is a list of -D options
bench_start_service $SERVICE_OPTS

# (3) run the benchmark -------------------------------------------------------------------------
REPRODUCE="$(bench_reproduce '^LOGBENCH_[A-Z_]+=' bench/run-log.sh "$@")"
{
    echo "source: $PROVENANCE"
    echo "service: $SERVICE_DESCRIPTION${SERVICE_OPTS:+, $SERVICE_OPTS}"
    # shellcheck disable=SC2086 # JAVA_OPTS is a list of JVM options
    java $JAVA_OPTS -Dstenographer.bench.token-base="$TOKEN_BASE" -cp "$BENCH_CLASSPATH" io.stenographer.bench.log.LogBenchmark \
        --base-url "http://127.0.0.1:$HTTP_PORT" \
        --jdbc-url "jdbc:postgresql://127.0.0.1:$PG_PORT/stenographer" \
        --jdbc-user stenographer_owner \
        --command "$REPRODUCE" \
        "$@"
} | tee "$OUT"
bench_log "results in $OUT"
# (4) cleanup runs on exit
