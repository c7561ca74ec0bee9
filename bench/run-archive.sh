#!/usr/bin/env bash
# Archive and purge benchmark for issue 4 (a measurement, not a test).
#
#   bench/run-archive.sh [ArchiveBenchmark options]   e.g. bench/run-archive.sh --events 200000 --ingest-seconds 20
#
# 1. builds (offline, `package` only) from a private snapshot of this checkout,
# 2. optionally starts S3Mock (ARCHBENCH_STORE=s3) with an Object Lock bucket,
# 3. starts the packaged service (prod profile, embedded durable PostgreSQL, tokens from BenchTokenIssuer) on port 18110,
#    PostgreSQL 54359, with a fresh data directory, and waits for /q/health/ready,
# 4. runs io.stenographer.bench.archive.ArchiveBenchmark: archive throughput and purge throughput at
#    1,000,000 events, each beside its raw baseline, and ingest latency with and without a purge running,
# 5. stops everything and deletes the data.
#
# Service options set here: max-segments-per-run=1000 (so one archive run covers 1M events at 10,000 per
# segment) and the scheduled archive/purge jobs off (only the measured manual runs). BenchTokenIssuer's "admin"
# is compliance-admin of the two benchmark tenants (acme, initech).
#
# Environment: ARCHBENCH_HTTP_PORT (18110), ARCHBENCH_PG_PORT (54359), ARCHBENCH_DATA_DIR (/tmp/steno-archbench),
#              ARCHBENCH_WORK_DIR (/tmp/steno-archbench-src), ARCHBENCH_KEEP (0: clean up),
#              ARCHBENCH_READY_TIMEOUT seconds (600), ARCHBENCH_JAVA_OPTS (-Xms1g -Xmx3g),
#              ARCHBENCH_STORE (local | s3), ARCHBENCH_S3_PORT (18119), ARCHBENCH_SERVICE_OPTS (extra -D).
# Results: bench/results/archive-<UTC time>.txt and ...-service.log (git-ignored).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_NAME="run-archive"
HTTP_PORT="${ARCHBENCH_HTTP_PORT:-18110}"
PG_PORT="${ARCHBENCH_PG_PORT:-54359}"
DIR_PREFIX="/tmp/steno-archbench"
DATA_DIR="${ARCHBENCH_DATA_DIR:-/tmp/steno-archbench}"
WORK_DIR="${ARCHBENCH_WORK_DIR:-/tmp/steno-archbench-src}"
KEEP="${ARCHBENCH_KEEP:-0}"
READY_TIMEOUT="${ARCHBENCH_READY_TIMEOUT:-600}"
JAVA_OPTS="${ARCHBENCH_JAVA_OPTS:--Xms1g -Xmx3g}"
STORE="${ARCHBENCH_STORE:-local}"
S3_PORT="${ARCHBENCH_S3_PORT:-18119}"
read -r -a SERVICE_OPTS <<<"${ARCHBENCH_SERVICE_OPTS:-}"
RESULTS="$REPO/bench/results"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
SERVICE_LOG="$RESULTS/archive-$STAMP-service.log"
OUT="$RESULTS/archive-$STAMP.txt"
S3MOCK_PID=""

# shellcheck source=bench/lib.sh
. "$REPO/bench/lib.sh"

OTHER_PORTS="18080 18090"
case "$STORE" in
    local) bench_check_settings ;;
    s3) bench_check_settings "$S3_PORT" ;;
    *) echo "ARCHBENCH_STORE must be local or s3" >&2; exit 64 ;;
esac

bench_extra_cleanup() {
    if [ -n "$S3MOCK_PID" ] && kill -0 "$S3MOCK_PID" 2>/dev/null; then
        bench_log "stopping S3Mock (pid $S3MOCK_PID)"
        kill -TERM "$S3MOCK_PID" 2>/dev/null
        for _ in $(seq 1 20); do
            kill -0 "$S3MOCK_PID" 2>/dev/null || break
            sleep 1
        done
        kill -KILL "$S3MOCK_PID" 2>/dev/null
    fi
    [ "$KEEP" = 1 ] || rm -rf "$DATA_DIR-s3mock"
}
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$RESULTS"
bench_snapshot_and_build "$REPO"

STORE_OPTS=(-Dstenographer.archive.store=local)
if [ "$STORE" = s3 ]; then
    JAR="$HOME/.m2/repository/com/adobe/testing/s3mock/4.11.0/s3mock-4.11.0-exec.jar"
    [ -f "$JAR" ] || { echo "S3Mock exec jar not found: $JAR" >&2; exit 1; }
    mkdir -p "$DATA_DIR-s3mock"
    bench_log "starting S3Mock on :$S3_PORT"
    java -Xmx512m -XX:+UseSerialGC -jar "$JAR" --com.adobe.testing.s3mock.httpPort="$S3_PORT" \
        --server.port=0 --server.address=127.0.0.1 \
        --com.adobe.testing.s3mock.store.root="$DATA_DIR-s3mock" \
        >"$RESULTS/archive-$STAMP-s3mock.log" 2>&1 </dev/null &
    S3MOCK_PID=$!
    for _ in $(seq 1 60); do
        curl -fsS -m 2 -o /dev/null "http://127.0.0.1:$S3_PORT/" 2>/dev/null && break
        sleep 1
    done
    curl -fsS -m 10 -X PUT -H 'x-amz-bucket-object-lock-enabled: true' \
        "http://127.0.0.1:$S3_PORT/stenographer-bench" >/dev/null
    STORE_OPTS=(-Dstenographer.archive.store=s3 -Dstenographer.archive.s3.bucket=stenographer-bench
        -Dstenographer.archive.s3.region=us-east-1 "-Dstenographer.archive.s3.endpoint=http://127.0.0.1:$S3_PORT"
        -Dstenographer.archive.s3.path-style=true -Dstenographer.archive.s3.access-key-id=bench
        -Dstenographer.archive.s3.secret-access-key=bench -Dstenographer.archive.s3.call-timeout=PT60S)
fi

bench_start_service \
    "${STORE_OPTS[@]}" \
    -Dstenographer.archive.max-segments-per-run=1000 \
    -Dstenographer.archive.cron=off \
    -Dstenographer.purge.cron=off \
    ${SERVICE_OPTS[@]+"${SERVICE_OPTS[@]}"}

REPRODUCE="$(bench_reproduce '^ARCHBENCH_[A-Z0-9_]+=' bench/run-archive.sh "$@")"
{
    echo "source: $PROVENANCE"
    echo "service: $SERVICE_DESCRIPTION, archive store $STORE${ARCHBENCH_SERVICE_OPTS:+, $ARCHBENCH_SERVICE_OPTS}"
    # shellcheck disable=SC2086 # JAVA_OPTS is a list of JVM options
    java $JAVA_OPTS -Dstenographer.bench.token-base="$TOKEN_BASE" -cp "$BENCH_CLASSPATH" io.stenographer.bench.archive.ArchiveBenchmark \
        --base-url "http://127.0.0.1:$HTTP_PORT" \
        --jdbc-url "jdbc:postgresql://127.0.0.1:$PG_PORT/stenographer" \
        --jdbc-user stenographer_owner \
        --work-dir "$DATA_DIR/baseline" \
        --store "$STORE" \
        --command "$REPRODUCE" \
        "$@"
} | tee "$OUT"
bench_log "results in $OUT"
