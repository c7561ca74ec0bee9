package io.stenographer.adapters.rest.logs;

import io.stenographer.adapters.rest.json.StrictJson;
import io.stenographer.adapters.rest.security.CurrentCaller;
import io.stenographer.application.port.in.ManageTileVisibilityUseCase;
import io.stenographer.application.port.in.ManageTileVisibilityUseCase.ChangeTileVisibilityCommand;
import io.stenographer.application.port.in.ManageTileVisibilityUseCase.TileVisibility;
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

/** Who may read the tenant's hash tiles: its auditors (the default) or anyone. */
@Path("/api/v1/logs/{tenant}/tile-visibility")
@Tag(name = "logs")
public class TileVisibilityResource {

    private final ManageTileVisibilityUseCase visibility;
    private final CurrentCaller currentCaller;

    TileVisibilityResource(ManageTileVisibilityUseCase visibility, CurrentCaller currentCaller) {
        this.visibility = visibility;
        this.currentCaller = currentCaller;
    }

    @Schema(name = "TileVisibility")
    public record TileVisibilityBody(
            @Schema(description = "true: anyone may read the hash tiles; false: the tenant's auditors only",
                    required = true) Boolean publicHashTiles) {
    }

    @Schema(name = "TileVisibilityStatus")
    public record TileVisibilityResponse(String tenant, boolean publicHashTiles, String changedBy,
            Instant changedAt) {

        static TileVisibilityResponse from(TileVisibility visibility) {
            return new TileVisibilityResponse(visibility.tenant().value(), visibility.publicHashTiles(),
                    visibility.changedBy(), visibility.changedAt());
        }
    }

    @GET
    @RolesAllowed({"auditor", "compliance-admin"})
    @SecurityRequirement(name = "bearer")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Whether the tenant's hash tiles are public")
    public TileVisibilityResponse get(@PathParam("tenant") String tenant) {
        return TileVisibilityResponse.from(visibility.visibility(currentCaller.get(), new TenantId(tenant)));
    }

    @PUT
    @RolesAllowed("compliance-admin")
    @SecurityRequirement(name = "bearer")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Make the tenant's hash tiles public, or private again",
            description = "Public level-0 tiles reveal every leaf hash by index, so anyone can confirm a guess of a "
                    + "field that a redacting public-records export withheld. Entry bundles are never public. A "
                    + "change is recorded as an audit.tile-visibility-changed event.")
    public TileVisibilityResponse change(@PathParam("tenant") String tenant, byte[] body) {
        TileVisibilityBody request = StrictJson.readObject(body, 1 << 10, TileVisibilityBody.class);
        if (request.publicHashTiles() == null) {
            throw new FieldViolation("publicHashTiles", "is required");
        }
        return TileVisibilityResponse.from(visibility.change(new ChangeTileVisibilityCommand(currentCaller.get(),
                new TenantId(tenant), request.publicHashTiles())));
    }
}
