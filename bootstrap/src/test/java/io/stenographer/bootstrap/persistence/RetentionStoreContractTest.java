package io.stenographer.bootstrap.persistence;

import io.quarkus.test.junit.QuarkusTest;
import io.stenographer.application.port.out.StoreLegalHoldsPort;
import io.stenographer.application.port.out.StoreRetentionPoliciesPort;
import io.stenographer.application.port.out.StoreRetentionPoliciesPort.PolicyVersionTaken;
import io.stenographer.application.port.out.TransactionRunner;
import io.stenographer.application.service.ActiveRetentionPolicies;
import io.stenographer.application.service.SelfAudit;
import io.stenographer.domain.access.Caller;
import io.stenographer.domain.access.Role;
import io.stenographer.domain.event.ResourceRef;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.json.JsonNumber;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.retention.HoldAlreadyReleased;
import io.stenographer.domain.retention.HoldCriteria;
import io.stenographer.domain.retention.HoldId;
import io.stenographer.domain.retention.LegalHold;
import io.stenographer.domain.retention.PolicyAlreadyRetired;
import io.stenographer.domain.retention.PolicyId;
import io.stenographer.domain.retention.PolicyMatcher;
import io.stenographer.domain.retention.RetentionPeriod;
import io.stenographer.domain.retention.RetentionPolicies;
import io.stenographer.domain.retention.RetentionPolicy;
import io.stenographer.domain.retention.RetirementProposal;
import io.stenographer.domain.retention.RetentionSubject;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The retention ports against real PostgreSQL 17, injected by their port types and called inside
 * {@link TransactionRunner} as the services call them. Each test uses its own tenant.
 */
@QuarkusTest
class RetentionStoreContractTest {

    private static final Instant T0 = Instant.parse("2026-02-01T08:00:00.123456Z");

    @Inject
    StoreRetentionPoliciesPort policies;
    @Inject
    StoreLegalHoldsPort holds;
    @Inject
    ActiveRetentionPolicies active;
    @Inject
    TransactionRunner transactions;
    @Inject
    SelfAudit selfAudit;

    private final SplittableRandom random = new SplittableRandom();

    // The database takes a version, retirement or release only after its self-audit event (V8), as the services
    // write them; these helpers do the same.
    private void appendVersion(RetentionPolicy policy) {
        trace(policy.matcher().tenant(), "retention.policy.created", "retention-policy", policy.id().value(),
                policy.version());
        policies.appendVersion(policy);
    }

    // A retirement is a proposal by `by`, approved by someone else (V10), as the service writes it.
    private void appendRetirement(TenantId tenant, PolicyId id, int version, String by, Instant at) {
        RetentionPolicy stored = policies.versions(tenant, id).get(version - 1);
        RetentionPolicy asProposed = new RetentionPolicy(stored.id(), stored.version(), stored.matcher(),
                stored.archiveAfter(), stored.retainFor(), stored.legalBasis(), stored.createdBy(), stored.createdAt(),
                null, null);
        RetirementProposal proposal = new RetirementProposal(new UUID(random.nextLong(), random.nextLong()),
                asProposed, by, at);
        policies.appendRetirementProposal(proposal);
        assertThat(policies.retirementProposal(tenant, proposal.id())).contains(proposal);
        trace(tenant, "retention.policy.retirement-approved", "retention-policy", id.value(), version);
        trace(tenant, "retention.policy.retired", "retention-policy", id.value(), version);
        policies.appendApprovedRetirement(proposal, "second-" + by, at);
    }

    private void appendRelease(LegalHold released) {
        trace(released.tenant(), "legal-hold.released", "legal-hold", released.id().toString(), 0);
        holds.appendRelease(released);
    }

    private void trace(TenantId tenant, String action, String type, String id, int version) {
        selfAudit.record(Caller.withRolesOnTenants("contract-test", Set.of(Role.COMPLIANCE_ADMIN), Set.of(tenant)),
                tenant, action, new ResourceRef(type, id), new JsonObject(Map.of("version", new JsonNumber(version))));
    }

    private static TenantId uniqueTenant() {
        return TenantId.of("rs-" + UUID.randomUUID().toString().substring(0, 13));
    }

    private <T> T inTx(Supplier<T> work) {
        return transactions.inTransaction(work);
    }

    private void run(Runnable work) {
        transactions.inTransaction(() -> {
            work.run();
            return null;
        });
    }

    private static RetentionPolicy version(TenantId tenant, String id, int version, String action, String type,
            String archiveAfter, String retainFor, Instant at) {
        return RetentionPolicy.create(PolicyId.of(id), version, new PolicyMatcher(tenant, action, type),
                RetentionPeriod.parse(archiveAfter), RetentionPeriod.parse(retainFor),
                "Basis with unicode \u00a7 12 and\na line break", "admin-" + version, at);
    }

    @Test
    void policyVersionsRoundTripUnchangedInVersionOrder() {
        TenantId tenant = uniqueTenant();
        RetentionPolicy v1 = version(tenant, "cases", 1, "case.*", "background-check", "P1Y6M", "P7Y", T0);
        RetentionPolicy v2 = version(tenant, "cases", 2, null, null, "PT10M", "P1DT12H", T0.plusSeconds(60));
        run(() -> appendVersion(v2));
        run(() -> appendVersion(v1));

        assertThat(inTx(() -> policies.versions(tenant, PolicyId.of("cases")))).containsExactly(v1, v2);
        assertThat(inTx(() -> policies.versions(tenant, PolicyId.of("other")))).isEmpty();
        assertThat(inTx(() -> policies.versions(uniqueTenant(), PolicyId.of("cases")))).isEmpty();
    }

