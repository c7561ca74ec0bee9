package io.stenographer.application.port.in;

import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.tiles.TilePath;
import java.util.Optional;

/**
 * The tenant's log as C2SP tlog-tiles: hash tiles and entry bundles, for any tlog-tiles client. A tile or bundle
 * holds the same bytes for good once it exists at its width, partial ones included.
 */
public interface ReadTilesUseCase {

    /** For the tenant's auditors. */
    byte[] read(TileQuery query);

    /** For anyone, when the tenant made its hash tiles public; empty otherwise (and always for entry bundles). */
    Optional<byte[]> readPublic(TenantId tenant, TilePath path);
}
