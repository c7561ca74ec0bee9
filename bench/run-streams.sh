#!/usr/bin/env bash
# Issue 16's streaming benchmark (a measurement, not a test): delivery lag per transport at 1,000 events/s beside the
# publish lag of the same events, catch-up after an outage beside the ingest going on meanwhile, and ingest p99 with
# 3 active sinks beside ingest p99 with none; --rounds rounds (default 3), each figure beside its baseline.
#
#   bench/run-streams.sh                                   3 rounds, outage of 100,000 events (about 12 minutes)
#   STREAMBENCH_JAVA_OPTS="-Xms1g -Xmx12g" bench/run-streams.sh --outage-events 1000000 --max-catchup-seconds 900
#                                                          the issue's 1M outage (over an hour at the rates measured)
#   bench/run-streams.sh --rounds 1 --phase-seconds 15 --outage-events 20000 --warmup-seconds 5    a quick look
#
# 1. builds (offline) from a private snapshot of this checkout; 2. makes the receivers' TLS certificate; 3. starts the
# packaged service (prod profile, embedded durable PostgreSQL, tokens from BenchTokenIssuer) on port 18140 with a
# fresh data directory, trusting that certificate and allowing loopback sink targets
# (stenographer.streams.allowed-networks=127.0.0.0/8); every other stream setting is the default; 4. runs
# io.stenographer.bench.streams.StreamingBenchmark, which starts the receivers (a real Kafka KRaft broker in its own
# JVM, the Standard Webhooks receiver and the RFC 5425 syslog receiver of test-support) and the sinks; 5. stops
# everything and deletes the data.
#
# Environment: STREAMBENCH_HTTP_PORT (18140), STREAMBENCH_PG_PORT (54354), STREAMBENCH_KEEP (0),
# STREAMBENCH_JAVA_OPTS (-Xms1g -Xmx4g: the webhook and syslog receivers keep every message they got).
# Results: bench/results/streams-<UTC time>.txt and ...-service.log (git-ignored).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_NAME="run-streams"
HTTP_PORT="${STREAMBENCH_HTTP_PORT:-18140}"
PG_PORT="${STREAMBENCH_PG_PORT:-54354}"
DIR_PREFIX="/tmp/steno-streambench"
DATA_DIR="/tmp/steno-streambench"
WORK_DIR="/tmp/steno-streambench-src"
RECEIVERS_DIR="/tmp/steno-streambench-receivers"
KEEP="${STREAMBENCH_KEEP:-0}"
READY_TIMEOUT=600
JAVA_OPTS="${STREAMBENCH_JAVA_OPTS:--Xms1g -Xmx4g}"
RESULTS="$REPO/bench/results"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
SERVICE_LOG="$RESULTS/streams-$STAMP-service.log"
OUT="$RESULTS/streams-$STAMP.txt"

# shellcheck source=bench/lib.sh
. "$REPO/bench/lib.sh"
OTHER_PORTS="18080 18090 18100 18110 18120 18130"
bench_check_settings

# The Kafka broker is a child of the benchmark JVM (whose shutdown hook kills it); should that JVM die without its
# hooks, the broker is found by its data directory, which only this script uses, and stopped.
bench_extra_cleanup() {
    local proc pid
    for proc in /proc/[0-9]*; do
        pid="${proc#/proc/}"
        if tr '\0' ' ' <"$proc/cmdline" 2>/dev/null | grep -q -- "-Dlog4j2.configurationFile=$RECEIVERS_DIR/"; then
            bench_log "stopping the Kafka broker left behind (pid $pid)"
            kill -KILL "$pid" 2>/dev/null || true
        fi
    done
    if [ "$KEEP" != 1 ]; then
        rm -rf "$RECEIVERS_DIR"
    fi
}
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$RESULTS"
bench_snapshot_and_build "$REPO"
KAFKA_CLASSPATH_FILE="$WORK_DIR/kafka-broker/target/kafka-broker.classpath"
if [ ! -s "$KAFKA_CLASSPATH_FILE" ]; then
    echo "the build wrote no Kafka broker classpath ($KAFKA_CLASSPATH_FILE)" >&2
    exit 1
fi

rm -rf "$RECEIVERS_DIR"
mkdir -p "$RECEIVERS_DIR"
chmod 700 "$RECEIVERS_DIR"
CERTIFICATE_PEM="$(java -cp "$BENCH_CLASSPATH" io.stenographer.bench.streams.ReceiverCertificate "$RECEIVERS_DIR")"

bench_start_service \
    -Dstenographer.streams.allowed-networks=127.0.0.0/8 \
    -Dstenographer.streams.tls.trust-certificates="$CERTIFICATE_PEM"
# The service JVM and the postmaster, for CPU-time-per-event figures.
PG_PID="$(head -n 1 "$DATA_DIR/pgdata/postmaster.pid" 2>/dev/null || true)"

REPRODUCE="$(bench_reproduce '^STREAMBENCH_[A-Z_]+=' bench/run-streams.sh "$@")"
{
    echo "source: $PROVENANCE"
    echo "service: $SERVICE_DESCRIPTION; streams: allowed-networks 127.0.0.0/8, trust the receivers' certificate, other stream settings default"
    # shellcheck disable=SC2086 # JAVA_OPTS is a list of JVM options
    java $JAVA_OPTS -Dstenographer.bench.token-base="$TOKEN_BASE" \
        -Dstenographer.kafka.classpath="$KAFKA_CLASSPATH_FILE" \
        -cp "$BENCH_CLASSPATH" io.stenographer.bench.streams.StreamingBenchmark \
        --base-url "http://127.0.0.1:$HTTP_PORT" \
        --receivers "$RECEIVERS_DIR" \
        --command "$REPRODUCE" \
        --service-pid "$SERVICE_PID" \
        ${PG_PID:+--postgres-pid "$PG_PID"} \
        "$@"
} | tee "$OUT"
bench_log "results in $OUT"
