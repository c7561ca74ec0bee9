package io.stenographer.domain.stream;

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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** A real log in memory (sealed events, an RFC 6962 tree, a signing key) and the stream lines a sink would send. */
final class StreamFixture {

    static final String ORIGIN = "example/acme";
    static final String TENANT = "acme";

    final NoteSigner signer = new NoteSigner(ORIGIN, Ed25519Keys.generate().getPrivate());
    final List<AuditEvent> events = new ArrayList<>();
    final InMemoryMerkleTree tree = new InMemoryMerkleTree();

    StreamFixture(int size) {
        SplittableRandom random = new SplittableRandom(16);
        Instant start = Instant.parse("2026-12-01T09:00:00Z");
        String[] actions = {"record.view", "record.export", "user.login", "account.disable", "record.delete"};
        Outcome[] outcomes = {Outcome.SUCCESS, Outcome.SUCCESS, Outcome.FAILURE, Outcome.DENIED};
        for (int i = 0; i < size; i++) {
            Instant at = start.plusSeconds(i).plusNanos(1000L * i);
            EventDraft draft = new EventDraft(TenantId.of(TENANT),
                    new Actor("officer-" + i, i % 5 == 4 ? ActorType.SERVICE : ActorType.USER,
                            i % 2 == 0 ? "Officer " + i : null),
                    Action.of(actions[i % actions.length]),
                    i % 6 == 5 ? null : new ResourceRef("background-check", "bc-" + (1000 + i)),
                    i % 3 == 0 ? "statutory review" : null, outcomes[i % outcomes.length], at,
                    new Source("portal", i % 7 == 6 ? null : "192.0.2." + (i % 200), i % 2 == 0 ? "Mozilla/5.0" : null),
                    i % 4 == 1 ? "req-" + i : null,
                    new JsonObject(Map.of("fields", new JsonNumber(i % 9), "form", new JsonString("N-" + i))), null);
            AuditEvent event = AuditEvent.record(EventId.newTimeOrdered(at, random), at.plusMillis(3), "svc-portal",
                    draft);
            events.add(event);
            tree.append(event.leafHash());
        }
    }

    KeySet keys() {
        return KeySet.single(signer.verifier());
    }

    String note(long size) {
        return Checkpoint.of(ORIGIN, size, tree.root(size)).sign(signer).serialize();
    }

    StreamRecord record(int index) {
        return StreamRecord.of(index, events.get(index));
    }

    StreamCheckpointRecord checkpoint(long from, long to) {
        return StreamCheckpointRecord.of(TENANT, note(to), from, to, tree);
    }

    /** Native lines: events [from, to) with a checkpoint record after every {@code every} indices. */
    List<String> stream(int from, int to, int every) {
        List<String> lines = new ArrayList<>();
        long lastCheckpoint = from;
        for (int i = from; i < to; i++) {
            lines.add(StreamRecordFormat.write(record(i)));
            if ((i + 1) % every == 0) {
                lines.add(StreamRecordFormat.write(checkpoint(lastCheckpoint, i + 1)));
                lastCheckpoint = i + 1;
            }
        }
        return lines;
    }

    StreamVerification verify(List<String> lines, StreamVerifier.Format format) {
        StreamVerifier verifier = new StreamVerifier(keys(), ORIGIN, format);
        lines.forEach(verifier::accept);
        return verifier.finish();
    }

    StreamVerification verify(List<String> lines) {
        return verify(lines, StreamVerifier.Format.NATIVE);
    }
}
