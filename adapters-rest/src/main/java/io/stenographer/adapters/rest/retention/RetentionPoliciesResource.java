package io.stenographer.adapters.rest.retention;

import io.stenographer.adapters.rest.json.StrictJson;
import io.stenographer.adapters.rest.problem.ProblemResponse;
import io.stenographer.application.port.in.RequestParameters;
import io.stenographer.adapters.rest.security.CurrentCaller;
import io.stenographer.application.port.in.ApproveShorteningCommand;
import io.stenographer.application.port.in.CreateRetentionPolicyCommand;
import io.stenographer.application.port.in.ManageRetentionPoliciesUseCase;
import io.stenographer.application.port.in.PolicyChange;
import io.stenographer.application.port.in.RetentionPoliciesQuery;
import io.stenographer.application.port.in.RetentionPolicySubmission;
import io.stenographer.application.port.in.RetentionPolicyVersionsQuery;
import io.stenographer.application.port.in.RetireRetentionPolicyCommand;
import io.stenographer.domain.access.Caller;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.retention.PolicyId;
import io.stenographer.domain.retention.RetentionPolicy;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Retention policies of a tenant: versions are created and retired, never edited (docs/RETENTION.md). */
@Path("/api/v1/retention-policies")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "retention")
@SecurityRequirement(name = "bearer")
public class RetentionPoliciesResource {

