package io.stenographer.application.port.in;

/** The tile or bundle is not in the tree of the latest signed checkpoint (yet, or at this width). */
public class TileNotFound extends RuntimeException {

    public TileNotFound(String message) {
        super(message);
    }
}
