#!/usr/bin/env bash
# Issue 14's memory run (a measurement, not a test): the service on a 512 MiB heap takes 10,000 events of about
# 64 KiB of metadata each (about 620 MiB of data), then integrates, archives, verifies, purges and reads them back.
# Every step must succeed; the report gives the heap the service used at most beside the data it moved.
#
#   bench/run-memory.sh                                   10,000 x 65,000 bytes at -Xmx512m
#   MEMBENCH_HEAP=-Xmx256m bench/run-memory.sh --events 2000
#
# 1. builds (offline) from a private snapshot of this checkout, 2. starts the packaged service (prod profile,
# embedded durable PostgreSQL, tokens from BenchTokenIssuer) on port 18130 with a fresh data directory and the given
# heap, 3. runs io.stenographer.bench.archive.MemoryBenchmark, 4. checks the service log for OutOfMemoryError,
# 5. stops everything and deletes the data.
#
# Environment: MEMBENCH_HTTP_PORT (18130), MEMBENCH_PG_PORT (54352), MEMBENCH_HEAP (-Xmx512m), MEMBENCH_KEEP (0).
# Results: bench/results/memory-<UTC time>.txt and ...-service.log (git-ignored).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_NAME="run-memory"
HTTP_PORT="${MEMBENCH_HTTP_PORT:-18130}"
PG_PORT="${MEMBENCH_PG_PORT:-54352}"
DIR_PREFIX="/tmp/steno-membench"
DATA_DIR="/tmp/steno-membench"
WORK_DIR="/tmp/steno-membench-src"
KEEP="${MEMBENCH_KEEP:-0}"
READY_TIMEOUT=600
HEAP="${MEMBENCH_HEAP:--Xmx512m}"
SERVICE_JAVA_OPTS="$HEAP"
RESULTS="$REPO/bench/results"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
SERVICE_LOG="$RESULTS/memory-$STAMP-service.log"
OUT="$RESULTS/memory-$STAMP.txt"

# shellcheck source=bench/lib.sh
. "$REPO/bench/lib.sh"
OTHER_PORTS="18080 18090 18100 18110 18120"
bench_check_settings
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$RESULTS"
bench_snapshot_and_build "$REPO"
# The scheduled jobs stay off: the run triggers each one itself.
bench_start_service -Dstenographer.archive.cron=off -Dstenographer.purge.cron=off

REPRODUCE="$(bench_reproduce '^MEMBENCH_[A-Z_]+=' bench/run-memory.sh "$@")"
{
    echo "source: $PROVENANCE"
    echo "service: $SERVICE_DESCRIPTION"
    java -Xms256m -Xmx1g -Dstenographer.bench.token-base="$TOKEN_BASE" -cp "$BENCH_CLASSPATH" \
        io.stenographer.bench.archive.MemoryBenchmark \
        --base-url "http://127.0.0.1:$HTTP_PORT" \
        --command "$REPRODUCE" \
        "$@"
    if grep -q "OutOfMemoryError" "$SERVICE_LOG"; then
        echo "FAILED: the service ran out of memory (see $SERVICE_LOG)"
        exit 1
    fi
    echo "no OutOfMemoryError in the service log"
} | tee "$OUT"
bench_log "results in $OUT"
