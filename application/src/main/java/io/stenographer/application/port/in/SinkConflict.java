package io.stenographer.application.port.in;

/** The sink cannot make this change in its current state (e.g. replay from an index past retention). */
public class SinkConflict extends RuntimeException {

    public SinkConflict(String message) {
        super(message);
    }
}
