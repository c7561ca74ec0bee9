package io.stenographer.adapters.streaming;

import io.stenographer.adapters.streaming.TargetAddressGuard.TargetRefused;
import io.stenographer.application.port.out.SendStreamRecordsPort.Delivered;
import io.stenographer.application.port.out.SendStreamRecordsPort.Failed;
import io.stenographer.application.port.out.SendStreamRecordsPort.Gone;
import io.stenographer.application.port.out.SendStreamRecordsPort.Outcome;
import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.json.JsonArray;
import io.stenographer.domain.json.JsonNumber;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonParser;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import io.stenographer.domain.sink.HostPort;
import io.stenographer.domain.sink.Sink;
import io.stenographer.domain.sink.SinkMessages;
import io.stenographer.domain.sink.SinkTarget;
import io.stenographer.domain.sink.StreamBatch;
import io.stenographer.domain.sink.WebhookSecret;
import io.stenographer.domain.stream.StreamLine;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocket;

/**
 * Delivers a batch as one HTTPS POST, signed per the Standard Webhooks specification (docs/STREAMING.md).
 *
 * <ul>
 *   <li>Body: the canonical (RFC 8785) JSON object of {@link #body}, built from the batch alone, so every retry of a
 *       batch sends the same bytes.</li>
 *   <li>{@code webhook-id}: the batch's message id, the same on every retry (the receiver's idempotency key);
 *       {@code webhook-timestamp}: this attempt's Unix seconds; {@code webhook-signature}: one signature per secret,
 *       space-separated, over {@code id.timestamp.body} ({@code v1} HMAC-SHA256, {@code v1a} Ed25519).</li>
 *   <li>Outcome: 2xx is {@link Delivered}; 410 is {@link Gone} (the sink is disabled); anything else, a timeout, a
 *       TLS failure or a refusal by the guard is {@link Failed}. Redirects are not followed.</li>
 * </ul>
 *
 * <p>The HTTP/1.1 client is minimal on purpose: it connects to an address the guard returned, so the address
 * checked is the address reached, which a general-purpose client that resolves names itself cannot promise. One
 * request per connection ({@code Connection: close}); the response's status line and headers are read (at most
 * {@value #MAX_RESPONSE_HEAD_BYTES} bytes) and its body ignored.
 */
public final class WebhookSender implements TransportSender {

    public static final int MAX_RESPONSE_HEAD_BYTES = 64 * 1024;
    /** The body's {@code type}, per the specification's payload recommendation. */
    public static final String BATCH_TYPE = "stenographer.stream.batch";

    private static final byte[] ED25519_PKCS8_PREFIX = HexFormat.of().parseHex("302e020100300506032b657004220420");
    private static final int MAX_NESTING = 64;

    private final TargetConnector connector;
    private final Clock clock;

    public WebhookSender(TargetAddressGuard guard, StreamTls tls, ConnectionTimeouts timeouts, Clock clock) {
        this(guard, tls, timeouts, clock, SocketFactory.getDefault());
    }

