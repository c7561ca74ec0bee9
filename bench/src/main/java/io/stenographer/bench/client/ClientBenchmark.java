package io.stenographer.bench.client;

import io.stenographer.bench.CommandLine;
import io.stenographer.bench.log.Service;
import io.stenographer.client.AuditClient;
import io.stenographer.client.Event;
import io.stenographer.client.QueueFullPolicy;
import io.stenographer.client.Receipt;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Issue 15's client targets, each beside its baseline in the same round:
 * <ol>
 *   <li>{@code log()} enqueue latency against {@code ArrayBlockingQueue.offer} of the same number of items;</li>
 *   <li>one client's throughput (log to last receipt) against the service's batch ingest driven by raw HTTP
 *       batches of the same size from {@code --raw-connections} connections;</li>
 *   <li>SPOOL throughput ({@code --spool-producers} threads logging while the service is away) against a raw
 *       append of the same records with one fsync per {@code batchSize} records;</li>
 *   <li>{@code receipt.verify()} latency against the local service.</li>
 * </ol>
 */
public final class ClientBenchmark {

    private static final String TENANT = "acme";

    private final Service service;
    private final URI baseUri;
    private final int events;
    private final int rawConnections;
    private final int spoolProducers;
    private final int verifySamples;
    private final Path scratch;
    private final String verifierKey;

