# Shared shell for the bench/run-*.sh scripts (sourced, not run).
#
# The caller sets, before sourcing: BENCH_NAME (tag for log lines and result files), HTTP_PORT, PG_PORT,
# DATA_DIR, WORK_DIR (both must start with DIR_PREFIX, since cleanup deletes them), DIR_PREFIX, KEEP
# (1: keep the directories), READY_TIMEOUT (seconds), OTHER_PORTS (HTTP ports of the other benchmarks,
# refused besides 8080). The embedded PostgreSQL lives in $DATA_DIR/pgdata.
# Optional: ISSUER_PORT (default HTTP_PORT + 9), SERVICE_JAVA_OPTS (default -Xms1g -Xmx2g).
# Optional hook: a function bench_extra_cleanup, called first on exit (e.g. to stop a helper process).
#
# The service runs as users run it: the packaged jar (java -jar bootstrap/target/quarkus-app/quarkus-run.jar,
# prod profile) on its embedded PostgreSQL, which the service starts with fsync, synchronous_commit and
# full_page_writes on and refuses to run without. Its OIDC provider is BenchTokenIssuer, started here on
# loopback: the packaged build has no dev token endpoint.
#
# Functions: bench_log, bench_check_settings, bench_snapshot_and_build, bench_start_service [-D...],
# bench_reproduce <ENV_PREFIX_REGEX> <script> [args] (prints the command line that reproduces the run).
# Sets: SERVICE_PID, ISSUER_PID, TOKEN_BASE (GET $TOKEN_BASE/<user> returns a bearer token), PROVENANCE,
# BENCH_CLASSPATH, MAVEN_REPO_OPTS, SERVICE_DESCRIPTION.

SERVICE_PID=""
ISSUER_PID=""
PROVENANCE=""
ISSUER_PORT="${ISSUER_PORT:-$((HTTP_PORT + 9))}"
TOKEN_BASE="http://127.0.0.1:$ISSUER_PORT/tokens"
SERVICE_JAVA_OPTS="${SERVICE_JAVA_OPTS:--Xms1g -Xmx2g}"
SERVICE_DESCRIPTION="packaged jar (prod profile, java $SERVICE_JAVA_OPTS), embedded PostgreSQL 17 with fsync, synchronous_commit and full_page_writes on, tokens from BenchTokenIssuer"

bench_log() { echo "[$BENCH_NAME $(date -u +%H:%M:%S)] $*" >&2; }

bench_port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

bench_check_settings() {
    local taken
    for taken in 8080 ${OTHER_PORTS:-}; do
        if [ "$HTTP_PORT" = "$taken" ]; then
            echo "refusing port $HTTP_PORT: it belongs to other work on this machine" >&2
            exit 64
        fi
    done
    case "$DATA_DIR" in "$DIR_PREFIX"*) ;; *) echo "data dir must start with $DIR_PREFIX" >&2; exit 64 ;; esac
    case "$WORK_DIR" in "$DIR_PREFIX"*) ;; *) echo "work dir must start with $DIR_PREFIX" >&2; exit 64 ;; esac
    if [ "$DATA_DIR" = "$WORK_DIR" ]; then
        echo "the data dir and the work dir must differ" >&2
        exit 64
    fi
    local port
    for port in "$HTTP_PORT" "$PG_PORT" "$ISSUER_PORT" "$@"; do
        if bench_port_in_use "$port"; then
            echo "port $port is already in use on 127.0.0.1; choose other ports" >&2
            exit 1
        fi
    done
}

bench_stop_postgres() {
    # The embedded PostgreSQL runs detached (pg_ctl), outside the service's process group. The
    # service's shutdown hook normally stops it; this is the fallback, aimed at our data dir only.
    local pidfile="$DATA_DIR/pgdata/postmaster.pid" pid
    [ -f "$pidfile" ] || return 0
    pid="$(head -n 1 "$pidfile")"
    if [ -n "$pid" ] && ps -o args= -p "$pid" 2>/dev/null | grep -q -- "-D $DATA_DIR/pgdata"; then
        bench_log "stopping embedded PostgreSQL (pid $pid)"
        kill -INT "$pid" 2>/dev/null || true
        for _ in $(seq 1 30); do
            kill -0 "$pid" 2>/dev/null || return 0
            sleep 1
        done
        kill -KILL "$pid" 2>/dev/null || true
    fi
}

bench_cleanup() {
    local status=$?
    set +e
    if declare -F bench_extra_cleanup >/dev/null; then
        bench_extra_cleanup
    fi
    if [ -n "$SERVICE_PID" ] && kill -0 -- "-$SERVICE_PID" 2>/dev/null; then
        bench_log "stopping the service (process group $SERVICE_PID)"
        kill -TERM -- "-$SERVICE_PID" 2>/dev/null
        for _ in $(seq 1 45); do
            kill -0 -- "-$SERVICE_PID" 2>/dev/null || break
            sleep 1
        done
        kill -KILL -- "-$SERVICE_PID" 2>/dev/null
    fi
    bench_stop_postgres
    if [ -n "$ISSUER_PID" ]; then
        kill "$ISSUER_PID" 2>/dev/null
    fi
    if [ "$KEEP" != 1 ]; then
        rm -rf "$DATA_DIR" "$WORK_DIR"
    fi
    exit "$status"
}