    /** With the factory of the plain sockets, which tests use to see every address connected to. */
    public WebhookSender(TargetAddressGuard guard, StreamTls tls, ConnectionTimeouts timeouts, Clock clock,
            SocketFactory sockets) {
        this.connector = new TargetConnector(guard, tls, sockets, timeouts);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Outcome send(Sink sink, List<WebhookSecret> secrets, StreamBatch batch) {
        if (!(sink.target() instanceof SinkTarget.Webhook webhook)) {
            throw new IllegalArgumentException("not a webhook sink: " + sink.target().transport().wireName());
        }
        HostPort address = webhook.address();
        String where = "webhook " + address;
        if (secrets.isEmpty()) {
            return new Failed(where + ": the sink has no signing secret, and webhooks are always signed");
        }
        byte[] body = body(sink, batch);
        long timestamp = clock.instant().getEpochSecond();
        byte[] request;
        try {
            request = request(webhook.url(), address, batch.messageId(), timestamp,
                    signatures(secrets, batch.messageId(), timestamp, body), body);
        } catch (GeneralSecurityException e) {
            return new Failed(where + ": cannot sign (" + e.getClass().getSimpleName() + ")");
        }
        int status;
        try (TargetConnector.Attempt attempt = connector.attempt()) {
            SSLSocket connection;
            try {
                connection = connector.open(address, attempt);
            } catch (TargetRefused e) {
                return new Failed(where + ": refused by the SSRF guard: " + e.getMessage());
            } catch (IOException e) {
                return new Failed(where + ": " + e.getMessage());
            }
            try (SSLSocket socket = connection) {
                OutputStream out = socket.getOutputStream();
                out.write(request);
                out.flush();
                status = readStatus(new BufferedInputStream(socket.getInputStream()));
            } catch (IOException e) {
                return new Failed(where + ": " + attempt.describe(e));
            }
        }
        if (status >= 200 && status <= 299) {
            return new Delivered();
        }
        if (status == 410) {
            return new Gone(where + " answered 410 Gone: the receiver wants no more deliveries");
        }
        if (status >= 300 && status <= 399) {
            return new Failed(where + " answered " + status + ": redirects are not followed, update the sink's URL");
        }
        return new Failed(where + " answered " + status);
    }

    /**
     * The body of a batch: {@code {"format", "fromIndex", "messageId", "records", "tenant", "toIndex", "type"}} in
     * canonical JSON. {@code records} holds each line of the batch as a JSON value, in the sink's format (event
     * records native or OCSF; the checkpoint record, when there is one, last and always native).
     */
    public static byte[] body(Sink sink, StreamBatch batch) {
        SinkMessages messages = SinkMessages.of(sink);
        List<JsonValue> records = new ArrayList<>();
        for (StreamLine line : batch.lines()) {
            String text = messages.render(line);
            // Parsed back so the records are exactly the rendered lines; a CEF line (never sent to webhooks) as text.
            records.add(messages.isJson(line) ? JsonParser.parse(text, MAX_NESTING) : new JsonString(text));
        }
        Map<String, JsonValue> members = new LinkedHashMap<>();
        members.put("type", new JsonString(BATCH_TYPE));
        members.put("messageId", new JsonString(batch.messageId()));
        members.put("tenant", new JsonString(batch.tenant()));
        members.put("format", new JsonString(sink.format().wireName()));
        members.put("fromIndex", new JsonNumber(batch.fromIndex()));
        members.put("toIndex", new JsonNumber(batch.toIndex()));
        members.put("records", new JsonArray(records));
        return CanonicalJson.canonicalBytes(new JsonObject(members));
    }

    /** The {@code webhook-signature} value: one {@code scheme,base64} per secret, space-separated. */
    static String signatures(List<WebhookSecret> secrets, String messageId, long timestamp, byte[] body)
            throws GeneralSecurityException {
        byte[] prefix = (messageId + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
        byte[] signed = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, signed, 0, prefix.length);
        System.arraycopy(body, 0, signed, prefix.length, body.length);
        List<String> signatures = new ArrayList<>();
        for (WebhookSecret secret : secrets) {
            byte[] key = secret.key();
            byte[] signature;
            if (secret.scheme() == WebhookSecret.Scheme.V1) {
                Mac hmac = Mac.getInstance("HmacSHA256");
                hmac.init(new SecretKeySpec(key, "HmacSHA256"));
                signature = hmac.doFinal(signed);
            } else {
                byte[] pkcs8 = new byte[ED25519_PKCS8_PREFIX.length + key.length];
                System.arraycopy(ED25519_PKCS8_PREFIX, 0, pkcs8, 0, ED25519_PKCS8_PREFIX.length);
                System.arraycopy(key, 0, pkcs8, ED25519_PKCS8_PREFIX.length, key.length);
                PrivateKey privateKey = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
                Signature ed25519 = Signature.getInstance("Ed25519");
                ed25519.initSign(privateKey);
                ed25519.update(signed);
                signature = ed25519.sign();
                Arrays.fill(pkcs8, (byte) 0);
            }
            Arrays.fill(key, (byte) 0);
            signatures.add(secret.scheme().signaturePrefix() + "," + Base64.getEncoder().encodeToString(signature));
        }
        return String.join(" ", signatures);
    }

    private static byte[] request(URI url, HostPort address, String messageId, long timestamp, String signature,
            byte[] body) {
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        if (url.getRawQuery() != null) {
            path += "?" + url.getRawQuery();
        }
        String host = address.host().contains(":") ? "[" + address.host() + "]" : address.host();
        String head = "POST " + path + " HTTP/1.1\r\n"
                + "Host: " + host + (address.port() == 443 ? "" : ":" + address.port()) + "\r\n"
                + "User-Agent: Stenographer\r\n"
                + "Content-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "Connection: close\r\n"
                + "webhook-id: " + messageId + "\r\n"
                + "webhook-timestamp: " + timestamp + "\r\n"
                + "webhook-signature: " + signature + "\r\n"
                + "\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        byte[] request = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, request, 0, headBytes.length);
        System.arraycopy(body, 0, request, headBytes.length, body.length);
        return request;
    }

    /** The final status code: reads response heads (skipping 1xx interim ones), never the body. */
    static int readStatus(InputStream in) throws IOException {
        int total = 0;
        while (true) {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0; // of "\r\n\r\n"
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("the connection closed before a complete response head");
                }
                if (++total > MAX_RESPONSE_HEAD_BYTES) {
                    throw new IOException("the response head is longer than " + MAX_RESPONSE_HEAD_BYTES + " bytes");
                }
                head.write(b);
                matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            String text = head.toString(StandardCharsets.ISO_8859_1);
            String statusLine = text.substring(0, text.indexOf("\r\n"));
            // HTTP-version SP 3DIGIT SP [reason]
            if (!statusLine.matches("HTTP/1\\.[01] [1-5][0-9][0-9]( .*)?")) {
                throw new IOException("not an HTTP/1.1 response");
            }
            int status = Integer.parseInt(statusLine.substring(9, 12));
            if (status >= 200 || status == 101) {
                return status;
            }
        }
    }
}
