package io.stenographer.bootstrap.security;

import io.quarkus.test.junit.QuarkusTest;
import io.stenographer.bootstrap.security.Attack.RawResponse;
import io.stenographer.bootstrap.support.TestTokens;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import static io.stenographer.bootstrap.security.Attack.assertProblem;
import static io.stenographer.bootstrap.security.Attack.storedBy;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests a client library would refuse to send, refused below JAX-RS (in the HTTP layer), still answered with
 * problem+json. Sent over a raw socket.
 */
@QuarkusTest
class HttpLayerAttackTest {

    private static final String WRITER = "http-attacker";
    private static final int THREE_MIB = 3 * 1024 * 1024;

    @Test
    void declaredContentLengthOverTheLimitIsA413Problem() {
        String tenant = Attack.tenant();
        RawResponse response = Attack.raw(post(tenant) + "Content-Length: " + THREE_MIB, new byte[0]);
        assertProblem(response.status(), response.contentType(), response.body(), 413, "payload-too-large", null);
        assertThat(storedBy(tenant, WRITER)).isZero();
    }

    @Test
    void chunkedBodyOverTheLimitIsA413Problem() {
        String tenant = Attack.tenant();
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) ' ');
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int sent = 0; sent < THREE_MIB; sent += chunk.length) {
            body.writeBytes((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            body.writeBytes(chunk);
            body.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        body.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        RawResponse response = Attack.raw(post(tenant) + "Transfer-Encoding: chunked", body.toByteArray());
        assertProblem(response.status(), response.contentType(), response.body(), 413, "payload-too-large", null);
        assertThat(storedBy(tenant, WRITER)).isZero();
    }

    @Test
    void uriOverTheLimitIsA414Problem() {
        RawResponse response = Attack.raw("GET /api/v1/events?actor=" + "a".repeat(10_000)
                + " HTTP/1.1\r\nHost: localhost", new byte[0]);
        assertProblem(response.status(), response.contentType(), response.body(), 414, "uri-too-long", null);
    }

    private static String post(String tenant) {
        return "POST /api/v1/events HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + TestTokens.writer(WRITER, tenant) + "\r\nContent-Type: application/json\r\n";
    }
}
