package io.stenographer.adapters.streaming;

import static org.assertj.core.api.Assertions.assertThat;

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
import io.stenographer.domain.sink.Sink;
import io.stenographer.domain.sink.SinkFormat;
import io.stenographer.domain.sink.SinkSettings;
import io.stenographer.domain.sink.SinkTarget;
import io.stenographer.domain.sink.StreamBatch;
import io.stenographer.domain.sink.WebhookSecret;
import io.stenographer.domain.stream.OcsfFormat;
import io.stenographer.domain.stream.StreamRecordFormat;
import io.stenographer.domain.stream.StreamVerification;
import io.stenographer.domain.stream.StreamVerifier;
import io.stenographer.testing.FreePorts;
import io.stenographer.testing.TestCertificates;
import io.stenographer.testing.WebhookReceiver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The webhook transport against a receiver that verifies Standard Webhooks signatures with its own code. */
class WebhookSenderTest {

    private static final StreamTestLog LOG = new StreamTestLog(12);
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path dir;
    private static TestCertificates.Server certificate;

    private final RecordingSockets sockets = new RecordingSockets();
    private final ResolvingAddressGuardTest.StubResolver resolver = new ResolvingAddressGuardTest.StubResolver()
            .answer("localhost", ResolvingAddressGuardTest.ip("127.0.0.1"))
            .answer("wrong-name.test", ResolvingAddressGuardTest.ip("127.0.0.1"))
            .answer("hooks.example.com", ResolvingAddressGuardTest.ip("10.0.0.5"));
    /** The tests' allow-list permits loopback explicitly, as a deployment never should. */
    private final ResolvingAddressGuard guard = new ResolvingAddressGuard(
            NetworkBlock.parseList("127.0.0.0/8,::1/128"), resolver);
    private final MutableClock clock = new MutableClock(Instant.now());
    private WebhookReceiver receiver;

    @BeforeAll
    static void certificates() {
        certificate = TestCertificates.create(dir.resolve("server"));
    }

    @AfterEach
    void stopReceiver() {
        if (receiver != null) {
            receiver.close();
        }
        assertThat(sockets.connects()).allMatch(address -> address.getAddress().isLoopbackAddress());
    }

    private static String hmacSecret() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    private static WebhookSecret secret(String text) {
        return WebhookSecret.parse("secrets", text);
    }

    private WebhookSender sender(StreamTls tls, Duration readTimeout) {
        return new WebhookSender(guard, tls, new ConnectionTimeouts(Duration.ofSeconds(5), readTimeout,
                Duration.ofSeconds(30)), clock, sockets);
    }

    private WebhookSender sender() {
        return sender(StreamTls.withExtraCertificates(List.of(certificate.certificatePem())), Duration.ofSeconds(10));
    }

    private Sink sink(String url, SinkFormat format, List<WebhookSecret> secrets) {
        return LOG.sink(SinkTarget.Webhook.parse(url), format, SinkSettings.DEFAULTS, secrets);
    }

