package io.stenographer.domain.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.stenographer.domain.checkpoint.Checkpoint;
import io.stenographer.domain.checkpoint.Ed25519Keys;
import io.stenographer.domain.checkpoint.KeySet;
import io.stenographer.domain.checkpoint.NoteSigner;
import io.stenographer.domain.checkpoint.SignedNote;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.EventDraft;
import io.stenographer.domain.event.SealedEventArbitraries;
import io.stenographer.domain.event.StoredEventFields;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.InMemoryMerkleTree;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Verifying from stored fields ({@link LeafWithStoredFields}) reaches the verdict rebuilding every event reaches:
 * the same findings, in the same order, with the same messages, the same events counted and the same rebuilt root,
 * whatever one stored column was altered into.
 */
class LeafWithStoredFieldsPropertiesTest {

    private static final String ORIGIN = "stenographer.test/log";
    private static final Instant NOW = Instant.parse("2026-05-01T10:00:00Z");
    private static final NoteSigner KEY = new NoteSigner("stenographer.test/log", Ed25519Keys.generate().getPrivate());

    /** The adapter's reading before stored fields: every row rebuilt into an event, or why it could not be. */
    record RebuiltRow(LogLeaf leaf, AuditEvent event, String unreadable, Hash archivedLeafHash) implements StoredLeaf {

        static RebuiltRow of(LogLeaf leaf, StoredEventFields fields, Hash archivedLeafHash) {
            if (fields == null) {
                return new RebuiltRow(leaf, null, null, archivedLeafHash);
            }
            try {
                return new RebuiltRow(leaf, fields.restore(), null, archivedLeafHash);
            } catch (IllegalArgumentException | NullPointerException | ClassCastException e) {
                return new RebuiltRow(leaf, null, String.valueOf(e.getMessage()), archivedLeafHash);
            }
        }
    }

    /** One stored column replaced by another value: {@code column} is a record component index. */
    record Alteration(int row, int column, Object value) {
    }

    @Provide
    Arbitrary<List<AuditEvent>> logs() {
        return SealedEventArbitraries.tenants().flatMap(tenant -> SealedEventArbitraries.events()
                .map(event -> withTenant(event, tenant)).list().ofMinSize(1).ofMaxSize(6));
    }

    private static AuditEvent withTenant(AuditEvent event, TenantId tenant) {
        EventDraft c = event.content();
        return AuditEvent.restore(event.id(), event.receivedAt(), event.submittedBy(), new EventDraft(tenant,
                c.actor(), c.action(), c.resource(), c.reason(), c.outcome(), c.occurredAt(), c.source(),
                c.correlationId(), c.metadata(), c.clientEventId()), event.personal());
    }

    @Provide
    Arbitrary<List<Alteration>> alterations() {
        Arbitrary<Object> values = Arbitraries.oneOf(
                Arbitraries.just(null),
                Arbitraries.of("x", "user", "service", "denied", "admin", "case.view", "Not An Action", " ", "",
                        "tab\there", "ctl\u0001", "lone\uD800", "10.0.0.1", "not-an-ip", "other-tenant", "Other Tenant",
                        "{}", "[]", "null", "{ }", "{\"a\":1}", "{\"a\":1.0}", "{\"a\":", "{\"a\":1},\"occurredAt\":\"x\"",
                        "{\"source.ip\":\"" + "0".repeat(64) + "\"}", "{\"reason\":\"" + "a".repeat(64) + "\"}"),
                Arbitraries.of(Instant.parse("2026-05-01T10:00:00Z"), Instant.parse("1969-12-31T23:59:59Z"),
                        Instant.parse("2026-05-01T10:00:00.000000001Z")),
                Arbitraries.just(UUID.fromString("00000000-0000-7000-8000-000000000000")));
        return Combinators.combine(Arbitraries.integers().between(0, 5), Arbitraries.integers().between(0, 19), values)
                .as(Alteration::new).list().ofMaxSize(3);
    }

