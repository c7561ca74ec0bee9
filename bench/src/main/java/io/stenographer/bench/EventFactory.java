package io.stenographer.bench;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Deterministic, realistic-looking events: event {@code i} has the same field values whether it is
 * sent over HTTP or inserted by the raw JDBC baseline. Bodies and rows are built before timing.
 */
final class EventFactory {

    private static final String[] ACTIONS = {"case.view", "case.edit", "case.export", "record.search"};
    private static final DateTimeFormatter MICROS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private final String tenant;
    private final String runId;
    private final boolean clientEventIds;
    private final Instant base;

    EventFactory(String tenant, String runId, boolean clientEventIds) {
        this.tenant = tenant;
        this.runId = runId;
        this.clientEventIds = clientEventIds;
        // A minute in the past: well inside the service's allowed clock skew.
        this.base = Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);
    }

    /** {@code prefix} keeps client event ids of different phases apart. */
    String json(String prefix, int i) {
        StringBuilder b = new StringBuilder(520);
        b.append("{\"tenant\":\"").append(tenant).append('"');
        b.append(",\"actor\":{\"id\":\"").append(actorId(i)).append("\",\"type\":\"").append(actorType(i)).append('"');
        if (displayName(i) != null) {
            b.append(",\"displayName\":\"").append(displayName(i)).append('"');
        }
        b.append("},\"action\":\"").append(action(i)).append('"');
        b.append(",\"resource\":{\"type\":\"case\",\"id\":\"").append(resourceId(i)).append("\"}");
        b.append(",\"reason\":\"").append(reason(i)).append('"');
        b.append(",\"outcome\":\"").append(outcome(i)).append('"');
        b.append(",\"occurredAt\":\"").append(MICROS.format(occurredAt(i))).append('"');
        b.append(",\"source\":{\"application\":\"portal\",\"ip\":\"").append(ip(i))
                .append("\",\"userAgent\":\"stenographer-bench/1\"}");
        b.append(",\"correlationId\":\"").append(correlationId(i)).append('"');
        b.append(",\"metadata\":").append(metadata(i));
        if (clientEventIds) {
            b.append(",\"clientEventId\":\"").append(clientEventId(prefix, i)).append('"');
        }
        return b.append('}').toString();
    }

    byte[] batchBody(String prefix, int from, int to) {
        StringBuilder b = new StringBuilder((to - from) * 520 + 16).append("{\"events\":[");
        for (int i = from; i < to; i++) {
            if (i > from) {
                b.append(',');
            }
            b.append(json(prefix, i));
        }
        return b.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    List<byte[]> batchBodies(String prefix, int events, int batchSize) {
        List<byte[]> bodies = new ArrayList<>(events / batchSize + 1);
        for (int from = 0; from < events; from += batchSize) {
            bodies.add(batchBody(prefix, from, Math.min(events, from + batchSize)));
        }
        return bodies;
    }

    List<byte[]> singleBodies(String prefix, int count) {
        List<byte[]> bodies = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            bodies.add(json(prefix, i).getBytes(StandardCharsets.UTF_8));
        }
        return bodies;
    }

    /** A row of {@code audit_event} as the service would store event {@code i}; hashing done here, untimed. */
    Row row(String prefix, int i, Instant receivedAt, String submittedBy, MessageDigest sha256) {
        UUID id = uuidV7(receivedAt);
        String metadata = metadata(i);
        String clientEventId = clientEventIds ? clientEventId(prefix, i) : null;
        OffsetDateTime received = receivedAt.atOffset(ZoneOffset.UTC);
        OffsetDateTime occurred = occurredAt(i).atOffset(ZoneOffset.UTC);
        // Stand-in for the RFC 8785 leaf input: same size and cost class, keys in sorted order.
        String leafInput = "{\"action\":\"" + action(i) + "\",\"actor\":{\"id\":\"" + actorId(i) + "\"},"
                + "\"clientEventId\":\"" + clientEventId + "\",\"correlationId\":\"" + correlationId(i) + "\","
                + "\"format\":\"stenographer.event/v1\",\"id\":\"" + id + "\",\"metadata\":" + metadata
                + ",\"occurredAt\":\"" + MICROS.format(occurredAt(i)) + "\",\"outcome\":\"" + outcome(i) + "\","
                + "\"reason\":\"" + reason(i) + "\",\"receivedAt\":\"" + MICROS.format(receivedAt) + "\","
                + "\"resource\":{\"id\":\"" + resourceId(i) + "\",\"type\":\"case\"},\"source\":{\"application\":"
                + "\"portal\",\"ip\":\"" + ip(i) + "\",\"userAgent\":\"stenographer-bench/1\"},\"submittedBy\":\""
                + submittedBy + "\",\"tenant\":\"" + tenant + "\"}";
        sha256.reset();
        sha256.update((byte) 0);
        byte[] leafHash = sha256.digest(leafInput.getBytes(StandardCharsets.UTF_8));
        return new Row(id, tenant, received, submittedBy, actorId(i), actorType(i), displayName(i), action(i),
                "case", resourceId(i), reason(i), outcome(i), occurred, "portal", ip(i), "stenographer-bench/1",
                correlationId(i), metadata, clientEventId, leafHash);
    }

    List<Row> rows(String prefix, int count, String submittedBy) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Instant receivedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<Row> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            rows.add(row(prefix, i, receivedAt, submittedBy, sha256));
        }
        return rows;
    }

    /** Columns of {@code audit_event} that the service writes; {@code ingest_seq} is generated. */
    record Row(UUID id, String tenant, OffsetDateTime receivedAt, String submittedBy, String actorId,
            String actorType, String actorDisplayName, String action, String resourceType, String resourceId,
            String reason, String outcome, OffsetDateTime occurredAt, String sourceApplication, String sourceIp,
            String sourceUserAgent, String correlationId, String metadata, String clientEventId, byte[] leafHash) {
    }

    private static String actorId(int i) {
        return i % 10 == 9 ? "svc-exporter" : "user-" + (i % 997);
    }

    private static String actorType(int i) {
        return i % 10 == 9 ? "service" : "user";
    }

    private static String displayName(int i) {
        return i % 10 == 9 ? null : "Dana Doe " + (i % 997);
    }

    private static String action(int i) {
        return ACTIONS[i % ACTIONS.length];
    }

    private static String resourceId(int i) {
        return "case-" + (i % 50_000);
    }

    private static String reason(int i) {
        return "Background check requested by HR ticket " + (4_000 + i % 1_000);
    }

    private static String outcome(int i) {
        return i % 20 == 0 ? "denied" : i % 7 == 0 ? "failure" : "success";
    }

    private Instant occurredAt(int i) {
        return base.plus(i, ChronoUnit.MICROS);
    }

    private static String ip(int i) {
        return "192.0.2." + (1 + i % 250);
    }

    private String correlationId(int i) {
        return "corr-" + runId + "-" + (i / 10);
    }

    /** Already canonical (RFC 8785): keys sorted, no whitespace, integers. */
    private static String metadata(int i) {
        return "{\"count\":2,\"fields\":[\"ssn\",\"dob\"],\"ticket\":" + (4_000 + i % 1_000) + "}";
    }

    private String clientEventId(String prefix, int i) {
        return "bench-" + runId + "-" + prefix + "-" + i;
    }

    /** RFC 9562 UUIDv7, as the service assigns ids. */
    private static UUID uuidV7(Instant at) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (at.toEpochMilli() << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low);
    }
}
