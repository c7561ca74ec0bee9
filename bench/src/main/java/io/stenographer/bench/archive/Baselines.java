package io.stenographer.bench.archive;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

/**
 * The two raw baselines, run against the same PostgreSQL in the same run as the jobs they stand beside.
 *
 * <ul>
 *   <li>{@link #rawArchive}: the bare work of an archive without the service's guarantees. Read the same
 *       rows (event columns joined to their leaf, in index order, {@code segmentEvents} per query) with
 *       plain JDBC, write each as one JSON line (plain string concatenation, not RFC 8785), gzip each
 *       segment, SHA-256 it and write it to a file with fsync, as the local archive does. Not done: leaf
 *       hashes recomputed, Merkle range root, manifest, lock and read-back, archive index rows.</li>
 *   <li>{@link #plainDelete}: a copy of the tenant's rows in a table with the same columns and indexes but
 *       no trigger, then a plain {@code DELETE ... WHERE id = ANY(?)} per batch of the purge's batch size,
 *       in the purge's order (log index), one transaction per batch, as the schema owner. Not done:
 *       candidate query, retention rule, the purge function's checks against the archive catalog.</li>
 * </ul>
 */
final class Baselines {

    private static final HexFormat HEX = HexFormat.of();

    record Timed(long events, double seconds, double readSeconds, long bytes) {
        double rate() {
            return events / seconds;
        }
    }

    private Baselines() {
    }

    static Timed rawArchive(Connection db, String tenant, long events, int segmentEvents, Path dir)
            throws Exception {
        Files.createDirectories(dir);
        String sql = """
                SELECT l.leaf_index, l.leaf_hash, e.id, e.tenant, e.received_at, e.submitted_by, e.actor_id,
                       e.actor_type, e.actor_display_name, e.action, e.resource_type, e.resource_id, e.reason,
                       e.outcome, e.occurred_at, e.source_application, e.source_ip, e.source_user_agent,
                       e.correlation_id, e.metadata, e.client_event_id
                FROM log_leaf l JOIN audit_event e ON e.id = l.event_id
                WHERE l.tenant = ? AND l.leaf_index >= ? AND l.leaf_index < ?
                ORDER BY l.leaf_index""";
        long rows = 0;
        long bytes = 0;
        long readNanos = 0;
        long started = System.nanoTime();
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            statement.setFetchSize(segmentEvents);
            for (long from = 0; from < events; from += segmentEvents) {
                long to = Math.min(events, from + segmentEvents);
                statement.setString(1, tenant);
                statement.setLong(2, from);
                statement.setLong(3, to);
                ByteArrayOutputStream compressed = new ByteArrayOutputStream(2 << 20);
                try (GZIPOutputStream gzip = new GZIPOutputStream(compressed, 64 * 1024)) {
                    long r0 = System.nanoTime();
                    try (ResultSet rs = statement.executeQuery()) {
                        readNanos += System.nanoTime() - r0;
                        StringBuilder line = new StringBuilder(1024);
                        while (rs.next()) {
                            long r1 = System.nanoTime();
                            line.setLength(0);
                            line.append("{\"event\":{");
                            for (int c = 3; c <= 21; c++) {
                                if (c > 3) {
                                    line.append(',');
                                }
                                line.append('"').append(rs.getMetaData().getColumnLabel(c)).append("\":");
                                String value = rs.getString(c);
                                if (value == null) {
                                    line.append("null");
                                } else if (c == 20) {
                                    line.append(value); // metadata is JSON text already
                                } else {
                                    quote(line, value);
                                }
                            }
                            line.append("},\"index\":").append(rs.getLong(1)).append(",\"leafHash\":\"")
                                    .append(HEX.formatHex(rs.getBytes(2))).append("\"}\n");
                            readNanos += System.nanoTime() - r1;
                            gzip.write(line.toString().getBytes(StandardCharsets.UTF_8));
                            rows++;
                        }
                    }
                }
                byte[] object = compressed.toByteArray();
                byte[] sha = MessageDigest.getInstance("SHA-256").digest(object);
                Path file = dir.resolve(String.format("%020d.ndjson.gz", from));
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE)) {
                    channel.write(ByteBuffer.wrap(object));
                    channel.force(true);
                }
                Files.writeString(dir.resolve(String.format("%020d.sha256", from)), HEX.formatHex(sha));
                bytes += object.length;
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        if (rows != events) {
            throw new IllegalStateException("raw archive read " + rows + " rows, expected " + events);
        }
        return new Timed(rows, seconds, readNanos / 1e9, bytes);
    }

    private static void quote(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (ch == '"' || ch == '\\') {
                out.append('\\');
            }
            out.append(ch);
        }
        out.append('"');
    }

    /** Copies the tenant's rows (untimed), then deletes the archived ones in batches (timed). */
    static Timed plainDelete(Connection db, String tenant, int batch) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        boolean autoCommit = db.getAutoCommit();
        db.setAutoCommit(true);
        try {
            try (Statement s = db.createStatement()) {
                s.execute("DROP TABLE IF EXISTS bench_purge_copy");
                s.execute("CREATE TABLE bench_purge_copy (LIKE audit_event INCLUDING DEFAULTS INCLUDING CONSTRAINTS"
                        + " INCLUDING INDEXES)");
            }
            try (PreparedStatement copy = db.prepareStatement(
                    "INSERT INTO bench_purge_copy SELECT * FROM audit_event WHERE tenant = ?")) {
                copy.setString(1, tenant);
                copy.executeUpdate();
            }
            try (Statement s = db.createStatement()) {
                s.execute("VACUUM ANALYZE bench_purge_copy");
            }
            try (PreparedStatement select = db.prepareStatement(
                    "SELECT event_id FROM archived_event WHERE tenant = ? ORDER BY log_index")) {
                select.setString(1, tenant);
                select.setFetchSize(50_000);
                db.setAutoCommit(false); // a cursor needs a transaction
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getObject(1, UUID.class));
                    }
                }
                db.commit();
                db.setAutoCommit(true);
            }
            long deleted = 0;
            long started = System.nanoTime();
            try (PreparedStatement delete = db.prepareStatement("DELETE FROM bench_purge_copy WHERE id = ANY(?)")) {
                for (int from = 0; from < ids.size(); from += batch) {
                    Array array = db.createArrayOf("uuid", ids.subList(from, Math.min(ids.size(), from + batch))
                            .toArray());
                    delete.setArray(1, array);
                    deleted += delete.executeUpdate();
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            if (deleted != ids.size()) {
                throw new IllegalStateException("plain delete removed " + deleted + " of " + ids.size() + " rows");
            }
            return new Timed(deleted, seconds, 0, 0);
        } finally {
            db.setAutoCommit(true);
            try (Statement s = db.createStatement()) {
                s.execute("DROP TABLE IF EXISTS bench_purge_copy");
            }
            db.setAutoCommit(autoCommit);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