# Copies the checkout (without .git, target, results) to $WORK_DIR and builds it there, offline. The
# modules are installed into a private local repository inside the snapshot, chained in front of
# ~/.m2/repository (Maven 3.9 maven.repo.local.tail, read-only), so nothing is written to the shared
# ~/.m2. Leaves the shell in $WORK_DIR. Why a copy: the measured build is the one the run started with, whatever
# others edit in the checkout meanwhile.
bench_snapshot_and_build() {
    local repo="$1" head dirty
    head="$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)"
    dirty="$(git -C "$repo" status --porcelain 2>/dev/null | wc -l | tr -d ' ')"
    PROVENANCE="work tree at commit $head with $dirty uncommitted path(s)"
    bench_log "snapshot of $repo -> $WORK_DIR"
    rm -rf "$WORK_DIR"
    mkdir -p "$WORK_DIR"
    tar -C "$repo" --exclude=./.git --exclude=target --exclude=./.stenographer --exclude=./bench/results \
        --exclude=./bootstrap/.stenographer -cf - . | tar -C "$WORK_DIR" -xf -
    cd "$WORK_DIR"
    bench_log "building (offline, package)"
    MAVEN_REPO_OPTS=(-Dmaven.repo.local="$WORK_DIR/.m2-private" -Dmaven.repo.local.tail="$HOME/.m2/repository")
    ./mvnw -B -ntp -o -q "${MAVEN_REPO_OPTS[@]}" install -DskipTests
    # The bench jar's manifest Class-Path points into the private repository, which holds only what was
    # installed above; everything else lives in the tail. Spell the class path out, each entry where it is.
    local private="$WORK_DIR/.m2-private" entry
    BENCH_CLASSPATH="$WORK_DIR/bench/target/stenographer-bench.jar"
    for entry in $(unzip -p bench/target/stenographer-bench.jar META-INF/MANIFEST.MF | tr -d '\r' \
            | sed -e ':a' -e 'N' -e '$!ba' -e 's/\n //g' | sed -n 's/^Class-Path: //p'); do
        if [ ! -f "$entry" ] && [ "${entry#"$private"/}" != "$entry" ]; then
            entry="$HOME/.m2/repository/${entry#"$private"/}"
        fi
        BENCH_CLASSPATH+=":$entry"
    done
}

# Waits until <url> answers 2xx, polling every second for at most <seconds>; exits the script with the end of
# <log> when process <pid> dies first or time runs out.
bench_await_url() {
    local what="$1" pid="$2" url="$3" seconds="$4" logfile="$5"
    for _ in $(seq 1 "$seconds"); do
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "$what exited during start-up; last lines of $logfile:" >&2
            tail -n 40 "$logfile" >&2
            exit 1
        fi
        if curl -fsS -m 5 -o /dev/null "$url" 2>/dev/null; then
            return 0
        fi
        sleep 1
    done
    echo "$what was not ready after ${seconds}s; last lines of $logfile:" >&2
    tail -n 40 "$logfile" >&2
    exit 1
}

# Starts the token issuer, then the packaged service in the background, in its own process group, and waits
# for readiness. Extra arguments (-D options) reach the service JVM.
bench_start_service() {
    rm -rf "$DATA_DIR"
    mkdir -p "$DATA_DIR"
    java -cp "$BENCH_CLASSPATH" io.stenographer.bench.BenchTokenIssuer --port "$ISSUER_PORT" \
        >"$SERVICE_LOG.issuer" 2>&1 </dev/null &
    ISSUER_PID=$!
    bench_await_url "the token issuer" "$ISSUER_PID" "$TOKEN_BASE/writer" 30 "$SERVICE_LOG.issuer"
    bench_log "starting the packaged service on :$HTTP_PORT (embedded PostgreSQL :$PG_PORT, data $DATA_DIR); log $SERVICE_LOG"
    # shellcheck disable=SC2086 # SERVICE_JAVA_OPTS is a list of JVM options
    # Plain HTTP, declared as behind a TLS-terminating proxy (the prod profile otherwise requires HTTPS): the
    # benchmarks measure the log, and their earlier figures were taken over plain HTTP.
    STENOGRAPHER_HTTP_PLAIN_BEHIND_PROXY=true STENOGRAPHER_HTTP_INSECURE_REQUESTS=enabled \
    STENOGRAPHER_DATA_DIR="$DATA_DIR" STENOGRAPHER_GENERATE_SIGNING_KEY=true \
    STENOGRAPHER_OIDC_URL="http://127.0.0.1:$ISSUER_PORT/realms/bench" \
    setsid java $SERVICE_JAVA_OPTS \
        -Dquarkus.http.host=127.0.0.1 \
        -Dquarkus.http.port="$HTTP_PORT" \
        -Dstenographer.embedded-postgres.port="$PG_PORT" \
        "$@" \
        -jar bootstrap/target/quarkus-app/quarkus-run.jar \
        >"$SERVICE_LOG" 2>&1 </dev/null &
    SERVICE_PID=$!
    bench_await_url "the service" "$SERVICE_PID" "http://127.0.0.1:$HTTP_PORT/q/health/ready" "$READY_TIMEOUT" \
        "$SERVICE_LOG"
    if ! grep -q "Embedded PostgreSQL 17 on port $PG_PORT, data in $DATA_DIR/pgdata" "$SERVICE_LOG"; then
        echo "the service did not start the embedded PostgreSQL on :$PG_PORT in $DATA_DIR/pgdata; see $SERVICE_LOG" >&2
        exit 1
    fi
    if grep -q "DATA LOSS ACCEPTED" "$SERVICE_LOG"; then
        echo "the service runs with stenographer.database.accept-data-loss: benchmarks must be durable" >&2
        exit 1
    fi
    bench_log "service ready"
}

# The command line that reproduces this run, with the script's own environment variables.
bench_reproduce() {
    local pattern="$1" script="$2" env_prefix="" name value
    shift 2
    while IFS='=' read -r name value; do
        env_prefix+="$name=$(printf '%q' "$value") "
    done < <(env | grep -E "$pattern" | sort)
    echo "cd <repo> && ${env_prefix}${script}${*:+ $*}"
}
