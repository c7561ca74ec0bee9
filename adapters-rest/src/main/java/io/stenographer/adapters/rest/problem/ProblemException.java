package io.stenographer.adapters.rest.problem;

/** A request-level rejection decided in the REST adapter (body size, encoding, syntax). */
public class ProblemException extends RuntimeException {

    private final transient ProblemResponse problem;

    public ProblemException(ProblemResponse problem) {
        super(problem.detail());
        this.problem = problem;
    }

    public static ProblemException of(ProblemType type, String detail) {
        return new ProblemException(ProblemResponse.of(type, detail));
    }

    public static ProblemException ofField(ProblemType type, String field, String detail) {
        return new ProblemException(ProblemResponse.ofField(type, field, detail));
    }

    public ProblemResponse problem() {
        return problem;
    }
}
