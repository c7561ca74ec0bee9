package io.stenographer.bootstrap.security;

import io.stenographer.bootstrap.support.Api;
import io.stenographer.bootstrap.support.OidcStub;
import io.stenographer.testing.ServiceProcess;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import static io.stenographer.bootstrap.support.Api.describe;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged jar (prod profile), as users run it: an anonymous caller finds none of Quarkus' dev-mode tools
 * (Dev UI, the ArC bean and observer listings), which would list beans, classes and configuration without a token.
 */
class DevEndpointsAbsentIT {

    private static final List<String> DEV_ONLY = List.of("/q/arc", "/q/arc/beans", "/q/arc/observers",
            "/q/arc/removed-beans", "/q/dev-ui", "/q/dev-ui/", "/q/dev-ui/configuration-form-editor", "/q/dev",
            "/q/dev-v1", "/q/console");

    @Test
    void devModeEndpointsAreAbsentFromThePackagedService() throws IOException {
        Path data = Files.createTempDirectory(Path.of("target"), "dev-endpoints-");
        try (OidcStub oidc = OidcStub.start();
                ServiceProcess service = ServiceProcess.builder(data).name("dev-endpoints")
                        .env(oidc.serviceEnvironment())
                        .env("STENOGRAPHER_GENERATE_SIGNING_KEY", "true")
                        .start()) {
            Api api = new Api(service.baseUri());
            for (String path : DEV_ONLY) {
                HttpResponse<String> answer = api.get(path, null);
                assertThat(answer.statusCode()).as(path + ": " + describe(answer)).isEqualTo(404);
                assertThat(answer.headers().firstValue("Content-Type").orElse(""))
                        .as(path).startsWith("application/problem+json");
                assertThat(answer.body()).as(path).doesNotContain("io.stenographer").doesNotContain("beanClass");
            }
            // The documented public surface is still there.
            assertThat(api.get("/q/health/live", null).statusCode()).isEqualTo(200);
            assertThat(api.get("/q/openapi", null).statusCode()).isEqualTo(200);
        }
    }
}
