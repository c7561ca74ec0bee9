package io.stenographer.application.port.in;

/**
 * The tenant's log as C2SP tlog-tiles: hash tiles and entry bundles, for any tlog-tiles client. A tile or bundle
 * holds the same bytes for good once it exists at its width, partial ones included.
 */
public interface ReadTilesUseCase {

    byte[] read(TileQuery query);
}
