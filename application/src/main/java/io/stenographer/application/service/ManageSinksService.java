package io.stenographer.application.service;

import io.stenographer.application.port.in.ChangeSinkCommand;
import io.stenographer.application.port.in.CreateSinkCommand;
import io.stenographer.application.port.in.ManageSinksUseCase;
import io.stenographer.application.port.in.ReplaySinkCommand;
import io.stenographer.application.port.in.RotateSinkSecretsCommand;
import io.stenographer.application.port.in.SinkConflict;
import io.stenographer.application.port.in.SinkNotFound;
import io.stenographer.application.port.in.SinkQuery;
import io.stenographer.application.port.in.SinkStatus;
import io.stenographer.application.port.in.SinksQuery;
import io.stenographer.application.port.out.LoadLogPort;
import io.stenographer.application.port.out.StoreSinksPort;
import io.stenographer.application.port.out.StoreSinksPort.StoredSink;
import io.stenographer.application.port.out.TransactionRunner;
import io.stenographer.domain.access.Caller;
import io.stenographer.domain.access.Role;
import io.stenographer.domain.event.FieldViolation;
import io.stenographer.domain.event.ResourceRef;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.event.Timestamps;
import io.stenographer.domain.json.JsonArray;
import io.stenographer.domain.json.JsonNumber;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import io.stenographer.domain.log.PublishedCheckpoint;
import io.stenographer.domain.sink.Sink;
import io.stenographer.domain.sink.SinkId;
import io.stenographer.domain.sink.SinkProgress;
import io.stenographer.domain.sink.SinkState;
import io.stenographer.domain.sink.SinkTransport;
import io.stenographer.domain.sink.WebhookSecret;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Creates and changes stream sinks, each change with its self-audit event in one short transaction. Audit events
 * name secrets by fingerprint only.
 */
public final class ManageSinksService implements ManageSinksUseCase {

    static final String SINK_CREATED = "stream.sink.created";
    static final String SINK_PAUSED = "stream.sink.paused";
    static final String SINK_RESUMED = "stream.sink.resumed";
    static final String SINK_REPLAYED = "stream.sink.replayed";
    static final String SINK_SECRETS_ROTATED = "stream.sink.secrets-rotated";
    static final String SINK_DELETED = "stream.sink.deleted";
    static final String RESOURCE_TYPE = "stream-sink";

    /** Each sink costs a lease, a producer or connection, and a read of the log; a tenant needs a handful. */
    public static final int MAX_SINKS_PER_TENANT = 20;

    private final StoreSinksPort sinks;
    private final LoadLogPort log;
    private final ArchivedEventReader archived;
    private final SelfAudit selfAudit;
    private final TransactionRunner transactions;
    private final Clock clock;
    private final RandomGenerator random;

    public ManageSinksService(StoreSinksPort sinks, LoadLogPort log, ArchivedEventReader archived,
            SelfAudit selfAudit, TransactionRunner transactions, Clock clock, RandomGenerator random) {
        this.sinks = sinks;
        this.log = log;
        this.archived = archived;
        this.selfAudit = selfAudit;
        this.transactions = transactions;
        this.clock = clock;
        this.random = random;
    }

    @Override
    public SinkStatus create(CreateSinkCommand command) {
        Caller caller = command.caller();
        TenantId tenant = command.tenant();
        caller.require(Role.COMPLIANCE_ADMIN, tenant);
        Instant now = Timestamps.truncate(clock.instant());
        Sink sink = Sink.create(SinkId.newTimeOrdered(now, random), tenant, command.name(), command.target(),
                command.format(), command.settings(), command.secrets(), now, caller.subject());
        return transactions.inTransaction(() -> {
            List<StoredSink> existing = sinks.list(tenant);
            if (existing.size() >= MAX_SINKS_PER_TENANT) {
                throw new SinkConflict("tenant " + tenant + " has " + existing.size() + " sinks, the most allowed");
            }
            if (existing.stream().anyMatch(other -> other.sink().name().equals(sink.name()))) {
                throw new SinkConflict("tenant " + tenant + " already has a sink named '" + sink.name() + "'");
            }
            long published = publishedSize(tenant);
            long start = command.startIndex() == null ? published : command.startIndex();
            requireReplayable(tenant, start, published, "startIndex");
            SinkProgress progress = SinkProgress.startingAt(start);
            sinks.insert(sink, command.secrets(), progress);
            Map<String, JsonValue> metadata = describe(sink);
            metadata.put("startIndex", new JsonNumber(start));
            audit(caller, sink, SINK_CREATED, metadata);
            return status(sink, progress, published);
        });
    }

