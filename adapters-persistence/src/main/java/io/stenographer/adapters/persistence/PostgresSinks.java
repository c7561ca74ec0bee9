package io.stenographer.adapters.persistence;

import io.stenographer.application.port.out.LeaseSinksPort;
import io.stenographer.application.port.out.StoreSinksPort;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.sink.Sink;
import io.stenographer.domain.sink.SinkId;
import io.stenographer.domain.sink.SinkProgress;
import io.stenographer.domain.sink.SinkSettings;
import io.stenographer.domain.sink.SinkState;
import io.stenographer.domain.sink.SinkTransport;
import io.stenographer.domain.sink.WebhookSecret;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.Session;

/**
 * Stream sinks, their progress and their delivery leases (V20__stream_sinks.sql), on the transaction's JDBC
 * connection. Lease times are the database's ({@code now()}): a lease is held while {@code lease_until > now()}, and
 * a holder's renew, save and release match its owner and the sink's generation, so a holder that lost its lease, or
 * whose sink an admin changed since the claim, changes nothing. Every administrative change moves the generation on
 * and clears the lease. Secrets are read only by {@link #claim}; {@link #find} and {@link #list} never touch
 * {@code stream_sink_secret}.
 *
 * <p>A lease's owner must be unique per holder (an instance and worker id, say): the fence cannot tell two holders of
 * one owner name apart within a generation.
 */
@ApplicationScoped
public class PostgresSinks implements StoreSinksPort, LeaseSinksPort {

    private static final String SELECT = "SELECT " + StreamSinkRows.COLUMNS + " FROM stream_sink";
    /** The lease of a holder, still held, under the generation it was claimed in (parameters: id, owner, generation). */
    private static final String HELD = """
            id = ? AND lease_owner = ? AND generation = ? AND lease_until > now() AND state = 'active'""";
    /**
     * One statement: the due active sinks nobody holds, least recently served first (every claim, save and release
     * moves a sink's {@code updated_at}, so a caught-up sink that is claimed and released goes to the back and cannot
     * starve the others), locked without waiting for the rows another claimer has locked (SKIP LOCKED), and leased. A
     * row another claimer leased and committed meanwhile is checked again against its new lease before it is locked.
     */
    private static final String CLAIM = """
            WITH due AS MATERIALIZED (
                SELECT id, updated_at AS served_at FROM stream_sink
                WHERE state = 'active' AND (lease_until IS NULL OR lease_until < now()) AND next_attempt_at <= now()
                ORDER BY updated_at, id
                LIMIT ?
                FOR UPDATE SKIP LOCKED
            ), leased AS (
                UPDATE stream_sink SET lease_owner = ?, lease_until = now() + ?::bigint * interval '1 microsecond'
                WHERE id IN (SELECT id FROM due)
                RETURNING %s
            )
            SELECT leased.* FROM leased JOIN due ON due.id = leased.id ORDER BY due.served_at, leased.id"""
            .formatted(StreamSinkRows.COLUMNS);
    /** What every administrative change does besides its own change. */
    private static final String NEW_GENERATION = "generation = generation + 1, lease_owner = NULL, lease_until = NULL";

    private final Jdbc jdbc;

    PostgresSinks(Session session) {
        this.jdbc = new Jdbc(session);
    }

    // --- StoreSinksPort ---

    @Override
    public void insert(Sink sink, List<WebhookSecret> secrets, SinkProgress progress) {
        Objects.requireNonNull(progress, "progress");
        List<String> fingerprints = secrets.stream().map(WebhookSecret::fingerprint).toList();
        if (!fingerprints.equals(sink.secretFingerprints())) {
            throw new IllegalArgumentException("the sink's secret fingerprints " + sink.secretFingerprints()
                    + " are not those of the secrets given " + fingerprints);
        }
        SinkSettings settings = sink.settings();
        jdbc.update("""
                INSERT INTO stream_sink (id, tenant, name, transport, target_url, target_servers, target_topic,
                    target_address, kafka_tls, format, batch_size, checkpoint_every_records, checkpoint_every, dead_after,
                    max_message_bytes, ocsf_mapping, secret_fingerprints, state, created_at, created_by,
                    cursor, checkpoint_from, records_since_checkpoint, last_checkpoint_at, delivered, failed,
                    last_error, last_error_at, failing_since, attempts, next_attempt_at,
                    inflight_from, inflight_to, inflight_checkpoint_size)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::bigint * interval '1 microsecond',
                    ?::bigint * interval '1 microsecond', ?, ?, ?, ?, ?, ?,
                    ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now() + ?::bigint * interval '1 microsecond', ?, ?, ?)""", ps -> {
            int p = 1;
            ps.setObject(p++, sink.id().value());
            ps.setString(p++, sink.tenant().value());
            ps.setString(p++, sink.name());
            ps.setString(p++, sink.target().transport().wireName());
            p = StreamSinkRows.bindTarget(ps, p, sink.target());
            ps.setString(p++, sink.format().wireName());
            ps.setInt(p++, settings.batchSize());
            ps.setInt(p++, settings.checkpointEveryRecords());
            ps.setLong(p++, StreamSinkRows.micros(settings.checkpointEvery()));
            ps.setLong(p++, StreamSinkRows.micros(settings.deadAfter()));
            ps.setInt(p++, settings.maxMessageBytes());
            ps.setString(p++, settings.ocsfMappingText());
            ps.setArray(p++, ps.getConnection().createArrayOf("text", sink.secretFingerprints().toArray()));
            ps.setString(p++, sink.state().wireName());
            ps.setObject(p++, PostgresRetentionPolicies.utc(sink.createdAt()));
            ps.setString(p++, sink.createdBy());
            StreamSinkRows.bindProgress(ps, p, progress);
        });
        writeSecrets(sink.id(), secrets);
    }

