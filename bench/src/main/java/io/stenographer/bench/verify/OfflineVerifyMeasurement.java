package io.stenographer.bench.verify;

import io.stenographer.domain.bundle.BundleHeader;
import io.stenographer.domain.bundle.BundleVerification;
import io.stenographer.domain.bundle.BundleVerifier;
import io.stenographer.domain.bundle.BundleWriter;
import io.stenographer.domain.checkpoint.Checkpoint;
import io.stenographer.domain.checkpoint.Ed25519Keys;
import io.stenographer.domain.checkpoint.NoteSigner;
import io.stenographer.domain.checkpoint.NoteVerifier;
import io.stenographer.domain.event.Action;
import io.stenographer.domain.event.Actor;
import io.stenographer.domain.event.ActorType;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.EventDraft;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.Outcome;
import io.stenographer.domain.event.ResourceRef;
import io.stenographer.domain.event.Source;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.json.JsonArray;
import io.stenographer.domain.json.JsonNumber;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonParser;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import io.stenographer.domain.merkle.InMemoryMerkleTree;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Issue 13: offline {@code verify-bundle} throughput beside its two floors, on one bundle file.
 *
 * <pre>
 * generate --events N --bundle FILE          writes a bundle of N sealed events and FILE.key (verifier key)
 * measure  --bundle FILE [--rounds R]        per round: verifier events/s, hash floor, read floor
 * </pre>
 *
 * The hash floor is SHA-256(0x00 || event) of the very leaf inputs in the bundle, on all cores, kept in memory
 * (no I/O, no JSON): no verifier can check every leaf faster. The read floor reads the file and splits it into
 * lines on one thread: no streaming verifier can finish sooner. Not a test; never run by the build.
 */
public final class OfflineVerifyMeasurement {

    private static final String ORIGIN = "bench.local/acme";
    private static final TenantId TENANT = TenantId.of("acme");
    private static final String[] ACTIONS = {"case.view", "case.edit", "case.export", "record.search"};
    private static final JsonArray FIELDS = new JsonArray(List.of(new JsonString("ssn"), new JsonString("dob")));

