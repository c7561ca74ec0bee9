package io.stenographer.application.service.fakes;

import io.stenographer.application.port.out.LeaseSinksPort;
import io.stenographer.application.port.out.StoreSinksPort;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.sink.Sink;
import io.stenographer.domain.sink.SinkId;
import io.stenographer.domain.sink.SinkProgress;
import io.stenographer.domain.sink.SinkState;
import io.stenographer.domain.sink.WebhookSecret;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Sinks and their leases in memory, with the lease semantics of the Postgres adapter, timed by a given clock. */
public final class InMemorySinks implements StoreSinksPort, LeaseSinksPort {

    private static final class Row {
        Sink sink;
        SinkProgress progress;
        List<WebhookSecret> secrets;
        long generation;
        String owner;
        Instant leaseUntil;
        Instant nextAttemptAt = Instant.EPOCH;
    }

    private final Map<SinkId, Row> rows = new LinkedHashMap<>();
    private final Clock clock;

    public InMemorySinks(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized void insert(Sink sink, List<WebhookSecret> secrets, SinkProgress progress) {
        Row row = new Row();
        row.sink = sink;
        row.progress = progress;
        row.secrets = List.copyOf(secrets);
        rows.put(sink.id(), row);
    }

    @Override
    public synchronized Optional<StoredSink> find(SinkId id) {
        return Optional.ofNullable(rows.get(id)).map(row -> new StoredSink(row.sink, row.progress));
    }

    @Override
    public synchronized List<StoredSink> list(TenantId tenant) {
        return rows.values().stream().filter(row -> row.sink.tenant().equals(tenant))
                .filter(row -> row.sink.state() != SinkState.DELETED)
                .map(row -> new StoredSink(row.sink, row.progress)).toList();
    }

    private Row changed(SinkId id) {
        Row row = rows.get(id);
        row.generation++;
        row.owner = null;
        row.leaseUntil = null;
        return row;
    }

    @Override
    public synchronized void changeState(SinkId id, SinkState state) {
        Row row = changed(id);
        row.sink = row.sink.withState(state);
        if (state == SinkState.ACTIVE) {
            row.progress = row.progress.resumed();
            row.nextAttemptAt = Instant.EPOCH;
        }
    }

    @Override
    public synchronized void replaceSecrets(SinkId id, List<WebhookSecret> secrets) {
        Row row = changed(id);
        row.secrets = List.copyOf(secrets);
        row.sink = row.sink.withSecretFingerprints(secrets.stream().map(WebhookSecret::fingerprint).toList());
    }

    @Override
    public synchronized void restart(SinkId id, SinkProgress progress) {
        Row row = changed(id);
        row.progress = progress;
        row.nextAttemptAt = Instant.EPOCH;
    }

    @Override
    public synchronized void delete(SinkId id) {
        Row row = changed(id);
        row.sink = row.sink.withState(SinkState.DELETED).withSecretFingerprints(List.of());
        row.secrets = List.of();
    }

    @Override
    public synchronized List<SinkLease> claim(String owner, Duration lease, int max) {
        Instant now = clock.instant();
        List<SinkLease> claimed = new ArrayList<>();
        for (Row row : rows.values()) {
            if (claimed.size() == max) {
                break;
            }
            boolean free = row.owner == null || !row.leaseUntil.isAfter(now);
            if (row.sink.state() == SinkState.ACTIVE && free && !row.nextAttemptAt.isAfter(now)) {
                row.owner = owner;
                row.leaseUntil = now.plus(lease);
                claimed.add(new SinkLease(row.sink.id(), row.sink.tenant(), owner, row.generation, row.sink,
                        row.progress, row.secrets));
            }
        }
        return claimed;
    }

    private Row held(SinkLease lease) {
        Row row = rows.get(lease.id());
        boolean held = row != null && lease.owner().equals(row.owner) && row.generation == lease.generation()
                && row.leaseUntil.isAfter(clock.instant());
        return held ? row : null;
    }

    @Override
    public synchronized boolean renew(SinkLease lease, Duration duration) {
        Row row = held(lease);
        if (row == null) {
            return false;
        }
        row.leaseUntil = clock.instant().plus(duration);
        return true;
    }

    @Override
    public synchronized boolean save(SinkLease lease, SinkProgress progress, SinkState newState) {
        Row row = held(lease);
        if (row == null) {
            return false;
        }
        row.progress = progress;
        row.nextAttemptAt = clock.instant().plus(progress.retryAfter());
        if (newState != null && row.sink.state() == SinkState.ACTIVE) {
            row.sink = row.sink.withState(newState);
        }
        return true;
    }

    @Override
    public synchronized void release(SinkLease lease) {
        Row row = held(lease);
        if (row != null) {
            row.owner = null;
            row.leaseUntil = null;
        }
    }

    /** Test access: the stored secrets. */
    public synchronized List<WebhookSecret> secrets(SinkId id) {
        return rows.get(id).secrets;
    }
}
