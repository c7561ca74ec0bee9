package io.stenographer.adapters.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.stenographer.domain.event.FieldViolation;
import org.junit.jupiter.api.Test;

/** Error pages say what the API's problem answers say, and withhold what the API withholds. */
class ConsoleProblemTest {

    @Test
    void aFieldViolationNamesTheFieldAndWhy() {
        ConsoleProblem problem = ConsoleProblem.of(new FieldViolation("from", "must be an RFC 3339 timestamp"));
        assertThat(problem.status()).isEqualTo(400);
        assertThat(problem.detail()).isEqualTo("from must be an RFC 3339 timestamp");
    }

    @Test
    void anUnexplainedIllegalArgumentIsStillBadInputButItsMessageIsNotShown() {
        ConsoleProblem problem = ConsoleProblem.of(
                new IllegalArgumentException("unexpected value 'Dana Doe, 198.51.100.7' in actor.displayName"));
        assertThat(problem.status()).isEqualTo(400);
        assertThat(problem.title()).isEqualTo("The request is not valid");
        assertThat(problem.detail()).doesNotContain("Dana Doe", "198.51.100.7", "actor.displayName");
    }

    @Test
    void aFaultIsA500UnderAnIncidentIdWithoutItsMessage() {
        ConsoleProblem problem = ConsoleProblem.of(new IllegalStateException("connection to 10.0.0.5:5432 refused"));
        assertThat(problem.status()).isEqualTo(500);
        assertThat(problem.detail()).startsWith("The server could not answer. Incident ").doesNotContain("10.0.0.5");
    }
}
