package io.stenographer.adapters.persistence;

import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.sink.HostPort;
import io.stenographer.domain.sink.Sink;
import io.stenographer.domain.sink.SinkFormat;
import io.stenographer.domain.sink.SinkId;
import io.stenographer.domain.sink.SinkProgress;
import io.stenographer.domain.sink.SinkSettings;
import io.stenographer.domain.sink.SinkState;
import io.stenographer.domain.sink.SinkTarget;
import io.stenographer.domain.sink.SinkTransport;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import static io.stenographer.adapters.persistence.PostgresRetentionPolicies.utc;

/** Rows of {@code stream_sink} (V20__stream_sinks.sql) to and from the domain's sinks and their progress. */
final class StreamSinkRows {

    /** Every column {@link #sink} and {@link #progress} read; durations in microseconds, by the database's clock. */
    static final String COLUMNS = """
            id, tenant, name, transport, target_url, target_servers, target_topic, target_address, kafka_tls, format,
            batch_size, checkpoint_every_records,
            (extract(epoch FROM checkpoint_every) * 1000000)::bigint AS checkpoint_every_us,
            (extract(epoch FROM dead_after) * 1000000)::bigint AS dead_after_us,
            max_message_bytes, ocsf_mapping, secret_fingerprints, state, created_at, created_by,
            cursor, checkpoint_from, records_since_checkpoint, last_checkpoint_at, delivered, failed, last_error,
            last_error_at, failing_since, attempts,
            (extract(epoch FROM greatest(next_attempt_at - now(), interval '0')) * 1000000)::bigint AS retry_after_us,
            inflight_from, inflight_to, inflight_checkpoint_size, generation""";

    /** The progress columns, in the order {@link #bindProgress} binds them. */
    static final String SET_PROGRESS = """
            cursor = ?, checkpoint_from = ?, records_since_checkpoint = ?, last_checkpoint_at = ?, delivered = ?,
            failed = ?, last_error = ?, last_error_at = ?, failing_since = ?, attempts = ?,
            next_attempt_at = now() + ?::bigint * interval '1 microsecond',
            inflight_from = ?, inflight_to = ?, inflight_checkpoint_size = ?""";

    private StreamSinkRows() {
    }

    static Sink sink(ResultSet rs) throws SQLException {
        SinkTransport transport = SinkTransport.parse(rs.getString("transport"));
        SinkTarget target = switch (transport) {
            case WEBHOOK -> SinkTarget.Webhook.parse(rs.getString("target_url"));
            case KAFKA -> new SinkTarget.Kafka(Arrays.stream(strings(rs.getArray("target_servers")))
                    .map(server -> HostPort.parse("target.bootstrapServers", server)).toList(),
                    rs.getString("target_topic"), rs.getBoolean("kafka_tls"));
            case SYSLOG -> new SinkTarget.Syslog(HostPort.parse("target.address", rs.getString("target_address")));
        };
        SinkSettings settings = new SinkSettings(rs.getInt("batch_size"), rs.getInt("checkpoint_every_records"),
                micros(rs.getLong("checkpoint_every_us")), micros(rs.getLong("dead_after_us")),
                rs.getInt("max_message_bytes"), rs.getString("ocsf_mapping"));
        return new Sink(new SinkId(rs.getObject("id", UUID.class)), new TenantId(rs.getString("tenant")),
                rs.getString("name"), target, SinkFormat.parse(rs.getString("format")), settings,
                List.of(strings(rs.getArray("secret_fingerprints"))), SinkState.fromWireName(rs.getString("state")),
                instant(rs, "created_at"), rs.getString("created_by"));
    }

