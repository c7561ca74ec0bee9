package io.stenographer.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client-credentials helper against a token endpoint of the test's own. */
class ClientCredentialsTokensTest {

    private final AtomicInteger issued = new AtomicInteger();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private final HttpServer server;
    private Instant now = Instant.parse("2026-12-06T10:00:00Z");

    ClientCredentialsTokensTest() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/token", exchange -> {
            try (exchange) {
                requests.add(exchange.getRequestHeaders().getFirst("Authorization") + " "
                        + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                byte[] body = (status == 200
                        ? "{\"access_token\":\"token-" + issued.incrementAndGet() + "\",\"expires_in\":300}"
                        : "{\"error\":\"invalid_client\",\"echo\":\"s3cret\"}").getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(status, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private ClientCredentialsTokens tokens() {
        Clock clock = new Clock() {
            @Override
            public Instant instant() {
                return now;
            }

            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }
        };
        return ClientCredentialsTokens.of(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/token"),
                "portal", "s3cret", clock);
    }

    @Test
    void aTokenIsReusedUntilShortlyBeforeItExpiresThenFetchedAgain() {
        ClientCredentialsTokens tokens = tokens();

        assertThat(tokens.get()).isEqualTo("token-1");
        now = now.plus(Duration.ofSeconds(269));
        assertThat(tokens.get()).isEqualTo("token-1");
        now = now.plus(Duration.ofSeconds(1)); // 30 s before the 300 s expiry
        assertThat(tokens.get()).isEqualTo("token-2");
        assertThat(requests).hasSize(2).allMatch(request -> request.equals("Basic cG9ydGFsOnMzY3JldA== "
                + "grant_type=client_credentials"));
    }

    @Test
    void aRefusalSaysWhoWasRefusedButNeverRepeatsTheSecret() {
        status = 401;
        assertThatThrownBy(() -> tokens().get()).isInstanceOf(AuditClientException.class)
                .hasMessageContaining("portal").hasMessageContaining("401").hasMessageNotContaining("s3cret");
    }
}
