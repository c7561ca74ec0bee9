package io.stenographer.adapters.rest.privacy;

import io.stenographer.adapters.rest.json.StrictJson;
import io.stenographer.adapters.rest.problem.ProblemResponse;
import io.stenographer.application.port.in.RequestParameters;
import io.stenographer.adapters.rest.security.CurrentCaller;
import io.stenographer.application.port.in.EraseSubjectCommand;
import io.stenographer.application.port.in.EraseSubjectUseCase;
import io.stenographer.application.port.in.EraseSubjectUseCase.ErasureOutcome;
import io.stenographer.application.port.in.SubjectErasuresQuery;
import io.stenographer.domain.access.Caller;
import io.stenographer.domain.event.TenantId;
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
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Erasure of a data subject's personal data by crypto-shredding (docs/PRIVACY.md). The subject is named in the path
 * as the tenant's data policy names it (by default the actor id); responses name it only by its blind index.
 */
@Path("/api/v1/subjects/{subjectId}/erasures")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "privacy")
@SecurityRequirement(name = "bearer")
public class SubjectErasuresResource {

    static final int MAX_BODY_BYTES = 8 * 1024;

    private final EraseSubjectUseCase erasures;
    private final CurrentCaller currentCaller;

    SubjectErasuresResource(EraseSubjectUseCase erasures, CurrentCaller currentCaller) {
        this.erasures = erasures;
        this.currentCaller = currentCaller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed("compliance-admin")
    @Operation(summary = "Erase a data subject's personal data",
            description = "Destroys the subject's data keys and deletes the values and openings they encrypt, and "
                    + "appends a subject.erased event naming the subject by its blind index. Leaves, proofs and "
                    + "checkpoints are untouched. Idempotent: with nothing left to erase, the earlier erasure is "
                    + "returned with 200.")
    @RequestBody(content = @Content(schema = @Schema(implementation = ErasureRequest.class)))
    @APIResponse(responseCode = "201", description = "Erased",
            content = @Content(schema = @Schema(implementation = ErasureResponse.class)))
    @APIResponse(responseCode = "200", description = "Erased before; nothing was left to erase",
            content = @Content(schema = @Schema(implementation = ErasureResponse.class)))
    @APIResponse(responseCode = "409", description = "An active legal hold covers the subject", content = @Content(
            mediaType = ProblemResponse.MEDIA_TYPE, schema = @Schema(implementation = ProblemResponse.class)))
    public Response erase(@PathParam("subjectId") String subjectId, byte[] body) {
        Caller caller = currentCaller.get();
        ErasureRequest request = StrictJson.readObject(body, MAX_BODY_BYTES, ErasureRequest.class);
        TenantId tenant = RequestParameters.requiredTenant(request.tenant());
        ErasureOutcome outcome = erasures.erase(new EraseSubjectCommand(caller, tenant, subjectId, request.reason()));
        return Response.status(outcome.created() ? Response.Status.CREATED : Response.Status.OK)
                .entity(ErasureResponse.from(outcome.erasure())).build();
    }

    @GET
    @RolesAllowed({"auditor", "compliance-admin"})
    @Operation(summary = "A data subject's erasures, oldest first")
    public List<ErasureResponse> list(@PathParam("subjectId") String subjectId,
            @Parameter(required = true) @QueryParam("tenant") String tenant) {
        return erasures.erasures(new SubjectErasuresQuery(currentCaller.get(), RequestParameters.requiredTenant(tenant),
                subjectId)).stream().map(ErasureResponse::from).toList();
    }
}
