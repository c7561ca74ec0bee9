package io.stenographer.bootstrap.client;

import io.stenographer.client.AuditClient;
import io.stenographer.client.Event;
import io.stenographer.client.QueueFullPolicy;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A stand-in for an application that logs through the client in SPOOL mode, run by {@link AuditClientIT} as its
 * own JVM so the test can SIGKILL it. It logs events {@code next..count-1} of one producer, where {@code next}
 * follows the last index its progress file records: an index is written there only after {@code log()} returned,
 * that is after the event was forced to the spool. Then it waits until the service took everything and exits 0.
 *
 * <p>Arguments: base URI, bearer token, verifier key, spool directory, producer (the events' resource id), count,
 * progress file.
 */
public final class SpoolingApplication {

    private SpoolingApplication() {
    }

    public static void main(String[] args) throws Exception {
        URI service = URI.create(args[0]);
        String token = args[1];
        String verifierKey = args[2];
        Path spool = Path.of(args[3]);
        String producer = args[4];
        int count = Integer.parseInt(args[5]);
        Path progress = Path.of(args[6]);
        int next = Files.exists(progress) ? lastIndex(Files.readAllLines(progress)) + 1 : 0;
        try (AuditClient audit = AuditClient.builder(service).tenant(AuditClientIT.TENANT).application("spooling-app")
                .tokens(() -> token).verifierKey(verifierKey).queueFullPolicy(QueueFullPolicy.SPOOL)
                .spoolDirectory(spool).batchSize(25).backoff(Duration.ofMillis(100), Duration.ofSeconds(1))
                .closeTimeout(Duration.ofMinutes(4)).build();
                PrintStream out = new PrintStream(new FileOutputStream(progress.toFile(), true), true,
                        StandardCharsets.UTF_8)) {
            for (int i = next; i < count; i++) {
                audit.log(Event.builder("case.view").actor("officer-" + producer).resource("case", producer)
                        .clientEventId(producer + "-" + i).metadata(Map.of("seq", i)).build());
                out.println(i); // only now: the event is on disk
                Thread.sleep(10);
            }
            audit.flush(Duration.ofMinutes(4));
            while (audit.metrics().queued() > 0) {
                Thread.sleep(50);
            }
        }
        System.out.println("all delivered");
    }

    private static int lastIndex(List<String> lines) {
        int last = -1;
        for (String line : lines) {
            if (!line.isBlank()) {
                last = Math.max(last, Integer.parseInt(line.trim()));
            }
        }
        return last;
    }
}
