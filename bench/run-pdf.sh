#!/usr/bin/env bash
# PDF rendering benchmark for issue 19 (a measurement, not a test).
#
#   bench/run-pdf.sh [--rows 10000] [--reason-chars 2048] [--rounds 3]     env: PDFBENCH_JAVA_OPTS (-Xmx2g)
#
# 1. builds the checkout's modules offline (under /tmp/mvn.lock) and resolves the bench's class path,
# 2. runs io.stenographer.bench.reports.PdfRenderMeasurement: a record-access report of N events with long reasons,
#    rendered by the service's PdfReportRenderer with every row printed and the bundle attached, beside the JSON
#    writer of the same report (the baseline), per round, then medians, spread and the ratio.
# In-process: no service and no database. The machine may be shared: the figures are indicative.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAVA_OPTS="${PDFBENCH_JAVA_OPTS:--Xmx2g}"
cd "$REPO"
flock /tmp/mvn.lock ./mvnw -B -ntp -o -q install -pl bench -am -Dmaven.test.skip=true
flock /tmp/mvn.lock ./mvnw -B -ntp -o -q dependency:build-classpath -pl bench -Dmdep.outputFile=/tmp/steno-pdfbench.cp
CLASSPATH="$REPO/bench/target/classes:$(cat /tmp/steno-pdfbench.cp)"
echo "source: $(git -C "$REPO" rev-parse --short HEAD)$(git -C "$REPO" diff --quiet HEAD -- adapters-reports bench domain || echo ' (with uncommitted changes)')"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) before the run"
echo "reproduce: bench/run-pdf.sh $*"
# shellcheck disable=SC2086 # JAVA_OPTS is a list of JVM options
java $JAVA_OPTS -cp "$CLASSPATH" io.stenographer.bench.reports.PdfRenderMeasurement "$@"
echo "machine: load average $(cut -d' ' -f1-3 /proc/loadavg) after the run"