    @Override
    public Optional<StoredSink> find(SinkId id) {
        return jdbc.first(SELECT + " WHERE id = ?", ps -> ps.setObject(1, id.value()),
                rs -> new StoredSink(StreamSinkRows.sink(rs), StreamSinkRows.progress(rs)));
    }

    @Override
    public List<StoredSink> list(TenantId tenant) {
        return jdbc.query(SELECT + " WHERE tenant = ? AND state <> 'deleted' ORDER BY created_at, id",
                ps -> ps.setString(1, tenant.value()),
                rs -> new StoredSink(StreamSinkRows.sink(rs), StreamSinkRows.progress(rs)));
    }

    /**
     * Pausing, resuming and the states a delivery ends in; {@link SinkState#DELETED} only through {@link #delete}. A
     * resumed sink forgets its failure run and is due at once.
     */
    @Override
    public void changeState(SinkId id, SinkState state) {
        Objects.requireNonNull(state, "state");
        if (state == SinkState.DELETED) {
            throw new IllegalArgumentException("a sink is deleted with delete(), which also wipes its secrets");
        }
        String resumed = state == SinkState.ACTIVE
                ? ", failing_since = NULL, attempts = 0, next_attempt_at = now()" : "";
        changeExisting(id, "state = ?" + resumed, ps -> {
            ps.setString(1, state.wireName());
            return 2;
        });
    }

    @Override
    public void replaceSecrets(SinkId id, List<WebhookSecret> secrets) {
        SinkTransport transport = jdbc.first("SELECT transport FROM stream_sink WHERE id = ? AND state <> 'deleted'"
                + " FOR UPDATE", ps -> ps.setObject(1, id.value()), rs -> SinkTransport.parse(rs.getString(1)))
                .orElseThrow(() -> noSuchSink(id));
        Sink.checkSecrets(transport, secrets);
        changeExisting(id, "secret_fingerprints = ?", ps -> {
            ps.setArray(1, ps.getConnection().createArrayOf("text",
                    secrets.stream().map(WebhookSecret::fingerprint).toArray()));
            return 2;
        });
        writeSecrets(id, secrets);
    }

    /**
     * Writes the progress as given, except that nothing is in flight (a batch of the old generation is not retried:
     * its message id names that generation) and the sink is due at once. The state stays as it is.
     */
    @Override
    public void restart(SinkId id, SinkProgress progress) {
        SinkProgress restarted = new SinkProgress(progress.cursor(), progress.checkpointFrom(),
                progress.recordsSinceCheckpoint(), progress.lastCheckpointAt(), progress.delivered(), progress.failed(),
                progress.lastError(), progress.lastErrorAt(), progress.failingSince(), progress.attempts(),
                Duration.ZERO, null);
        changeExisting(id, StreamSinkRows.SET_PROGRESS, ps -> StreamSinkRows.bindProgress(ps, 1, restarted));
    }

    @Override
    public void delete(SinkId id) {
        changeExisting(id, "state = 'deleted'", ps -> 1);
        jdbc.update("UPDATE stream_sink_secret SET secret = NULL WHERE sink_id = ? AND secret IS NOT NULL",
                ps -> ps.setObject(1, id.value()));
    }

    /** Binds a change's own parameters from the first; returns the index of the next one. */
    private interface Change {
        int bind(PreparedStatement ps) throws SQLException;
    }

    /** One administrative change of a sink that is not deleted: a new generation, and no lease. */
    private void changeExisting(SinkId id, String set, Change change) {
        int changed = jdbc.update("UPDATE stream_sink SET " + set + ", " + NEW_GENERATION
                + " WHERE id = ? AND state <> 'deleted'", ps -> ps.setObject(change.bind(ps), id.value()));
        if (changed != 1) {
            throw noSuchSink(id);
        }
    }

    private static IllegalStateException noSuchSink(SinkId id) {
        return new IllegalStateException("no sink " + id + " that is not deleted");
    }