    @Test
    void anHmacSignedBatchIsDeliveredAndTheBodyIsACapturableStream() {
        String whsec = hmacSecret();
        receiver = WebhookReceiver.start(certificate, List.of(whsec));
        Sink sink = sink(receiver.url().toString(), SinkFormat.NATIVE, List.of(secret(whsec)));
        StreamBatch batch = LOG.batch(sink, 0, 8, true);

        Outcome outcome = sender().send(sink, List.of(secret(whsec)), batch);

        assertThat(outcome).isEqualTo(new Delivered());
        WebhookReceiver.Request request = receiver.accepted().get(0);
        assertThat(request.verifiedBy()).containsExactly("v1#0");
        assertThat(request.id()).isEqualTo(batch.messageId());
        assertThat(request.timestamp()).isEqualTo(clock.instant().getEpochSecond());
        assertThat(request.headers()).containsEntry("content-type", "application/json")
                .containsEntry("user-agent", "Stenographer").containsEntry("host", "localhost:" + receiver.port())
                .containsEntry("content-length", String.valueOf(request.body().length));
        assertThat(request.headers().get("webhook-signature")).matches("v1,[A-Za-z0-9+/]{43}=");
        assertThat(request.body()).isEqualTo(WebhookSender.body(sink, batch));

        JsonObject body = (JsonObject) JsonParser.parse(request.bodyText(), 64);
        assertThat(CanonicalJson.canonicalize(body)).isEqualTo(request.bodyText()); // sent canonical
        assertThat(body.members()).containsOnlyKeys("type", "messageId", "tenant", "format", "fromIndex", "toIndex",
                "records");
        assertThat(body.get("type")).isEqualTo(new JsonString("stenographer.stream.batch"));
        assertThat(body.get("format")).isEqualTo(new JsonString("native"));
        List<String> lines = records(body);
        assertThat(lines).hasSize(9);
        assertThat(lines.get(3)).isEqualTo(StreamRecordFormat.write(LOG.record(3)));
        assertThat(lines.get(8)).startsWith("{\"checkpoint\":");
        StreamVerification verified = LOG.verify(lines, StreamVerifier.Format.NATIVE);
        assertThat(verified.failures()).isEmpty();
        assertThat(verified.provenEvents()).isEqualTo(8);
    }

    /** Each record of a body as one canonical line: what a receiver writes to its NDJSON capture. */
    private static List<String> records(JsonObject body) {
        return ((JsonArray) body.get("records")).elements().stream().map(CanonicalJson::canonicalize).toList();
    }

    @Test
    void anEd25519SignatureVerifiesWithThePublicKeyAlone() {
        WebhookReceiver.Ed25519Pair pair = WebhookReceiver.generateEd25519();
        receiver = WebhookReceiver.start(certificate, List.of(pair.publicKey()));
        Sink sink = sink(receiver.url().toString(), SinkFormat.NATIVE, List.of(secret(pair.secret())));

        assertThat(sender().send(sink, List.of(secret(pair.secret())), LOG.batch(sink, 0, 3, false)))
                .isEqualTo(new Delivered());
        WebhookReceiver.Request request = receiver.accepted().get(0);
        assertThat(request.verifiedBy()).containsExactly("v1a#0");
        assertThat(request.headers().get("webhook-signature")).matches("v1a,[A-Za-z0-9+/]{86}==");
    }

    @Test
    void whileASecretRotatesEverySecretSignsAndEachVerifies() {
        String old = hmacSecret();
        WebhookReceiver.Ed25519Pair next = WebhookReceiver.generateEd25519();
        List<WebhookSecret> secrets = List.of(secret(old), secret(next.secret()));
        receiver = WebhookReceiver.start(certificate, List.of(old, next.publicKey()));
        Sink sink = sink(receiver.url().toString(), SinkFormat.NATIVE, secrets);

        assertThat(sender().send(sink, secrets, LOG.batch(sink, 0, 2, false))).isEqualTo(new Delivered());
        WebhookReceiver.Request request = receiver.accepted().get(0);
        assertThat(request.headers().get("webhook-signature").split(" ")).hasSize(2);
        assertThat(request.verifiedBy()).containsExactly("v1#0", "v1a#0");

        // a receiver that already moved to the new key still accepts
        receiver.close();
        receiver = WebhookReceiver.start(certificate, List.of(next.publicKey()));
        Sink moved = sink(receiver.url().toString(), SinkFormat.NATIVE, secrets);
        assertThat(sender().send(moved, secrets, LOG.batch(moved, 0, 2, false))).isEqualTo(new Delivered());
        assertThat(receiver.accepted().get(0).verifiedBy()).containsExactly("v1a#0");
    }

