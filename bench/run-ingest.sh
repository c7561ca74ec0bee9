#!/usr/bin/env bash
# Ingest benchmark for issue 2 (a measurement, not a test).
#
#   bench/run-ingest.sh [benchmark options]     e.g. bench/run-ingest.sh --events 100000 --concurrency 2
#
# 1. builds (offline) from a private snapshot of this checkout,
# 2. starts the service in dev mode (embedded PostgreSQL, OIDC Dev Services, demo tokens) in the
#    background on port 18080 with a fresh data directory, and waits for /q/health/ready,
# 3. runs io.stenographer.bench.IngestBenchmark (java -jar bench/target/stenographer-bench.jar),
# 4. stops the service (its whole process group) and the embedded PostgreSQL, and deletes the data.
#
# Why a snapshot: dev mode recompiles and restarts the application when sources change. In a checkout
# that other people edit, that happens in the middle of a run (seen while writing this script), so
# the service is built and run from a copy. BENCH_SOURCE picks what is copied: "worktree" (default:
# the files as they are, uncommitted changes included) or "head" (git archive HEAD, plus bench/ from
# the work tree). BENCH_SNAPSHOT=0 runs in the checkout itself.
# Why -DforceC2=true: dev mode otherwise starts the JVM with -XX:TieredStopAtLevel=1 (C1 only), which
# would measure a handicapped JIT, not the service.
#
# Environment: BENCH_HTTP_PORT (18080), BENCH_PG_PORT (54339), BENCH_DATA_DIR (/tmp/steno-bench),
#              BENCH_WORK_DIR (/tmp/steno-bench-src), BENCH_SNAPSHOT (1), BENCH_SOURCE (worktree),
#              BENCH_KEEP (0: clean up),
#              BENCH_READY_TIMEOUT seconds (600), BENCH_JAVA_OPTS (-Xms1g -Xmx2g).
# Results: bench/results/ingest-<UTC time>.txt and ...-service.log (git-ignored).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HTTP_PORT="${BENCH_HTTP_PORT:-18080}"
PG_PORT="${BENCH_PG_PORT:-54339}"
DATA_DIR="${BENCH_DATA_DIR:-/tmp/steno-bench}"
WORK_DIR="${BENCH_WORK_DIR:-/tmp/steno-bench-src}"
SNAPSHOT="${BENCH_SNAPSHOT:-1}"
SOURCE="${BENCH_SOURCE:-worktree}"
KEEP="${BENCH_KEEP:-0}"
READY_TIMEOUT="${BENCH_READY_TIMEOUT:-600}"
JAVA_OPTS="${BENCH_JAVA_OPTS:--Xms1g -Xmx2g}"
RESULTS="$REPO/bench/results"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
SERVICE_LOG="$RESULTS/ingest-$STAMP-service.log"
OUT="$RESULTS/ingest-$STAMP.txt"
SERVICE_PID=""

if [ "$HTTP_PORT" = 8080 ]; then
    echo "refusing port 8080: it belongs to other work on this machine" >&2
    exit 64
fi
# Everything below deletes these two directories, so they must look like ours.
case "$DATA_DIR" in /tmp/steno-bench*) ;; *) echo "BENCH_DATA_DIR must start with /tmp/steno-bench" >&2; exit 64 ;; esac
case "$WORK_DIR" in /tmp/steno-bench*) ;; *) echo "BENCH_WORK_DIR must start with /tmp/steno-bench" >&2; exit 64 ;; esac
if [ "$DATA_DIR" = "$WORK_DIR" ]; then
    echo "BENCH_DATA_DIR and BENCH_WORK_DIR must differ" >&2
    exit 64
fi

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}
for port in "$HTTP_PORT" "$PG_PORT"; do
    if port_in_use "$port"; then
        echo "port $port is already in use on 127.0.0.1; set BENCH_HTTP_PORT / BENCH_PG_PORT" >&2
        exit 1
    fi
done

log() { echo "[run-ingest $(date -u +%H:%M:%S)] $*"; }

