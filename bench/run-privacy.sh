#!/usr/bin/env bash
# Issue 18's personal-data benchmark (a measurement, not a test).
#
#   bench/run-privacy.sh                                   both targets, defaults as measured (about 15 minutes)
#   bench/run-privacy.sh --phases ingest --rounds 7        any PrivacyBenchmark option passes through
#
# 1. builds (offline) from a private snapshot of this checkout (bench/lib.sh), 2. starts the packaged service (prod
# profile, embedded durable PostgreSQL, tokens from BenchTokenIssuer) on port 18160 with a fresh data directory and
# one setting added: the baseline tenant (globex) has personal-fields=none, the measured tenant (acme) keeps the
# default policy, 3. runs io.stenographer.bench.privacy.PrivacyBenchmark:
#    target 1: batch ingest, default policy against personal-fields=none, alternating, --rounds rounds (default 5);
#    target 2: erasure of subjects with 100k events each, timed end to end, plus an EXPLAIN ANALYZE of the erasure's
#    DELETE (rolled back),
# 4. stops everything and deletes the data.
#
# Environment: PRIVBENCH_HTTP_PORT (18160), PRIVBENCH_PG_PORT (54356), PRIVBENCH_KEEP (0),
#              PRIVBENCH_SERVICE_OPTS (extra -D for the service, empty by default),
#              PRIVBENCH_JAVA_OPTS (-Xms512m -Xmx1g, the load generator).
# Results: bench/results/privacy-<UTC time>.txt and ...-service.log (git-ignored).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_NAME="run-privacy"
HTTP_PORT="${PRIVBENCH_HTTP_PORT:-18160}"
PG_PORT="${PRIVBENCH_PG_PORT:-54356}"
DIR_PREFIX="/tmp/steno-privbench"
DATA_DIR="/tmp/steno-privbench"
WORK_DIR="/tmp/steno-privbench-src"
KEEP="${PRIVBENCH_KEEP:-0}"
READY_TIMEOUT=600
SERVICE_OPTS="${PRIVBENCH_SERVICE_OPTS:-}"
JAVA_OPTS="${PRIVBENCH_JAVA_OPTS:--Xms512m -Xmx1g}"
BASELINE_TENANT="globex"
RESULTS="$REPO/bench/results"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
SERVICE_LOG="$RESULTS/privacy-$STAMP-service.log"
OUT="$RESULTS/privacy-$STAMP.txt"

# shellcheck source=bench/lib.sh
. "$REPO/bench/lib.sh"
OTHER_PORTS="18080 18090 18100 18110 18120 18130 18140"
bench_check_settings
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$RESULTS"
bench_snapshot_and_build "$REPO"
BASELINE_POLICY="-Dstenographer.privacy.tenant.\"$BASELINE_TENANT\".personal-fields=none"
# shellcheck disable=SC2086 # SERVICE_OPTS is a list of -D options
bench_start_service "$BASELINE_POLICY" $SERVICE_OPTS

REPRODUCE="$(bench_reproduce '^PRIVBENCH_[A-Z_]+=' bench/run-privacy.sh "$@")"
{
    echo "source: $PROVENANCE"
    echo "service: $SERVICE_DESCRIPTION, $BASELINE_POLICY${SERVICE_OPTS:+, $SERVICE_OPTS}"
    # shellcheck disable=SC2086 # JAVA_OPTS is a list of JVM options
    java $JAVA_OPTS -Dstenographer.bench.token-base="$TOKEN_BASE" -cp "$BENCH_CLASSPATH" \
        io.stenographer.bench.privacy.PrivacyBenchmark \
        --base-url "http://127.0.0.1:$HTTP_PORT" \
        --jdbc-url "jdbc:postgresql://127.0.0.1:$PG_PORT/stenographer" \
        --jdbc-user stenographer_owner \
        --baseline-tenant "$BASELINE_TENANT" \
        --command "$REPRODUCE" \
        "$@"
} | tee "$OUT"
bench_log "results in $OUT"
