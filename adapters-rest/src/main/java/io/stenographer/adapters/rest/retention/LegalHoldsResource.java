package io.stenographer.adapters.rest.retention;

import io.stenographer.adapters.rest.json.StrictJson;
import io.stenographer.adapters.rest.problem.ProblemResponse;
import io.stenographer.application.port.in.RequestParameters;
import io.stenographer.adapters.rest.security.CurrentCaller;
import io.stenographer.application.port.in.LegalHoldChange;
import io.stenographer.application.port.in.LegalHoldQuery;
import io.stenographer.application.port.in.LegalHoldSubmission;
import io.stenographer.application.port.in.LegalHoldsQuery;
import io.stenographer.application.port.in.ManageLegalHoldsUseCase;
import io.stenographer.application.port.in.ReleaseLegalHoldCommand;
import io.stenographer.domain.access.Caller;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.retention.HoldId;
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

/**
 * Legal holds: while a hold is active, nothing it covers leaves the hot store or is deleted from the archive.
 * Holds of a tenant the token does not grant answer 404, so ids cannot be used to probe.
 */
@Path("/api/v1/legal-holds")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "retention")
@SecurityRequirement(name = "bearer")
public class LegalHoldsResource {

    /** Policy and hold requests are small; anything above this is refused before parsing. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    private final ManageLegalHoldsUseCase holds;
    private final CurrentCaller currentCaller;

    LegalHoldsResource(ManageLegalHoldsUseCase holds, CurrentCaller currentCaller) {
        this.holds = holds;
        this.currentCaller = currentCaller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed("compliance-admin")
    @Operation(summary = "Place a legal hold",
            description = "Covers the tenant's events matching every given criterion (none: the whole tenant); the "
                    + "time range is on occurredAt, from inclusive, to exclusive. Recorded as a legal-hold.placed event.")
    @RequestBody(content = @Content(schema = @Schema(implementation = LegalHoldRequest.class)))
    @APIResponse(responseCode = "201", description = "Placed",
            content = @Content(schema = @Schema(implementation = LegalHoldResponse.class)))
    @APIResponse(responseCode = "400", description = "Invalid hold", content = @Content(
            mediaType = ProblemResponse.MEDIA_TYPE, schema = @Schema(implementation = ProblemResponse.class)))
    public Response place(byte[] body) {
        Caller caller = currentCaller.get();
        LegalHoldRequest request = StrictJson.readObject(body, MAX_BODY_BYTES, LegalHoldRequest.class);
        LegalHoldChange placed = holds.place(new LegalHoldSubmission(request.tenant(), request.actorId(),
                request.resourceType(), request.resourceId(), request.actionPattern(), request.from(), request.to(),
                request.caseReference(), request.reason()).toCommand(caller));
        return Response.created(URI.create("/api/v1/legal-holds/" + placed.hold().id()))
                .entity(LegalHoldResponse.from(placed))
                .build();
    }

    @GET
    @RolesAllowed({"auditor", "compliance-admin"})
    @Operation(summary = "A tenant's legal holds, oldest first")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = LegalHoldResponse.class,
            type = SchemaType.ARRAY)))
    public List<LegalHoldResponse> list(
            @Parameter(required = true) @QueryParam("tenant") String tenant,
            @Parameter(description = "active (default), released or all",
                    schema = @Schema(type = SchemaType.STRING, enumeration = {"active", "released", "all"}))
            @QueryParam("status") String status) {
        TenantId tenantId = RequestParameters.requiredTenant(tenant);
        return holds.list(new LegalHoldsQuery(currentCaller.get(), tenantId, LegalHoldsQuery.Status.parse(status)))
                .stream().map(LegalHoldResponse::from).toList();
    }

    @GET
    @Path("{id}")
    @RolesAllowed({"auditor", "compliance-admin"})
    @Operation(summary = "One legal hold", description = "Holds of tenants the token does not grant answer 404.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = LegalHoldResponse.class)))
    @APIResponse(responseCode = "404", description = "No such hold visible to the caller")
    public LegalHoldResponse get(@PathParam("id") String id) {
        return LegalHoldResponse.from(holds.get(new LegalHoldQuery(currentCaller.get(), HoldId.parse(id))));
    }

    @POST
    @Path("{id}/release")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed("compliance-admin")
    @Operation(summary = "Release a legal hold",
            description = "A hold is released once; the release is recorded beside the hold, which stays readable. "
                    + "Recorded as a legal-hold.released event.")
    @RequestBody(content = @Content(schema = @Schema(implementation = LegalHoldReleaseRequest.class)))
    @APIResponse(responseCode = "200", description = "Released",
            content = @Content(schema = @Schema(implementation = LegalHoldResponse.class)))
    @APIResponse(responseCode = "404", description = "No such hold visible to the caller")
    @APIResponse(responseCode = "409", description = "Already released")
    public LegalHoldResponse release(@PathParam("id") String id, byte[] body) {
        Caller caller = currentCaller.get();
        HoldId holdId = HoldId.parse(id);
        LegalHoldReleaseRequest request = StrictJson.readObject(body, MAX_BODY_BYTES,
                LegalHoldReleaseRequest.class);
        return LegalHoldResponse.from(holds.release(new ReleaseLegalHoldCommand(caller, holdId, request.reason())));
    }
}
