package io.stenographer.bootstrap.dev;

import io.quarkus.arc.profile.IfBuildProfile;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Demo tokens for the embedded default run only. The class exists solely in the dev build profile
 * ({@link IfBuildProfile}), so a production build has no token-minting endpoint at all. It asks the
 * OIDC Dev Services provider, whose port is random, for a token of one of the configured demo users.
 */
@IfBuildProfile("dev")
@Path("/dev/tokens")
public class DemoTokenResource {

    private static final Set<String> DEMO_USERS = Set.of("writer", "globex-writer", "auditor", "admin",
            "second-admin", "privacy-officer", "operator");
    private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");

    private final String authServerUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    DemoTokenResource(@ConfigProperty(name = "quarkus.oidc.auth-server-url") String authServerUrl) {
        this.authServerUrl = authServerUrl;
    }

    @GET
    @Path("{user}")
    @PermitAll
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(summary = "Dev only: a bearer token for a demo user (writer, globex-writer, auditor, admin, second-admin, privacy-officer, operator)")
    public String token(@PathParam("user") String user) throws IOException, InterruptedException {
        if (!DEMO_USERS.contains(user)) {
            throw new IllegalArgumentException("demo users are " + DEMO_USERS);
        }
        String form = "grant_type=password&client_id=quarkus-app&username="
                + URLEncoder.encode(user, StandardCharsets.UTF_8);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(authServerUrl + "/token"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher token = ACCESS_TOKEN.matcher(response.body());
        if (response.statusCode() != 200 || !token.find()) {
            throw new IllegalStateException("the OIDC dev provider did not issue a token");
        }
        return token.group(1);
    }
}
