package io.stenographer.application.port.in;

import io.stenographer.domain.access.Caller;
import io.stenographer.domain.event.FieldViolation;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.retention.PolicyId;
import io.stenographer.domain.retention.RetentionPeriod;

/**
 * A new retention policy version as a caller wrote it, every field still text: the one reader behind the API's
 * {@code POST /api/v1/retention-policies} and the console's policy form, so both refuse the same inputs with the
 * same messages. Absent fields are null; {@code actionPattern} and {@code resourceType} absent mean "any".
 */
public record RetentionPolicySubmission(String id, String tenant, String actionPattern, String resourceType,
        String archiveAfter, String retainFor, String legalBasis) {

    /**
     * The validated command, checked in this order: tenant, id, archiveAfter, retainFor (the matcher and the legal
     * basis are checked where the version is built). A bad field is a {@link FieldViolation} naming it.
     */
    public CreateRetentionPolicyCommand toCommand(Caller caller) {
        TenantId tenantId = RequestParameters.requiredTenant(tenant);
        PolicyId policyId = new PolicyId(id);
        return new CreateRetentionPolicyCommand(caller, tenantId, policyId, actionPattern, resourceType,
                RetentionPeriod.parse("archiveAfter", archiveAfter), RetentionPeriod.parse("retainFor", retainFor),
                legalBasis);
    }
}
