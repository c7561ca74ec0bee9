package io.stenographer.verifier;

import io.stenographer.domain.bundle.BundleHeader;
import io.stenographer.domain.bundle.BundleWriter;
import io.stenographer.domain.checkpoint.Checkpoint;
import io.stenographer.domain.checkpoint.Ed25519Keys;
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
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongPredicate;

/**
 * A real Stenographer log built in memory: events sealed with {@link AuditEvent#record}, their
 * leaf hashes in an {@link InMemoryMerkleTree}, and checkpoints signed with a fresh Ed25519 key.
 */
final class LogFixture {

    static final String ORIGIN = "example/acme";
    static final TenantId TENANT = TenantId.of("acme");

    final NoteSigner signer = new NoteSigner(ORIGIN, Ed25519Keys.generate().getPrivate());
    final List<AuditEvent> events = new ArrayList<>();
    final InMemoryMerkleTree tree = new InMemoryMerkleTree();

    LogFixture(int size) {
        SplittableRandom random = new SplittableRandom(2026);
        Instant start = Instant.parse("2026-03-01T09:00:00Z");
        for (int i = 0; i < size; i++) {
            Instant at = start.plusSeconds(i).plusNanos(1000L * i);
            EventDraft draft = new EventDraft(TENANT, new Actor("officer-" + i, ActorType.USER, "Officer " + i),
                    Action.of(i % 4 == 0 ? "record.export" : "record.view"),
                    new ResourceRef("background-check", "bc-" + (1000 + i)),
                    i % 3 == 0 ? "statutory review" : null, Outcome.SUCCESS, at,
                    new Source("portal", "192.0.2." + (i % 200), null), null,
                    new JsonObject(Map.of("fields", new JsonNumber(i % 9), "form", new JsonString("N-" + i))), null);
            AuditEvent event = AuditEvent.record(EventId.newTimeOrdered(at, random), at.plusMillis(3), "svc-portal",
                    draft);
            events.add(event);
            tree.append(event.leafHash());
        }
    }

    String verifierKey() {
        return signer.verifier().toVerifierKey();
    }

    /** The signed note of the checkpoint at {@code size}. */
    String checkpoint(long size) {
        return Checkpoint.of(ORIGIN, size, tree.root(size)).sign(signer).serialize();
    }

    /** Writes the bundle of [from, to) against the checkpoint of the whole tree. */
    Path writeBundle(Path file, long from, long to, LongPredicate purged) throws IOException {
        long size = tree.size();
        try (OutputStream out = Files.newOutputStream(file)) {
            BundleWriter writer = BundleWriter.utf8(out);
            writer.header(new BundleHeader(ORIGIN, TENANT, from, to, size, checkpoint(size), verifierKey()));
            for (long i = from; i < to; i++) {
                if (purged.test(i)) {
                    writer.purged(i, tree.leafHash(i), tree.inclusionProof(i, size));
                } else {
                    writer.entry(i, tree.leafHash(i), events.get((int) i), tree.inclusionProof(i, size));
                }
            }
            writer.end();
        }
        return file;
    }
}