    @Override
    public List<SinkStatus> list(SinksQuery query) {
        query.caller().requireGovernanceReader(query.tenant());
        return transactions.inTransaction(() -> {
            long published = publishedSize(query.tenant());
            return sinks.list(query.tenant()).stream()
                    .map(stored -> status(stored.sink(), stored.progress(), published)).toList();
        });
    }

    @Override
    public SinkStatus get(SinkQuery query) {
        return transactions.inTransaction(() -> {
            StoredSink stored = visible(query.caller(), query.id());
            return status(stored.sink(), stored.progress(), publishedSize(stored.sink().tenant()));
        });
    }

    @Override
    public SinkStatus pause(ChangeSinkCommand command) {
        return changeState(command, SinkState.PAUSED, SINK_PAUSED);
    }

    @Override
    public SinkStatus resume(ChangeSinkCommand command) {
        return changeState(command, SinkState.ACTIVE, SINK_RESUMED);
    }

    private SinkStatus changeState(ChangeSinkCommand command, SinkState target, String action) {
        Caller caller = command.caller();
        return transactions.inTransaction(() -> {
            StoredSink stored = visible(caller, command.id());
            Sink sink = stored.sink();
            caller.require(Role.COMPLIANCE_ADMIN, sink.tenant());
            if (sink.state() == target) {
                return status(sink, stored.progress(), publishedSize(sink.tenant()));
            }
            if (target == SinkState.PAUSED && sink.state() != SinkState.ACTIVE) {
                throw new SinkConflict("sink " + sink.id() + " is " + sink.state().wireName()
                        + "; only an active sink can be paused");
            }
            sinks.changeState(sink.id(), target);
            Map<String, JsonValue> metadata = new LinkedHashMap<>();
            metadata.put("sinkId", new JsonString(sink.id().toString()));
            metadata.put("name", new JsonString(sink.name()));
            metadata.put("previousState", new JsonString(sink.state().wireName()));
            metadata.put("cursor", new JsonNumber(stored.progress().cursor()));
            audit(caller, sink, action, metadata);
            SinkProgress progress = target == SinkState.ACTIVE ? stored.progress().resumed() : stored.progress();
            return status(sink.withState(target), progress, publishedSize(sink.tenant()));
        });
    }

    @Override
    public SinkStatus replay(ReplaySinkCommand command) {
        Caller caller = command.caller();
        return transactions.inTransaction(() -> {
            StoredSink stored = visible(caller, command.id());
            Sink sink = stored.sink();
            caller.require(Role.COMPLIANCE_ADMIN, sink.tenant());
            long published = publishedSize(sink.tenant());
            requireReplayable(sink.tenant(), command.fromIndex(), published, "fromIndex");
            SinkProgress progress = stored.progress().replayingFrom(command.fromIndex());
            sinks.restart(sink.id(), progress);
            Map<String, JsonValue> metadata = new LinkedHashMap<>();
            metadata.put("sinkId", new JsonString(sink.id().toString()));
            metadata.put("name", new JsonString(sink.name()));
            metadata.put("fromIndex", new JsonNumber(command.fromIndex()));
            metadata.put("previousCursor", new JsonNumber(stored.progress().cursor()));
            audit(caller, sink, SINK_REPLAYED, metadata);
            return status(sink, progress, published);
        });
    }

    @Override
    public SinkStatus rotateSecrets(RotateSinkSecretsCommand command) {
        Caller caller = command.caller();
        return transactions.inTransaction(() -> {
            StoredSink stored = visible(caller, command.id());
            Sink sink = stored.sink();
            caller.require(Role.COMPLIANCE_ADMIN, sink.tenant());
            if (sink.target().transport() != SinkTransport.WEBHOOK) {
                throw new FieldViolation("secrets", "only webhook sinks take signing secrets");
            }
            Sink.checkSecrets(SinkTransport.WEBHOOK, command.secrets());
            sinks.replaceSecrets(sink.id(), command.secrets());
            List<String> fingerprints = command.secrets().stream().map(WebhookSecret::fingerprint).toList();
            Map<String, JsonValue> metadata = new LinkedHashMap<>();
            metadata.put("sinkId", new JsonString(sink.id().toString()));
            metadata.put("name", new JsonString(sink.name()));
            metadata.put("previousSecretFingerprints", strings(sink.secretFingerprints()));
            metadata.put("secretFingerprints", strings(fingerprints));
            audit(caller, sink, SINK_SECRETS_ROTATED, metadata);
            return status(sink.withSecretFingerprints(fingerprints), stored.progress(),
                    publishedSize(sink.tenant()));
        });
    }