    static SinkProgress progress(ResultSet rs) throws SQLException {
        long cursor = rs.getLong("cursor");
        Long inflightFrom = rs.getObject("inflight_from", Long.class);
        Long checkpointSize = rs.getObject("inflight_checkpoint_size", Long.class);
        SinkProgress.Inflight inflight = inflightFrom == null ? null
                : new SinkProgress.Inflight(inflightFrom, rs.getLong("inflight_to"),
                        checkpointSize == null ? -1 : checkpointSize);
        return new SinkProgress(cursor, rs.getLong("checkpoint_from"), rs.getLong("records_since_checkpoint"),
                instant(rs, "last_checkpoint_at"), rs.getLong("delivered"), rs.getLong("failed"),
                rs.getString("last_error"), instant(rs, "last_error_at"), instant(rs, "failing_since"),
                rs.getInt("attempts"), micros(rs.getLong("retry_after_us")), inflight);
    }

    /** Binds the target's columns (url, servers, topic, address, kafka_tls) from {@code first}; returns the next index. */
    static int bindTarget(PreparedStatement ps, int first, SinkTarget target) throws SQLException {
        String url = null;
        Array servers = null;
        String topic = null;
        String address = null;
        boolean kafkaTls = false;
        if (target instanceof SinkTarget.Webhook webhook) {
            url = webhook.url().toString();
        } else if (target instanceof SinkTarget.Kafka kafka) {
            servers = ps.getConnection().createArrayOf("text",
                    kafka.bootstrapServers().stream().map(HostPort::toString).toArray());
            topic = kafka.topic();
            kafkaTls = kafka.tls();
        } else if (target instanceof SinkTarget.Syslog syslog) {
            address = syslog.address().toString();
        } else {
            throw new IllegalArgumentException("unknown target " + target);
        }
        ps.setString(first, url);
        if (servers == null) {
            ps.setNull(first + 1, Types.ARRAY);
        } else {
            ps.setArray(first + 1, servers);
        }
        ps.setString(first + 2, topic);
        ps.setString(first + 3, address);
        ps.setBoolean(first + 4, kafkaTls);
        return first + 5;
    }

    /** Binds {@link #SET_PROGRESS}'s parameters from {@code first}; returns the next index. */
    static int bindProgress(PreparedStatement ps, int first, SinkProgress progress) throws SQLException {
        int p = first;
        ps.setLong(p++, progress.cursor());
        ps.setLong(p++, progress.checkpointFrom());
        ps.setLong(p++, progress.recordsSinceCheckpoint());
        ps.setObject(p++, utc(progress.lastCheckpointAt()), Types.TIMESTAMP_WITH_TIMEZONE);
        ps.setLong(p++, progress.delivered());
        ps.setLong(p++, progress.failed());
        ps.setString(p++, progress.lastError());
        ps.setObject(p++, utc(progress.lastErrorAt()), Types.TIMESTAMP_WITH_TIMEZONE);
        ps.setObject(p++, utc(progress.failingSince()), Types.TIMESTAMP_WITH_TIMEZONE);
        ps.setInt(p++, progress.attempts());
        ps.setLong(p++, micros(progress.retryAfter()));
        SinkProgress.Inflight inflight = progress.inflight();
        ps.setObject(p++, inflight == null ? null : inflight.from(), Types.BIGINT);
        ps.setObject(p++, inflight == null ? null : inflight.to(), Types.BIGINT);
        ps.setObject(p++, inflight == null || !inflight.hasCheckpoint() ? null : inflight.checkpointSize(),
                Types.BIGINT);
        return p;
    }

    /** Whole microseconds (the database's resolution), never negative. */
    static long micros(Duration duration) {
        if (duration.isNegative()) {
            return 0;
        }
        return Math.addExact(Math.multiplyExact(duration.getSeconds(), 1_000_000L), duration.getNano() / 1_000);
    }

    static Duration micros(long micros) {
        return Duration.ofSeconds(micros / 1_000_000L, (micros % 1_000_000L) * 1_000L);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static String[] strings(Array array) throws SQLException {
        return array == null ? new String[0] : (String[]) array.getArray();
    }
}
