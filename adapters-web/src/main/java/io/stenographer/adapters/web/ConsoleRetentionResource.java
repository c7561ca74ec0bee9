package io.stenographer.adapters.web;

import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import io.stenographer.application.port.in.ApproveShorteningCommand;
import io.stenographer.application.port.in.ConsoleViewCommand;
import io.stenographer.application.port.in.LegalHoldChange;
import io.stenographer.application.port.in.LegalHoldSubmission;
import io.stenographer.application.port.in.LegalHoldsQuery;
import io.stenographer.application.port.in.ManageLegalHoldsUseCase;
import io.stenographer.application.port.in.ManageRetentionPoliciesUseCase;
import io.stenographer.application.port.in.PolicyChange;
import io.stenographer.application.port.in.RecordConsoleViewUseCase;
import io.stenographer.application.port.in.ReleaseLegalHoldCommand;
import io.stenographer.application.port.in.RequestParameters;
import io.stenographer.application.port.in.RetentionPoliciesQuery;
import io.stenographer.application.port.in.RetentionPolicySubmission;
import io.stenographer.application.port.in.RetireRetentionPolicyCommand;
import io.stenographer.domain.access.Caller;
import io.stenographer.domain.access.Role;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.event.Timestamps;
import io.stenographer.domain.retention.HoldCriteria;
import io.stenographer.domain.retention.HoldId;
import io.stenographer.domain.retention.LegalHold;
import io.stenographer.domain.retention.PolicyId;
import io.stenographer.domain.retention.RetentionPolicies;
import io.stenographer.domain.retention.RetentionPolicy;
import io.stenographer.domain.retention.RetirementProposal;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Retention: the policies in force and the legal holds of a tenant, through the same use cases as
 * {@code /api/v1/retention-policies} and {@code /api/v1/legal-holds}. Auditors read; compliance admins also create
 * and retire policies, approve the proposals four eyes need, and place and release holds. The forms are read by the
 * API's own readers, so they refuse what the API refuses.
 */
@Path("/console/retention")
@Authenticated
public class ConsoleRetentionResource {

    private static final Pattern NOTICE_POLICY = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    static class Templates {
        static TemplateInstance retention(ConsolePage.Chrome chrome, List<PolicyRow> policies,
                List<HoldRow> holds, String holdStatus, boolean mayManage, Notice notice) {
            return ConsoleTemplates.of("ConsoleRetentionResource/retention")
                    .data("chrome", chrome)
                    .data("policies", policies)
                    .data("holds", holds)
                    .data("holdStatus", holdStatus)
                    .data("mayManage", mayManage)
                    .data("notice", notice);
        }
    }

    /** One policy version in force, in precedence order. */
    public record PolicyRow(String id, int version, String scope, boolean defaultPolicy, boolean tenantPolicy,
            String actionPattern, String resourceType, String archiveAfter, String retainFor, String legalBasis,
            String createdBy, String createdAt) {

        static PolicyRow from(RetentionPolicy policy, boolean isDefault) {
            boolean tenant = policy.matcher().tenant() != null;
            return new PolicyRow(policy.id().value(), policy.version(), tenant ? "tenant" : "configuration",
                    isDefault, tenant, orAny(policy.matcher().actionPattern()),
                    orAny(policy.matcher().resourceType()), policy.archiveAfter().iso(), policy.retainFor().iso(),
                    policy.legalBasis(), policy.createdBy(), time(policy.createdAt()));
        }
    }

    /** One legal hold, its criteria as text ("whole tenant" when none). */
    public record HoldRow(String id, boolean active, String criteria, String caseReference, String reason,
            String placedBy, String placedAt, String releasedBy, String releasedAt, String releaseReason) {

        static HoldRow from(LegalHold hold) {
            return new HoldRow(hold.id().toString(), hold.isActive(), describe(hold.criteria()),
                    hold.caseReference(), hold.reason(), hold.placedBy(), time(hold.placedAt()), hold.releasedBy(),
                    time(hold.releasedAt()), hold.releaseReason());
        }
    }

    /** What the last change did, shown once after the redirect. */
    public record Notice(String kind, String policy, String proposal) {

