package io.stenographer.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ceiling: the same rows inserted straight into a scratch copy of {@code audit_event} (same
 * columns, constraints, indexes and identity column; its INSERT triggers mirrored onto scratch copies
 * of their target tables) with {@code addBatch}/{@code executeBatch}, one transaction per batch, from
 * the same number of connections.
 */
final class RawJdbcBaseline {

    private static final Pattern INSERT_INTO =
            Pattern.compile("(?i)INSERT\\s+INTO\\s+(?:public\\.)?([a-z_][a-z0-9_]*)");

    private final String jdbcUrl;
    private final Properties credentials;

    RawJdbcBaseline(String jdbcUrl, String user, String password) {
        this.jdbcUrl = jdbcUrl;
        this.credentials = new Properties();
        credentials.setProperty("user", user);
        credentials.setProperty("password", password);
        credentials.setProperty("ApplicationName", "stenographer-bench");
    }

    /** Facts about the server and the event table that the report prints. */
    record DatabaseInfo(String version, String fsync, String synchronousCommit, int auditEventIndexes,
            List<String> auditEventInsertTriggers, long auditEventRows) {
    }

    /** An INSERT trigger of {@code audit_event}, as SQL that recreates it on a scratch table. */
    record MirroredTrigger(String name, List<String> tables, String functionName, List<String> createSql) {
    }

    DatabaseInfo describe() throws SQLException {
        try (Connection c = connect(jdbcUrl); Statement s = c.createStatement()) {
            String version = one(s, "SHOW server_version");
            String fsync = one(s, "SHOW fsync");
            String syncCommit = one(s, "SHOW synchronous_commit");
            int indexes = indexCount(s, "audit_event");
            List<String> triggers = new ArrayList<>();
            // tgtype bit 2 (value 4) = INSERT; internal triggers (FK checks) excluded.
            try (ResultSet rs = s.executeQuery("SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_event'::regclass"
                    + " AND NOT tgisinternal AND (tgtype & 4) <> 0 ORDER BY tgname")) {
                while (rs.next()) {
                    triggers.add(rs.getString(1));
                }
            }
            long rows = Long.parseLong(one(s, "SELECT count(*) FROM audit_event"));
            return new DatabaseInfo(version, fsync, syncCommit, indexes, triggers, rows);
        }
    }

    String url() {
        return jdbcUrl;
    }

    String rewriteUrl() {
        return jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true";
    }

    /** Events stored but not yet integrated into the Merkle log, or -1 when there is no such queue. */
    long integrationQueueDepth() throws SQLException {
        try (Connection c = connect(jdbcUrl); Statement s = c.createStatement()) {
            if (one(s, "SELECT to_regclass('integration_queue')") == null) {
                return -1;
            }
            return Long.parseLong(one(s, "SELECT count(*) FROM integration_queue"));
        }
    }

    /**
     * A scratch copy of {@code audit_event} named {@code <prefix>event}, filled through {@code url}. With
     * {@code mirrorTriggers}, its INSERT triggers write to {@code <prefix><table>} copies.
     */
    Target target(String label, String prefix, String url, boolean mirrorTriggers) {
        return new Target(label, prefix, url, mirrorTriggers);
    }

    final class Target implements AutoCloseable {

        private final String label;
        private final String prefix;
        private final String url;
        private final boolean mirrorTriggers;
        private List<MirroredTrigger> triggers = List.of();
        private long rows;

        private Target(String label, String prefix, String url, boolean mirrorTriggers) {
            this.label = label;
            this.prefix = prefix;
            this.url = url;
            this.mirrorTriggers = mirrorTriggers;
        }

        String label() {
            return label;
        }

        String table() {
            return prefix + "event";
        }

        List<MirroredTrigger> triggers() {
            return triggers;
        }