    @Test
    void aRetrySendsTheSameIdAndTheSameBytesWithAFreshTimestamp() {
        String whsec = hmacSecret();
        receiver = WebhookReceiver.start(certificate, List.of(whsec));
        Sink sink = sink(receiver.url().toString(), SinkFormat.OCSF, List.of(secret(whsec)));
        StreamBatch batch = LOG.batch(sink, 0, 6, true);
        receiver.failNext(1);

        Outcome first = sender().send(sink, List.of(secret(whsec)), batch);
        clock.advance(Duration.ofSeconds(30));
        Outcome retry = sender().send(sink, List.of(secret(whsec)), batch);

        assertThat(first).isInstanceOf(Failed.class);
        assertThat(((Failed) first).reason()).isEqualTo("webhook localhost:" + receiver.port() + " answered 500");
        assertThat(retry).isEqualTo(new Delivered());
        List<WebhookReceiver.Request> requests = receiver.requests();
        assertThat(requests).extracting(WebhookReceiver.Request::status).containsExactly(500, 200);
        assertThat(requests.get(1).id()).isEqualTo(requests.get(0).id()).isEqualTo(batch.messageId());
        assertThat(requests.get(1).body()).isEqualTo(requests.get(0).body());
        assertThat(requests.get(1).timestamp()).isEqualTo(requests.get(0).timestamp() + 30);
        assertThat(requests.get(1).headers().get("webhook-signature"))
                .isNotEqualTo(requests.get(0).headers().get("webhook-signature"));
        assertThat(requests).allMatch(r -> r.verifiedBy().equals(List.of("v1#0")));
    }

    @Test
    void anOcsfBodyCarriesOcsfEventsAndTheNativeCheckpointRecordLast() {
        String whsec = hmacSecret();
        receiver = WebhookReceiver.start(certificate, List.of(whsec));
        Sink sink = sink(receiver.url().toString(), SinkFormat.OCSF, List.of(secret(whsec)));

        assertThat(sender().send(sink, List.of(secret(whsec)), LOG.batch(sink, 0, 5, true)))
                .isEqualTo(new Delivered());
        JsonObject body = (JsonObject) JsonParser.parse(receiver.accepted().get(0).bodyText(), 64);
        assertThat(body.get("format")).isEqualTo(new JsonString("ocsf"));
        List<String> lines = records(body);
        assertThat(lines.get(0)).isEqualTo(CanonicalJson.canonicalize(
                OcsfFormat.toOcsf(LOG.record(0), sink.settings().ocsfMapping())));
        assertThat(lines.get(5)).contains("\"kind\":\"checkpoint\"");
        StreamVerification verified = LOG.verify(lines, StreamVerifier.Format.OCSF);
        assertThat(verified.failures()).isEmpty();
        assertThat(verified.provenEvents()).isEqualTo(5);
    }

    @Test
    void a410IsGoneAndOtherAnswersFail() {
        String whsec = hmacSecret();
        receiver = WebhookReceiver.start(certificate, List.of(whsec));
        Sink sink = sink(receiver.url().toString(), SinkFormat.NATIVE, List.of(secret(whsec)));
        receiver.answerGone(true);

        Outcome outcome = sender().send(sink, List.of(secret(whsec)), LOG.batch(sink, 0, 1, false));

        assertThat(outcome).isEqualTo(new Gone("webhook localhost:" + receiver.port()
                + " answered 410 Gone: the receiver wants no more deliveries"));
        // a receiver that does not know the secret answers 401: a failure, retried, not a reason to disable
        Sink unknown = sink(receiver.url().toString(), SinkFormat.NATIVE, List.of(secret(hmacSecret())));
        Outcome unauthorised = sender().send(unknown, List.of(secret(hmacSecret())), LOG.batch(unknown, 0, 1, false));
        assertThat(unauthorised).isEqualTo(new Failed("webhook localhost:" + receiver.port() + " answered 401"));
    }

    @Test
    void anUnreachableReceiverFails() {
        int port = FreePorts.freePort(); // nothing listens there
        String whsec = hmacSecret();
        Sink sink = sink("https://localhost:" + port + "/hook", SinkFormat.NATIVE, List.of(secret(whsec)));

        Outcome outcome = sender().send(sink, List.of(secret(whsec)), LOG.batch(sink, 0, 1, false));

        assertThat(outcome).isEqualTo(new Failed("webhook localhost:" + port + ": connect to 127.0.0.1:" + port
                + ": connection refused"));
    }