    /** Policy and hold requests are small; anything above this is refused before parsing. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    private final ManageRetentionPoliciesUseCase policies;
    private final CurrentCaller currentCaller;

    RetentionPoliciesResource(ManageRetentionPoliciesUseCase policies, CurrentCaller currentCaller) {
        this.policies = policies;
        this.currentCaller = currentCaller;
    }

    @GET
    @RolesAllowed({"auditor", "compliance-admin"})
    @Operation(summary = "The policies in force for a tenant",
            description = "The configured all-tenant policies (including the default) and the tenant's active "
                    + "policies, in precedence order: for an event, the first policy whose matcher matches it governs.")
    @APIResponse(responseCode = "200",
            content = @Content(schema = @Schema(implementation = RetentionPolicyListResponse.class)))
    public RetentionPolicyListResponse list(
            @Parameter(required = true) @QueryParam("tenant") String tenant) {
        TenantId tenantId = RequestParameters.requiredTenant(tenant);
        return RetentionPolicyListResponse.from(tenantId,
                policies.activePolicies(new RetentionPoliciesQuery(currentCaller.get(), tenantId)));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed("compliance-admin")
    @Operation(summary = "Create a new version of a tenant's policy",
            description = "Version 1 for a new id, otherwise the latest version + 1; a retired policy becomes active "
                    + "again with its next version. Recorded as a retention.policy.created event in the tenant's log. "
                    + "A new version governs segments archived after it; it never shortens a lock already set.")
    @RequestBody(content = @Content(schema = @Schema(implementation = RetentionPolicyRequest.class)))
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(schema = @Schema(implementation = RetentionPolicyResponse.class)))
    @APIResponse(responseCode = "202", description = "The version keeps records for less time than the active one: "
            + "it is stored once a different compliance admin approves it (four eyes)",
            content = @Content(schema = @Schema(implementation = ShorteningProposalResponse.class)))
    @APIResponse(responseCode = "400", description = "Invalid policy", content = @Content(
            mediaType = ProblemResponse.MEDIA_TYPE, schema = @Schema(implementation = ProblemResponse.class)))
    @APIResponse(responseCode = "409", description = "The id belongs to a configured policy, or a concurrent "
            + "change won")
    public Response create(byte[] body) {
        Caller caller = currentCaller.get();
        RetentionPolicyRequest request = StrictJson.readObject(body, MAX_BODY_BYTES,
                RetentionPolicyRequest.class);
        CreateRetentionPolicyCommand command = new RetentionPolicySubmission(request.id(), request.tenant(),
                request.actionPattern(), request.resourceType(), request.archiveAfter(), request.retainFor(),
                request.legalBasis()).toCommand(caller);
        PolicyChange change = policies.create(command);
        if (change.awaitingApproval().isPresent()) {
            return Response.accepted(ShorteningProposalResponse.from(change.proposal())).build();
        }
        return created(change.applied(), command.tenant());
    }

    @POST
    @Path("{id}/proposals/{proposalId}/approval")
    @RolesAllowed("compliance-admin")
    @Operation(summary = "Approve a proposal that shortens or retires a tenant's policy",
            description = "Four eyes: the approver must be a compliance admin of the tenant other than the proposer. "
                    + "A shortening proposal stores the proposed version (retention.policy.shortening-approved and "
                    + "retention.policy.created events); a retirement proposal retires the version it names "
                    + "(retention.policy.retirement-approved and retention.policy.retired events). No body.")
    @APIResponse(responseCode = "201", description = "The stored version (a shortening)",
            content = @Content(schema = @Schema(implementation = RetentionPolicyResponse.class)))
    @APIResponse(responseCode = "200", description = "The retired version (a retirement)",
            content = @Content(schema = @Schema(implementation = RetentionPolicyResponse.class)))
    @APIResponse(responseCode = "403", description = "The approver proposed it")
    @APIResponse(responseCode = "404", description = "No such proposal for the tenant's policy")
    @APIResponse(responseCode = "409", description = "Approved already, or the policy changed since the proposal")
    public Response approve(@PathParam("id") String id, @PathParam("proposalId") String proposalId,
            @Parameter(required = true) @QueryParam("tenant") String tenant) {
        TenantId tenantId = RequestParameters.requiredTenant(tenant);
        RetentionPolicy approved = policies.approve(new ApproveShorteningCommand(currentCaller.get(), tenantId,
                new PolicyId(id), RequestParameters.uuid("proposalId", proposalId)));
        if (!approved.isActive()) {
            return Response.ok(RetentionPolicyResponse.from(approved)).build();
        }
        return created(approved, tenantId);
    }

    private static Response created(RetentionPolicy policy, TenantId tenant) {
        return Response.created(URI.create("/api/v1/retention-policies/" + policy.id() + "?tenant=" + tenant))
                .entity(RetentionPolicyResponse.from(policy))
                .build();
    }

    @GET
    @Path("{id}")
    @RolesAllowed({"auditor", "compliance-admin"})
    @Operation(summary = "Every version of one policy, oldest first",
            description = "Retired versions show who retired them and when. A configured policy has one version.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = RetentionPolicyResponse.class,
            type = SchemaType.ARRAY)))
    @APIResponse(responseCode = "404", description = "No such policy for the tenant")
    public List<RetentionPolicyResponse> versions(@PathParam("id") String id,
            @Parameter(required = true) @QueryParam("tenant") String tenant) {
        TenantId tenantId = RequestParameters.requiredTenant(tenant);
        return policies.versions(new RetentionPolicyVersionsQuery(currentCaller.get(), tenantId,
                        new PolicyId(id)))
                .stream().map(RetentionPolicyResponse::from).toList();
    }

    @POST
    @Path("{id}/retirement")
    @RolesAllowed("compliance-admin")
    @Operation(summary = "Propose retiring a tenant's policy",
            description = "Retiring hands the policy's events to the next matching policy, which may keep them for "
                    + "less time, so it needs four eyes like shortening: this records a proposal "
                    + "(retention.policy.retirement-proposed event) and the latest version stays in force until a "
                    + "different compliance admin approves it at the 'approve' URL. No body.")
    @APIResponse(responseCode = "202", description = "The proposal, waiting for a second compliance admin",
            content = @Content(schema = @Schema(implementation = RetirementProposalResponse.class)))
    @APIResponse(responseCode = "404", description = "No such policy for the tenant")
    @APIResponse(responseCode = "409", description = "Already retired, or a configured policy")
    public Response retire(@PathParam("id") String id,
            @Parameter(required = true) @QueryParam("tenant") String tenant) {
        TenantId tenantId = RequestParameters.requiredTenant(tenant);
        return Response.accepted(RetirementProposalResponse.from(policies.retire(
                new RetireRetentionPolicyCommand(currentCaller.get(), tenantId, new PolicyId(id))))).build();
    }
}