        /** (Re)creates the scratch table and its mirrored triggers. */
        Target create() throws SQLException {
            try (Connection c = connect(jdbcUrl); Statement s = c.createStatement()) {
                triggers = mirrorTriggers ? mirrorableTriggers(c, prefix, table()) : List.of();
                drop(s);
                // LIKE ... INCLUDING ALL: same columns, defaults, CHECKs, identity column and indexes.
                // LIKE copies no triggers; the mirrored INSERT triggers are created below.
                s.execute("CREATE TABLE " + table() + " (LIKE audit_event INCLUDING ALL)");
                int copied = indexCount(s, table());
                int original = indexCount(s, "audit_event");
                if (copied != original) {
                    throw new IllegalStateException(table() + " has " + copied + " indexes, audit_event " + original);
                }
                for (MirroredTrigger trigger : triggers) {
                    for (String sql : trigger.createSql()) {
                        s.execute(sql);
                    }
                }
            }
            rows = 0;
            return this;
        }

        /** Inserts the rows in batches from {@code concurrency} connections; returns the timing. */
        PhaseResult insert(String name, List<EventFactory.Row> batchRows, int batchSize, int concurrency)
                throws SQLException {
            PhaseResult result = insertAll(url, table(), batchRows, batchSize, concurrency, name);
            rows += batchRows.size();
            try (Connection c = connect(jdbcUrl); Statement s = c.createStatement()) {
                long count = Long.parseLong(one(s, "SELECT count(*) FROM " + table()));
                if (count != rows) {
                    throw new IllegalStateException(table() + " holds " + count + " rows, expected " + rows);
                }
            }
            return result;
        }

        @Override
        public void close() throws SQLException {
            try (Connection c = connect(jdbcUrl); Statement s = c.createStatement()) {
                drop(s);
            }
        }

        private void drop(Statement s) throws SQLException {
            s.execute("DROP TABLE IF EXISTS " + table());
            for (MirroredTrigger trigger : triggers) {
                s.execute("DROP FUNCTION IF EXISTS " + trigger.functionName() + "()");
                for (String table : trigger.tables()) {
                    s.execute("DROP TABLE IF EXISTS " + prefix + table);
                }
            }
        }
    }

    /** Checks, before any load, that the INSERT triggers of {@code audit_event} can be mirrored. */
    List<MirroredTrigger> mirrorableTriggers(String prefix) throws SQLException {
        try (Connection c = connect(jdbcUrl)) {
            return mirrorableTriggers(c, prefix, prefix + "event");
        }
    }