    @Test
    void aReceiverThatComesBackOnItsPortIsDeliveredToAgain() {
        String whsec = hmacSecret();
        receiver = WebhookReceiver.start(certificate, List.of(whsec));
        Sink sink = sink(receiver.url().toString(), SinkFormat.NATIVE, List.of(secret(whsec)));
        StreamBatch batch = LOG.batch(sink, 0, 4, false);

        receiver.stop();
        assertThat(sender().send(sink, List.of(secret(whsec)), batch)).isInstanceOf(Failed.class);
        receiver.start();
        assertThat(sender().send(sink, List.of(secret(whsec)), batch)).isEqualTo(new Delivered());
        assertThat(receiver.accepted()).singleElement().extracting(WebhookReceiver.Request::id)
                .isEqualTo(batch.messageId());
    }

    @Test
    void aReceiverThatDoesNotAnswerInTimeFails() {
        String whsec = hmacSecret();
        receiver = WebhookReceiver.start(certificate, List.of(whsec));
        Sink sink = sink(receiver.url().toString(), SinkFormat.NATIVE, List.of(secret(whsec)));
        receiver.stall();
        try {
            Outcome outcome = sender(StreamTls.withExtraCertificates(List.of(certificate.certificatePem())),
                    Duration.ofMillis(500)).send(sink, List.of(secret(whsec)), LOG.batch(sink, 0, 1, false));
            assertThat(outcome).isEqualTo(new Failed("webhook localhost:" + receiver.port() + ": timed out"));
        } finally {
            receiver.release();
        }
    }

    @Test
    @Timeout(60)
    void aReceiverThatTricklesItsAnswerIsCutOffAtTheAttemptTimeout() throws Exception {
        // each byte comes within the read timeout, and the head never ends: only the attempt's bound stops it
        try (TricklingTlsServer trickling = new TricklingTlsServer(certificate, "HTTP/1.1 200 OK\r\nX-Slow: a")) {
            String whsec = hmacSecret();
            Sink sink = sink("https://localhost:" + trickling.port() + "/hook", SinkFormat.NATIVE,
                    List.of(secret(whsec)));
            WebhookSender sender = new WebhookSender(guard, StreamTls.withExtraCertificates(List.of(
                    certificate.certificatePem())), new ConnectionTimeouts(Duration.ofSeconds(1),
                    Duration.ofMillis(500), Duration.ofMillis(1500)), clock, sockets);

            Outcome outcome = sender.send(sink, List.of(secret(whsec)), LOG.batch(sink, 0, 1, false));

            assertThat(outcome).isEqualTo(new Failed("webhook localhost:" + trickling.port() + ": no complete answer"
                    + " within the attempt timeout of PT1.5S"));
        }
    }

    @Test
    void aCertificateTheSinkDoesNotTrustFailsBeforeAnyRequest() {
        String whsec = hmacSecret();
        receiver = WebhookReceiver.start(certificate, List.of(whsec));
        Sink sink = sink(receiver.url().toString(), SinkFormat.NATIVE, List.of(secret(whsec)));

        Outcome outcome = sender(StreamTls.defaults(), Duration.ofSeconds(10))
                .send(sink, List.of(secret(whsec)), LOG.batch(sink, 0, 1, false));

        assertThat(outcome).isInstanceOf(Failed.class);
        assertThat(((Failed) outcome).reason()).startsWith("webhook localhost:" + receiver.port() + ": TLS with "
                + "127.0.0.1:" + receiver.port() + ": handshake failed: PKIX path building failed");
        assertThat(receiver.requests()).isEmpty();
    }

