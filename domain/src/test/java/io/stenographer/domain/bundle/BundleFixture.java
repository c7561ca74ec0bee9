package io.stenographer.domain.bundle;

import io.stenographer.domain.checkpoint.Checkpoint;
import io.stenographer.domain.checkpoint.Ed25519Keys;
import io.stenographer.domain.checkpoint.NoteSigner;
import io.stenographer.domain.checkpoint.SignedNote;
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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongPredicate;

/** A real log in memory: sealed events, their tree, and a signed checkpoint over it. */
final class BundleFixture {

    static final String ORIGIN = "example/acme";
    static final TenantId TENANT = TenantId.of("acme");

    final NoteSigner signer = new NoteSigner(ORIGIN, Ed25519Keys.generate().getPrivate());
    final List<AuditEvent> events = new ArrayList<>();
    final InMemoryMerkleTree tree = new InMemoryMerkleTree();
    final SignedNote checkpoint;

    BundleFixture(int size) {
        this(size, 42);
    }

    BundleFixture(int size, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Instant start = Instant.parse("2026-03-01T09:00:00.123456Z");
        for (int i = 0; i < size; i++) {
            AuditEvent event = event(i, start.plusMillis(1000L * i), random);
            events.add(event);
            tree.append(event.leafHash());
        }
        checkpoint = Checkpoint.of(ORIGIN, size, tree.root()).sign(signer);
    }

    static AuditEvent event(int i, Instant at, SplittableRandom random) {
        EventDraft draft = new EventDraft(TENANT, new Actor("user-" + i, ActorType.USER, "User Nr " + i),
                Action.of(i % 3 == 0 ? "case.export" : "case.view"), new ResourceRef("case", "case-" + (i * 7)),
                i % 2 == 0 ? "court order 2026/" + i : null, i % 5 == 4 ? Outcome.DENIED : Outcome.SUCCESS, at,
                new Source("background-check-portal", "10.0.0." + (i % 250), "Mozilla/5.0"), "corr-" + i,
                new JsonObject(Map.of("page", new JsonNumber(i), "note", new JsonString("Zoë € " + i))), null);
        return AuditEvent.record(EventId.newTimeOrdered(at, random), at.plusNanos(1500), "svc-writer",
                draft);
    }

    String verifierKey() {
        return signer.verifier().toVerifierKey();
    }

    BundleHeader header(long from, long to) {
        return new BundleHeader(ORIGIN, TENANT, from, to, events.size(), checkpoint.serialize(), verifierKey());
    }

    /** The bundle of leaves [from, to); leaves for which {@code purged} holds carry no event. */
    byte[] bundle(long from, long to, LongPredicate purged) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            BundleWriter writer = BundleWriter.utf8(out);
            writer.header(header(from, to));
            for (long i = from; i < to; i++) {
                if (purged.test(i)) {
                    writer.purged(i, tree.leafHash(i), tree.inclusionProof(i, events.size()));
                } else {
                    writer.entry(i, tree.leafHash(i), events.get((int) i), tree.inclusionProof(i, events.size()));
                }
            }
            writer.end();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out.toByteArray();
    }

    /** The bundle's lines, editable; the last one is empty when the bundle ends with a newline. */
    static List<String> lines(byte[] bundle) {
        return new ArrayList<>(Arrays.asList(text(bundle).split("\n", -1)));
    }

    static byte[] join(List<String> lines) {
        return bytes(String.join("\n", lines));
    }

    static String text(byte[] bundle) {
        return new String(bundle, StandardCharsets.UTF_8);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
