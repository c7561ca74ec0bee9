#!/usr/bin/env bash
# Issue 14's query benchmark (a measurement, not a test): p95 of the event search's first page for each filter of
# the target list, on a tenant of --big-rows events (10M) beside --tenants tenants of --rows events (10 x 1M) in the
# same database, against the same filter on one of the small tenants, interleaved, for --rounds rounds.
#
#   bench/run-queries.sh                                               10M + 10 x 1M, 100 queries, 3 rounds
#   bench/run-queries.sh --big-rows 1000000 --rows 100000              smaller, a few minutes
#
# 1. builds (offline) from a private snapshot of this checkout, 2. starts the packaged service (prod profile,
# embedded durable PostgreSQL, tokens from BenchTokenIssuer) on port 18130 with a fresh data directory, 3. runs
# io.stenographer.bench.log.QueryBenchmark, which inserts the synthetic events as the embedded server's superuser
# (docs/QUERY-PLANS.md, "Setup") and queries through the API, 4. stops everything and deletes the data.
# The data takes about 1.5 KB per event on disk with its indexes (docs/CAPACITY.md): 30 GB for the defaults.
#
# Environment: QUERYBENCH_HTTP_PORT (18130), QUERYBENCH_PG_PORT (54353), QUERYBENCH_KEEP (0),
#              QUERYBENCH_SERVICE_OPTS (extra -D for the service, empty by default).
# Results: bench/results/queries-<UTC time>.txt and ...-service.log (git-ignored).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_NAME="run-queries"
HTTP_PORT="${QUERYBENCH_HTTP_PORT:-18130}"
PG_PORT="${QUERYBENCH_PG_PORT:-54353}"
DIR_PREFIX="/tmp/steno-querybench"
DATA_DIR="/tmp/steno-querybench"
WORK_DIR="/tmp/steno-querybench-src"
KEEP="${QUERYBENCH_KEEP:-0}"
READY_TIMEOUT=600
SERVICE_OPTS="${QUERYBENCH_SERVICE_OPTS:-}"
RESULTS="$REPO/bench/results"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
SERVICE_LOG="$RESULTS/queries-$STAMP-service.log"
OUT="$RESULTS/queries-$STAMP.txt"

# shellcheck source=bench/lib.sh
. "$REPO/bench/lib.sh"
OTHER_PORTS="18080 18090 18100 18110 18120"
bench_check_settings
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$RESULTS"
bench_snapshot_and_build "$REPO"
# shellcheck disable=SC2086 # SERVICE_OPTS is a list of -D options
bench_start_service $SERVICE_OPTS

REPRODUCE="$(bench_reproduce '^QUERYBENCH_[A-Z_]+=' bench/run-queries.sh "$@")"
{
    echo "source: $PROVENANCE"
    echo "service: $SERVICE_DESCRIPTION${SERVICE_OPTS:+, $SERVICE_OPTS}"
    java -Xms256m -Xmx1g -Dstenographer.bench.token-base="$TOKEN_BASE" -cp "$BENCH_CLASSPATH" \
        io.stenographer.bench.log.QueryBenchmark \
        --base-url "http://127.0.0.1:$HTTP_PORT" \
        --jdbc-url "jdbc:postgresql://127.0.0.1:$PG_PORT/stenographer" \
        --jdbc-user postgres \
        --command "$REPRODUCE" \
        "$@"
} | tee "$OUT"
bench_log "results in $OUT"
