#!/usr/bin/env bash
# Log engine benchmark by issue 13's method (a measurement, not a test).
#
#   bench/run-log.sh [LogBenchmark options]      the full method, defaults as the issue asks (an estimated 60-75 min)
#   bench/run-log.sh --rates-only                only the rate search and the time to integrate
#   bench/run-log.sh --proof-sizes 20000 --rounds 1 --sustain-seconds 10    a smoke run (a few minutes)
#
# 1. builds (offline; see bench/lib.sh) from a private snapshot of this checkout, so that edits made meanwhile
#    do not reach the measured build,
# 2. starts the packaged service (prod profile, embedded durable PostgreSQL, tokens from BenchTokenIssuer;
#    see bench/lib.sh) in the background, in its own process group, on port 18090 with a fresh data directory, and waits for
#    /q/health/ready,
# 3. runs io.stenographer.bench.log.LogBenchmark:
#    a. time to integrate with OPEN-LOOP load (batches released at planned times whatever the answers; latency from
#       the planned time to the first signed checkpoint covering the event, seen by polling GET .../checkpoint):
#       search for the maximum sustainable ingest rate (backlog bounded for --sustain-seconds), then --rounds rounds
#       at 50% and 80% of it, against an idle single-event baseline; targets p99 <= 500 ms / <= 1 s;
#    b. for each of --proof-sizes: bulk load (COPY) up to that tree size; inclusion and consistency proofs beside an
#       authenticated request refused 403 before any work (targets p50 within 0.5 ms, p99 <= 1.5x); full
#       verification beside the read floor (COPY ... TO STDOUT) and the hash floor (SHA-256 on all cores), target
#       >= 0.8x the lower floor,
# 4. stops the service (its whole process group) and the embedded PostgreSQL, and deletes the data.
#
# LogBenchmark options (--name value; defaults = issue 13's method):
#   --sustain-seconds 60     window of each rate-search step      --measure-seconds (= sustain) window of each round
#   --rounds 3               rounds at 50%/80%, of proofs and of verification, at each size
#   --rates-only             skip proofs and verification         --max-rate N   skip the search, take N events/s
#   --rate-start 2000 --rate-step-percent 50 --search-refine 2 --rate-limit 100000   the search
#   --batch-size 100 --senders 64 --poll-ms 10 --idle-events 40   the open-loop load and its observation
#   --proof-sizes 1000000,10000000 (--events N = one size)        --hash-sample 1000000 leaf inputs kept for hashing
#   --proofs 2000 --warmup 300 --baseline-tenant initech          requests per kind and round
#   --copy-chunk 20000 --integrate-timeout-seconds 3600 --verify-timeout-seconds 1800
#   old names still accepted: --ingest-seconds (= --measure-seconds), --writers (= --senders)
#
# Environment: LOGBENCH_HTTP_PORT (18090), LOGBENCH_PG_PORT (54349), LOGBENCH_DATA_DIR (/tmp/steno-logbench),
#              LOGBENCH_WORK_DIR (/tmp/steno-logbench-src), LOGBENCH_KEEP (0: clean up),
#              LOGBENCH_READY_TIMEOUT seconds (600), LOGBENCH_JAVA_OPTS (-Xms1g -Xmx3g; the bench keeps
#              --hash-sample leaf inputs, about 0.6 GB per million, and the ids of one round's events), LOGBENCH_SERVICE_OPTS
#              (extra -D for the service, empty by default).
# Disk: 10M events need an estimated 15-20 GB (not measured) in the data directory (deleted at the end unless LOGBENCH_KEEP=1).
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
# The service JVM and the postmaster, for CPU time per event by process.
PG_PID="$(head -n 1 "$DATA_DIR/pgdata/postmaster.pid" 2>/dev/null || true)"

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
        --service-pid "$SERVICE_PID" \
        ${PG_PID:+--postgres-pid "$PG_PID"} \
        "$@"
} | tee "$OUT"
bench_log "results in $OUT"
# (4) cleanup runs on exit
