package io.stenographer.bootstrap.security;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.stenographer.bootstrap.support.Api;
import io.stenographer.bootstrap.support.EmbeddedPostgresTestResource;
import io.stenographer.bootstrap.support.TestTokens;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import static org.assertj.core.api.Assertions.assertThat;

/** What the attack tests share: raw HTTP for requests a client library refuses to send, and problem checks. */
final class Attack {

    static final String PROBLEM_JSON = "application/problem+json";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Attack() {
    }

    /** A fresh tenant per test, so "nothing was stored" is exact. */
    static String tenant() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return "atk-" + HexFormat.of().formatHex(bytes);
    }

    static void assertProblem(Response response, int status, String slug, String field) {
        assertProblem(response.statusCode(), response.contentType(), response.asString(), status, slug, field);
    }

    static void assertProblem(int actualStatus, String contentType, String body, int status, String slug,
            String field) {
        assertThat(actualStatus).as("status; body: %s", body).isEqualTo(status);
        assertThat(contentType).as("content type; body: %s", body).startsWith(PROBLEM_JSON);
        JsonNode problem = Api.parse(body);
        assertThat(problem.path("type").asText()).as(body).isEqualTo("urn:stenographer:problem:" + slug);
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        if (field != null) {
            assertThat(problem.path("field").asText()).as(body).isEqualTo(field);
        }
    }

    /**
     * Events a writer (a test token's subject) submitted to the tenant; ingest records {@code sub@issuer}. Searches
     * are recorded too, as the auditor's own audit.query events, which this does not count.
     */
    static long storedBy(String tenant, String subject) {
        try (Connection connection = EmbeddedPostgresTestResource.server().superuserConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT count(*) FROM audit_event WHERE tenant = ? AND submitted_by = ?")) {
            statement.setString(1, tenant);
            statement.setString(2, subject + "@" + TestTokens.ISSUER);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An HTTP/1.1 answer read off a raw socket. */
    record RawResponse(int status, Map<String, String> headers, String body) {

        String contentType() {
            return headers.getOrDefault("content-type", "");
        }
    }

    /**
     * Sends {@code head} (request line and headers, CRLF-separated, without the blank line) and {@code body} over a
     * plain socket and reads the answer; the connection is closed after one exchange.
     */
    static RawResponse raw(String head, byte[] body) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), RestAssured.port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write((head + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            try {
                out.write(body);
                out.flush();
            } catch (SocketException refusedMidway) {
                // The server may answer and close before the whole body is sent; its answer is still there.
            }
            return read(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static RawResponse read(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                all.write(buffer, 0, n);
            }
        } catch (SocketException reset) {
            // A reset after the answer: keep what arrived.
        }
        String text = all.toString(StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        assertThat(end).as("an HTTP answer, got: %s", text).isPositive();
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        String body = new String(text.substring(end + 4).getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(body);
        }
        return new RawResponse(status, headers, body);
    }

    private static String dechunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int pos = 0;
        while (pos < chunked.length()) {
            int lineEnd = chunked.indexOf("\r\n", pos);
            int size = Integer.parseInt(chunked.substring(pos, lineEnd).split(";")[0].trim(), 16);
            if (size == 0) {
                break;
            }
            out.append(chunked, lineEnd + 2, lineEnd + 2 + size);
            pos = lineEnd + 2 + size + 2;
        }
        return out.toString();
    }
}