    private OfflineVerifyMeasurement() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            throw new IllegalArgumentException("usage: generate --events N --bundle FILE | measure --bundle FILE [--rounds R]");
        }
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        Path bundle = Path.of(required(options, "bundle"));
        switch (args[0]) {
            case "generate" -> generate(Integer.parseInt(required(options, "events")), bundle);
            case "measure" -> measure(bundle, Integer.parseInt(options.getOrDefault("rounds", "3")));
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }

    // ---- generation ------------------------------------------------------------------------

    /** The same shape as the bulk-loaded bench events (bench/log/Events): about 560 canonical bytes each. */
    static AuditEvent sealed(int i, Instant occurredAt, Instant receivedAt, SplittableRandom random) {
        Map<String, JsonValue> metadata = new LinkedHashMap<>();
        metadata.put("fields", FIELDS);
        metadata.put("rows", new JsonNumber(i % 50));
        metadata.put("bench", new JsonString("million"));
        EventDraft draft = new EventDraft(TENANT,
                new Actor("u-" + (i % 5000), i % 10 == 0 ? ActorType.SERVICE : ActorType.USER, "Bench User " + (i % 5000)),
                new Action(ACTIONS[i % ACTIONS.length]), new ResourceRef("background-check", "BC-m-" + i),
                "Requested by HR ticket " + (4000 + i % 1000), i % 20 == 0 ? Outcome.DENIED : Outcome.SUCCESS,
                occurredAt, new Source("portal", "192.0.2." + (i % 250 + 1), "stenographer-logbench/1"), "req-m-" + i,
                new JsonObject(metadata), null);
        return AuditEvent.record(EventId.newTimeOrdered(receivedAt, random), receivedAt, "bench-loader", draft);
    }

    private static void generate(int events, Path bundle) throws IOException {
        long started = System.nanoTime();
        NoteSigner signer = new NoteSigner(ORIGIN, Ed25519Keys.generate().getPrivate());
        SplittableRandom random = new SplittableRandom(13);
        Instant start = Instant.parse("2026-11-01T00:00:00Z");
        List<AuditEvent> sealed = new ArrayList<>(events);
        InMemoryMerkleTree tree = new InMemoryMerkleTree();
        for (int i = 0; i < events; i++) {
            Instant occurredAt = start.plusMillis(i * 7L);
            AuditEvent event = sealed(i, occurredAt, occurredAt.plusNanos(1_000L * (1 + i % 900)), random);
            sealed.add(event);
            tree.append(event.leafHash());
        }
        String checkpoint = Checkpoint.of(ORIGIN, events, tree.root()).sign(signer).serialize();
        String verifierKey = signer.verifier().toVerifierKey();
        try (OutputStream out = Files.newOutputStream(bundle)) {
            BundleWriter writer = BundleWriter.utf8(out);
            writer.header(new BundleHeader(ORIGIN, TENANT, 0, events, events, checkpoint, verifierKey));
            for (int i = 0; i < events; i++) {
                writer.entry(i, tree.leafHash(i), sealed.get(i), tree.inclusionProof(i, events));
            }
            writer.end();
        }
        Files.writeString(keyFile(bundle), verifierKey + "\n");
        System.out.printf("generated %,d events, %,d bytes, in %.1f s: %s (key %s)%n", events, Files.size(bundle),
                (System.nanoTime() - started) / 1e9, bundle, keyFile(bundle));
    }

    private static Path keyFile(Path bundle) {
        return Path.of(bundle + ".key");
    }

    // ---- measurement -----------------------------------------------------------------------

    private static void measure(Path bundle, int rounds) throws Exception {
        NoteVerifier key = NoteVerifier.parse(Files.readString(keyFile(bundle)).strip());
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf("bundle %s, %,d bytes; %d cores; java %s; %d rounds%n", bundle, Files.size(bundle), cores,
                System.getProperty("java.version"), rounds);
        List<byte[]> leafInputs = leafInputs(bundle);
        long leafBytes = leafInputs.stream().mapToLong(b -> b.length).sum();
        System.out.printf("leaf inputs: %,d events, %,d bytes (mean %d)%n", leafInputs.size(), leafBytes,
                leafBytes / Math.max(1, leafInputs.size()));

        double[] verify = new double[rounds];
        double[] hashAll = new double[rounds];
        double[] hashOne = new double[rounds];
        double[] read = new double[rounds];
        double[] parse = new double[rounds];
        hashSeconds(leafInputs, cores); // warm-up, so that round 1 measures compiled code
        for (int round = 0; round < rounds; round++) {
            long t0 = System.nanoTime();
            BundleVerification result;
            try (InputStream in = Files.newInputStream(bundle)) {
                result = new BundleVerifier(key, ORIGIN).verify(in);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (!result.ok()) {
                throw new IllegalStateException("the bundle does not verify: " + result.failures());
            }
            verify[round] = result.entries() / seconds;
            hashAll[round] = leafInputs.size() / hashSeconds(leafInputs, cores);
            hashOne[round] = leafInputs.size() / hashSeconds(leafInputs, 1);
            read[round] = result.entries() / readSeconds(bundle);
            parse[round] = result.entries() / parseSeconds(bundle);
            System.out.printf("round %d: verify %,.0f ev/s (%.2f s); hash floor %,.0f ev/s on %d cores, %,.0f on 1;"
                    + " read floor %,.0f ev/s; parse floor %,.0f ev/s%n", round + 1, verify[round], seconds,
                    hashAll[round], cores, hashOne[round], read[round], parse[round]);
        }
        System.out.println();
        System.out.println("median [min .. max] over " + rounds + " rounds, events/s:");
        report("verify-bundle (BundleVerifier)", verify);
        report("hash floor, " + cores + " cores", hashAll);
        report("hash floor, 1 core", hashOne);
        report("read floor (read + split lines)", read);
        report("parse floor (+ JSON parse, " + cores + " cores)", parse);
        double v = median(verify);
        System.out.printf("verify / hash floor (%d cores): %.3f; verify / read floor: %.3f;"
                + " verify / parse floor: %.3f%n", cores, v / median(hashAll), v / median(read), v / median(parse));
        System.out.printf("hash floor scaling 1 -> %d cores: %.2fx%n", cores, median(hashAll) / median(hashOne));
        System.out.printf("per core: verify %,.0f ev/s, hash floor %,.0f ev/s%n", v / cores, median(hashOne));
        System.out.printf("projection to 8 cores at the measured per-core rate: verify ~%,.0f ev/s (if linear),"
                + " hash floor ~%,.0f ev/s%n", v / cores * 8, median(hashOne) * 8);
    }

    private static void report(String what, double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        System.out.printf("  %-34s %,12.0f [%,.0f .. %,.0f] spread %.1f%%%n", what, median(values), sorted[0],
                sorted[sorted.length - 1], 100 * (sorted[sorted.length - 1] - sorted[0]) / median(values));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** The canonical bytes of every event in the bundle, the exact leaf inputs the verifier hashes. */
    private static List<byte[]> leafInputs(Path bundle) throws IOException {
        List<byte[]> inputs = new ArrayList<>();
        try (var lines = Files.lines(bundle, StandardCharsets.UTF_8)) {
            lines.forEach(line -> {
                if (line.startsWith("{\"event\":")) {
                    JsonObject entry = (JsonObject) JsonParser.parse(line, 64);
                    inputs.add(CanonicalJson.canonicalBytes(entry.get("event")));
                }
            });
        }
        return inputs;
    }

    /** Seconds to SHA-256(0x00 || input) every input on {@code threads} threads, one digest per thread. */
    private static double hashSeconds(List<byte[]> inputs, int threads) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        int chunk = 4096;
        byte[] sink = new byte[threads];
        Thread[] workers = new Thread[threads];
        long t0 = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            int slot = t;
            workers[t] = new Thread(() -> {
                MessageDigest digest = sha256();
                byte x = 0;
                for (int from; (from = next.getAndAdd(chunk)) < inputs.size(); ) {
                    for (int i = from; i < Math.min(from + chunk, inputs.size()); i++) {
                        digest.update((byte) 0);
                        digest.update(inputs.get(i));
                        x ^= digest.digest()[0];
                    }
                }
                sink[slot] = x;
            });
            workers[t].start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Seconds to read the file and find every line end, keeping each line as a byte array. */
    private static double readSeconds(Path bundle) throws IOException {
        long t0 = System.nanoTime();
        long lines = 0;
        byte[] buffer = new byte[1 << 16];
        byte[] line = new byte[BundleVerifier.MAX_LINE_BYTES];
        int length = 0;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(bundle), 1 << 16)) {
            for (int read; (read = in.read(buffer)) > 0; ) {
                int start = 0;
                for (int i = 0; i < read; i++) {
                    if (buffer[i] == '\n') {
                        length = append(line, length, buffer, start, i - start);
                        byte[] copy = Arrays.copyOf(line, length);
                        lines += copy.length > 0 ? 1 : 0;
                        length = 0;
                        start = i + 1;
                    }
                }
                length = append(line, length, buffer, start, read - start);
            }
        }
        if (lines == 0) {
            throw new IllegalStateException("no lines read");
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Seconds to read the file, decode and JSON-parse every line with the domain parser, on all cores. */
    private static double parseSeconds(Path bundle) throws IOException {
        long t0 = System.nanoTime();
        long objects;
        try (var lines = Files.lines(bundle, StandardCharsets.UTF_8)) {
            objects = lines.parallel()
                    .filter(line -> JsonParser.parse(line, 32) instanceof JsonObject)
                    .count();
        }
        if (objects == 0) {
            throw new IllegalStateException("no JSON lines parsed");
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static int append(byte[] line, int length, byte[] buffer, int start, int count) {
        if (length + count > line.length) {
            throw new IllegalStateException("a line longer than " + line.length + " bytes");
        }
        System.arraycopy(buffer, start, line, length, count);
        return length + count;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