    private ClientBenchmark(Service service, URI baseUri, int events, int rawConnections, int spoolProducers,
            int verifySamples, Path scratch) throws Exception {
        this.service = service;
        this.baseUri = baseUri;
        this.events = events;
        this.rawConnections = rawConnections;
        this.spoolProducers = spoolProducers;
        this.verifySamples = verifySamples;
        this.scratch = scratch;
        this.verifierKey = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                baseUri.resolve("/api/v1/logs/" + TENANT + "/verifier-key")).build(),
                HttpResponse.BodyHandlers.ofString()).body().trim();
    }

    public static void main(String[] args) throws Exception {
        CommandLine line = CommandLine.parse(args);
        String baseUrl = line.take("base-url", "http://127.0.0.1:18130");
        String command = line.take("command", "bench/run-client.sh");
        int events = line.positive("events", 100_000);
        int rounds = line.positive("rounds", 3);
        int rawConnections = line.positive("raw-connections", 4);
        int spoolProducers = line.positive("spool-producers", 256);
        int verifySamples = line.positive("verify-samples", 300);
        Path scratch = Path.of(line.take("scratch", "/tmp/steno-clientbench-scratch"));
        line.requireAllTaken();
        ClientBenchmark bench = new ClientBenchmark(new Service(baseUrl), URI.create(baseUrl), events, rawConnections,
                spoolProducers, verifySamples, scratch);
        System.out.print(bench.run(rounds, command));
    }

    private record Round(double offerP99Us, double logP99Us, double logP50Us, double clientRate, double rawRate,
            double spoolRate, double rawAppendRate, double verifyP50Ms, double verifyP99Ms, double quietP50Ms,
            double quietP99Ms) {
    }

    private String run(int rounds, String command) throws Exception {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "client benchmark: %d events a phase, raw ingest over %d connections,"
                + " %d spool producers, %d verify samples; %s%n", events, rawConnections, spoolProducers,
                verifySamples, command));
        List<Round> done = new ArrayList<>();
        warmUp();
        for (int r = 1; r <= rounds; r++) {
            Round round = round(r);
            done.add(round);
            out.append(String.format(Locale.ROOT, "round %d: enqueue p99 %.1f us (offer %.2f us), p50 %.1f us;"
                    + " client %.0f ev/s vs raw batches %.0f ev/s; spool %.0f ev/s vs raw append+fsync %.0f ev/s;"
                    + " verify right after the load p50 %.2f ms p99 %.2f ms, on a quiet service p50 %.2f ms p99 %.2f"
                    + " ms%n", r, round.logP99Us(), round.offerP99Us(), round.logP50Us(),
                    round.clientRate(), round.rawRate(), round.spoolRate(), round.rawAppendRate(),
                    round.verifyP50Ms(), round.verifyP99Ms(), round.quietP50Ms(), round.quietP99Ms()));
        }
        out.append(String.format(Locale.ROOT, "%nmedian [min-max] of %d rounds:%n", rounds));
        out.append(line("log() enqueue p99 (us)", done, Round::logP99Us, "ArrayBlockingQueue.offer p99 (us)",
                Round::offerP99Us, "<= 50 us, and <= 5x offer"));
        out.append(line("one client (events/s)", done, Round::clientRate, "raw batch ingest (events/s)",
                Round::rawRate, ">= 0.8 of raw"));
        out.append(line("SPOOL (events/s)", done, Round::spoolRate, "raw append+fsync (events/s)",
                Round::rawAppendRate, ">= 20,000 events/s and >= 0.5 of raw"));
        out.append(line("verify() p99, after load (ms)", done, Round::verifyP99Ms, "p50 (ms)", Round::verifyP50Ms,
                "p99 <= 5 ms"));
        out.append(line("verify() p99, quiet (ms)", done, Round::quietP99Ms, "p50 (ms)", Round::quietP50Ms,
                "p99 <= 5 ms"));
        return out.toString();
    }

    private static String line(String name, List<Round> rounds, java.util.function.ToDoubleFunction<Round> measured,
            String baselineName, java.util.function.ToDoubleFunction<Round> baseline, String target) {
        double[] m = rounds.stream().mapToDouble(measured).sorted().toArray();
        double[] b = rounds.stream().mapToDouble(baseline).sorted().toArray();
        double[] ratio = rounds.stream().mapToDouble(r -> measured.applyAsDouble(r) / baseline.applyAsDouble(r))
                .sorted().toArray();
        return String.format(Locale.ROOT, "  %-26s %12.2f [%.2f-%.2f]   %-34s %12.2f [%.2f-%.2f]   ratio %.2f"
                + " [%.2f-%.2f]   target %s%n", name, median(m), m[0], m[m.length - 1], baselineName, median(b), b[0],
                b[b.length - 1], median(ratio), ratio[0], ratio[ratio.length - 1], target);
    }

    private static double median(double[] sorted) {
        return sorted[sorted.length / 2];
    }

    private AuditClient.Builder client() {
        return AuditClient.builder(baseUri).tenant(TENANT).application("client-bench")
                .tokens(() -> service.token("writer")).verifierKey(verifierKey);
    }

    private void warmUp() throws Exception {
        try (AuditClient audit = client().queueCapacity(20_001).build()) {
            List<CompletableFuture<Receipt>> futures = new ArrayList<>();
            for (int i = 0; i < 20_000; i++) {
                futures.add(audit.log(event("warm", i)));
            }
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
        }
        rawIngest(20_000);
    }

    private static Event event(String run, int i) {
        return Event.builder("case.view").actor("officer-" + (i % 50)).resource("case", "C-" + i)
                .source("203.0.113." + (i % 200), "client-bench").metadata(Map.of("run", run, "seq", i)).build();
    }

    private Round round(int number) throws Exception {
        String run = "r" + number + "-" + System.nanoTime();
        // 1. ArrayBlockingQueue.offer: the floor of any bounded hand-over.
        ArrayBlockingQueue<Object> plain = new ArrayBlockingQueue<>(events + 1);
        long[] offer = new long[events];
        for (int i = 0; i < events; i++) {
            Object item = new Object();
            long t0 = System.nanoTime();
            plain.offer(item);
            offer[i] = System.nanoTime() - t0;
        }
        // 2. The client: each log() timed, then the time to the last receipt.
        long[] log = new long[events];
        List<Receipt> receipts;
        double clientRate;
        try (AuditClient audit = client().queueCapacity(events + 1).queueFullPolicy(QueueFullPolicy.FAIL).build()) {
            List<CompletableFuture<Receipt>> futures = new ArrayList<>(events);
            long started = System.nanoTime();
            for (int i = 0; i < events; i++) {
                Event event = event(run, i);
                long t0 = System.nanoTime();
                futures.add(audit.log(event));
                log[i] = System.nanoTime() - t0;
            }
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
            clientRate = events / ((System.nanoTime() - started) / 1e9);
            receipts = new ArrayList<>();
            for (int i = 0; i < verifySamples; i++) {
                receipts.add(futures.get((int) ((long) i * events / verifySamples)).get());
            }
            // 4. verify(): once everything is integrated, so the wait for the sequencer is not what is timed.
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            Receipt last = futures.get(events - 1).get();
            last.verify(Duration.ofMinutes(5));
            long[] verify = verifyAll(receipts, deadline);
            double rawRate = rawIngest(events);
            double[] spool = spool(run);
            // 5. verify() again once the service is quiet: everything integrated, then 3 s with no load.
            audit.logAndWait(event(run + "-last", 0)).verify(Duration.ofMinutes(5));
            Thread.sleep(3_000);
            long[] quiet = verifyAll(receipts, System.nanoTime() + Duration.ofMinutes(5).toNanos());
            Arrays.sort(offer);
            Arrays.sort(log);
            return new Round(p(offer, 99) / 1e3, p(log, 99) / 1e3, p(log, 50) / 1e3, clientRate, rawRate, spool[0],
                    spool[1], p(verify, 50) / 1e6, p(verify, 99) / 1e6, p(quiet, 50) / 1e6, p(quiet, 99) / 1e6);
        }
    }

    /** Each receipt's verify(), timed; sorted. The first may include a consistency proof to a newer checkpoint. */
    private static long[] verifyAll(List<Receipt> receipts, long deadline) {
        long[] nanos = new long[receipts.size()];
        for (int i = 0; i < receipts.size() && System.nanoTime() < deadline; i++) {
            long t0 = System.nanoTime();
            receipts.get(i).verify();
            nanos[i] = System.nanoTime() - t0;
        }
        Arrays.sort(nanos);
        return nanos;
    }

    private static double p(long[] sorted, double percentile) {
        int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** The service's batch ingest: the same kind of events, batches of 256, from several connections at once. */
    private double rawIngest(int count) throws Exception {
        int batch = 256;
        List<byte[]> bodies = new ArrayList<>();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        for (int from = 0; from < count; from += batch) {
            StringBuilder body = new StringBuilder("{\"events\":[");
            for (int i = from; i < Math.min(count, from + batch); i++) {
                if (i > from) {
                    body.append(',');
                }
                body.append("{\"tenant\":\"acme\",\"actor\":{\"id\":\"officer-").append(i % 50)
                        .append("\",\"type\":\"user\"},\"action\":\"case.view\",\"resource\":{\"type\":\"case\",")
                        .append("\"id\":\"C-").append(i).append("\"},\"outcome\":\"success\",\"occurredAt\":\"")
                        .append(now).append("\",\"source\":{\"application\":\"client-bench\",\"ip\":\"203.0.113.")
                        .append(i % 200).append("\",\"userAgent\":\"client-bench\"},\"metadata\":{\"run\":\"raw\",")
                        .append("\"seq\":").append(i).append("},\"clientEventId\":\"raw-").append(System.nanoTime())
                        .append('-').append(i).append("\"}");
            }
            bodies.add(body.append("]}").toString().getBytes(StandardCharsets.UTF_8));
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(rawConnections);
        long started = System.nanoTime();
        List<Future<?>> senders = new ArrayList<>();
        for (int c = 0; c < rawConnections; c++) {
            senders.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < bodies.size(); i = next.getAndIncrement()) {
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(baseUri.resolve(
                            "/api/v1/events/batch")).header("Authorization", "Bearer " + service.token("writer"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(i))).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("raw batch answered " + response.statusCode());
                    }
                }
                return null;
            }));
        }
        for (Future<?> sender : senders) {
            sender.get(10, TimeUnit.MINUTES);
        }
        pool.shutdown();
        return count / ((System.nanoTime() - started) / 1e9);
    }

    /**
     * SPOOL with the service away (a closed port): producers log until {@code events} are on disk. Then the same
     * records appended raw, one fsync per 256, to a file beside it.
     */
    private double[] spool(String run) throws Exception {
        Path directory = scratch.resolve("spool-" + run);
        deleteTree(directory);
        int perProducer = Math.max(1, events / spoolProducers);
        int total = perProducer * spoolProducers;
        AuditClient audit = AuditClient.builder(URI.create("http://127.0.0.1:9")).tenant(TENANT)
                .application("client-bench").tokens(() -> "unused").queueFullPolicy(QueueFullPolicy.SPOOL)
                .spoolDirectory(directory).queueCapacity(total + 1).closeTimeout(Duration.ZERO).build();
        ExecutorService producers = Executors.newFixedThreadPool(spoolProducers);
        List<Future<?>> work = new ArrayList<>();
        long started = System.nanoTime();
        for (int p = 0; p < spoolProducers; p++) {
            int producer = p;
            work.add(producers.submit(() -> {
                for (int i = 0; i < perProducer; i++) {
                    audit.log(event(run, producer * perProducer + i));
                }
                return null;
            }));
        }
        for (Future<?> f : work) {
            f.get(10, TimeUnit.MINUTES);
        }
        double spoolRate = total / ((System.nanoTime() - started) / 1e9);
        producers.shutdown();
        audit.close();
        long spooledBytes;
        try (Stream<Path> files = Files.list(directory)) {
            spooledBytes = files.filter(f -> f.getFileName().toString().startsWith("spool-"))
                    .mapToLong(f -> f.toFile().length()).sum();
        }
        // The raw floor: the same bytes in records of the same average size, one write and fsync per 256 of them.
        int recordBytes = (int) (spooledBytes / total);
        byte[] record = new byte[recordBytes];
        Arrays.fill(record, (byte) 'x');
        Path raw = scratch.resolve("raw-" + run + ".log");
        long rawStarted = System.nanoTime();
        try (FileChannel channel = FileChannel.open(raw, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer batch = ByteBuffer.allocate(recordBytes * 256);
            for (int written = 0; written < total; written += 256) {
                batch.clear();
                int n = Math.min(256, total - written);
                for (int i = 0; i < n; i++) {
                    batch.put(record);
                }
                batch.flip();
                while (batch.hasRemaining()) {
                    channel.write(batch);
                }
                channel.force(false);
            }
        }
        double rawRate = total / ((System.nanoTime() - rawStarted) / 1e9);
        Files.deleteIfExists(raw);
        deleteTree(directory);
        return new double[] {spoolRate, rawRate};
    }

    private static void deleteTree(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