        public String message() {
            return switch (kind) {
                case "policy-created" -> "Policy " + policy + " now has a new version in force.";
                case "shortening-proposed" -> "The new version of policy " + policy + " keeps records for less time"
                        + " than the one in force, so it waits for a second compliance admin. It takes effect once"
                        + " another compliance admin approves proposal " + proposal + " below.";
                case "retirement-proposed" -> "Retiring policy " + policy + " waits for a second compliance admin;"
                        + " until then the version stays in force. Another compliance admin approves proposal "
                        + proposal + " below.";
                case "approved" -> "Proposal " + proposal + " for policy " + policy + " was approved and carried out.";
                case "hold-placed" -> "The legal hold was placed. It is in force now.";
                case "hold-released" -> "The legal hold was released.";
                default -> null;
            };
        }

        /** The notice a redirect names, if it names a known one with well-formed ids; anything else shows nothing. */
        static Notice of(String kind, String policy, String proposal) {
            if (kind == null) {
                return null;
            }
            String policyId = policy != null && NOTICE_POLICY.matcher(policy).matches() ? policy : null;
            String proposalId = null;
            if (proposal != null) {
                try {
                    proposalId = RequestParameters.uuid("proposal", proposal).toString();
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
            Notice notice = new Notice(kind, policyId, proposalId);
            boolean needsPolicy = !kind.startsWith("hold-");
            boolean needsProposal = kind.endsWith("-proposed") || kind.equals("approved");
            if (notice.message() == null || needsPolicy && policyId == null || needsProposal && proposalId == null) {
                return null;
            }
            return notice;
        }
    }

    private final ConsolePage page;
    private final ConsoleSession session;
    private final ManageRetentionPoliciesUseCase policies;
    private final ManageLegalHoldsUseCase holds;
    private final RecordConsoleViewUseCase views;

    ConsoleRetentionResource(ConsolePage page, ConsoleSession session, ManageRetentionPoliciesUseCase policies,
            ManageLegalHoldsUseCase holds, RecordConsoleViewUseCase views) {
        this.page = page;
        this.session = session;
        this.policies = policies;
        this.holds = holds;
        this.views = views;
    }

    @GET
    public Response retention(@QueryParam("tenant") String tenant, @QueryParam("holds") String holdStatus,
            @QueryParam("notice") String notice, @QueryParam("policy") String policy,
            @QueryParam("proposal") String proposal) {
        return page.run(() -> {
            Optional<TenantId> chosen = session.tenant(tenant);
            LegalHoldsQuery.Status status = LegalHoldsQuery.Status.parse(ReportForm.blankToNull(holdStatus));
            String statusName = status.name().toLowerCase(Locale.ROOT);
            if (chosen.isEmpty()) {
                return page.render(Templates.retention(page.chrome("retention", null), List.of(), List.of(),
                        statusName, false, null));
            }
            Caller caller = session.caller();
            TenantId tenantId = chosen.get();
            RetentionPolicies inForce = policies.activePolicies(new RetentionPoliciesQuery(caller, tenantId));
            List<PolicyRow> policyRows = inForce.applicableTo(tenantId).stream()
                    .map(p -> PolicyRow.from(p, p.equals(inForce.defaultPolicy()))).toList();
            List<HoldRow> holdRows = holds.list(new LegalHoldsQuery(caller, tenantId, status)).stream()
                    .map(HoldRow::from).toList();
            Map<String, String> details = new LinkedHashMap<>();
            details.put("holds", statusName);
            details.put("policies", Integer.toString(policyRows.size()));
            details.put("legalHolds", Integer.toString(holdRows.size()));
            views.record(new ConsoleViewCommand(caller, tenantId, "retention", details));
            return page.render(Templates.retention(page.chrome("retention", tenantId), policyRows, holdRows,
                    statusName, caller.may(Role.COMPLIANCE_ADMIN, tenantId), Notice.of(notice, policy, proposal)));
        });
    }

    @POST
    @Path("policies")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response createPolicy(@FormParam("csrf") String csrf, @FormParam("tenant") String tenant,
            @FormParam("id") String id, @FormParam("actionPattern") String actionPattern,
            @FormParam("resourceType") String resourceType, @FormParam("archiveAfter") String archiveAfter,
            @FormParam("retainFor") String retainFor, @FormParam("legalBasis") String legalBasis) {
        return page.run(() -> {
            page.checkForm(csrf);
            RetentionPolicySubmission submission = new RetentionPolicySubmission(blank(id), blank(tenant),
                    blank(actionPattern), blank(resourceType), blank(archiveAfter), blank(retainFor),
                    blank(legalBasis));
            var command = submission.toCommand(session.caller());
            PolicyChange change = policies.create(command);
            if (change.awaitingApproval().isPresent()) {
                return back(command.tenant(), "shortening-proposed", command.id().value(),
                        change.proposal().id());
            }
            return back(command.tenant(), "policy-created", command.id().value(), null);
        });
    }

    @POST
    @Path("policies/{id}/retirement")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response retirePolicy(@PathParam("id") String id, @FormParam("csrf") String csrf,
            @FormParam("tenant") String tenant) {
        return page.run(() -> {
            page.checkForm(csrf);
            TenantId tenantId = RequestParameters.requiredTenant(blank(tenant));
            RetirementProposal proposal = policies.retire(new RetireRetentionPolicyCommand(session.caller(),
                    tenantId, new PolicyId(id)));
            return back(tenantId, "retirement-proposed", id, proposal.id());
        });
    }

    @POST
    @Path("approvals")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response approve(@FormParam("csrf") String csrf, @FormParam("tenant") String tenant,
            @FormParam("policyId") String policyId, @FormParam("proposalId") String proposalId) {
        return page.run(() -> {
            page.checkForm(csrf);
            TenantId tenantId = RequestParameters.requiredTenant(blank(tenant));
            PolicyId policy = new PolicyId(blank(policyId));
            UUID proposal = RequestParameters.uuid("proposalId", blank(proposalId));
            policies.approve(new ApproveShorteningCommand(session.caller(), tenantId, policy, proposal));
            return back(tenantId, "approved", policy.value(), proposal);
        });
    }

    @POST
    @Path("holds")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response placeHold(@FormParam("csrf") String csrf, @FormParam("tenant") String tenant,
            @FormParam("actorId") String actorId, @FormParam("resourceType") String resourceType,
            @FormParam("resourceId") String resourceId, @FormParam("actionPattern") String actionPattern,
            @FormParam("from") String from, @FormParam("to") String to,
            @FormParam("caseReference") String caseReference, @FormParam("reason") String reason) {
        return page.run(() -> {
            page.checkForm(csrf);
            LegalHoldChange placed = holds.place(new LegalHoldSubmission(blank(tenant), blank(actorId),
                    blank(resourceType), blank(resourceId), blank(actionPattern), blank(from), blank(to),
                    blank(caseReference), blank(reason)).toCommand(session.caller()));
            return back(placed.hold().tenant(), "hold-placed", null, null);
        });
    }

    @POST
    @Path("holds/{id}/release")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response releaseHold(@PathParam("id") String id, @FormParam("csrf") String csrf,
            @FormParam("reason") String reason) {
        return page.run(() -> {
            page.checkForm(csrf);
            LegalHoldChange released = holds.release(new ReleaseLegalHoldCommand(session.caller(), HoldId.parse(id),
                    blank(reason)));
            return back(released.hold().tenant(), "hold-released", null, null);
        });
    }

    /** Post/redirect/get: back to the tenant's retention page, naming what was done. */
    private static Response back(TenantId tenant, String notice, String policy, UUID proposal) {
        StringBuilder target = new StringBuilder("/console/retention?tenant=")
                .append(URLEncoder.encode(tenant.value(), StandardCharsets.UTF_8)).append("&notice=").append(notice);
        if (policy != null) {
            target.append("&policy=").append(URLEncoder.encode(policy, StandardCharsets.UTF_8));
        }
        if (proposal != null) {
            target.append("&proposal=").append(proposal);
        }
        if (notice.startsWith("hold-")) {
            target.append("&holds=").append(notice.equals("hold-released") ? "all" : "active");
        }
        return Response.seeOther(URI.create(target.toString())).build();
    }

    private static String describe(HoldCriteria criteria) {
        if (criteria.isWholeTenant()) {
            return "the whole tenant";
        }
        List<String> parts = new ArrayList<>();
        if (criteria.actorId() != null) {
            parts.add("actor " + criteria.actorId());
        }
        if (criteria.actionPattern() != null) {
            parts.add("action " + criteria.actionPattern());
        }
        if (criteria.resourceType() != null) {
            parts.add("resource type " + criteria.resourceType());
        }
        if (criteria.resourceId() != null) {
            parts.add("resource id " + criteria.resourceId());
        }
        if (criteria.from() != null) {
            parts.add("from " + time(criteria.from()));
        }
        if (criteria.to() != null) {
            parts.add("before " + time(criteria.to()));
        }
        return String.join(", ", parts);
    }

    private static String orAny(String value) {
        return value == null ? "any" : value;
    }

    private static String time(Instant instant) {
        return instant == null ? null : Timestamps.format(instant);
    }

    private static String blank(String value) {
        return ReportForm.blankToNull(value);
    }
}
