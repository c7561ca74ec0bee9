#!/usr/bin/env bash
# Ingest benchmark (issues 2 and 10; a measurement, not a test).
#
#   bench/run-ingest.sh [IngestBenchmark options]     e.g. bench/run-ingest.sh --rounds 5 --concurrency 2
#
# 1. snapshots this checkout and builds it offline into a private local repository (bench/lib.sh),
# 2. starts the packaged service (java -jar quarkus-run.jar, prod profile) on its embedded PostgreSQL, which
#    runs with fsync, synchronous_commit and full_page_writes on, with tokens from BenchTokenIssuer, on port
#    18080 with a fresh data directory, and waits for /q/health/ready,
# 3. runs io.stenographer.bench.IngestBenchmark: single-event latency, then batch ingest against a raw JDBC
#    batch INSERT into the same durable PostgreSQL, interleaved for --rounds rounds (default 3); it prints
#    each round's ratio, the median and the spread,
# 4. stops the service and the embedded PostgreSQL, and deletes the data.
#
# Environment: BENCH_HTTP_PORT (18080), BENCH_PG_PORT (54339), BENCH_DATA_DIR (/tmp/steno-bench),
#              BENCH_WORK_DIR (/tmp/steno-bench-src), BENCH_KEEP (0: clean up), BENCH_READY_TIMEOUT seconds
#              (600), BENCH_JAVA_OPTS (-Xms1g -Xmx2g, the load generator), BENCH_SERVICE_JAVA_OPTS
#              (-Xms1g -Xmx2g, the service).
# Results: bench/results/ingest-<UTC time>.txt and ...-service.log (git-ignored).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_NAME="run-ingest"
HTTP_PORT="${BENCH_HTTP_PORT:-18080}"
PG_PORT="${BENCH_PG_PORT:-54339}"
DIR_PREFIX="/tmp/steno-bench"
DATA_DIR="${BENCH_DATA_DIR:-/tmp/steno-bench}"
WORK_DIR="${BENCH_WORK_DIR:-/tmp/steno-bench-src}"
KEEP="${BENCH_KEEP:-0}"
READY_TIMEOUT="${BENCH_READY_TIMEOUT:-600}"
JAVA_OPTS="${BENCH_JAVA_OPTS:--Xms1g -Xmx2g}"
SERVICE_JAVA_OPTS="${BENCH_SERVICE_JAVA_OPTS:--Xms1g -Xmx2g}"
RESULTS="$REPO/bench/results"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
SERVICE_LOG="$RESULTS/ingest-$STAMP-service.log"
OUT="$RESULTS/ingest-$STAMP.txt"

# shellcheck source=bench/lib.sh
. "$REPO/bench/lib.sh"
OTHER_PORTS="18090 18100 18110"
bench_check_settings
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$RESULTS"
bench_snapshot_and_build "$REPO"
bench_start_service
# The service JVM and the postmaster, for CPU-time-per-event figures.
PG_PID="$(head -n 1 "$DATA_DIR/pgdata/postmaster.pid" 2>/dev/null || true)"

REPRODUCE="$(bench_reproduce '^BENCH_[A-Z_]+=' bench/run-ingest.sh "$@")"
{
    echo "source: $PROVENANCE"
    echo "service: $SERVICE_DESCRIPTION"
    # shellcheck disable=SC2086 # JAVA_OPTS is a list of JVM options
    java $JAVA_OPTS -cp "$BENCH_CLASSPATH" io.stenographer.bench.IngestBenchmark \
        --base-url "http://127.0.0.1:$HTTP_PORT" \
        --token-url "$TOKEN_BASE/writer" \
        --jdbc-url "jdbc:postgresql://127.0.0.1:$PG_PORT/stenographer" \
        --jdbc-user stenographer_owner \
        --command "$REPRODUCE" \
        --service-pid "$SERVICE_PID" \
        ${PG_PID:+--postgres-pid "$PG_PID"} \
        "$@"
} | tee "$OUT"
bench_log "results in $OUT"