    /**
     * The INSERT triggers of {@code audit_event}, rewritten for a scratch table: each trigger function
     * that only INSERTs into other tables gets a copy that INSERTs into {@code <prefix><table>} copies.
     * A trigger whose function does anything else cannot be mirrored faithfully, and fails the run.
     */
    private static List<MirroredTrigger> mirrorableTriggers(Connection c, String prefix, String scratchTable)
            throws SQLException {
        List<MirroredTrigger> mirrored = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT t.tgname, p.proname, pg_get_functiondef(p.oid), pg_get_triggerdef(t.oid)
                FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
                WHERE t.tgrelid = 'audit_event'::regclass AND NOT t.tgisinternal AND (t.tgtype & 4) <> 0
                ORDER BY t.tgname""")) {
            while (rs.next()) {
                String trigger = rs.getString(1);
                String function = rs.getString(2);
                String functionDef = rs.getString(3);
                String triggerDef = rs.getString(4);
                Matcher inserts = INSERT_INTO.matcher(functionDef);
                List<String> tables = new ArrayList<>();
                while (inserts.find()) {
                    if (!tables.contains(inserts.group(1))) {
                        tables.add(inserts.group(1));
                    }
                }
                String body = functionDef.toUpperCase(Locale.ROOT);
                if (tables.isEmpty() || body.contains("UPDATE ") || body.contains("DELETE ")
                        || body.contains("PERFORM ") || body.contains("SELECT ")) {
                    throw new IllegalStateException("cannot mirror INSERT trigger " + trigger + " of audit_event"
                            + " onto the raw baseline table (its function does more than INSERT);"
                            + " extend RawJdbcBaseline\n" + functionDef);
                }
                String copyFunction = prefix + function;
                String copyDef = functionDef.replaceFirst("(?i)FUNCTION\\s+(public\\.)?" + function + "\\(",
                        "FUNCTION " + copyFunction + "(");
                List<String> sql = new ArrayList<>();
                for (String table : tables) {
                    sql.add("CREATE TABLE " + prefix + table + " (LIKE " + table + " INCLUDING ALL)");
                    copyDef = copyDef.replaceAll("(?i)INSERT\\s+INTO\\s+(public\\.)?" + table + "\\b",
                            "INSERT INTO " + prefix + table);
                }
                sql.add(copyDef);
                sql.add(triggerDef
                        .replaceFirst("(?i)TRIGGER\\s+" + trigger + "\\b", "TRIGGER " + prefix + trigger)
                        .replaceFirst("(?i)\\sON\\s+(public\\.)?audit_event\\b", " ON " + scratchTable)
                        .replaceFirst("(?i)(FUNCTION|PROCEDURE)\\s+(public\\.)?" + function + "\\(",
                                "FUNCTION " + copyFunction + "("));
                mirrored.add(new MirroredTrigger(trigger, tables, copyFunction, sql));
            }
        }
        return mirrored;
    }

    private PhaseResult insertAll(String url, String table, List<EventFactory.Row> rows, int batchSize,
            int concurrency, String name) throws SQLException {
        String insertSql = "INSERT INTO " + table + " (id, tenant, received_at, submitted_by, actor_id, actor_type,"
                + " actor_display_name, action, resource_type, resource_id, reason, outcome, occurred_at,"
                + " source_application, source_ip, source_user_agent, correlation_id, metadata, client_event_id,"
                + " leaf_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        int batches = (rows.size() + batchSize - 1) / batchSize;
        long[] latency = new long[batches];
        if (batches == 0) {
            return new PhaseResult(name, 0, 0, 1, latency, 0);
        }
        List<Connection> connections = new ArrayList<>(concurrency);
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            // Connections are opened before timing: the service has a warm pool too.
            for (int w = 0; w < concurrency; w++) {
                Connection c = connect(url);
                c.setAutoCommit(false);
                connections.add(c);
            }
            AtomicInteger next = new AtomicInteger();
            List<Future<?>> workers = new ArrayList<>(concurrency);
            long start = System.nanoTime();
            for (Connection c : connections) {
                workers.add(pool.submit(() -> {
                    try (PreparedStatement insert = c.prepareStatement(insertSql)) {
                        // Bounded: each batch index is taken exactly once.
                        for (int k = next.getAndIncrement(); k < batches; k = next.getAndIncrement()) {
                            long t0 = System.nanoTime();
                            int from = k * batchSize;
                            int to = Math.min(rows.size(), from + batchSize);
                            for (int i = from; i < to; i++) {
                                bind(insert, rows.get(i));
                                insert.addBatch();
                            }
                            insert.executeBatch();
                            c.commit();
                            latency[k] = System.nanoTime() - t0;
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
            long nanos = System.nanoTime() - start;
            return new PhaseResult(name, rows.size(), batches, nanos, latency, 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("raw JDBC insert into " + table + " failed: " + e.getCause(),
                    e.getCause());
        } finally {
            pool.shutdownNow();
            for (Connection c : connections) {
                c.close();
            }
        }
    }

    private static void bind(PreparedStatement insert, EventFactory.Row row) throws SQLException {
        insert.setObject(1, row.id());
        insert.setString(2, row.tenant());
        insert.setObject(3, row.receivedAt());
        insert.setString(4, row.submittedBy());
        insert.setString(5, row.actorId());
        insert.setString(6, row.actorType());
        text(insert, 7, row.actorDisplayName());
        insert.setString(8, row.action());
        text(insert, 9, row.resourceType());
        text(insert, 10, row.resourceId());
        text(insert, 11, row.reason());
        insert.setString(12, row.outcome());
        insert.setObject(13, row.occurredAt());
        insert.setString(14, row.sourceApplication());
        text(insert, 15, row.sourceIp());
        text(insert, 16, row.sourceUserAgent());
        text(insert, 17, row.correlationId());
        insert.setString(18, row.metadata());
        text(insert, 19, row.clientEventId());
        insert.setBytes(20, row.leafHash());
    }

    private static void text(PreparedStatement insert, int index, String value) throws SQLException {
        if (value == null) {
            insert.setNull(index, Types.VARCHAR);
        } else {
            insert.setString(index, value);
        }
    }

    private Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, credentials);
    }

    private static int indexCount(Statement s, String table) throws SQLException {
        return Integer.parseInt(one(s, "SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema()"
                + " AND tablename = '" + table + "'"));
    }

    private static String one(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
