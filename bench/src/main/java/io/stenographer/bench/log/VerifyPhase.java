package io.stenographer.bench.log;

import io.stenographer.domain.json.JsonArray;
import io.stenographer.domain.json.JsonBoolean;
import io.stenographer.domain.json.JsonNumber;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonParser;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/**
 * Measurement 3: full verification (POST /api/v1/logs/{tenant}/verifications) over the bulk-loaded
 * log, events/s = eventsChecked / wall time. Baseline in the same run: SHA-256(0x00 || leaf input)
 * over the same canonical leaf inputs, single-threaded in this JVM, i.e. the hashing a verification
 * cannot avoid; and reading the same rows (leaves joined to events) out of PostgreSQL over JDBC, i.e.
 * the I/O it cannot avoid.
 */
final class VerifyPhase {

    record Result(int status, String problem, boolean ok, long treeSize, long eventsChecked, long checkpoints,
            int findings, double seconds, double rawSeconds, long rawEvents, long rawBytes, long readRows,
            double readSeconds) {

        double readRate() {
            return readRows / readSeconds;
        }

        double rate() {
            return eventsChecked / seconds;
        }

        double rawRate() {
            return rawEvents / rawSeconds;
        }
    }

    /** Chunk of the second baseline; the same as the service's verification chunk at the time of writing. */
    static final int READ_CHUNK = 10_000;

    private final LogOptions options;
    private final Service service;
    private final Connection db;

    VerifyPhase(LogOptions options, Service service, Connection db) {
        this.options = options;
        this.service = service;
        this.db = db;
    }

    Result run(byte[][] leafInputs) throws Exception {
        // Baseline: one warm-up pass over a tenth, then one timed pass over everything.
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte sink = 0;
        for (int i = 0; i < leafInputs.length / 10; i++) {
            sha.update((byte) 0x00);
            sha.update(leafInputs[i]);
            sink ^= sha.digest()[0];
        }
        long bytes = 0;
        long t0 = System.nanoTime();
        for (byte[] input : leafInputs) {
            sha.update((byte) 0x00);
            sha.update(input);
            sink ^= sha.digest()[0];
            bytes += input.length + 1;
        }
        double rawSeconds = (System.nanoTime() - t0) / 1e9;
        LogBenchmark.log(String.format("raw SHA-256 baseline: %,d leaf inputs in %.2f s (sink %d)",
                leafInputs.length, rawSeconds, sink));

        // Second baseline: the rows a verification has to read, out of PostgreSQL over JDBC, no hashing.
        long[] rows = new long[1];
        double readSeconds = readAll(rows);
        LogBenchmark.log(String.format("JDBC read baseline: %,d rows in %.2f s", rows[0], readSeconds));

        LogBenchmark.log("POST /api/v1/logs/" + options.proofTenant() + "/verifications (timeout "
                + options.verifyTimeoutSeconds() + " s)");
        service.token("auditor");
        long t1 = System.nanoTime();
        HttpResponse<String> response = service.post("/api/v1/logs/" + options.proofTenant() + "/verifications",
                "auditor", Duration.ofSeconds(options.verifyTimeoutSeconds()), "{}".getBytes(StandardCharsets.UTF_8));
        double seconds = (System.nanoTime() - t1) / 1e9;
        if (response.statusCode() != 200 && response.statusCode() != 201) {
            return new Result(response.statusCode(), Service.abbreviate(response.body()), false, 0, 0, 0, 0, seconds,
                    rawSeconds, leafInputs.length, bytes, rows[0], readSeconds);
        }
        JsonObject report = (JsonObject) JsonParser.parse(response.body(), 8);
        return new Result(response.statusCode(), null, JsonBoolean.TRUE.equals(report.get("ok")),
                number(report, "treeSize"), number(report, "eventsChecked"), number(report, "checkpointsChecked"),
                ((JsonArray) report.get("findings")).elements().size(), seconds, rawSeconds, leafInputs.length,
                bytes, rows[0], readSeconds);
    }

    /**
     * Every leaf of the tenant joined to its event, all columns read, in leaf-index chunks, one
     * read-only transaction per chunk: what any verifier must pull out of the database.
     */
    private double readAll(long[] rows) throws SQLException {
        String sql = "SELECT l.leaf_index, l.event_id, l.leaf_hash, e.id, e.tenant, e.received_at, e.submitted_by,"
                + " e.actor_id, e.actor_type, e.actor_display_name, e.action, e.resource_type, e.resource_id, e.reason,"
                + " e.outcome, e.occurred_at, e.source_application, e.source_ip, e.source_user_agent,"
                + " e.correlation_id, e.metadata, e.client_event_id"
                + " FROM log_leaf l LEFT JOIN audit_event e ON e.id = l.event_id"
                + " WHERE l.tenant = ? AND l.leaf_index >= ? AND l.leaf_index < ? ORDER BY l.leaf_index";
        long size;
        try (PreparedStatement statement = db.prepareStatement(
                "SELECT COALESCE(max(leaf_index) + 1, 0) FROM log_leaf WHERE tenant = ?")) {
            statement.setString(1, options.proofTenant());
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                size = rs.getLong(1);
            }
        }
        long checksum = 0;
        db.setAutoCommit(false);
        long t0 = System.nanoTime();
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            statement.setFetchSize(1_000);
            for (long from = 0; from < size; from += READ_CHUNK) {
                statement.setString(1, options.proofTenant());
                statement.setLong(2, from);
                statement.setLong(3, Math.min(size, from + READ_CHUNK));
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        checksum += rs.getLong(1) + rs.getBytes(3)[0];
                        for (int column = 4; column <= 22; column++) {
                            String value = rs.getString(column);
                            checksum += value == null ? 0 : value.length();
                        }
                        rows[0]++;
                    }
                }
                db.commit();
            }
        } finally {
            db.setAutoCommit(true);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (checksum == 42) {
            LogBenchmark.log("(checksum " + checksum + ")");
        }
        return seconds;
    }

    private static long number(JsonObject json, String name) {
        return (long) ((JsonNumber) json.get(name)).value();
    }
}
