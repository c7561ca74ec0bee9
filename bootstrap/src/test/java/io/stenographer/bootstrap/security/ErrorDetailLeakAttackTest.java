package io.stenographer.bootstrap.security;

import io.stenographer.adapters.rest.problem.ProblemMapper;
import io.stenographer.adapters.rest.problem.ProblemResponse;
import io.stenographer.domain.event.FieldViolation;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A caller provokes errors hoping their details echo internals or someone else's data. Only messages written for
 * clients (a {@link FieldViolation}) reach the answer; any other broken invariant gets a generic detail. (Malformed
 * JSON described without Jackson's class and feature names: {@link BadBodyAttackTest}.)
 */
class ErrorDetailLeakAttackTest {

    private final ProblemMapper mapper = new ProblemMapper();

    @Test
    void illegalArgumentWithoutAClientMessageIsNotEchoed() {
        Response response = mapper.illegalArgument(new IllegalArgumentException(
                "policy 'x' appears twice; event {\"actor\":\"alice\",\"ssn\":\"123-45-6789\"} at com.example.Internal"));
        ProblemResponse problem = (ProblemResponse) response.getEntity();

        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(problem.type()).isEqualTo("urn:stenographer:problem:validation-failed");
        assertThat(problem.detail()).doesNotContain("123-45-6789").doesNotContain("alice")
                .doesNotContain("com.example").doesNotContain("appears twice");
    }

    @Test
    void fieldViolationKeepsItsClientMessageAndField() {
        Response response = mapper.fieldViolation(new FieldViolation("actor.id", "is required"));
        ProblemResponse problem = (ProblemResponse) response.getEntity();

        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(problem.field()).isEqualTo("actor.id");
        assertThat(problem.detail()).isEqualTo("actor.id: is required");
    }
}