    @Override
    public void delete(ChangeSinkCommand command) {
        Caller caller = command.caller();
        transactions.inTransaction(() -> {
            StoredSink stored = visible(caller, command.id());
            Sink sink = stored.sink();
            caller.require(Role.COMPLIANCE_ADMIN, sink.tenant());
            sinks.delete(sink.id());
            Map<String, JsonValue> metadata = describe(sink);
            metadata.put("cursor", new JsonNumber(stored.progress().cursor()));
            metadata.put("delivered", new JsonNumber(stored.progress().delivered()));
            audit(caller, sink, SINK_DELETED, metadata);
            return null;
        });
    }

    /**
     * An index a sink can start from: at most the published size, and its event still readable, hot or from its
     * archived segment.
     */
    private void requireReplayable(TenantId tenant, long index, long published, String field) {
        if (index < 0 || index > published) {
            throw new FieldViolation(field, "must be in 0.." + published + " (the published tree size)");
        }
        if (index == published) {
            return;
        }
        List<LoadLogPort.LeafWithEvent> rows = log.leavesWithEvents(tenant, index, index + 1);
        if (rows.size() == 1 && rows.get(0).event() != null) {
            return;
        }
        if (rows.size() == 1 && rows.get(0).purged() && archived.cursor(tenant).event(index).isPresent()) {
            return;
        }
        throw new SinkConflict("the event at index " + index + " of " + tenant
                + " is past retention (purged, and its archive copy deleted); choose a later index");
    }

    private StoredSink visible(Caller caller, SinkId id) {
        return sinks.find(id)
                .filter(stored -> stored.sink().state() != SinkState.DELETED)
                .filter(stored -> caller.mayReadGovernance(stored.sink().tenant()))
                .orElseThrow(() -> new SinkNotFound(id));
    }

    private long publishedSize(TenantId tenant) {
        return log.latestCheckpoint(tenant).map(PublishedCheckpoint::treeSize).orElse(0L);
    }

    private SinkStatus status(Sink sink, SinkProgress progress, long published) {
        long lagEvents = Math.max(0, published - progress.cursor());
        Duration lag = Duration.ZERO;
        if (lagEvents > 0) {
            lag = log.firstCheckpointAbove(sink.tenant(), progress.cursor())
                    .map(checkpoint -> Duration.between(checkpoint.publishedAt(), clock.instant()))
                    .filter(duration -> !duration.isNegative()).orElse(Duration.ZERO);
        }
        return new SinkStatus(sink, progress, published, lagEvents, lag);
    }

    static Map<String, JsonValue> describe(Sink sink) {
        Map<String, JsonValue> metadata = new LinkedHashMap<>();
        metadata.put("sinkId", new JsonString(sink.id().toString()));
        metadata.put("name", new JsonString(sink.name()));
        metadata.put("transport", new JsonString(sink.target().transport().wireName()));
        metadata.put("target", new JsonString(sink.target().describe()));
        metadata.put("format", new JsonString(sink.format().wireName()));
        metadata.put("batchSize", new JsonNumber(sink.settings().batchSize()));
        metadata.put("checkpointEveryRecords", new JsonNumber(sink.settings().checkpointEveryRecords()));
        metadata.put("checkpointEvery", new JsonString(sink.settings().checkpointEvery().toString()));
        metadata.put("deadAfter", new JsonString(sink.settings().deadAfter().toString()));
        metadata.put("secretFingerprints", strings(sink.secretFingerprints()));
        return metadata;
    }

    private static JsonArray strings(List<String> values) {
        return new JsonArray(values.stream().<JsonValue>map(JsonString::new).toList());
    }

    private void audit(Caller caller, Sink sink, String action, Map<String, JsonValue> metadata) {
        selfAudit.record(caller, sink.tenant(), action, new ResourceRef(RESOURCE_TYPE, sink.id().toString()),
                new JsonObject(metadata));
    }
}
