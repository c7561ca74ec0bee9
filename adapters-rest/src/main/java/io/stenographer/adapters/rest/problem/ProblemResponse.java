package io.stenographer.adapters.rest.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** RFC 9457 problem details, with the offending field where there is one. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProblemResponse(String type, String title, int status, String detail, String field,
        List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public record FieldError(String field, String detail) {
    }

    /** The stable slug of {@link #type()}, e.g. {@code validation-failed}, used as a metric tag. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public String slug() {
        return type.substring(type.lastIndexOf(':') + 1);
    }

    public static ProblemResponse of(ProblemType type, String detail) {
        return new ProblemResponse(type.uri(), type.title(), type.status(), detail, null, null);
    }

    public static ProblemResponse ofField(ProblemType type, String field, String detail) {
        return new ProblemResponse(type.uri(), type.title(), type.status(), field + ": " + detail, field,
                List.of(new FieldError(field, detail)));
    }
}
