package io.stenographer.bootstrap.security;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import static io.restassured.RestAssured.given;
import static io.stenographer.bootstrap.security.Attack.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An anonymous caller looks for Quarkus' dev-mode tools, which list beans, classes and configuration. Outside dev
 * mode they are absent: 404 problem, with nothing of the listing. (The packaged jar is checked by
 * {@link DevEndpointsAbsentIT}.)
 */
@QuarkusTest
class DevEndpointsAttackTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/q/arc", "/q/arc/beans", "/q/arc/observers", "/q/arc/removed-beans", "/q/dev-ui",
            "/q/dev-ui/configuration-form-editor", "/q/dev", "/q/dev-v1", "/q/console"})
    void devModeEndpointIsAbsent(String path) {
        Response response = given().when().get(path);
        assertProblem(response, 404, "not-found", null);
        assertThat(response.asString()).doesNotContain("io.stenographer").doesNotContain("ApplicationScoped");
    }
}
