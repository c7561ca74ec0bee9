#!/usr/bin/env bash
# Issue 14's tenants benchmark (a measurement, not a test): the time to integrate of --tenants tenants that each
# send --per-tenant-rate events/s, against one tenant that sends --solo-rate events/s, in the same run,
# alternating for --rounds rounds of --seconds each.
#
#   bench/run-tenants.sh                                          1,000 x 2 events/s against 1 x 2,000, 3 x 30 s
#   TENANTSBENCH_SERVICE_OPTS=-Dstenographer.log.sequencer-workers=1 bench/run-tenants.sh    one tenant at a time
#
# 1. builds (offline) from a private snapshot of this checkout, 2. starts the packaged service (prod profile,
# embedded durable PostgreSQL, tokens from BenchTokenIssuer) on port 18120 with a fresh data directory, 3. runs
# io.stenographer.bench.log.TenantsBenchmark, 4. stops everything and deletes the data.
#
# Environment: TENANTSBENCH_HTTP_PORT (18120), TENANTSBENCH_PG_PORT (54351), TENANTSBENCH_KEEP (0),
#              TENANTSBENCH_SERVICE_OPTS (extra -D for the service, empty by default).
# Results: bench/results/tenants-<UTC time>.txt and ...-service.log (git-ignored).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_NAME="run-tenants"
HTTP_PORT="${TENANTSBENCH_HTTP_PORT:-18120}"
PG_PORT="${TENANTSBENCH_PG_PORT:-54351}"
DIR_PREFIX="/tmp/steno-tenantsbench"
DATA_DIR="/tmp/steno-tenantsbench"
WORK_DIR="/tmp/steno-tenantsbench-src"
KEEP="${TENANTSBENCH_KEEP:-0}"
READY_TIMEOUT=600
SERVICE_OPTS="${TENANTSBENCH_SERVICE_OPTS:-}"
RESULTS="$REPO/bench/results"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
SERVICE_LOG="$RESULTS/tenants-$STAMP-service.log"
OUT="$RESULTS/tenants-$STAMP.txt"

# shellcheck source=bench/lib.sh
. "$REPO/bench/lib.sh"
OTHER_PORTS="18080 18090 18100 18110"
bench_check_settings
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$RESULTS"
bench_snapshot_and_build "$REPO"
# shellcheck disable=SC2086 # SERVICE_OPTS is a list of -D options
bench_start_service $SERVICE_OPTS

REPRODUCE="$(bench_reproduce '^TENANTSBENCH_[A-Z_]+=' bench/run-tenants.sh "$@")"
{
    echo "source: $PROVENANCE"
    echo "service: $SERVICE_DESCRIPTION${SERVICE_OPTS:+, $SERVICE_OPTS}"
    java -Xms512m -Xmx1g -Dstenographer.bench.token-base="$TOKEN_BASE" -cp "$BENCH_CLASSPATH" \
        io.stenographer.bench.log.TenantsBenchmark \
        --base-url "http://127.0.0.1:$HTTP_PORT" \
        --jdbc-url "jdbc:postgresql://127.0.0.1:$PG_PORT/stenographer" \
        --jdbc-user stenographer_owner \
        --command "$REPRODUCE" \
        "$@"
} | tee "$OUT"
bench_log "results in $OUT"