    @Property(tries = 1000)
    void storedFieldsGiveTheVerdictRebuiltEventsGive(@ForAll("logs") List<AuditEvent> events,
            @ForAll("alterations") List<Alteration> alterations, @ForAll boolean archived, @ForAll boolean foreign) {
        TenantId tenant = events.get(0).tenant();
        if (foreign) {
            // Another tenant's event, its leaf copied into this log: it hashes to the leaf but is not this log's.
            events = new ArrayList<>(events);
            events.set(events.size() - 1, withTenant(events.get(events.size() - 1), TenantId.of("foreign-log")));
        }
        InMemoryMerkleTree tree = new InMemoryMerkleTree();
        List<LogLeaf> leaves = new ArrayList<>();
        List<StoredEventFields> stored = new ArrayList<>();
        for (AuditEvent event : events) {
            leaves.add(new LogLeaf(tenant, tree.append(event.leafHash()), event.id(), event.leafHash()));
            stored.add(StoredEventFields.of(event));
        }
        for (Alteration alteration : alterations) {
            int row = alteration.row() % stored.size();
            stored.set(row, altered(stored.get(row), alteration.column(), alteration.value()));
        }
        if (archived) {
            stored.set(0, null); // purged after archiving
        }

        List<StoredLeaf> fromFields = new ArrayList<>();
        List<StoredLeaf> rebuilt = new ArrayList<>();
        for (int i = 0; i < leaves.size(); i++) {
            Hash archivedLeafHash = archived && i == 0 ? leaves.get(0).leafHash() : null;
            fromFields.add(LeafWithStoredFields.check(leaves.get(i), stored.get(i), archivedLeafHash));
            rebuilt.add(RebuiltRow.of(leaves.get(i), stored.get(i), archivedLeafHash));
        }

        VerificationReport viaFields = verify(tenant, tree, fromFields);
        VerificationReport viaEvents = verify(tenant, tree, rebuilt);
        assertThat(viaFields.findings()).isEqualTo(viaEvents.findings());
        assertThat(viaFields.eventsChecked()).isEqualTo(viaEvents.eventsChecked());
        if (alterations.isEmpty() && !foreign) {
            assertThat(viaFields.findings()).isEmpty();
            assertThat(viaFields.eventsChecked()).isEqualTo(events.size() - (archived ? 1 : 0));
        }
    }

    /** A checkpoint over the log as sealed: a rebuilt root that differs is a finding, so roots are compared too. */
    private static VerificationReport verify(TenantId tenant, InMemoryMerkleTree tree, List<StoredLeaf> rows) {
        String origin = ORIGIN + "/" + tenant.value();
        LogVerifier verifier = new LogVerifier(tenant, KeySet.single(KEY.verifier()), origin);
        long size = rows.size();
        SignedNote note = KEY.sign(Checkpoint.of(origin, size, tree.root(size)).body());
        verifier.storedCheckpoint(new PublishedCheckpoint(tenant, Checkpoint.parseBody(note.body()), note.serialize(),
                NOW));
        verifier.treeSize(size);
        verifier.rebuild(0, size, rows);
        return verifier.report(UUID.randomUUID(), NOW, NOW, "test");
    }

    private static StoredEventFields altered(StoredEventFields f, int column, Object value) {
        Object[] v = {f.id(), f.tenant(), f.receivedAt(), f.submittedBy(), f.actorId(), f.actorType(),
                f.actorDisplayName(), f.action(), f.resourceType(), f.resourceId(), f.reason(), f.outcome(),
                f.occurredAt(), f.sourceApplication(), f.sourceIp(), f.sourceUserAgent(), f.correlationId(),
                f.metadata(), f.clientEventId(), f.personal()};
        Class<?> type = column == 0 ? UUID.class : column == 2 || column == 12 ? Instant.class : String.class;
        if (value == null || type.isInstance(value)) {
            v[column] = value;
        }
        return new StoredEventFields((UUID) v[0], (String) v[1], (Instant) v[2], (String) v[3], (String) v[4],
                (String) v[5], (String) v[6], (String) v[7], (String) v[8], (String) v[9], (String) v[10],
                (String) v[11], (Instant) v[12], (String) v[13], (String) v[14], (String) v[15], (String) v[16],
                (String) v[17], (String) v[18], (String) v[19]);
    }
}
