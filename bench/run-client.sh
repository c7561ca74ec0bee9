#!/usr/bin/env bash
# Issue 15's client benchmark (a measurement, not a test): log() enqueue latency beside ArrayBlockingQueue.offer,
# one client's throughput beside the service's raw batch ingest, SPOOL throughput beside a raw append+fsync of the
# same bytes, and receipt.verify() latency, --rounds rounds of --events events each, every target beside its
# baseline in the same round.
#
#   bench/run-client.sh                           3 rounds of 100,000 events
#   bench/run-client.sh --rounds 1 --events 20000 a quick look
#
# 1. builds (offline) from a private snapshot of this checkout, 2. starts the packaged service (prod profile,
# embedded durable PostgreSQL, tokens from BenchTokenIssuer) on port 18130 with a fresh data directory, 3. runs
# io.stenographer.bench.client.ClientBenchmark, 4. stops everything and deletes the data.
#
# Environment: CLIENTBENCH_HTTP_PORT (18130), CLIENTBENCH_PG_PORT (54352), CLIENTBENCH_KEEP (0).
# Results: bench/results/client-<UTC time>.txt and ...-service.log (git-ignored).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_NAME="run-client"
HTTP_PORT="${CLIENTBENCH_HTTP_PORT:-18130}"
PG_PORT="${CLIENTBENCH_PG_PORT:-54352}"
DIR_PREFIX="/tmp/steno-clientbench"
DATA_DIR="/tmp/steno-clientbench"
WORK_DIR="/tmp/steno-clientbench-src"
KEEP="${CLIENTBENCH_KEEP:-0}"
READY_TIMEOUT=600
RESULTS="$REPO/bench/results"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
SERVICE_LOG="$RESULTS/client-$STAMP-service.log"
OUT="$RESULTS/client-$STAMP.txt"

# shellcheck source=bench/lib.sh
. "$REPO/bench/lib.sh"
OTHER_PORTS="18080 18090 18100 18110 18120"
bench_check_settings
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$RESULTS"
bench_snapshot_and_build "$REPO"
bench_start_service

REPRODUCE="$(bench_reproduce '^CLIENTBENCH_[A-Z_]+=' bench/run-client.sh "$@")"
SCRATCH="$DATA_DIR-scratch"
mkdir -p "$SCRATCH"
{
    echo "source: $PROVENANCE"
    echo "service: $SERVICE_DESCRIPTION"
    java -Xms1g -Xmx2g -Dstenographer.bench.token-base="$TOKEN_BASE" -cp "$BENCH_CLASSPATH" \
        io.stenographer.bench.client.ClientBenchmark \
        --base-url "http://127.0.0.1:$HTTP_PORT" \
        --scratch "$SCRATCH" \
        --command "$REPRODUCE" \
        "$@"
} | tee "$OUT"
rm -rf "$SCRATCH"
bench_log "results in $OUT"
