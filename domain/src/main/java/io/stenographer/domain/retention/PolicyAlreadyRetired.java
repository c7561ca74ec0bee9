package io.stenographer.domain.retention;

/** A retired policy version cannot be retired again. */
public class PolicyAlreadyRetired extends RuntimeException {

    private final PolicyId id;
    private final int version;

    public PolicyAlreadyRetired(PolicyId id, int version) {
        super("retention policy '" + id + "' version " + version + " is already retired");
        this.id = id;
        this.version = version;
    }

    public PolicyId id() {
        return id;
    }

    public int version() {
        return version;
    }
}