    /**
     * The secrets at positions 0..n-1, and every position after them wiped (set to NULL: the application role deletes
     * nothing).
     */
    private void writeSecrets(SinkId id, List<WebhookSecret> secrets) {
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < secrets.size(); i++) {
            positions.add(i);
        }
        jdbc.batch("""
                INSERT INTO stream_sink_secret (sink_id, position, secret) VALUES (?, ?, ?)
                ON CONFLICT (sink_id, position) DO UPDATE SET secret = excluded.secret""", positions,
                (ps, position) -> {
                    ps.setObject(1, id.value());
                    ps.setShort(2, position.shortValue());
                    ps.setString(3, secrets.get(position).serialize());
                });
        jdbc.update("UPDATE stream_sink_secret SET secret = NULL WHERE sink_id = ? AND position >= ?"
                + " AND secret IS NOT NULL", ps -> {
                    ps.setObject(1, id.value());
                    ps.setInt(2, secrets.size());
                });
    }

    // --- LeaseSinksPort ---

    @Override
    public List<SinkLease> claim(String owner, Duration lease, int max) {
        Objects.requireNonNull(owner, "owner");
        requirePositive(lease);
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1, not " + max);
        }
        List<SinkLease> claimed = jdbc.query(CLAIM, ps -> {
            ps.setInt(1, max);
            ps.setString(2, owner);
            ps.setLong(3, StreamSinkRows.micros(lease));
        }, rs -> {
            Sink sink = StreamSinkRows.sink(rs);
            return new SinkLease(sink.id(), sink.tenant(), owner, rs.getLong("generation"), sink,
                    StreamSinkRows.progress(rs), List.of());
        });
        if (claimed.isEmpty()) {
            return claimed;
        }
        Map<UUID, List<WebhookSecret>> secrets = new LinkedHashMap<>();
        jdbc.query("""
                SELECT sink_id, secret FROM stream_sink_secret
                WHERE sink_id = ANY (?) AND secret IS NOT NULL ORDER BY sink_id, position""", ps -> ps.setArray(1,
                ps.getConnection().createArrayOf("uuid", claimed.stream().map(c -> c.id().value()).toArray())),
                rs -> secrets.computeIfAbsent(rs.getObject(1, UUID.class), id -> new ArrayList<>())
                        .add(WebhookSecret.parse("secret", rs.getString(2))));
        return claimed.stream().map(c -> new SinkLease(c.id(), c.tenant(), c.owner(), c.generation(), c.sink(),
                c.progress(), secrets.getOrDefault(c.id().value(), List.of()))).toList();
    }

    @Override
    public boolean renew(SinkLease lease, Duration duration) {
        requirePositive(duration);
        return jdbc.update("UPDATE stream_sink SET lease_until = now() + ?::bigint * interval '1 microsecond' WHERE "
                + HELD, ps -> {
                    ps.setLong(1, StreamSinkRows.micros(duration));
                    bindHeld(ps, 2, lease);
                }) == 1;
    }

    /**
     * Saves the progress, the next attempt due {@code retryAfter} from now by the database's clock. With a
     * {@code newState} (dead or disabled) the sink, active until then, leaves delivery and the lease ends with it.
     */
    @Override
    public boolean save(SinkLease lease, SinkProgress progress, SinkState newState) {
        Objects.requireNonNull(progress, "progress");
        if (newState != null && newState != SinkState.DEAD && newState != SinkState.DISABLED) {
            throw new IllegalArgumentException("a delivery moves a sink to dead or disabled only, not " + newState);
        }
        String stateChange = newState == null ? "" : ", state = ?, lease_owner = NULL, lease_until = NULL";
        return jdbc.update("UPDATE stream_sink SET " + StreamSinkRows.SET_PROGRESS + stateChange + " WHERE " + HELD,
                ps -> {
                    int p = StreamSinkRows.bindProgress(ps, 1, progress);
                    if (newState != null) {
                        ps.setString(p++, newState.wireName());
                    }
                    bindHeld(ps, p, lease);
                }) == 1;
    }

    /** Ends the lease if it is still this holder's; the sink's next attempt stays when it was (a backoff holds). */
    @Override
    public void release(SinkLease lease) {
        jdbc.update("""
                UPDATE stream_sink SET lease_owner = NULL, lease_until = NULL
                WHERE id = ? AND lease_owner = ? AND generation = ?""", ps -> bindHeld(ps, 1, lease));
    }

    private static void bindHeld(PreparedStatement ps, int first, SinkLease lease) throws SQLException {
        ps.setObject(first, lease.id().value());
        ps.setString(first + 1, lease.owner());
        ps.setLong(first + 2, lease.generation());
    }

    private static void requirePositive(Duration duration) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("a lease lasts a positive time, not " + duration);
        }
    }
}
