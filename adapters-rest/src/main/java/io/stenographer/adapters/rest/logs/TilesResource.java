package io.stenographer.adapters.rest.logs;

import io.stenographer.adapters.rest.security.CurrentCaller;
import io.stenographer.application.port.in.ReadTilesUseCase;
import io.stenographer.application.port.in.TileQuery;
import io.stenographer.domain.event.FieldViolation;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.tiles.TilePath;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.PermitAll;
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

    /** A tile or bundle never changes once it exists at its width; "private" when reading it needs a token. */
    static final String IMMUTABLE = "private, max-age=31536000, immutable";
    static final String PUBLIC_IMMUTABLE = "public, max-age=31536000, immutable";

    private final ReadTilesUseCase tiles;
    private final CurrentCaller currentCaller;
    private final SecurityIdentity identity;

    TilesResource(ReadTilesUseCase tiles, CurrentCaller currentCaller, SecurityIdentity identity) {
        this.tiles = tiles;
        this.currentCaller = currentCaller;
        this.identity = identity;
    }

    @GET
    @Path("{path: .+}")
    @PermitAll
    @SecurityRequirement(name = "bearer")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @Operation(summary = "A hash tile or entry bundle (C2SP tlog-tiles)",
            description = "tile/<L>/<N>[.p/<W>]: hashes of tree level 8L; tile/entries/<N>[.p/<W>]: the sealed "
                    + "events' canonical bytes, each behind a 16-bit length (an empty entry marks one longer than "
                    + "65,535 bytes; read it from the event API). Only tiles inside the latest checkpoint exist. "
                    + "Reading entries is recorded as an audit.entries-read event. Auditors of the tenant only, "
                    + "except hash tiles of a tenant that made them public (PUT .../visibility). See docs/FORMATS.md, "
                    + "\"Storage and reads\".")
    public Response tile(@PathParam("tenant") String tenant, @PathParam("path") String path) {
        TilePath parsed;
        try {
            parsed = TilePath.parse("tile/" + path);
        } catch (IllegalArgumentException e) {
            throw new FieldViolation("path", e.getMessage());
        }
        if (identity.isAnonymous()) {
            byte[] bytes = tiles.readPublic(new TenantId(tenant), parsed).orElseThrow(UnauthorizedException::new);
            return Response.ok(bytes, MediaType.APPLICATION_OCTET_STREAM).header("Cache-Control", PUBLIC_IMMUTABLE)
                    .build();
        }
        byte[] bytes = tiles.read(new TileQuery(currentCaller.get(), new TenantId(tenant), parsed));
        return Response.ok(bytes, MediaType.APPLICATION_OCTET_STREAM).header("Cache-Control", IMMUTABLE).build();
    }
}
