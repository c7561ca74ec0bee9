package io.stenographer.domain.report;

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
import io.stenographer.domain.event.SealedEventFormat;
import io.stenographer.domain.event.Source;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.log.PublishedCheckpoint;
import io.stenographer.domain.merkle.InMemoryMerkleTree;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** An in-memory log and a two-pass report run over it, as the application service does over storage. */
public final class ReportFixture {

    public static final TenantId TENANT = new TenantId("acme");
    public static final String ORIGIN = "stenographer.test/acme";
    public static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

    public final NoteSigner signer = new NoteSigner("stenographer.test", Ed25519Keys.generate().getPrivate());
    public final List<AuditEvent> events = new ArrayList<>();
    private final SplittableRandom random = new SplittableRandom(7);

    public AuditEvent add(String actor, String action, String resourceId, Outcome outcome, String reason,
            Instant at, JsonObject metadata) {
        EventDraft draft = new EventDraft(TENANT, new Actor(actor, ActorType.USER, "Name of " + actor),
                Action.of(action), resourceId == null ? null : new ResourceRef("case", resourceId), reason, outcome,
                at, new Source("portal", "192.0.2.1", "ua"), null, metadata, null);
        AuditEvent event = AuditEvent.record(EventId.newTimeOrdered(at, random), at.plusMillis(5), "svc-portal",
                draft);
        events.add(event);
        return event;
    }

    public AuditEvent add(String actor, String action, Outcome outcome, String reason, Instant at) {
        return add(actor, action, "C-1", outcome, reason, at, null);
    }

    public PublishedCheckpoint checkpoint() {
        InMemoryMerkleTree tree = tree();
        Checkpoint checkpoint = Checkpoint.of(ORIGIN, events.size(), tree.root());
        return new PublishedCheckpoint(TENANT, checkpoint, checkpoint.sign(signer).serialize(), T0);
    }

    public InMemoryMerkleTree tree() {
        InMemoryMerkleTree tree = new InMemoryMerkleTree();
        events.forEach(event -> tree.append(event.leafHash()));
        return tree;
    }

    /** Runs both passes; the returned events re-read the log on each forEach, as storage would. */
    public Built build(ReportType type, ReportParameters parameters, ReportFormat format, Redactor redactor) {
        ReportDefinition definition = ReportDefinition.of(type, parameters);
        events.forEach(definition::consider);
        definition.finish();
        PublishedCheckpoint checkpoint = checkpoint();
        ReportHeader header = new ReportHeader("r-1", TENANT, type, format, parameters.toJson(type),
                definition.ruleVersions(), "auditor-1", T0, checkpoint, signer.verifier().toVerifierKey(),
                definition.selectedCount(), 0);
        ReportDocument document = new ReportDocument(header, definition.summary(), definition.results());
        InMemoryMerkleTree tree = tree();
        ReportEvents table = sink -> {
            for (int i = 0; i < events.size(); i++) {
                AuditEvent event = events.get(i);
                if (definition.selects(event)) {
                    Redactor.Redacted published = redactor == null
                            ? new Redactor.Redacted(SealedEventFormat.toJson(event), List.of())
                            : redactor.redact(event);
                    sink.accept(ReportEntry.publish(i, event.leafHash(), published,
                            redactor != null && redactor.redactsAnything(),
                            format == ReportFormat.BUNDLE ? tree.inclusionProof(i, events.size()) : null));
                }
            }
        };
        return new Built(definition, document, table);
    }

    public record Built(ReportDefinition definition, ReportDocument document, ReportEvents events) {
        public List<ReportEntry> entries() throws IOException {
            List<ReportEntry> all = new ArrayList<>();
            events.forEach(all::add);
            return all;
        }
    }
}
