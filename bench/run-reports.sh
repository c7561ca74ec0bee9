#!/usr/bin/env bash
# Report benchmark for issue 5 (a measurement, not a test).
#
#   bench/run-reports.sh [ReportBenchmark options]    e.g. bench/run-reports.sh --events 100000
#
# 1. snapshots this checkout and builds it offline with `package` (never `install`: the shared ~/.m2
#    SNAPSHOT jars belong to other work trees too; dev mode resolves the modules from the snapshot),
# 2. starts the service in dev mode (embedded PostgreSQL, OIDC Dev Services, demo tokens) with a
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
HTTP_PORT="${REPORTBENCH_HTTP_PORT:-18100}"
PG_PORT="${REPORTBENCH_PG_PORT:-18101}"
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
SERVICE_PID=""

case "$HTTP_PORT" in 181[0-9][0-9]) ;; *) echo "use a port from 18100-18199 (shared machine)" >&2; exit 64 ;; esac
case "$DATA_DIR" in /tmp/steno-reportbench*) ;; *) echo "REPORTBENCH_DATA_DIR must start with /tmp/steno-reportbench" >&2; exit 64 ;; esac
case "$WORK_DIR" in /tmp/steno-reportbench*) ;; *) echo "REPORTBENCH_WORK_DIR must start with /tmp/steno-reportbench" >&2; exit 64 ;; esac
if [ "$DATA_DIR" = "$WORK_DIR" ]; then
    echo "REPORTBENCH_DATA_DIR and REPORTBENCH_WORK_DIR must differ" >&2
    exit 64
fi

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}
for port in "$HTTP_PORT" "$PG_PORT"; do
    if port_in_use "$port"; then
        echo "port $port is already in use on 127.0.0.1; set REPORTBENCH_HTTP_PORT / REPORTBENCH_PG_PORT" >&2
        exit 1
    fi
done

log() { echo "[run-reports $(date -u +%H:%M:%S)] $*" >&2; }

stop_postgres() {
    # The embedded PostgreSQL runs detached (pg_ctl), outside the service's process group. The
    # service's shutdown hook normally stops it; this is the fallback, aimed at our data dir only.
    local pidfile="$DATA_DIR/pgdata/postmaster.pid" pid
    [ -f "$pidfile" ] || return 0
    pid="$(head -n 1 "$pidfile")"
    if [ -n "$pid" ] && ps -o args= -p "$pid" 2>/dev/null | grep -q -- "-D $DATA_DIR/pgdata"; then
        log "stopping embedded PostgreSQL (pid $pid)"
        kill -INT "$pid" 2>/dev/null || true
        for _ in $(seq 1 30); do
            kill -0 "$pid" 2>/dev/null || return 0
            sleep 1
        done
        kill -KILL "$pid" 2>/dev/null || true
    fi
}

cleanup() {
    local status=$?
    set +e
    if [ -n "$SERVICE_PID" ] && kill -0 -- "-$SERVICE_PID" 2>/dev/null; then
        log "stopping the service (process group $SERVICE_PID)"
        kill -TERM -- "-$SERVICE_PID" 2>/dev/null
        for _ in $(seq 1 45); do
            kill -0 -- "-$SERVICE_PID" 2>/dev/null || break
            sleep 1
        done
        kill -KILL -- "-$SERVICE_PID" 2>/dev/null
    fi
    stop_postgres
    if [ "$KEEP" != 1 ]; then
        rm -rf "$DATA_DIR" "$WORK_DIR" /tmp/steno-reportbench-files
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$RESULTS"

# (1) build from a snapshot, without install ------------------------------------------------------
HEAD_COMMIT="$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)"
DIRTY="$(git -C "$REPO" status --porcelain 2>/dev/null | wc -l | tr -d ' ')"
log "snapshot of $REPO -> $WORK_DIR"
rm -rf "$WORK_DIR"
mkdir -p "$WORK_DIR"
tar -C "$REPO" --exclude=./.git --exclude=target --exclude=./.stenographer --exclude=./bench/results \
    --exclude=./bootstrap/.stenographer -cf - . | tar -C "$WORK_DIR" -xf -
cd "$WORK_DIR"
log "building (offline, package only)"
./mvnw -B -ntp -o -q package -DskipTests -pl bench,bootstrap -am

# (2) start the service -------------------------------------------------------------------------
rm -rf "$DATA_DIR"
mkdir -p "$DATA_DIR"
log "starting the service on :$HTTP_PORT with $SERVICE_HEAP (embedded PostgreSQL :$PG_PORT, data $DATA_DIR)"
# `compile` in the same session makes Maven resolve the sibling modules from their target/classes (with
# `quarkus:dev` alone it would take stale SNAPSHOT jars from ~/.m2); quarkus:dev skips the library modules.
setsid ./mvnw -B -ntp -o compile quarkus:dev -pl bootstrap -am \
    -DforceC2=true \
    -Ddebug=false \
    -Djvm.args="$SERVICE_HEAP" \
    -Dquarkus.analytics.disabled=true \
    -Dquarkus.console.enabled=false \
    -Dquarkus.http.port="$HTTP_PORT" \
    -Dstenographer.embedded-postgres.port="$PG_PORT" \
    -Dstenographer.embedded-postgres.data-dir="$DATA_DIR/pgdata" \
    -Dstenographer.data-dir="$DATA_DIR" \
    >"$SERVICE_LOG" 2>&1 </dev/null &
SERVICE_PID=$!

ready=0
for _ in $(seq 1 $((READY_TIMEOUT / 2))); do
    if ! kill -0 "$SERVICE_PID" 2>/dev/null; then
        echo "the service exited during start-up; last lines of $SERVICE_LOG:" >&2
        tail -n 40 "$SERVICE_LOG" >&2
        exit 1
    fi
    if curl -fsS -m 5 -o /dev/null "http://127.0.0.1:$HTTP_PORT/q/health/ready" 2>/dev/null; then
        ready=1
        break
    fi
    sleep 2
done
if [ "$ready" != 1 ]; then
    echo "the service was not ready after ${READY_TIMEOUT}s; last lines of $SERVICE_LOG:" >&2
    tail -n 40 "$SERVICE_LOG" >&2
    exit 1
fi
log "service ready"

# (3) run the benchmark -------------------------------------------------------------------------
REPRODUCE="cd <repo> && bench/run-reports.sh${*:+ $*}"
{
    echo "source: work tree at commit $HEAD_COMMIT with $DIRTY uncommitted path(s)"
    echo "service: quarkus:dev (C2 on), $SERVICE_HEAP, embedded PostgreSQL 17, OIDC Dev Services"
    # shellcheck disable=SC2086 # JAVA_OPTS is a list of JVM options
    # The snapshot's own domain classes first: the jar's Class-Path points into ~/.m2, whose SNAPSHOT
    # jars may come from another work tree.
    java $JAVA_OPTS -cp domain/target/classes:bench/target/stenographer-bench.jar io.stenographer.bench.log.ReportBenchmark \
        --base-url "http://127.0.0.1:$HTTP_PORT" \
        --jdbc-url "jdbc:postgresql://127.0.0.1:$PG_PORT/stenographer" \
        --command "$REPRODUCE" \
        "$@"
} | tee "$OUT"
log "results in $OUT"
# (4) cleanup runs on exit