stop_postgres() {
    # The embedded PostgreSQL runs detached (pg_ctl), outside the service's process group. The
    # service's shutdown hook normally stops it; this is the fallback, aimed at our data dir only.
    local pidfile="$DATA_DIR/postmaster.pid" pid
    [ -f "$pidfile" ] || return 0
    pid="$(head -n 1 "$pidfile")"
    if [ -n "$pid" ] && ps -o args= -p "$pid" 2>/dev/null | grep -q -- "-D $DATA_DIR"; then
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
        rm -rf "$DATA_DIR"
        [ "$SNAPSHOT" = 1 ] && rm -rf "$WORK_DIR"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$RESULTS"

# (1) build -------------------------------------------------------------------------------------
# Provenance for the record: commit and number of uncommitted paths (read-only git commands).
HEAD_COMMIT="$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)"
DIRTY="$(git -C "$REPO" status --porcelain 2>/dev/null | wc -l | tr -d ' ')"
if [ "$SNAPSHOT" = 1 ]; then
    log "snapshot ($SOURCE) of $REPO -> $WORK_DIR"
    rm -rf "$WORK_DIR"
    mkdir -p "$WORK_DIR"
    case "$SOURCE" in
        worktree)
            tar -C "$REPO" --exclude=./.git --exclude=target --exclude=./.stenographer --exclude=./bench/results \
                -cf - . | tar -C "$WORK_DIR" -xf -
            PROVENANCE="work tree at commit $HEAD_COMMIT with $DIRTY uncommitted path(s)"
            ;;
        head)
            git -C "$REPO" archive HEAD | tar -C "$WORK_DIR" -xf -
            rm -rf "$WORK_DIR/bench"
            tar -C "$REPO" --exclude=target --exclude=./bench/results -cf - ./bench | tar -C "$WORK_DIR" -xf -
            PROVENANCE="commit $HEAD_COMMIT (bench/ from the work tree)"
            ;;
        *) echo "BENCH_SOURCE must be worktree or head" >&2; exit 64 ;;
    esac
    SRC="$WORK_DIR"
else
    SRC="$REPO"
    PROVENANCE="in place: work tree at commit $HEAD_COMMIT with $DIRTY uncommitted path(s)"
fi
cd "$SRC"
log "building (./mvnw -o install -DskipTests) in $SRC"
./mvnw -B -ntp -o -q install -DskipTests
if [ ! -f bench/target/stenographer-bench.jar ]; then
    # The bench module is not in the root <modules> list: build it on its own.
    ./mvnw -B -ntp -o -q -f bench/pom.xml package -DskipTests
fi

# (2) start the service -------------------------------------------------------------------------
rm -rf "$DATA_DIR"
log "starting the service on :$HTTP_PORT (embedded PostgreSQL :$PG_PORT, data $DATA_DIR); log $SERVICE_LOG"
# setsid: the service gets its own process group, so stopping it takes Maven, the dev JVM and all.
setsid ./mvnw -B -ntp -o quarkus:dev \
    -DforceC2=true \
    -Ddebug=false \
    -Dquarkus.analytics.disabled=true \
    -Dquarkus.console.enabled=false \
    -Dquarkus.http.port="$HTTP_PORT" \
    -Dstenographer.embedded-postgres.port="$PG_PORT" \
    -Dstenographer.embedded-postgres.data-dir="$DATA_DIR" \
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
# The -D properties must reach the forked dev JVM, which reads them before Quarkus starts.
if ! grep -q "Embedded PostgreSQL 17 on port $PG_PORT, data in $DATA_DIR" "$SERVICE_LOG"; then
    echo "the service did not start the embedded PostgreSQL on :$PG_PORT in $DATA_DIR; see $SERVICE_LOG" >&2
    exit 1
fi
# The forked application JVM (not Maven's) and the postmaster, for CPU-time-per-event figures.
APP_PID="$(pgrep -g "$SERVICE_PID" -f 'serialized-app-model' | head -n 1 || true)"
PG_PID="$(head -n 1 "$DATA_DIR/postmaster.pid" 2>/dev/null || true)"
if [ -n "$APP_PID" ] && tr '\0' ' ' <"/proc/$APP_PID/cmdline" | grep -q 'TieredStopAtLevel=1'; then
    log "warning: the service JVM runs with -XX:TieredStopAtLevel=1 (C1 only)"
fi
log "service ready"

# (3) run the benchmark -------------------------------------------------------------------------
ENV_PREFIX=""
while IFS='=' read -r name value; do
    ENV_PREFIX+="$name=$(printf '%q' "$value") "
done < <(env | grep -E '^BENCH_[A-Z_]+=' | sort)
REPRODUCE="cd <repo> && ${ENV_PREFIX}bench/run-ingest.sh${*:+ $*}"
{
    echo "source: $PROVENANCE"
    echo "service: quarkus:dev (JVM C2 on via -DforceC2=true), embedded PostgreSQL, OIDC Dev Services"
    # shellcheck disable=SC2086 # JAVA_OPTS is a list of JVM options
    java $JAVA_OPTS -jar bench/target/stenographer-bench.jar \
        --base-url "http://127.0.0.1:$HTTP_PORT" \
        --jdbc-url "jdbc:postgresql://127.0.0.1:$PG_PORT/stenographer" \
        --jdbc-user stenographer_owner \
        --command "$REPRODUCE" \
        ${APP_PID:+--service-pid "$APP_PID"} \
        ${PG_PID:+--postgres-pid "$PG_PID"} \
        "$@"
} | tee "$OUT"
log "results in $OUT"
# (4) cleanup runs on exit
