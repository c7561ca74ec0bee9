package io.stenographer.domain.event;

/**
 * A broken event invariant, naming the offending field (dotted path, e.g. {@code actor.id}) so that
 * clients can be told exactly what to fix.
 */
public class FieldViolation extends IllegalArgumentException {

    private final String field;

    public FieldViolation(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }

    public String detail() {
        return getMessage().substring(field.length() + 2);
    }

    /** The same violation, nested under a parent path such as {@code events[3]}. */
    public FieldViolation under(String parent) {
        return new FieldViolation(parent + "." + field, detail());
    }
}
