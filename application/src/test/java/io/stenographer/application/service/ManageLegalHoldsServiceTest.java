package io.stenographer.application.service;

import io.stenographer.application.port.in.LegalHoldChange;
import io.stenographer.application.port.in.LegalHoldNotFound;
import io.stenographer.application.port.in.LegalHoldQuery;
import io.stenographer.application.port.in.LegalHoldsQuery;
import io.stenographer.application.port.in.LegalHoldsQuery.Status;
import io.stenographer.application.port.in.PlaceLegalHoldCommand;
import io.stenographer.application.port.in.ReleaseLegalHoldCommand;
import io.stenographer.application.service.fakes.FakeTransactionRunner;
import io.stenographer.application.service.fakes.InMemoryEventStore;
import io.stenographer.application.service.fakes.InMemoryLegalHolds;
import io.stenographer.application.service.fakes.MutableClock;
import io.stenographer.domain.access.Caller;
import io.stenographer.domain.access.Role;
import io.stenographer.domain.access.TenantAccessDenied;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.FieldViolation;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.retention.HoldAlreadyReleased;
import io.stenographer.domain.retention.HoldCriteria;
import io.stenographer.domain.retention.HoldId;
import io.stenographer.domain.retention.LegalHold;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import static io.stenographer.application.service.fakes.TestDrafts.ACME;
import static io.stenographer.application.service.fakes.TestDrafts.GLOBEX;
import static io.stenographer.application.service.fakes.TestDrafts.auditor;
import static io.stenographer.application.service.fakes.TestDrafts.caller;
import static io.stenographer.application.service.fakes.TestDrafts.writer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ManageLegalHoldsServiceTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00.123456789Z");
    private static final Instant NOW_MICROS = Instant.parse("2026-03-01T12:00:00.123456Z");
    private static final HoldCriteria CASE_42 = new HoldCriteria(null, "case", "C-42", "case.*",
            Instant.parse("2026-01-01T00:00:00Z"), null);

    private final FakeTransactionRunner transactions = new FakeTransactionRunner();
    private final InMemoryEventStore events = new InMemoryEventStore(transactions);
    private final InMemoryLegalHolds holds = new InMemoryLegalHolds(transactions);
    private final MutableClock clock = new MutableClock(NOW);
    private final SplittableRandom random = new SplittableRandom(9);
    private final ManageLegalHoldsService service = new ManageLegalHoldsService(holds, List.of(holds),
            new SelfAudit(events, clock, random, StoredIdentifiers.AS_GIVEN), transactions, clock, random, StoredIdentifiers.AS_GIVEN);

    private final Caller admin = caller("counsel-1", Role.COMPLIANCE_ADMIN, ACME);

    private LegalHold place(Caller caller) {
        return service.place(new PlaceLegalHoldCommand(caller, ACME, CASE_42, "CASE-2026-17", "litigation hold")).hold();
    }

    @Test
    void placingStoresTheHoldAuditsItInOneTransactionAndThenTellsTheListeners() {
        LegalHold hold = place(admin);

        assertThat(hold.isActive()).isTrue();
        assertThat(hold.tenant()).isEqualTo(ACME);
        assertThat(hold.criteria()).isEqualTo(CASE_42);
        assertThat(hold.placedBy()).isEqualTo("counsel-1");
        assertThat(hold.placedAt()).isEqualTo(NOW_MICROS);
        assertThat(hold.id().value().version()).isEqualTo(7);
        assertThat(transactions.started()).isEqualTo(1);
        assertThat(holds.committedHolds()).isEqualTo(1);

        AuditEvent audit = events.appends().get(0).events().get(0);
        assertThat(events.appends().get(0).transaction()).isEqualTo(1);
        assertThat(audit.tenant()).isEqualTo(ACME);
        assertThat(audit.content().action().value()).isEqualTo("legal-hold.placed");
        assertThat(audit.content().resource().type()).isEqualTo("legal-hold");
        assertThat(audit.content().resource().id()).isEqualTo(hold.id().toString());
        assertThat(audit.content().metadata()).isEqualTo(new JsonObject(Map.of(
                "holdId", new JsonString(hold.id().toString()),
                "criteria", new JsonObject(Map.of(
                        "resourceType", new JsonString("case"),
                        "resourceId", new JsonString("C-42"),
                        "actionPattern", new JsonString("case.*"),
                        "from", new JsonString("2026-01-01T00:00:00.000000Z"))),
                "caseReference", new JsonString("CASE-2026-17"),
                "reason", new JsonString("litigation hold"))));
        assertThat(holds.notifications()).singleElement().satisfies(n -> {
            assertThat(n.transaction()).as("outside any transaction").isZero();
            assertThat(n.change()).isEqualTo("placed");
            assertThat(n.hold()).isEqualTo(hold);
        });
    }

    @Test
    void releasingAppendsAReleaseAuditsItAndASecondReleaseIsRefused() {
        LegalHold hold = place(admin);
        clock.advance(Duration.ofDays(3));
        Caller other = caller("counsel-2", Role.COMPLIANCE_ADMIN, ACME);

        LegalHold released = service.release(new ReleaseLegalHoldCommand(other, hold.id(), "case settled")).hold();

        assertThat(released.isActive()).isFalse();
        assertThat(released.releasedBy()).isEqualTo("counsel-2");
        assertThat(released.releasedAt()).isEqualTo(NOW_MICROS.plus(Duration.ofDays(3)));
        assertThat(released.releaseReason()).isEqualTo("case settled");
        assertThat(holds.committedReleases()).isEqualTo(1);
        AuditEvent audit = events.appends().get(1).events().get(0);
        assertThat(audit.content().action().value()).isEqualTo("legal-hold.released");
        assertThat(audit.content().actor().id()).isEqualTo("counsel-2");
        assertThat(audit.content().metadata().get("reason")).isEqualTo(new JsonString("case settled"));
        assertThat(audit.content().metadata().get("placedBy")).isEqualTo(new JsonString("counsel-1"));
        assertThat(holds.notifications()).extracting(InMemoryLegalHolds.Notification::change)
                .containsExactly("placed", "released");

        assertThatThrownBy(() -> service.release(new ReleaseLegalHoldCommand(other, hold.id(), "again")))
                .isInstanceOf(HoldAlreadyReleased.class);
        assertThat(holds.committedReleases()).isEqualTo(1);
        assertThat(events.committed()).hasSize(2);
        assertThat(service.get(new LegalHoldQuery(auditor("aud", ACME), hold.id()))).isEqualTo(released);
    }

    @Test
    void aReleaseNeedsAReason() {
        LegalHold hold = place(admin);
        assertThatThrownBy(() -> service.release(new ReleaseLegalHoldCommand(admin, hold.id(), "  ")))
                .isInstanceOfSatisfying(FieldViolation.class, v -> assertThat(v.field()).isEqualTo("reason"));
        assertThat(holds.committedReleases()).isZero();
        assertThat(events.committed()).hasSize(1);
    }

    @Test
    void aListenerThatCannotFlagTheArchiveNeverRefusesTheHoldAndItsProblemIsRecorded() {
        holds.failNextNotification();
        LegalHoldChange change = service.place(new PlaceLegalHoldCommand(admin, ACME, CASE_42, "CASE-2026-17",
                "litigation hold"));
        assertThat(holds.committedHolds()).isEqualTo(1);
        assertThat(change.archive().complete()).isFalse();
        assertThat(change.archive().problems()).singleElement().asString().contains("segment s-1");
        assertThat(events.committed()).extracting(e -> e.content().action().value())
                .containsExactly("legal-hold.placed", "legal-hold.archive-flags-incomplete");
        assertThat(transactions.rolledBack()).isZero();
    }

    @Test
    void listingFiltersByStatus() {
        LegalHold first = place(admin);
        clock.advance(Duration.ofSeconds(1));
        LegalHold second = place(admin);
        LegalHold released = service.release(new ReleaseLegalHoldCommand(admin, first.id(), "done")).hold();
        Caller reader = auditor("aud", ACME);

        assertThat(service.list(new LegalHoldsQuery(reader, ACME, Status.ACTIVE))).containsExactly(second);
        assertThat(service.list(new LegalHoldsQuery(reader, ACME, Status.RELEASED))).containsExactly(released);
        assertThat(service.list(new LegalHoldsQuery(reader, ACME, Status.ALL))).containsExactly(released, second);
        assertThat(service.list(new LegalHoldsQuery(reader, ACME, null))).containsExactly(second);
        assertThat(service.list(new LegalHoldsQuery(caller("g", Role.AUDITOR, GLOBEX), GLOBEX, Status.ALL))).isEmpty();
    }

    @Test
    void holdsOfOtherTenantsAreNotFoundAndRolesAreChecked() {
        LegalHold hold = place(admin);
        Caller globexAdmin = caller("g-admin", Role.COMPLIANCE_ADMIN, GLOBEX);

        assertThatThrownBy(() -> service.get(new LegalHoldQuery(globexAdmin, hold.id())))
                .isInstanceOf(LegalHoldNotFound.class);
        assertThatThrownBy(() -> service.release(new ReleaseLegalHoldCommand(globexAdmin, hold.id(), "x")))
                .isInstanceOf(LegalHoldNotFound.class);
        assertThatThrownBy(() -> service.get(new LegalHoldQuery(writer("w", ACME), hold.id())))
                .isInstanceOf(LegalHoldNotFound.class);
        assertThatThrownBy(() -> service.get(new LegalHoldQuery(admin, new HoldId(UUID.randomUUID()))))
                .isInstanceOf(LegalHoldNotFound.class);
        assertThatThrownBy(() -> service.release(new ReleaseLegalHoldCommand(auditor("aud", ACME), hold.id(), "x")))
                .isInstanceOf(TenantAccessDenied.class);
        assertThatThrownBy(() -> service.place(new PlaceLegalHoldCommand(auditor("aud", ACME), ACME, null, null, "x")))
                .isInstanceOf(TenantAccessDenied.class);
        assertThatThrownBy(() -> service.place(new PlaceLegalHoldCommand(admin, GLOBEX, null, null, "x")))
                .isInstanceOf(TenantAccessDenied.class);
        assertThatThrownBy(() -> service.list(new LegalHoldsQuery(admin, GLOBEX, Status.ALL)))
                .isInstanceOf(TenantAccessDenied.class);
        assertThat(holds.committedReleases()).isZero();
        assertThat(events.committed()).hasSize(1);
    }

    @Test
    void aWholeTenantHoldIsRecordedWithEmptyCriteria() {
        LegalHold hold = service.place(new PlaceLegalHoldCommand(admin, ACME, null, null, "regulator inquiry")).hold();
        assertThat(hold.criteria().isWholeTenant()).isTrue();
        assertThat(hold.caseReference()).isNull();
        JsonObject metadata = events.appends().get(0).events().get(0).content().metadata();
        assertThat(metadata.get("criteria")).isEqualTo(JsonObject.EMPTY);
        assertThat(metadata.get("caseReference")).isNull();
    }
}
