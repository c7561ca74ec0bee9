package io.stenographer.application.service;

import io.stenographer.application.port.in.ApproveShorteningCommand;
import io.stenographer.application.port.in.CreateRetentionPolicyCommand;
import io.stenographer.application.port.in.FourEyesRequired;
import io.stenographer.application.port.in.PolicyChange;
import io.stenographer.application.port.in.RetentionPoliciesQuery;
import io.stenographer.application.port.in.RetentionPolicyConflict;
import io.stenographer.application.port.in.RetentionPolicyNotFound;
import io.stenographer.application.port.in.RetentionPolicyVersionsQuery;
import io.stenographer.application.port.in.RetireRetentionPolicyCommand;
import io.stenographer.application.port.in.ShorteningProposalNotFound;
import io.stenographer.application.service.fakes.FakeTransactionRunner;
import io.stenographer.application.service.fakes.InMemoryEventStore;
import io.stenographer.application.service.fakes.InMemoryRetentionPolicies;
import io.stenographer.application.service.fakes.MutableClock;
import io.stenographer.domain.access.Caller;
import io.stenographer.domain.access.Role;
import io.stenographer.domain.access.TenantAccessDenied;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.FieldViolation;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.json.JsonNumber;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.retention.PolicyAlreadyRetired;
import io.stenographer.domain.retention.PolicyId;
import io.stenographer.domain.retention.PolicyMatcher;
import io.stenographer.domain.retention.RetentionFloor;
import io.stenographer.domain.retention.RetentionPeriod;
import io.stenographer.domain.retention.RetentionPolicies;
import io.stenographer.domain.retention.RetentionPolicy;
import io.stenographer.domain.retention.RetentionSubject;
import io.stenographer.domain.retention.RetirementProposal;
import io.stenographer.domain.retention.ShorteningProposal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import static io.stenographer.application.service.fakes.TestDrafts.ACME;
import static io.stenographer.application.service.fakes.TestDrafts.GLOBEX;
import static io.stenographer.application.service.fakes.TestDrafts.auditor;
import static io.stenographer.application.service.fakes.TestDrafts.caller;
import static io.stenographer.application.service.fakes.TestDrafts.writer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ManageRetentionPoliciesServiceTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00.123456789Z");
    private static final Instant NOW_MICROS = Instant.parse("2026-03-01T12:00:00.123456Z");
    private static final PolicyId CASES = PolicyId.of("cases");

    private final FakeTransactionRunner transactions = new FakeTransactionRunner();
    private final InMemoryEventStore events = new InMemoryEventStore(transactions);
    private final InMemoryRetentionPolicies stored = new InMemoryRetentionPolicies(transactions);
    private final MutableClock clock = new MutableClock(NOW);
    private final RetentionPolicy defaultPolicy = RetentionPolicy.create(PolicyId.of("default"), 1, PolicyMatcher.ANY,
            RetentionPeriod.parse("P90D"), RetentionPeriod.parse("P7Y"), "statute", "configuration", NOW_MICROS);
    private final ActiveRetentionPolicies active =
            new ActiveRetentionPolicies(stored, RetentionPolicies.onlyDefault(defaultPolicy));
    private final ManageRetentionPoliciesService service =
            new ManageRetentionPoliciesService(stored, active, new SelfAudit(events, clock, new SplittableRandom(5), StoredIdentifiers.AS_GIVEN),
                    transactions, clock, new SplittableRandom(6),
                    new RetentionFloor(RetentionPeriod.parse("P1D"), Map.of(GLOBEX, RetentionPeriod.parse("P30D"))));

    private final Caller admin = caller("admin-1", Role.COMPLIANCE_ADMIN, ACME);

    private CreateRetentionPolicyCommand create(Caller caller, TenantId tenant, String archiveAfter, String retainFor) {
        return new CreateRetentionPolicyCommand(caller, tenant, CASES, "case.*", "background-check",
                RetentionPeriod.parse(archiveAfter), RetentionPeriod.parse(retainFor), "Records Act s.12");
    }

    private static RetentionPolicy applied(PolicyChange change) {
        assertThat(change.awaitingApproval()).isEmpty();
        return change.applied();
    }

    @Test
    void aRetentionBelowTheConfiguredMinimumIsRefusedNamingTheField() {
        assertThatThrownBy(() -> service.create(create(admin, ACME, "PT1H", "PT1H")))
                .isInstanceOfSatisfying(FieldViolation.class, e -> {
                    assertThat(e.field()).isEqualTo("retainFor");
                    assertThat(e.detail()).contains("at least P1D");
                });
        Caller both = caller("admin-2", Role.COMPLIANCE_ADMIN, ACME, GLOBEX);
        // A tenant's own minimum replaces the global one.
        assertThatThrownBy(() -> service.create(create(both, GLOBEX, "P1D", "P10D")))
                .isInstanceOfSatisfying(FieldViolation.class, e -> assertThat(e.detail()).contains("at least P30D"));
        // Above the floor it is accepted, and, being shorter than the 7-year default it takes events from, proposed.
        assertThat(service.create(create(both, ACME, "P1D", "P10D")).awaitingApproval()).isPresent();
    }

    @Test
    void shorteningByOneAdminStaysPendingUntilASecondAdminApproves() {
        applied(service.create(create(admin, ACME, "P30D", "P10Y")));
        PolicyChange change = service.create(create(admin, ACME, "P30D", "P2Y"));

        ShorteningProposal proposal = change.awaitingApproval().orElseThrow();
        assertThat(proposal.baseVersion()).isEqualTo(1);
        assertThat(transactions.inTransaction(() -> stored.active(ACME))).singleElement()
                .satisfies(p -> assertThat(p.retainFor()).isEqualTo(RetentionPeriod.parse("P10Y")));
        assertThat(events.committed()).extracting(e -> e.content().action().value())
                .contains("retention.policy.shortening-proposed");

        ApproveShorteningCommand bySelf = new ApproveShorteningCommand(admin, ACME, CASES, proposal.id());
        assertThatThrownBy(() -> service.approve(bySelf)).isInstanceOf(FourEyesRequired.class);

        Caller second = caller("admin-2", Role.COMPLIANCE_ADMIN, ACME);
        RetentionPolicy approved = service.approve(new ApproveShorteningCommand(second, ACME, CASES, proposal.id()));
        assertThat(approved.version()).isEqualTo(2);
        assertThat(approved.retainFor()).isEqualTo(RetentionPeriod.parse("P2Y"));
        assertThat(transactions.inTransaction(() -> stored.active(ACME))).singleElement()
                .satisfies(p -> assertThat(p.version()).isEqualTo(2));
        assertThat(events.committed()).filteredOn(e -> e.content().action().value()
                .equals("retention.policy.shortening-approved")).singleElement()
                .satisfies(e -> assertThat(e.content().metadata().get("proposedBy")).isEqualTo(new JsonString("admin-1")));
        // Approving twice, or a proposal overtaken by a newer version, is a conflict.
        assertThatThrownBy(() -> service.approve(new ApproveShorteningCommand(second, ACME, CASES, proposal.id())))
                .isInstanceOf(RetentionPolicyConflict.class);
    }

    @Test
    void aPeriodEqualFromTheReferenceDayButShorterFromOthersIsAShortening() {
        applied(service.create(create(admin, ACME, "P30D", "P3653D")));

        // Ten years from 2000-01-01 hold three leap days (3,653 days), but from 2001 only two: records received
        // then would go a day sooner.
        assertThat(service.create(create(admin, ACME, "P30D", "P10Y")).awaitingApproval()).isPresent();
        assertThat(transactions.inTransaction(() -> stored.active(ACME))).singleElement()
                .satisfies(p -> assertThat(p.retainFor()).isEqualTo(RetentionPeriod.parse("P3653D")));
    }

    @Test
    void aNewMoreSpecificIdThatKeepsLessThanTheBroaderPolicyItOverridesNeedsASecondAdmin() {
        applied(service.create(create(admin, ACME, "P30D", "P10Y")));
        PolicyId views = PolicyId.of("case-views");
        CreateRetentionPolicyCommand narrower = new CreateRetentionPolicyCommand(admin, ACME, views, "case.view",
                "background-check", RetentionPeriod.parse("P30D"), RetentionPeriod.parse("P1Y"), "Records Act s.3");

        ShorteningProposal proposal = service.create(narrower).awaitingApproval().orElseThrow();

        assertThat(proposal.baseVersion()).isZero();
        assertThat(proposal.proposed().version()).isEqualTo(1);
        assertThat(transactions.inTransaction(() -> stored.active(ACME))).extracting(RetentionPolicy::id)
                .containsExactly(CASES);
        AuditEvent proposed = events.committed().get(1);
        assertThat(proposed.content().action().value()).isEqualTo("retention.policy.shortening-proposed");
        assertThat(proposed.content().metadata().get("currentRetainFor")).isNull();
        assertThat(proposed.content().metadata().get("shortens").toString())
                .contains("case.view", "background-check", "cases", "P10Y", "P1Y");

        assertThatThrownBy(() -> service.approve(new ApproveShorteningCommand(admin, ACME, views, proposal.id())))
                .isInstanceOf(FourEyesRequired.class);
        Caller second = caller("admin-2", Role.COMPLIANCE_ADMIN, ACME);
        RetentionPolicy approved = service.approve(new ApproveShorteningCommand(second, ACME, views, proposal.id()));

        assertThat(approved.version()).isEqualTo(1);
        assertThat(service.activePolicies(new RetentionPoliciesQuery(admin, ACME)).resolve(new RetentionSubject(ACME,
                "u", "case.view", "background-check", "B-1", NOW, NOW))).isEqualTo(approved);
        assertThat(events.committed().get(events.committed().size() - 1).content().metadata().get("previousVersion"))
                .isNull();
    }

    @Test
    void aNewIdThatOnlyLengthensOrNeverWinsIsStoredAtOnce() {
        applied(service.create(create(admin, ACME, "P30D", "P10Y")));

        RetentionPolicy longer = applied(service.create(new CreateRetentionPolicyCommand(admin, ACME,
                PolicyId.of("logins"), "login.*", null, RetentionPeriod.parse("P1D"), RetentionPeriod.parse("P8Y"),
                "x")));
        // Same matcher as 'cases' and shorter: the longer one keeps winning, so no event is kept for less time.
        RetentionPolicy shadowed = applied(service.create(new CreateRetentionPolicyCommand(admin, ACME,
                PolicyId.of("cases-short"), "case.*", "background-check", RetentionPeriod.parse("P1D"),
                RetentionPeriod.parse("P1Y"), "x")));

        assertThat(longer.version()).isEqualTo(1);
        assertThat(shadowed.version()).isEqualTo(1);
    }

    @Test
    void aRetiredPolicyCreatedAgainShorterNeedsASecondAdmin() {
        Caller second = caller("admin-2", Role.COMPLIANCE_ADMIN, ACME);
        applied(service.create(create(admin, ACME, "P30D", "P10Y")));
        RetirementProposal retirement = service.retire(new RetireRetentionPolicyCommand(admin, ACME, CASES));
        service.approve(new ApproveShorteningCommand(second, ACME, CASES, retirement.id()));
        clock.advance(Duration.ofMinutes(1));

        // Version 1 is retired, so nothing of the same id is active; the comparison is with the 7-year default.
        ShorteningProposal proposal = service.create(create(admin, ACME, "P30D", "P1Y")).awaitingApproval()
                .orElseThrow();

        assertThat(proposal.baseVersion()).isEqualTo(1);
        RetentionPolicy approved = service.approve(new ApproveShorteningCommand(second, ACME, CASES, proposal.id()));
        assertThat(approved.version()).isEqualTo(2);
        assertThat(approved.retainFor()).isEqualTo(RetentionPeriod.parse("P1Y"));
    }

    @Test
    void aShorteningProposalWhoseBaseWasRetiredAfterwardsIsAConflict() {
        Caller second = caller("admin-2", Role.COMPLIANCE_ADMIN, ACME);
        applied(service.create(create(admin, ACME, "P30D", "P10Y")));
        ShorteningProposal shortening = service.create(create(admin, ACME, "P30D", "P8Y")).awaitingApproval()
                .orElseThrow();
        clock.advance(Duration.ofMinutes(1));
        RetirementProposal retirement = service.retire(new RetireRetentionPolicyCommand(admin, ACME, CASES));
        service.approve(new ApproveShorteningCommand(second, ACME, CASES, retirement.id()));

        assertThatThrownBy(() -> service.approve(new ApproveShorteningCommand(second, ACME, CASES, shortening.id())))
                .isInstanceOf(RetentionPolicyConflict.class).hasMessageContaining("retired");
        assertThat(service.activePolicies(new RetentionPoliciesQuery(admin, ACME)).all())
                .containsExactly(defaultPolicy);
    }

    @Test
    void aProposalOfAnotherTenantOrPolicyIsNotFound() {
        applied(service.create(create(admin, ACME, "P30D", "P10Y")));
        ShorteningProposal proposal = service.create(create(admin, ACME, "P30D", "P2Y")).awaitingApproval()
                .orElseThrow();
        Caller second = caller("admin-2", Role.COMPLIANCE_ADMIN, ACME, GLOBEX);
        assertThatThrownBy(() -> service.approve(new ApproveShorteningCommand(second, GLOBEX, CASES, proposal.id())))
                .isInstanceOf(ShorteningProposalNotFound.class);
        assertThatThrownBy(() -> service.approve(new ApproveShorteningCommand(second, ACME, PolicyId.of("other"),
                proposal.id()))).isInstanceOf(ShorteningProposalNotFound.class);
    }

    @Test
    void theFirstVersionIsOneAndIsRecordedWithItsAuditEventInOneTransaction() {
        RetentionPolicy created = applied(service.create(create(admin, ACME, "P30D", "P10Y")));

        assertThat(created.version()).isEqualTo(1);
        assertThat(created.matcher()).isEqualTo(new PolicyMatcher(ACME, "case.*", "background-check"));
        assertThat(created.createdBy()).isEqualTo("admin-1");
        assertThat(created.createdAt()).isEqualTo(NOW_MICROS);
        assertThat(created.isActive()).isTrue();
        assertThat(transactions.started()).isEqualTo(1);
        assertThat(transactions.committed()).isEqualTo(1);
        assertThat(stored.committedVersions()).containsExactly(created);

        AuditEvent audit = events.appends().get(0).events().get(0);
        assertThat(events.appends()).singleElement().satisfies(a -> assertThat(a.transaction()).isEqualTo(1));
        assertThat(audit.tenant()).isEqualTo(ACME);
        assertThat(audit.content().action().value()).isEqualTo("retention.policy.created");
        assertThat(audit.content().actor().id()).isEqualTo("admin-1");
        assertThat(audit.content().resource().type()).isEqualTo("retention-policy");
        assertThat(audit.content().resource().id()).isEqualTo("cases");
        assertThat(audit.content().metadata().get("policyId")).isEqualTo(new JsonString("cases"));
        assertThat(audit.content().metadata().get("version")).isEqualTo(new JsonNumber(1));
        assertThat(audit.content().metadata().get("actionPattern")).isEqualTo(new JsonString("case.*"));
        assertThat(audit.content().metadata().get("resourceType")).isEqualTo(new JsonString("background-check"));
        assertThat(audit.content().metadata().get("archiveAfter")).isEqualTo(new JsonString("P30D"));
        assertThat(audit.content().metadata().get("retainFor")).isEqualTo(new JsonString("P10Y"));
        assertThat(audit.content().metadata().get("legalBasis")).isEqualTo(new JsonString("Records Act s.12"));
        assertThat(audit.content().metadata().get("previousVersion")).isNull();
    }

    @Test
    void aNewVersionIsThePreviousPlusOneAndTheActiveSetShowsOnlyTheLatest() {
        service.create(create(admin, ACME, "P30D", "P10Y"));
        clock.advance(Duration.ofMinutes(1));
        RetentionPolicy second = applied(service.create(create(admin, ACME, "P60D", "P12Y")));

        assertThat(second.version()).isEqualTo(2);
        AuditEvent audit = events.appends().get(1).events().get(0);
        assertThat(audit.content().metadata().get("previousVersion")).isEqualTo(new JsonNumber(1));
        assertThat(audit.content().metadata().get("previousRetainFor")).isEqualTo(new JsonString("P10Y"));

        RetentionPolicies policies = service.activePolicies(new RetentionPoliciesQuery(auditor("aud", ACME), ACME));
        assertThat(policies.all()).containsExactly(second, defaultPolicy);
        assertThat(policies.resolve(new RetentionSubject(ACME, "u", "case.view", "background-check", "B-1",
                NOW, NOW))).isEqualTo(second);
        assertThat(policies.resolve(new RetentionSubject(ACME, "u", "user.login", null, null, NOW, NOW)))
                .isEqualTo(defaultPolicy);
        assertThat(service.versions(new RetentionPolicyVersionsQuery(admin, ACME, CASES)))
                .extracting(RetentionPolicy::version).containsExactly(1, 2);
    }

    @Test
    void policiesAreTenantScoped() {
        Caller both = caller("admin-2", Role.COMPLIANCE_ADMIN, ACME, GLOBEX);
        service.create(create(both, ACME, "P30D", "P10Y"));
        RetentionPolicy globex = applied(service.create(create(both, GLOBEX, "P1D", "P8Y")));

        assertThat(globex.version()).isEqualTo(1);
        assertThat(service.activePolicies(new RetentionPoliciesQuery(both, GLOBEX)).all())
                .containsExactly(globex, defaultPolicy);
        assertThat(events.appends().get(1).events().get(0).tenant()).isEqualTo(GLOBEX);
    }

    @Test
    void retiringByOneAdminStaysPendingUntilASecondAdminApprovesThenRemovesThePolicyFromTheActiveSet() {
        RetentionPolicy created = applied(service.create(create(admin, ACME, "P30D", "P10Y")));
        clock.advance(Duration.ofMinutes(5));

        RetirementProposal proposal = service.retire(new RetireRetentionPolicyCommand(admin, ACME, CASES));

        // The version stays in force: its events would fall back to the 7-year default, a shortening.
        assertThat(proposal.retiring()).isEqualTo(created);
        assertThat(proposal.proposedBy()).isEqualTo("admin-1");
        assertThat(stored.committedRetirements()).isZero();
        assertThat(service.activePolicies(new RetentionPoliciesQuery(admin, ACME)).all())
                .containsExactly(created, defaultPolicy);
        AuditEvent proposed = events.appends().get(1).events().get(0);
        assertThat(proposed.content().action().value()).isEqualTo("retention.policy.retirement-proposed");
        assertThat(proposed.content().metadata().get("proposalId")).isEqualTo(new JsonString(proposal.id().toString()));

        ApproveShorteningCommand bySelf = new ApproveShorteningCommand(admin, ACME, CASES, proposal.id());
        assertThatThrownBy(() -> service.approve(bySelf)).isInstanceOf(FourEyesRequired.class);
        assertThat(stored.committedRetirements()).isZero();

        clock.advance(Duration.ofMinutes(5));
        Caller second = caller("admin-2", Role.COMPLIANCE_ADMIN, ACME);
        RetentionPolicy retired = service.approve(new ApproveShorteningCommand(second, ACME, CASES, proposal.id()));

        assertThat(retired.isActive()).isFalse();
        assertThat(retired.retiredBy()).isEqualTo("admin-1");
        assertThat(retired.retiredAt()).isEqualTo(NOW_MICROS.plus(Duration.ofMinutes(10)));
        assertThat(stored.committedRetirements()).isEqualTo(1);
        assertThat(service.activePolicies(new RetentionPoliciesQuery(admin, ACME)).all())
                .containsExactly(defaultPolicy);
        assertThat(service.versions(new RetentionPolicyVersionsQuery(admin, ACME, CASES)))
                .singleElement().isEqualTo(retired);
        assertThat(events.committed()).extracting(e -> e.content().action().value()).containsExactly(
                "retention.policy.created", "retention.policy.retirement-proposed",
                "retention.policy.retirement-approved", "retention.policy.retired");
        assertThat(events.committed().get(3).content().metadata().get("version")).isEqualTo(new JsonNumber(1));
        assertThat(events.committed().get(3).content().metadata().get("approvedBy"))
                .isEqualTo(new JsonString("admin-2"));

        // Approving twice is a conflict; proposing to retire a retired version is refused.
        assertThatThrownBy(() -> service.approve(new ApproveShorteningCommand(second, ACME, CASES, proposal.id())))
                .isInstanceOf(RetentionPolicyConflict.class);
        assertThatThrownBy(() -> service.retire(new RetireRetentionPolicyCommand(admin, ACME, CASES)))
                .isInstanceOf(PolicyAlreadyRetired.class);
        assertThat(stored.committedRetirements()).isEqualTo(1);
        assertThat(events.committed()).hasSize(4);

        RetentionPolicy again = applied(service.create(create(admin, ACME, "P30D", "P10Y")));
        assertThat(again.version()).isEqualTo(2);
        assertThat(service.activePolicies(new RetentionPoliciesQuery(admin, ACME)).all()).contains(again);
    }

    @Test
    void aRetirementProposalOvertakenByANewVersionIsAConflict() {
        applied(service.create(create(admin, ACME, "P30D", "P10Y")));
        RetirementProposal proposal = service.retire(new RetireRetentionPolicyCommand(admin, ACME, CASES));
        applied(service.create(create(admin, ACME, "P30D", "P20Y")));

        Caller second = caller("admin-2", Role.COMPLIANCE_ADMIN, ACME);
        assertThatThrownBy(() -> service.approve(new ApproveShorteningCommand(second, ACME, CASES, proposal.id())))
                .isInstanceOf(RetentionPolicyConflict.class).hasMessageContaining("version 2");
        assertThat(stored.committedRetirements()).isZero();
        // A retirement proposal is found only under its own tenant and policy.
        Caller both = caller("admin-3", Role.COMPLIANCE_ADMIN, ACME, GLOBEX);
        assertThatThrownBy(() -> service.approve(new ApproveShorteningCommand(both, GLOBEX, CASES, proposal.id())))
                .isInstanceOf(ShorteningProposalNotFound.class);
        assertThatThrownBy(() -> service.approve(new ApproveShorteningCommand(both, ACME, PolicyId.of("other"),
                proposal.id()))).isInstanceOf(ShorteningProposalNotFound.class);
    }

    @Test
    void retiringOrReadingAnUnknownPolicyIsNotFound() {
        assertThatThrownBy(() -> service.retire(new RetireRetentionPolicyCommand(admin, ACME, PolicyId.of("nope"))))
                .isInstanceOf(RetentionPolicyNotFound.class);
        assertThatThrownBy(() -> service.versions(new RetentionPolicyVersionsQuery(admin, ACME, PolicyId.of("nope"))))
                .isInstanceOf(RetentionPolicyNotFound.class);
        assertThat(events.committed()).isEmpty();
    }

    @Test
    void configuredPoliciesAreReadableButNotChangeableThroughTheApi() {
        PolicyId id = defaultPolicy.id();
        assertThat(service.versions(new RetentionPolicyVersionsQuery(admin, ACME, id))).containsExactly(defaultPolicy);
        assertThatThrownBy(() -> service.create(new CreateRetentionPolicyCommand(admin, ACME, id, null, null,
                RetentionPeriod.parse("P1D"), RetentionPeriod.parse("P1Y"), "x")))
                .isInstanceOf(RetentionPolicyConflict.class).hasMessageContaining("configured");
        assertThatThrownBy(() -> service.retire(new RetireRetentionPolicyCommand(admin, ACME, id)))
                .isInstanceOf(RetentionPolicyConflict.class);
        assertThat(transactions.started()).isZero();
    }

    @Test
    void aConcurrentCreationOfTheSameVersionIsAConflictAndNothingIsRecorded() {
        RetentionPolicy winner = RetentionPolicy.create(CASES, 1, new PolicyMatcher(ACME, null, null),
                RetentionPeriod.parse("P1D"), RetentionPeriod.parse("P1Y"), "other", "admin-9", NOW_MICROS);
        stored.loseNextAppendTo(winner);

        assertThatThrownBy(() -> service.create(create(admin, ACME, "P30D", "P10Y")))
                .isInstanceOf(RetentionPolicyConflict.class).hasMessageContaining("concurrently");
        assertThat(transactions.rolledBack()).isEqualTo(1);
        assertThat(events.committed()).isEmpty();
        assertThat(stored.committedVersions()).containsExactly(winner);
    }

    @Test
    void invalidPoliciesAreRefusedBeforeAnythingIsStored() {
        assertThatThrownBy(() -> service.create(create(admin, ACME, "P1Y", "P30D")))
                .isInstanceOfSatisfying(FieldViolation.class, v -> assertThat(v.field()).isEqualTo("retainFor"));
        assertThatThrownBy(() -> service.create(new CreateRetentionPolicyCommand(admin, ACME, CASES, "Bad Pattern",
                null, RetentionPeriod.parse("P1D"), RetentionPeriod.parse("P1Y"), "x")))
                .isInstanceOfSatisfying(FieldViolation.class, v -> assertThat(v.field()).isEqualTo("actionPattern"));
        assertThatThrownBy(() -> service.create(new CreateRetentionPolicyCommand(admin, ACME, CASES, null, null,
                RetentionPeriod.parse("P1D"), RetentionPeriod.parse("P1Y"), " ")))
                .isInstanceOfSatisfying(FieldViolation.class, v -> assertThat(v.field()).isEqualTo("legalBasis"));
        assertThat(stored.committedVersions()).isEmpty();
        assertThat(events.committed()).isEmpty();
    }

    @Test
    void writesNeedComplianceAdminOfTheTenantAndReadsAuditorOrComplianceAdmin() {
        assertThatThrownBy(() -> service.create(create(auditor("aud", ACME), ACME, "P1D", "P1Y")))
                .isInstanceOf(TenantAccessDenied.class);
        assertThatThrownBy(() -> service.create(create(admin, GLOBEX, "P1D", "P1Y")))
                .isInstanceOf(TenantAccessDenied.class);
        assertThatThrownBy(() -> service.retire(new RetireRetentionPolicyCommand(auditor("aud", ACME), ACME, CASES)))
                .isInstanceOf(TenantAccessDenied.class);
        assertThatThrownBy(() -> service.activePolicies(new RetentionPoliciesQuery(writer("w", ACME), ACME)))
                .isInstanceOf(TenantAccessDenied.class);
        assertThatThrownBy(() -> service.activePolicies(new RetentionPoliciesQuery(auditor("aud", GLOBEX), ACME)))
                .isInstanceOf(TenantAccessDenied.class);
        assertThatThrownBy(() -> service.versions(new RetentionPolicyVersionsQuery(admin, GLOBEX, CASES)))
                .isInstanceOf(TenantAccessDenied.class);
        assertThat(transactions.started()).isZero();
        assertThat(service.activePolicies(new RetentionPoliciesQuery(auditor("aud", ACME), ACME)).all())
                .containsExactly(defaultPolicy);
    }

    @Test
    void theJobViewResolvesInsideTheCallersTransactionWithoutACallerCheck() {
        RetentionPolicy created = applied(service.create(create(admin, ACME, "P30D", "P10Y")));
        RetentionPolicies forAcme = transactions.inTransaction(() -> active.forTenant(ACME));
        RetentionPolicies forGlobex = transactions.inTransaction(() -> active.forTenant(GLOBEX));
        assertThat(forAcme.all()).containsExactly(created, defaultPolicy);
        assertThat(forGlobex.all()).containsExactly(defaultPolicy);
        assertThatThrownBy(() -> active.forTenant(ACME)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new ActiveRetentionPolicies(stored, new RetentionPolicies(defaultPolicy,
                List.of(created))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("names a tenant");
    }
}
