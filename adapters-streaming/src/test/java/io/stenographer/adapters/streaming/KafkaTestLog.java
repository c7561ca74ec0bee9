package io.stenographer.adapters.streaming;

import io.stenographer.domain.checkpoint.Checkpoint;
import io.stenographer.domain.checkpoint.Ed25519Keys;
import io.stenographer.domain.checkpoint.KeySet;
import io.stenographer.domain.checkpoint.NoteSigner;
import io.stenographer.domain.event.Action;
import io.stenographer.domain.event.Actor;
import io.stenographer.domain.event.ActorType;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.EventDraft;
import io.stenographer.domain.event.EventId;
import io.stenographer.domain.event.Outcome;
import io.stenographer.domain.event.ResourceRef;
import io.stenographer.domain.event.Source;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.json.JsonNumber;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.merkle.InMemoryMerkleTree;
import io.stenographer.domain.sink.HostPort;
import io.stenographer.domain.sink.Sink;
import io.stenographer.domain.sink.SinkFormat;
import io.stenographer.domain.sink.SinkId;
import io.stenographer.domain.sink.SinkSettings;
import io.stenographer.domain.sink.SinkTarget;
import io.stenographer.domain.sink.StreamBatch;
import io.stenographer.domain.stream.StreamCheckpointRecord;
import io.stenographer.domain.stream.StreamRecord;
import io.stenographer.domain.stream.StreamVerification;
import io.stenographer.domain.stream.StreamVerifier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * A tenant's log in memory, as the domain's stream tests build one: sealed events, their RFC 6962 tree and a signing
 * key, so batches carry real event records and checkpoint records that the stream verifier accepts.
 */
final class KafkaTestLog {

    private static final Instant START = Instant.parse("2026-12-01T09:00:00Z");

    final String tenant;
    final String origin;
    final NoteSigner signer;
    final List<AuditEvent> events = new ArrayList<>();
    final InMemoryMerkleTree tree = new InMemoryMerkleTree();
    private final SplittableRandom random;

    KafkaTestLog(String tenant, int size, long seed) {
        this.tenant = tenant;
        this.origin = "example/" + tenant;
        this.signer = new NoteSigner(origin, Ed25519Keys.generate().getPrivate());
        this.random = new SplittableRandom(seed);
        String[] actions = {"record.view", "record.export", "user.login", "record.edit"};
        for (int i = 0; i < size; i++) {
            Instant at = START.plusSeconds(i).plusNanos(1000L * i);
            EventDraft draft = new EventDraft(TenantId.of(tenant),
                    new Actor("officer-" + i % 7, ActorType.USER, "Officer " + i % 7),
                    Action.of(actions[i % actions.length]), new ResourceRef("background-check", "bc-" + (1000 + i)),
                    i % 3 == 0 ? "statutory review" : null, i % 5 == 4 ? Outcome.DENIED : Outcome.SUCCESS, at,
                    new Source("portal", "192.0.2." + (i % 200), "Mozilla/5.0"), null,
                    new JsonObject(Map.of("fields", new JsonNumber(i % 9))), null);
            AuditEvent event = AuditEvent.record(EventId.newTimeOrdered(at, random), at.plusMillis(3), "svc-portal",
                    draft);
            events.add(event);
            tree.append(event.leafHash());
        }
    }

    /** A plaintext Kafka sink of this tenant. */
    Sink sink(String bootstrapServers, String topic, SinkFormat format) {
        return sink(bootstrapServers, topic, format, false);
    }

    /** A Kafka sink of this tenant, over TLS when {@code tls}. */
    Sink sink(String bootstrapServers, String topic, SinkFormat format, boolean tls) {
        return Sink.create(SinkId.newTimeOrdered(START, random), TenantId.of(tenant), "kafka " + topic,
                new SinkTarget.Kafka(List.of(HostPort.parse("bootstrapServers", bootstrapServers)), topic, tls), format,
                SinkSettings.DEFAULTS, List.of(), START, "compliance-admin");
    }

    /** The events {@code [from, to)}, then a checkpoint record covering them when {@code checkpoint}. */
    StreamBatch batch(Sink sink, int from, int to, boolean checkpoint) {
        return batch(sink, from, to, checkpoint ? from : -1);
    }

    /**
     * The events {@code [from, to)}, then, unless {@code checkpointFrom} is negative, a checkpoint record of size
     * {@code to} covering {@code [checkpointFrom, to)} (from the sink's previous checkpoint record's size).
     */
    StreamBatch batch(Sink sink, int from, int to, int checkpointFrom) {
        boolean checkpoint = checkpointFrom >= 0;
        List<StreamRecord> records = new ArrayList<>();
        for (int i = from; i < to; i++) {
            records.add(StreamRecord.of(i, events.get(i)));
        }
        Optional<StreamCheckpointRecord> record = checkpoint
                ? Optional.of(StreamCheckpointRecord.of(tenant,
                        Checkpoint.of(origin, to, tree.root(to)).sign(signer).serialize(), checkpointFrom, to, tree))
                : Optional.empty();
        return new StreamBatch(StreamBatch.messageId(sink.id(), 0, from, to), tenant, from, to, records, record);
    }

    /** The stream verifier's verdict on a capture of native lines. */
    StreamVerification verify(List<String> lines) {
        StreamVerifier verifier = new StreamVerifier(KeySet.single(signer.verifier()), origin,
                StreamVerifier.Format.NATIVE);
        lines.forEach(verifier::accept);
        return verifier.finish();
    }
}
