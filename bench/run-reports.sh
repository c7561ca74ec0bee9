#!/usr/bin/env bash
# Report benchmark for issue 5 (a measurement, not a test).
#
#   bench/run-reports.sh [ReportBenchmark options]    e.g. bench/run-reports.sh --events 100000
#
# 1. snapshots this checkout and builds it offline into a private local repository (bench/lib.sh; the
#    shared ~/.m2 is only read),
# 2. starts the packaged service (prod profile, embedded durable PostgreSQL, tokens from BenchTokenIssuer) with a
#    bounded heap (-Xmx512m by default) in its own process group, on port 18100 with a fresh data
#    directory, and waits for /q/health/ready,
# 3. runs io.stenographer.bench.log.ReportBenchmark: bulk load of 1,000,000 sealed events (COPY, as
#    bench/run-log.sh does), then a public-records export of all of them as CSV and as a verifiable
#    bundle, timing each and sampling the service heap; the bundle is verified offline,
# 4. stops the service (its whole process group) and the embedded PostgreSQL, and deletes the data.
#
# Environment: REPORTBENCH_HTTP_PORT (18100), REPORTBENCH_PG_PORT (18101), REPORTBENCH_DATA_DIR
#              (/tmp/steno-reportbench), REPORTBENCH_WORK_DIR (/tmp/steno-reportbench-src), REPORTBENCH_KEEP (0),
#              REPORTBENCH_READY_TIMEOUT seconds (600), REPORTBENCH_SERVICE_HEAP (-Xmx512m),
#              REPORTBENCH_JAVA_OPTS (-Xmx2g, for the load generator, which keeps the leaf inputs).
# Results: bench/results/reports-<UTC time>.txt and ...-service.log (git-ignored).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_NAME="run-reports"
HTTP_PORT="${REPORTBENCH_HTTP_PORT:-18100}"
PG_PORT="${REPORTBENCH_PG_PORT:-18101}"
DIR_PREFIX="/tmp/steno-reportbench"
DATA_DIR="${REPORTBENCH_DATA_DIR:-/tmp/steno-reportbench}"
WORK_DIR="${REPORTBENCH_WORK_DIR:-/tmp/steno-reportbench-src}"
KEEP="${REPORTBENCH_KEEP:-0}"
READY_TIMEOUT="${REPORTBENCH_READY_TIMEOUT:-600}"
SERVICE_HEAP="${REPORTBENCH_SERVICE_HEAP:--Xmx512m}"
JAVA_OPTS="${REPORTBENCH_JAVA_OPTS:--Xmx2g}"
RESULTS="$REPO/bench/results"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
SERVICE_LOG="$RESULTS/reports-$STAMP-service.log"
OUT="$RESULTS/reports-$STAMP.txt"

# shellcheck source=bench/lib.sh
SERVICE_JAVA_OPTS="$SERVICE_HEAP"
. "$REPO/bench/lib.sh"
OTHER_PORTS="18080 18090 18110"
# The benchmark downloads reports here; lib.sh removes only the data and work directories.
bench_extra_cleanup() {
    [ "$KEEP" = 1 ] || rm -rf /tmp/steno-reportbench-files
}
bench_check_settings
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$RESULTS"
# (1) build from a snapshot, (2) start the service with a bounded heap
bench_snapshot_and_build "$REPO"
bench_start_service

# (3) run the benchmark -------------------------------------------------------------------------
REPRODUCE="$(bench_reproduce '^REPORTBENCH_[A-Z_]+=' bench/run-reports.sh "$@")"
{
    echo "source: $PROVENANCE"
    echo "service: $SERVICE_DESCRIPTION"
    # shellcheck disable=SC2086 # JAVA_OPTS is a list of JVM options
    java $JAVA_OPTS -Dstenographer.bench.token-base="$TOKEN_BASE" -cp "$BENCH_CLASSPATH" io.stenographer.bench.log.ReportBenchmark \
        --base-url "http://127.0.0.1:$HTTP_PORT" \
        --jdbc-url "jdbc:postgresql://127.0.0.1:$PG_PORT/stenographer" \
        --command "$REPRODUCE" \
        "$@"
} | tee "$OUT"
bench_log "results in $OUT"
# (4) cleanup runs on exit
