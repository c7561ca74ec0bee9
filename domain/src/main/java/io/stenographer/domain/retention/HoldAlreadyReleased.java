package io.stenographer.domain.retention;

/** A legal hold is released once; a second release is refused. */
public class HoldAlreadyReleased extends RuntimeException {

    private final HoldId id;

    public HoldAlreadyReleased(HoldId id) {
        super("legal hold " + id + " is already released");
        this.id = id;
    }

    public HoldId id() {
        return id;
    }
}
