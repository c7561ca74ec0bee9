package io.stenographer.adapters.rest.logs;

import io.stenographer.adapters.rest.security.CurrentCaller;
import io.stenographer.application.port.in.ReadTilesUseCase;
import io.stenographer.application.port.in.TileQuery;
import io.stenographer.domain.event.FieldViolation;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.tiles.TilePath;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The log as c2sp.org/tlog-tiles, under the same prefix as its {@code checkpoint}. */
@Path("/api/v1/logs/{tenant}/tile")
@Tag(name = "logs")
public class TilesResource {

    /** A tile or bundle never changes once it exists at its width; "private" because reading it needs a token. */
    static final String IMMUTABLE = "private, max-age=31536000, immutable";

    private final ReadTilesUseCase tiles;
    private final CurrentCaller currentCaller;

    TilesResource(ReadTilesUseCase tiles, CurrentCaller currentCaller) {
        this.tiles = tiles;
        this.currentCaller = currentCaller;
    }

    @GET
    @Path("{path: .+}")
    @RolesAllowed("auditor")
    @SecurityRequirement(name = "bearer")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @Operation(summary = "A hash tile or entry bundle (C2SP tlog-tiles)",
            description = "tile/<L>/<N>[.p/<W>]: hashes of tree level 8L; tile/entries/<N>[.p/<W>]: the sealed "
                    + "events' canonical bytes, each behind a 16-bit length (an empty entry marks one longer than "
                    + "65,535 bytes; read it from the event API). Only tiles inside the latest checkpoint exist. "
                    + "Reading entries is recorded as an audit.entries-read event. See docs/FORMATS.md, Tiles.")
    public Response tile(@PathParam("tenant") String tenant, @PathParam("path") String path) {
        TilePath parsed;
        try {
            parsed = TilePath.parse("tile/" + path);
        } catch (IllegalArgumentException e) {
            throw new FieldViolation("path", e.getMessage());
        }
        byte[] bytes = tiles.read(new TileQuery(currentCaller.get(), new TenantId(tenant), parsed));
        return Response.ok(bytes, MediaType.APPLICATION_OCTET_STREAM).header("Cache-Control", IMMUTABLE).build();
    }
}
