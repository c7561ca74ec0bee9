package io.stenographer.application.port.in;

import io.stenographer.domain.access.Caller;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.tiles.TilePath;
import java.util.Objects;

public record TileQuery(Caller caller, TenantId tenant, TilePath path) {

    public TileQuery {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(path, "path");
    }
}
