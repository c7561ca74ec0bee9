#!/usr/bin/env bash
# Tamper-evident log benchmark for issue 3 (a measurement, not a test).
#
#   bench/run-log.sh [LogBenchmark options]    e.g. bench/run-log.sh --events 200000 --ingest-seconds 30
#
# 1. builds (offline) from a private snapshot of this checkout (dev mode would otherwise restart the
#    service whenever someone edits a source file mid-run),
# 2. starts the service in dev mode (embedded PostgreSQL, OIDC Dev Services, demo tokens) in the
#    background, in its own process group, on port 18090 with a fresh data directory, and waits for
#    /q/health/ready,
# 3. runs io.stenographer.bench.log.LogBenchmark: time to integrate under sustained batch ingest,
#    bulk load of 1,000,000 sealed events (COPY), proof latency at that size, full verification,
#    each beside its baseline,
# 4. stops the service (its whole process group) and the embedded PostgreSQL, and deletes the data.
#
# -DforceC2=true: dev mode otherwise runs the JVM with -XX:TieredStopAtLevel=1 (C1 only).
# Environment: LOGBENCH_HTTP_PORT (18090), LOGBENCH_PG_PORT (54349), LOGBENCH_DATA_DIR (/tmp/steno-logbench),
#              LOGBENCH_WORK_DIR (/tmp/steno-logbench-src), LOGBENCH_KEEP (0: clean up),
#              LOGBENCH_READY_TIMEOUT seconds (600), LOGBENCH_JAVA_OPTS (-Xms1g -Xmx3g; the bench keeps the
#              1M leaf inputs in memory for the SHA-256 baseline), LOGBENCH_SERVICE_OPTS (extra -D for the
#              service, empty by default).
# Results: bench/results/log-<UTC time>.txt and ...-service.log (git-ignored).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HTTP_PORT="${LOGBENCH_HTTP_PORT:-18090}"
PG_PORT="${LOGBENCH_PG_PORT:-54349}"
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
SERVICE_PID=""

case "$HTTP_PORT" in 8080|18080) echo "refusing port $HTTP_PORT: it belongs to other work on this machine" >&2; exit 64 ;; esac
# Everything below deletes these two directories, so they must look like ours.
case "$DATA_DIR" in /tmp/steno-logbench*) ;; *) echo "LOGBENCH_DATA_DIR must start with /tmp/steno-logbench" >&2; exit 64 ;; esac
case "$WORK_DIR" in /tmp/steno-logbench*) ;; *) echo "LOGBENCH_WORK_DIR must start with /tmp/steno-logbench" >&2; exit 64 ;; esac
if [ "$DATA_DIR" = "$WORK_DIR" ]; then
    echo "LOGBENCH_DATA_DIR and LOGBENCH_WORK_DIR must differ" >&2
    exit 64
fi

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}
for port in "$HTTP_PORT" "$PG_PORT"; do
    if port_in_use "$port"; then
        echo "port $port is already in use on 127.0.0.1; set LOGBENCH_HTTP_PORT / LOGBENCH_PG_PORT" >&2
        exit 1
    fi
done

log() { echo "[run-log $(date -u +%H:%M:%S)] $*" >&2; }

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
        rm -rf "$DATA_DIR" "$WORK_DIR"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$RESULTS"

# (1) build from a snapshot ---------------------------------------------------------------------
HEAD_COMMIT="$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)"
DIRTY="$(git -C "$REPO" status --porcelain 2>/dev/null | wc -l | tr -d ' ')"
PROVENANCE="work tree at commit $HEAD_COMMIT with $DIRTY uncommitted path(s)"
log "snapshot of $REPO -> $WORK_DIR"
rm -rf "$WORK_DIR"
mkdir -p "$WORK_DIR"
tar -C "$REPO" --exclude=./.git --exclude=target --exclude=./.stenographer --exclude=./bench/results \
    --exclude=./bootstrap/.stenographer -cf - . | tar -C "$WORK_DIR" -xf -
cd "$WORK_DIR"
log "building (offline)"
./mvnw -B -ntp -o -q install -DskipTests -pl domain,application,adapters-rest,adapters-persistence,bootstrap
./mvnw -B -ntp -o -q -f bench/pom.xml package -DskipTests

# (2) start the service -------------------------------------------------------------------------
rm -rf "$DATA_DIR"
mkdir -p "$DATA_DIR"
log "starting the service on :$HTTP_PORT (embedded PostgreSQL :$PG_PORT, data $DATA_DIR); log $SERVICE_LOG"
# setsid: own process group, so stopping it takes Maven, the dev JVM and all. The -D options reach the
# forked dev JVM (checked below from its log line).
# shellcheck disable=SC2086 # SERVICE_OPTS is a list of -D options
setsid ./mvnw -B -ntp -o quarkus:dev \
    -DforceC2=true \
    -Ddebug=false \
    -Dquarkus.analytics.disabled=true \
    -Dquarkus.console.enabled=false \
    -Dquarkus.http.port="$HTTP_PORT" \
    -Dstenographer.embedded-postgres.port="$PG_PORT" \
    -Dstenographer.embedded-postgres.data-dir="$DATA_DIR/pgdata" \
    -Dstenographer.data-dir="$DATA_DIR" \
    $SERVICE_OPTS \
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
if ! grep -q "Embedded PostgreSQL 17 on port $PG_PORT, data in $DATA_DIR/pgdata" "$SERVICE_LOG"; then
    echo "the service did not start the embedded PostgreSQL on :$PG_PORT in $DATA_DIR/pgdata; see $SERVICE_LOG" >&2
    exit 1
fi
log "service ready"

# (3) run the benchmark -------------------------------------------------------------------------
ENV_PREFIX=""
while IFS='=' read -r name value; do
    ENV_PREFIX+="$name=$(printf '%q' "$value") "
done < <(env | grep -E '^LOGBENCH_[A-Z_]+=' | sort)
REPRODUCE="cd <repo> && ${ENV_PREFIX}bench/run-log.sh${*:+ $*}"
{
    echo "source: $PROVENANCE"
    echo "service: quarkus:dev (C2 on via -DforceC2=true), embedded PostgreSQL 17, OIDC Dev Services${SERVICE_OPTS:+, $SERVICE_OPTS}"
    # shellcheck disable=SC2086 # JAVA_OPTS is a list of JVM options
    java $JAVA_OPTS -cp bench/target/stenographer-bench.jar io.stenographer.bench.log.LogBenchmark \
        --base-url "http://127.0.0.1:$HTTP_PORT" \
        --jdbc-url "jdbc:postgresql://127.0.0.1:$PG_PORT/stenographer" \
        --jdbc-user stenographer_owner \
        --command "$REPRODUCE" \
        "$@"
} | tee "$OUT"
log "results in $OUT"
# (4) cleanup runs on exit