    @Test
    void theCertificateMustNameTheHostOfTheUrl() {
        String whsec = hmacSecret();
        receiver = WebhookReceiver.start(certificate, List.of(whsec));
        // a name that reaches the receiver, but that its certificate (localhost, 127.0.0.1, ::1) does not name
        Sink sink = sink("https://wrong-name.test:" + receiver.port() + "/hook", SinkFormat.NATIVE,
                List.of(secret(whsec)));

        Outcome outcome = sender().send(sink, List.of(secret(whsec)), LOG.batch(sink, 0, 1, false));

        assertThat(outcome).isInstanceOf(Failed.class);
        assertThat(((Failed) outcome).reason()).startsWith("webhook wrong-name.test:" + receiver.port() + ": TLS with "
                + "127.0.0.1:" + receiver.port() + ": handshake failed: No subject alternative DNS name matching "
                + "wrong-name.test found");
        assertThat(receiver.requests()).isEmpty();
    }

    @Test
    void aTargetTheGuardRefusesFailsWithoutAnyConnection() {
        String whsec = hmacSecret();
        Sink sink = sink("https://hooks.example.com/ingest?token=abc", SinkFormat.NATIVE, List.of(secret(whsec)));

        Outcome outcome = sender().send(sink, List.of(secret(whsec)), LOG.batch(sink, 0, 3, true));

        assertThat(outcome).isEqualTo(new Failed("webhook hooks.example.com:443: refused by the SSRF guard: host "
                + "hooks.example.com resolves to a private address (10.0.0.0/8, 172.16.0.0/12, "
                + "192.168.0.0/16); allow its network with stenographer.streams.allowed-networks"));
        assertThat(sockets.connects()).isEmpty();
        assertThat(resolver.asked).containsExactly("hooks.example.com");
    }

    @Test
    void noReasonCarriesASecretOrEventContent() {
        String whsec = hmacSecret();
        receiver = WebhookReceiver.start(certificate, List.of(whsec));
        Sink sink = sink(receiver.url().toString(), SinkFormat.NATIVE, List.of(secret(whsec)));
        receiver.failNext(1);
        Failed failed = (Failed) sender().send(sink, List.of(secret(whsec)), LOG.batch(sink, 0, 3, true));
        Failed refused = (Failed) sender().send(sink("https://hooks.example.com/x", SinkFormat.NATIVE,
                List.of(secret(whsec))), List.of(secret(whsec)), LOG.batch(sink, 0, 3, true));
        for (Failed reason : List.of(failed, refused)) {
            assertThat(reason.reason()).doesNotContain(whsec.substring(6), "officer-", "bc-100", "acme",
                    LOG.events.get(0).id().toString());
        }
    }

    @Test
    void theSignedContentIsIdDotTimestampDotBody() throws Exception {
        // The specification's construction, checked against a signature computed here with the JDK alone.
        String whsec = hmacSecret();
        byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        String header = WebhookSender.signatures(List.of(secret(whsec)), "msg_1", 1674087231L, body);
        javax.crypto.Mac hmac = javax.crypto.Mac.getInstance("HmacSHA256");
        hmac.init(new javax.crypto.spec.SecretKeySpec(Base64.getDecoder().decode(whsec.substring(6)), "HmacSHA256"));
        String expected = Base64.getEncoder().encodeToString(
                hmac.doFinal("msg_1.1674087231.{\"a\":1}".getBytes(StandardCharsets.UTF_8)));
        assertThat(header).isEqualTo("v1," + expected);
    }

    @Test
    void aBodyHoldsEveryRecordAsJson() {
        String whsec = hmacSecret();
        Sink sink = sink("https://localhost:8443/hook", SinkFormat.NATIVE, List.of(secret(whsec)));
        StreamBatch batch = LOG.batch(sink, 2, 5, false);
        JsonObject body = (JsonObject) JsonParser.parse(new String(WebhookSender.body(sink, batch),
                StandardCharsets.UTF_8), 64);
        assertThat(body.get("fromIndex")).isEqualTo(new JsonNumber(2));
        assertThat(body.get("toIndex")).isEqualTo(new JsonNumber(5));
        List<JsonValue> records = ((JsonArray) body.get("records")).elements();
        assertThat(records).hasSize(3).allMatch(JsonObject.class::isInstance);
        assertThat(WebhookSender.body(sink, batch)).isEqualTo(WebhookSender.body(sink, batch));
    }
}
