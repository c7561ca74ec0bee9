package io.stenographer.adapters.persistence;

import io.stenographer.application.port.out.RecordVerificationRunsPort;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.json.JsonArray;
import io.stenographer.domain.json.JsonNumber;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonParser;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import io.stenographer.domain.log.VerificationFinding;
import io.stenographer.domain.log.VerificationReport;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.Session;

/** Verification reports, append-only; findings are kept as canonical JSON. */
@ApplicationScoped
public class PostgresVerificationRuns implements RecordVerificationRunsPort {

    private static final String SELECT = """
            SELECT id, tenant, started_at, finished_at, tree_size, checkpoints, findings, triggered_by
            FROM verification_run""";

    /** Kept in the findings document, which is open to new members, so older rows read as they are. */
    private static final String ANCHORED_AT = "anchoredAtSize";
    private static final String LEAVES_FROM = "leavesCheckedFrom";
    private static final String SEGMENTS_UP_TO = "segmentsCheckedUpTo";
    private static final String ANCHOR = "newestAcceptedCheckpoint";

    private final Jdbc jdbc;

    PostgresVerificationRuns(Session session) {
        this.jdbc = new Jdbc(session);
    }

    @Override
    public void save(VerificationReport report, String newestAcceptedCheckpoint, long segmentsCheckedUpTo) {
        jdbc.update("""
                INSERT INTO verification_run (id, tenant, started_at, finished_at, tree_size, checkpoints, ok,
                                              findings, triggered_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""", insert -> {
            insert.setObject(1, report.id());
            insert.setString(2, report.tenant().value());
            insert.setTimestamp(3, Timestamp.from(report.startedAt()));
            insert.setTimestamp(4, Timestamp.from(report.finishedAt()));
            insert.setLong(5, report.treeSize());
            insert.setLong(6, report.checkpointsChecked());
            insert.setBoolean(7, report.ok());
            insert.setString(8, CanonicalJson.canonicalize(findingsJson(report, newestAcceptedCheckpoint,
                    segmentsCheckedUpTo)));
            insert.setString(9, report.triggeredBy());
        });
    }

    @Override
    public Optional<Anchor> anchor(TenantId tenant) {
        return jdbc.first("SELECT ok, findings, started_at FROM verification_run WHERE tenant = ?"
                + " ORDER BY started_at DESC LIMIT 1", ps -> ps.setString(1, tenant.value()), rs -> {
                    if (!rs.getBoolean(1)) {
                        return Optional.<Anchor>empty();
                    }
                    JsonObject stored = (JsonObject) JsonParser.parse(rs.getString(2), 8);
                    // A run stored before incremental verification has no catalogue mark: read every segment back.
                    long segments = stored.get(SEGMENTS_UP_TO) instanceof JsonNumber upTo ? (long) upTo.value() : 0;
                    return stored.get(ANCHOR) instanceof JsonString note
                            ? Optional.of(new Anchor(note.value(), rs.getTimestamp(3).toInstant(), segments))
                            : Optional.<Anchor>empty();
                }).flatMap(anchor -> anchor);
    }

    @Override
    public List<VerificationReport> recent(TenantId tenant, int limit) {
        return jdbc.query(SELECT + " WHERE tenant = ? ORDER BY started_at DESC LIMIT ?", ps -> {
            ps.setString(1, tenant.value());
            ps.setInt(2, limit);
        }, PostgresVerificationRuns::report);
    }

    @Override
    public Optional<VerificationReport> find(TenantId tenant, UUID id) {
        return jdbc.first(SELECT + " WHERE tenant = ? AND id = ?", ps -> {
            ps.setString(1, tenant.value());
            ps.setObject(2, id);
        }, PostgresVerificationRuns::report);
    }

    private static VerificationReport report(ResultSet rs) throws SQLException {
        JsonObject stored = (JsonObject) JsonParser.parse(rs.getString(7), 8);
        List<VerificationFinding> findings = new ArrayList<>();
        for (JsonValue value : ((JsonArray) stored.get("findings")).elements()) {
            JsonObject finding = (JsonObject) value;
            findings.add(new VerificationFinding(
                    VerificationFinding.Kind.valueOf(((JsonString) finding.get("kind")).value()),
                    finding.get("index") == null ? null : (long) ((JsonNumber) finding.get("index")).value(),
                    finding.get("eventId") == null ? null : EventId.parse(((JsonString) finding.get("eventId")).value()),
                    ((JsonString) finding.get("message")).value()));
        }
        return new VerificationReport(rs.getObject(1, UUID.class), new TenantId(rs.getString(2)),
                rs.getTimestamp(3).toInstant(), rs.getTimestamp(4).toInstant(), rs.getLong(5),
                (long) ((JsonNumber) stored.get("eventsChecked")).value(), rs.getLong(6),
                stored.get(ANCHORED_AT) == null ? 0 : (long) ((JsonNumber) stored.get(ANCHORED_AT)).value(),
                stored.get(LEAVES_FROM) == null ? 0 : (long) ((JsonNumber) stored.get(LEAVES_FROM)).value(),
                rs.getString(8),
                findings, stored.get("truncated") != null);
    }

    private static JsonObject findingsJson(VerificationReport report, String newestAcceptedCheckpoint,
            long segmentsCheckedUpTo) {
        List<JsonValue> findings = new ArrayList<>();
        for (VerificationFinding finding : report.findings()) {
            Map<String, JsonValue> members = new LinkedHashMap<>();
            members.put("kind", new JsonString(finding.kind().name()));
            if (finding.index() != null) {
                members.put("index", new JsonNumber(finding.index()));
            }
            if (finding.eventId() != null) {
                members.put("eventId", new JsonString(finding.eventId().toString()));
            }
            members.put("message", new JsonString(finding.message()));
            findings.add(new JsonObject(members));
        }
        Map<String, JsonValue> root = new LinkedHashMap<>();
        root.put("eventsChecked", new JsonNumber(report.eventsChecked()));
        root.put("findings", new JsonArray(findings));
        if (report.findingsTruncated()) {
            root.put("truncated", new JsonString("true"));
        }
        if (report.anchoredAtSize() > 0) {
            root.put(ANCHORED_AT, new JsonNumber(report.anchoredAtSize()));
        }
        if (report.leavesCheckedFrom() > 0) {
            root.put(LEAVES_FROM, new JsonNumber(report.leavesCheckedFrom()));
        }
        if (newestAcceptedCheckpoint != null) {
            root.put(ANCHOR, new JsonString(newestAcceptedCheckpoint));
            root.put(SEGMENTS_UP_TO, new JsonNumber(segmentsCheckedUpTo));
        }
        return new JsonObject(root);
    }
}
