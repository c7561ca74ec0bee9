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
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.merkle.InMemoryMerkleTree;
import io.stenographer.domain.sink.Sink;
import io.stenographer.domain.sink.SinkFormat;
import io.stenographer.domain.sink.SinkId;
import io.stenographer.domain.sink.SinkSettings;
import io.stenographer.domain.sink.SinkTarget;
import io.stenographer.domain.sink.StreamBatch;
import io.stenographer.domain.sink.WebhookSecret;
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
 * A real log in memory for the webhook and syslog tests: sealed events of tenant "acme" (one of them, at
 * {@link #BIG_INDEX}, with about 3 KiB of metadata), their RFC 6962 tree, a checkpoint signing key, and batches and
 * sinks built from them as the delivery service would.
 */
final class StreamTestLog {

    static final String ORIGIN = "example/acme";
    static final String TENANT = "acme";
    static final int BIG_INDEX = 7;
    static final Instant START = Instant.parse("2026-12-01T09:00:00Z");

    final NoteSigner signer = new NoteSigner(ORIGIN, Ed25519Keys.generate().getPrivate());
    final List<AuditEvent> events = new ArrayList<>();
    final InMemoryMerkleTree tree = new InMemoryMerkleTree();
    private final SplittableRandom random = new SplittableRandom(16);

    StreamTestLog(int size) {
        String[] actions = {"record.view", "record.export", "user.login", "account.disable", "record.delete"};
        Outcome[] outcomes = {Outcome.SUCCESS, Outcome.FAILURE, Outcome.DENIED};
        for (int i = 0; i < size; i++) {
            Instant at = START.plusSeconds(i).plusNanos(1_000L * i);
            JsonObject metadata = i == BIG_INDEX
                    ? new JsonObject(Map.of("notes", new JsonString("x".repeat(3_000))))
                    : new JsonObject(Map.of("fields", new JsonNumber(i % 9), "form", new JsonString("N-" + i)));
            EventDraft draft = new EventDraft(TenantId.of(TENANT),
                    new Actor("officer-" + i, ActorType.USER, i % 2 == 0 ? "Officer \"" + i + "\" ]\\" : null),
                    Action.of(actions[i % actions.length]), new ResourceRef("background-check", "bc-" + (1000 + i)),
                    i % 3 == 0 ? "statutory review" : null, outcomes[i % outcomes.length], at,
                    new Source("portal", "192.0.2." + i, "Mozilla/5.0"), null, metadata, null);
            AuditEvent event = AuditEvent.record(EventId.newTimeOrdered(at, random), at.plusMillis(3), "svc-portal",
                    draft);
            events.add(event);
            tree.append(event.leafHash());
        }
    }

    StreamRecord record(int index) {
        return StreamRecord.of(index, events.get(index));
    }

    String note(long size) {
        return Checkpoint.of(ORIGIN, size, tree.root(size)).sign(signer).serialize();
    }

    /** Events {@code [from, to)} and, when {@code checkpoint}, the checkpoint record of size {@code to} from 0. */
    StreamBatch batch(Sink sink, int from, int to, boolean checkpoint) {
        List<StreamRecord> records = new ArrayList<>();
        for (int i = from; i < to; i++) {
            records.add(record(i));
        }
        Optional<StreamCheckpointRecord> record = checkpoint
                ? Optional.of(StreamCheckpointRecord.of(TENANT, note(to), 0, to, tree)) : Optional.empty();
        return new StreamBatch(StreamBatch.messageId(sink.id(), 0, from, to), TENANT, from, to, records, record);
    }

    Sink sink(SinkTarget target, SinkFormat format, SinkSettings settings, List<WebhookSecret> secrets) {
        return Sink.create(SinkId.newTimeOrdered(START, random), TenantId.of(TENANT), "sink " + format.wireName(),
                target, format, settings, secrets, START, "admin-1");
    }

    /** A settings record like the defaults but with another largest message. */
    static SinkSettings maxMessageBytes(int bytes) {
        SinkSettings d = SinkSettings.DEFAULTS;
        return new SinkSettings(d.batchSize(), d.checkpointEveryRecords(), d.checkpointEvery(), d.deadAfter(), bytes,
                d.ocsfMappingText());
    }

    StreamVerification verify(List<String> lines, StreamVerifier.Format format) {
        StreamVerifier verifier = new StreamVerifier(KeySet.single(signer.verifier()), ORIGIN, format);
        lines.forEach(verifier::accept);
        return verifier.finish();
    }
}
