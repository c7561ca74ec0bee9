package io.stenographer.adapters.rest.logs;

import io.stenographer.adapters.rest.json.StrictJson;
import io.stenographer.adapters.rest.security.CurrentCaller;
import io.stenographer.application.port.in.ManageLogVisibilityUseCase;
import io.stenographer.application.port.in.ManageLogVisibilityUseCase.ChangeLogVisibilityCommand;
import io.stenographer.application.port.in.ManageLogVisibilityUseCase.LogVisibility;
import io.stenographer.domain.event.FieldViolation;
import io.stenographer.domain.event.TenantId;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** What of the tenant's log anyone may read without a token: nothing (the default), its checkpoint, its hash tiles. */
@Path("/api/v1/logs/{tenant}/visibility")
@Tag(name = "logs")
public class LogVisibilityResource {

    private final ManageLogVisibilityUseCase visibility;
    private final CurrentCaller currentCaller;

    LogVisibilityResource(ManageLogVisibilityUseCase visibility, CurrentCaller currentCaller) {
        this.visibility = visibility;
        this.currentCaller = currentCaller;
    }

    @Schema(name = "LogVisibility")
    public record LogVisibilityBody(
            @Schema(description = "true: anyone may read the latest checkpoint and the key set; false: callers "
                    + "with a role on the tenant only", required = true) Boolean publicCheckpoint,
            @Schema(description = "true: anyone may read the hash tiles (needs publicCheckpoint true); false: the "
                    + "tenant's auditors only", required = true) Boolean publicHashTiles) {
    }

    @Schema(name = "LogVisibilityStatus")
    public record LogVisibilityResponse(String tenant, boolean publicCheckpoint, boolean publicHashTiles,
            String changedBy, Instant changedAt) {

        static LogVisibilityResponse from(LogVisibility visibility) {
            return new LogVisibilityResponse(visibility.tenant().value(), visibility.publicCheckpoint(),
                    visibility.publicHashTiles(), visibility.changedBy(), visibility.changedAt());
        }
    }

    @GET
    @RolesAllowed({"auditor", "compliance-admin"})
    @SecurityRequirement(name = "bearer")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Whether the tenant's checkpoint and hash tiles are public")
    public LogVisibilityResponse get(@PathParam("tenant") String tenant) {
        return LogVisibilityResponse.from(visibility.visibility(currentCaller.get(), new TenantId(tenant)));
    }

    @PUT
    @RolesAllowed("compliance-admin")
    @SecurityRequirement(name = "bearer")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Make the tenant's checkpoint and hash tiles public, or private again",
            description = "A public checkpoint lets witnesses and anyone watch the log without a token, and tells "
                    + "them that the tenant exists and how many events it holds. Public level-0 tiles also reveal "
                    + "every leaf hash by index, so anyone can confirm a guess of a field that a redacting "
                    + "public-records export withheld. Entry bundles are never public. A change is recorded as an "
                    + "audit.log-visibility-changed event.")
    public LogVisibilityResponse change(@PathParam("tenant") String tenant, byte[] body) {
        LogVisibilityBody request = StrictJson.readObject(body, 1 << 10, LogVisibilityBody.class);
        if (request.publicCheckpoint() == null) {
            throw new FieldViolation("publicCheckpoint", "is required");
        }
        if (request.publicHashTiles() == null) {
            throw new FieldViolation("publicHashTiles", "is required");
        }
        return LogVisibilityResponse.from(visibility.change(new ChangeLogVisibilityCommand(currentCaller.get(),
                new TenantId(tenant), request.publicCheckpoint(), request.publicHashTiles())));
    }
}
