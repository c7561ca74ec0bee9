#!/usr/bin/env bash
# Issue 17's console benchmark (a measurement, not a test).
#
#   bench/run-console.sh                          1M events, 100 requests per page, 3 rounds (about 10 minutes)
#   bench/run-console.sh --rows 200000 --rounds 5 any ConsoleBenchmark option passes through
#
# 1. builds (offline) from a private snapshot of this checkout (bench/lib.sh), 2. starts the packaged service (prod
# profile, embedded durable PostgreSQL; BenchTokenIssuer answers both the API's bearer tokens and the console's
# authorization-code sign-in, as query-auditor) on port 18170 with a fresh data directory, 3. loads --rows synthetic
# events into tenant acme (superuser INSERT, as run-queries.sh), 4. signs in to the console and times each page
# against the API call that reads the same data, interleaved, 5. stops everything and deletes the data.
#
# Environment: CONSOLEBENCH_HTTP_PORT (18170), CONSOLEBENCH_PG_PORT (54357), CONSOLEBENCH_KEEP (0),
#              CONSOLEBENCH_SERVICE_OPTS (extra -D for the service, empty by default).
# Results: bench/results/console-<UTC time>.txt and ...-service.log (git-ignored).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_NAME="run-console"
HTTP_PORT="${CONSOLEBENCH_HTTP_PORT:-18170}"
PG_PORT="${CONSOLEBENCH_PG_PORT:-54357}"
DIR_PREFIX="/tmp/steno-consolebench"
DATA_DIR="/tmp/steno-consolebench"
WORK_DIR="/tmp/steno-consolebench-src"
KEEP="${CONSOLEBENCH_KEEP:-0}"
READY_TIMEOUT=600
SERVICE_OPTS="${CONSOLEBENCH_SERVICE_OPTS:-}"
RESULTS="$REPO/bench/results"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
SERVICE_LOG="$RESULTS/console-$STAMP-service.log"
OUT="$RESULTS/console-$STAMP.txt"

# shellcheck source=bench/lib.sh
. "$REPO/bench/lib.sh"
OTHER_PORTS="18080 18090 18100 18110 18120 18130 18140 18160"
bench_check_settings
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$RESULTS"
bench_snapshot_and_build "$REPO"
# The console's client secret: random per run, known to nobody else (the bench issuer takes any).
STENOGRAPHER_CONSOLE_CLIENT_SECRET="$(head -c 32 /dev/urandom | base64 | tr -d '=+/')"
export STENOGRAPHER_CONSOLE_CLIENT_SECRET
SIGN_IN_AS="-Dquarkus.oidc.console.authentication.extra-params.login_hint=query-auditor"
# shellcheck disable=SC2086 # SERVICE_OPTS is a list of -D options
bench_start_service "$SIGN_IN_AS" $SERVICE_OPTS

REPRODUCE="$(bench_reproduce '^CONSOLEBENCH_[A-Z_]+=' bench/run-console.sh "$@")"
{
    echo "source: $PROVENANCE"
    echo "service: $SERVICE_DESCRIPTION, console sign-in by BenchTokenIssuer's authorization-code flow${SERVICE_OPTS:+, $SERVICE_OPTS}"
    java -Xms256m -Xmx1g -Dstenographer.bench.token-base="$TOKEN_BASE" -cp "$BENCH_CLASSPATH" \
        io.stenographer.bench.log.ConsoleBenchmark \
        --base-url "http://127.0.0.1:$HTTP_PORT" \
        --jdbc-url "jdbc:postgresql://127.0.0.1:$PG_PORT/stenographer" \
        --jdbc-user postgres \
        --command "$REPRODUCE" \
        "$@"
} | tee "$OUT"
bench_log "results in $OUT"