    @Test
    void activeIsTheLatestVersionOfEachIdUnlessRetired() {
        TenantId tenant = uniqueTenant();
        RetentionPolicy a1 = version(tenant, "a", 1, "case.*", null, "P1D", "P1Y", T0);
        RetentionPolicy a2 = version(tenant, "a", 2, "case.*", null, "P1D", "P2Y", T0.plusSeconds(1));
        RetentionPolicy b1 = version(tenant, "b", 1, null, "invoice", "P1D", "P3Y", T0);
        RetentionPolicy c1 = version(tenant, "c", 1, null, "contract", "P1D", "P4Y", T0);
        RetentionPolicy c2 = version(tenant, "c", 2, null, "contract", "P1D", "P5Y", T0.plusSeconds(2));
        run(() -> {
            appendVersion(a1);
            appendVersion(a2);
            appendVersion(b1);
            appendVersion(c1);
            appendVersion(c2);
        });
        run(() -> appendRetirement(tenant, PolicyId.of("b"), 1, "admin-x", T0.plusSeconds(5)));
        // An older version cannot be retired (V10: the policy changed after the proposal); the latest stays active.
        assertThatThrownBy(() -> run(() -> appendRetirement(tenant, PolicyId.of("c"), 1, "admin-x",
                T0.plusSeconds(5)))).hasStackTraceContaining("changed after the retirement proposal");

        assertThat(inTx(() -> policies.active(tenant))).containsExactly(a2, c2);
        assertThat(inTx(() -> policies.versions(tenant, PolicyId.of("b")))).singleElement()
                .isEqualTo(b1.retire("admin-x", T0.plusSeconds(5)));
        assertThat(inTx(() -> policies.active(uniqueTenant()))).isEmpty();

        RetentionPolicies resolved = inTx(() -> active.forTenant(tenant));
        assertThat(resolved.all()).contains(a2, c2, resolved.defaultPolicy()).hasSize(3);
        assertThat(resolved.resolve(new RetentionSubject(tenant, "u", "case.view", null, null, T0, T0))).isEqualTo(a2);
        assertThat(resolved.resolve(new RetentionSubject(tenant, "u", "user.login", "invoice", "I-1", T0, T0)))
                .isEqualTo(resolved.defaultPolicy());
    }

    @Test
    void aTakenVersionOrASecondRetirementIsRefusedAndTheTransactionStaysUsable() {
        TenantId tenant = uniqueTenant();
        RetentionPolicy v1 = version(tenant, "p", 1, null, null, "P1D", "P1Y", T0);
        run(() -> appendVersion(v1));

        RetentionPolicy rival = version(tenant, "p", 1, null, null, "P2D", "P2Y", T0.plusSeconds(1));
        assertThatThrownBy(() -> run(() -> appendVersion(rival))).isInstanceOf(PolicyVersionTaken.class);
        run(() -> appendRetirement(tenant, PolicyId.of("p"), 1, "admin", T0.plusSeconds(2)));
        assertThatThrownBy(() -> run(() -> appendRetirement(tenant, PolicyId.of("p"), 1, "admin-2",
                T0.plusSeconds(3)))).isInstanceOf(PolicyAlreadyRetired.class);

        // ON CONFLICT DO NOTHING: the losing statement does not abort its transaction.
        int seen = inTx(() -> {
            try {
                appendVersion(rival);
            } catch (PolicyVersionTaken expected) {
                // the same transaction can go on reading
            }
            return policies.versions(tenant, PolicyId.of("p")).size();
        });
        assertThat(seen).isEqualTo(1);
        assertThat(inTx(() -> policies.versions(tenant, PolicyId.of("p")))).singleElement()
                .isEqualTo(v1.retire("admin", T0.plusSeconds(2)));
    }

    @Test
    void legalHoldsRoundTripWithAndWithoutCriteriaAndReleasesApply() {
        TenantId tenant = uniqueTenant();
        LegalHold full = LegalHold.place(HoldId.newTimeOrdered(T0, random), tenant,
                new HoldCriteria("alice", "case", "C-42", "case.*", T0.minusSeconds(86_400), T0),
                "CV-2026-117", "litigation \u00a7 hold", "counsel", T0);
        LegalHold whole = LegalHold.place(HoldId.newTimeOrdered(T0.plusSeconds(1), random), tenant, null, null,
                "regulator", "counsel", T0.plusSeconds(1));
        LegalHold foreign = LegalHold.place(HoldId.newTimeOrdered(T0, random), uniqueTenant(), null, null, "x",
                "counsel", T0);
        run(() -> {
            holds.appendHold(whole);
            holds.appendHold(full);
            holds.appendHold(foreign);
        });

        assertThat(inTx(() -> holds.find(full.id()))).contains(full);
        assertThat(inTx(() -> holds.find(whole.id()))).contains(whole);
        assertThat(inTx(() -> holds.find(new HoldId(UUID.randomUUID())))).isEmpty();
        assertThat(inTx(() -> holds.all(tenant))).containsExactly(full, whole);
        assertThat(inTx(() -> holds.active(tenant))).containsExactly(full, whole);

        LegalHold released = full.release("counsel-2", T0.plusSeconds(100), "settled");
        run(() -> appendRelease(released));

        assertThat(inTx(() -> holds.find(full.id()))).contains(released);
        assertThat(inTx(() -> holds.all(tenant))).containsExactly(released, whole);
        assertThat(inTx(() -> holds.active(tenant))).containsExactly(whole);
        assertThatThrownBy(() -> run(() -> appendRelease(full.release("counsel-3", T0.plusSeconds(200),
                "again")))).isInstanceOf(HoldAlreadyReleased.class);
        assertThat(inTx(() -> holds.find(full.id()))).contains(released);
    }
}
