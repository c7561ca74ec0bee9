package io.stenographer.adapters.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import io.stenographer.application.port.out.SendStreamRecordsPort.Delivered;
import io.stenographer.application.port.out.SendStreamRecordsPort.Failed;
import io.stenographer.application.port.out.SendStreamRecordsPort.Outcome;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.sink.HostPort;
import io.stenographer.domain.sink.Sink;
import io.stenographer.domain.sink.SinkFormat;
import io.stenographer.domain.sink.SinkSettings;
import io.stenographer.domain.sink.SinkTarget;
import io.stenographer.domain.sink.StreamBatch;
import io.stenographer.domain.stream.OcsfFormat;
import io.stenographer.domain.stream.StreamCheckpointRecord;
import io.stenographer.domain.stream.StreamRecordFormat;
import io.stenographer.domain.stream.StreamTruncatedRecord;
import io.stenographer.domain.stream.StreamVerification;
import io.stenographer.domain.stream.StreamVerifier;
import io.stenographer.testing.SyslogTlsReceiver;
import io.stenographer.testing.SyslogTlsReceiver.Message;
import io.stenographer.testing.SyslogTlsReceiver.SdElement;
import io.stenographer.testing.TestCertificates;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLServerSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The syslog transport against a strict RFC 5425 / 5424 receiver over real TLS. */
class SyslogSenderTest {

    private static final StreamTestLog LOG = new StreamTestLog(12);

    @TempDir
    static Path dir;
    private static TestCertificates.Server certificate;

    private final RecordingSockets sockets = new RecordingSockets();
    private final ResolvingAddressGuardTest.StubResolver resolver = new ResolvingAddressGuardTest.StubResolver()
            .answer("localhost", ResolvingAddressGuardTest.ip("127.0.0.1"))
            .answer("siem.internal.example", ResolvingAddressGuardTest.ip("192.168.10.20"));
    private final ResolvingAddressGuard guard = new ResolvingAddressGuard(
            NetworkBlock.parseList("127.0.0.0/8,::1/128"), resolver);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T12:00:00Z"));
    private SyslogTlsReceiver receiver;

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

    private SyslogSender sender() {
        return new SyslogSender(guard, StreamTls.withExtraCertificates(List.of(certificate.certificatePem())),
                new ConnectionTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)), clock,
                "stenographer-1.example.com",
                SyslogSender.FACILITY_LOG_AUDIT, sockets);
    }

    private Sink sink(SinkFormat format, int maxMessageBytes) {
        return LOG.sink(new SinkTarget.Syslog(new HostPort("localhost", receiver.port())), format,
                StreamTestLog.maxMessageBytes(maxMessageBytes), List.of());
    }

    private static List<String> texts(List<Message> messages) {
        return messages.stream().map(Message::text).toList();
    }

    @Test
    void nativeJsonMessagesParseStrictlyAndCarryTheIntegrityFields() {
        receiver = SyslogTlsReceiver.start(certificate);
        Sink sink = sink(SinkFormat.NATIVE, 65_536);
        StreamBatch batch = LOG.batch(sink, 0, 7, true);

        Outcome outcome = sender().send(sink, List.of(), batch);

        assertThat(outcome).isEqualTo(new Delivered());
        assertThat(receiver.violations()).isEmpty();
        assertThat(receiver.cleanCloses()).isEqualTo(1);
        List<Message> messages = receiver.messages(); // recorded before the receiver's close, our acknowledgement
        assertThat(messages).hasSize(8);
        for (int i = 0; i < 7; i++) {
            Message message = messages.get(i);
            AuditEvent event = LOG.events.get(i);
            assertThat(message.facility()).isEqualTo(13);
            assertThat(message.severity()).isEqualTo(switch (event.content().outcome()) {
                case SUCCESS -> 6;
                case FAILURE -> 5;
                case DENIED -> 4;
            });
            assertThat(message.timestamp()).isEqualTo(event.content().occurredAt().toString());
            assertThat(message.hostname()).isEqualTo("stenographer-1.example.com");
            assertThat(message.appName()).isEqualTo("stenographer");
            assertThat(message.procId()).isEqualTo(String.valueOf(ProcessHandle.current().pid()));
            assertThat(message.msgId()).isEqualTo("event");
            assertThat(message.structuredData()).containsExactly(new SdElement("stenographer@32473", List.of(
                    Map.entry("index", String.valueOf(i)), Map.entry("leafHash", event.leafHash().hex()),
                    Map.entry("eventId", event.id().toString()), Map.entry("tenant", "acme"))));
            assertThat(message.bom()).isTrue();
            assertThat(message.text()).isEqualTo(StreamRecordFormat.write(LOG.record(i)));
        }
        Message checkpoint = messages.get(7);
        assertThat(checkpoint.msgId()).isEqualTo("checkpoint");
        assertThat(checkpoint.severity()).isEqualTo(6);
        assertThat(checkpoint.timestamp()).isEqualTo("2026-12-06T12:00:00Z");
        assertThat(checkpoint.element("stenographer@32473").params()).containsExactly(Map.entry("tenant", "acme"),
                Map.entry("fromIndex", "0"), Map.entry("toIndex", "7"));
        assertThat(checkpoint.text()).isEqualTo(StreamRecordFormat.write(batch.checkpoint().orElseThrow()));

        StreamVerification verified = LOG.verify(texts(messages), StreamVerifier.Format.NATIVE);
        assertThat(verified.failures()).isEmpty();
        assertThat(verified.provenEvents()).isEqualTo(7);
    }

    @Test
    void ocsfMessagesCarryOcsfEventsAndNativeCheckpoints() {
        receiver = SyslogTlsReceiver.start(certificate);
        Sink sink = sink(SinkFormat.OCSF, 65_536);

        assertThat(sender().send(sink, List.of(), LOG.batch(sink, 0, 5, true))).isEqualTo(new Delivered());

        List<Message> messages = receiver.messages();
        assertThat(receiver.violations()).isEmpty();
        assertThat(messages).hasSize(6).allMatch(Message::bom);
        assertThat(messages.get(2).text()).isEqualTo(CanonicalJson.canonicalize(
                OcsfFormat.toOcsf(LOG.record(2), sink.settings().ocsfMapping())));
        StreamVerification verified = LOG.verify(texts(messages), StreamVerifier.Format.OCSF);
        assertThat(verified.failures()).isEmpty();
        assertThat(verified.provenEvents()).isEqualTo(5);
    }

    @Test
    void cefMessagesHaveNoBomAndTheCheckpointStaysJson() {
        receiver = SyslogTlsReceiver.start(certificate);
        Sink sink = sink(SinkFormat.CEF, 65_536);

        assertThat(sender().send(sink, List.of(), LOG.batch(sink, 0, 3, true))).isEqualTo(new Delivered());

        List<Message> messages = receiver.messages();
        assertThat(receiver.violations()).isEmpty();
        assertThat(messages).hasSize(4);
        assertThat(messages.subList(0, 3)).allSatisfy(message -> {
            assertThat(message.bom()).isFalse();
            assertThat(message.text()).startsWith("CEF:0|Stenographer|Stenographer|stream/v1|");
        });
        assertThat(messages.get(0).text()).contains("cs2=" + LOG.events.get(0).leafHash().hex());
        assertThat(messages.get(3).bom()).isTrue();
        assertThat(messages.get(3).text()).startsWith("{\"checkpoint\":");
    }

    @Test
    void anEventOverTheLimitIsSentAsItsTruncatedRecordWithinTheLimit() {
        receiver = SyslogTlsReceiver.start(certificate, 0, SinkSettings.MIN_MESSAGE_BYTES, "TLSv1.3", "TLSv1.2");
        Sink sink = sink(SinkFormat.NATIVE, SinkSettings.MIN_MESSAGE_BYTES);

        assertThat(sender().send(sink, List.of(), LOG.batch(sink, 0, 10, true))).isEqualTo(new Delivered());

        assertThat(receiver.violations()).isEmpty();
        List<Message> messages = receiver.messages();
        assertThat(messages).hasSize(11).allMatch(message -> message.length() <= 2_048);
        Message truncated = messages.get(StreamTestLog.BIG_INDEX);
        assertThat(truncated.msgId()).isEqualTo("truncated");
        assertThat(truncated.element("stenographer@32473").param("truncated")).isEqualTo("true");
        assertThat(truncated.element("stenographer@32473").param("eventId"))
                .isEqualTo(LOG.events.get(StreamTestLog.BIG_INDEX).id().toString());
        assertThat(StreamRecordFormat.parse(truncated.text()))
                .isEqualTo(StreamTruncatedRecord.of(LOG.record(StreamTestLog.BIG_INDEX)));

        StreamVerification verified = LOG.verify(texts(messages), StreamVerifier.Format.NATIVE);
        assertThat(verified.failures()).isEmpty();
        assertThat(verified.truncated()).isEqualTo(1);
        assertThat(verified.summary()).isEqualTo("OK: 9 events (indices 0..9), 1 truncated (not verifiable from the "
                + "stream: fetch them from the API), 0 identical duplicates, 1 checkpoint record; 9 of 9 events proven "
                + "included under a signed checkpoint of example/acme");
    }

    @Test
    void aReceiverThatRefusesAMessageIsNoAcknowledgement() {
        // The sink allows 64 KiB, the receiver only 2,048 bytes: it resets the connection at the big event.
        // Deterministic since only the receiver's close_notify acknowledges: a reset that surfaced as a bare end of
        // stream (as it can once the error was reported elsewhere) was taken by the SSLSocket for a clean close.
        receiver = SyslogTlsReceiver.start(certificate, 0, SinkSettings.MIN_MESSAGE_BYTES, "TLSv1.3", "TLSv1.2");
        Sink sink = sink(SinkFormat.NATIVE, 65_536);

        Outcome outcome = sender().send(sink, List.of(), LOG.batch(sink, 5, 10, false));

        assertThat(outcome).isInstanceOf(Failed.class);
        assertThat(((Failed) outcome).reason()).startsWith("syslog localhost:" + receiver.port() + ": ")
                .endsWith("(nothing may be assumed delivered)");
        assertThat(receiver.violations()).singleElement().asString().startsWith("MSG-LEN ")
                .endsWith("is more than the maximum 2048");
        assertThat(receiver.cleanCloses()).isZero();
    }

    private Failed noCloseNotify() {
        return new Failed("syslog localhost:" + receiver.port() + ": the receiver closed the connection without TLS "
                + "close_notify (nothing may be assumed delivered)");
    }

    @Test
    void aReceiverThatClosesWithoutCloseNotifyIsNoAcknowledgement() {
        // It reads everything up to our close_notify, then closes TCP (a FIN) as a crash or a give-up would.
        receiver = SyslogTlsReceiver.start(certificate, 0, 65_536, "TLSv1.3").finInsteadOfCloseNotify();
        Sink sink = sink(SinkFormat.NATIVE, 65_536);

        Outcome outcome = sender().send(sink, List.of(), LOG.batch(sink, 0, 4, true));

        assertThat(outcome).isEqualTo(noCloseNotify());
        assertThat(((Failed) outcome).reason()).contains("close_notify");
        assertThat(receiver.messages()).hasSize(5); // everything was read, and still nothing is acknowledged
        assertThat(receiver.violations()).isEmpty();
        assertThat(receiver.finCloses()).isEqualTo(1);
        assertThat(receiver.cleanCloses()).isZero();
    }

    @Test
    void aReceiverThatClosesWithoutCloseNotifyIsNoAcknowledgementOverTls12Too() {
        // TLS 1.2's JDK socket answers close_notify as it reads ours, so this receiver sends its FIN (TCP output shut
        // down under TLS) right after the last message, and then reads our close_notify.
        receiver = SyslogTlsReceiver.start(certificate, 0, 65_536, "TLSv1.2").finAfterMessages(5);
        Sink sink = sink(SinkFormat.NATIVE, 65_536);

        Outcome outcome = sender().send(sink, List.of(), LOG.batch(sink, 0, 4, true));

        assertThat(outcome).isEqualTo(noCloseNotify());
        assertThat(receiver.messages()).hasSize(5);
        receiver.awaitFinCloses(1, Duration.ofSeconds(10));
        assertThat(receiver.cleanCloses()).isZero();
        assertThat(receiver.violations()).isEmpty();
    }

    @Test
    void aReceiverThatClosesWithoutCloseNotifyMidBatchIsNoAcknowledgement() {
        receiver = SyslogTlsReceiver.start(certificate).finAfterMessages(2);
        Sink sink = sink(SinkFormat.NATIVE, 65_536);

        Outcome outcome = sender().send(sink, List.of(), LOG.batch(sink, 0, 6, true));

        assertThat(outcome).isEqualTo(noCloseNotify());
        receiver.awaitFinCloses(1, Duration.ofSeconds(10));
        assertThat(receiver.cleanCloses()).isZero();
        assertThat(receiver.violations()).isEmpty();
    }

    @Test
    void aCheckpointRecordThatDoesNotFitFailsTheBatchBeforeConnecting() {
        receiver = SyslogTlsReceiver.start(certificate);
        Sink sink = sink(SinkFormat.NATIVE, SinkSettings.MIN_MESSAGE_BYTES);
        StreamBatch small = LOG.batch(sink, 0, 4, false);
        // a long consistency proof, as a large log's would be (the sender does not check proofs)
        List<Hash> proof = Collections.nCopies(60, LOG.events.get(0).leafHash());
        StreamCheckpointRecord big = new StreamCheckpointRecord("acme", LOG.note(4), 0, 4, proof, List.of());
        StreamBatch batch = new StreamBatch(small.messageId(), "acme", 0, 4, small.events(), Optional.of(big));

        Outcome outcome = sender().send(sink, List.of(), batch);

        assertThat(outcome).isInstanceOf(Failed.class);
        assertThat(((Failed) outcome).reason()).matches("syslog localhost:\\d+: the checkpoint record \\[0, 4\\) needs "
                + "\\d+ bytes, more than the sink's settings.maxMessageBytes 2048; a checkpoint record is never "
                + "truncated, so raise the limit \\(a checkpoint record stays under 16384 bytes\\)");
        assertThat(sockets.connects()).isEmpty();
    }

    @Test
    void aReceiverThatIsDownFailsAndOneThatCameBackIsDeliveredTo() {
        receiver = SyslogTlsReceiver.start(certificate);
        Sink sink = sink(SinkFormat.NATIVE, 65_536);
        StreamBatch batch = LOG.batch(sink, 0, 3, false);
        receiver.stop();

        Outcome down = sender().send(sink, List.of(), batch);
        receiver.start();
        Outcome back = sender().send(sink, List.of(), batch);

        assertThat(down).isEqualTo(new Failed("syslog localhost:" + receiver.port() + ": connect to 127.0.0.1:"
                + receiver.port() + ": connection refused"));
        assertThat(back).isEqualTo(new Delivered());
        assertThat(receiver.messages()).hasSize(3);
    }

    @Test
    void theCloseNotifyAcknowledgementWorksOverTls12Too() {
        receiver = SyslogTlsReceiver.start(certificate, 0, 65_536, "TLSv1.2");
        Sink sink = sink(SinkFormat.NATIVE, 65_536);

        assertThat(sender().send(sink, List.of(), LOG.batch(sink, 0, 4, true))).isEqualTo(new Delivered());

        assertThat(receiver.messages()).hasSize(5);
        assertThat(receiver.violations()).isEmpty();
        // TLS 1.2 answers close_notify in the read that meets it, so the receiver's count may lag our return
        receiver.awaitCleanCloses(1, Duration.ofSeconds(10));
    }

    @Test
    void aReceiverThatReadsEverythingButNeverClosesIsNoAcknowledgement() throws Exception {
        CountDownLatch testOver = new CountDownLatch(1);
        CountDownLatch endOfStreamSeen = new CountDownLatch(1);
        try (SSLServerSocket silent = (SSLServerSocket) certificate.serverContext().getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> {
                try (Socket socket = silent.accept()) {
                    socket.getInputStream().readAllBytes(); // up to the sender's close_notify
                    endOfStreamSeen.countDown();
                    testOver.await(); // and then never closes
                } catch (IOException | InterruptedException e) {
                    // the test is over
                }
            }, "silent-syslog-receiver");
            server.setDaemon(true);
            server.start();
            Sink sink = LOG.sink(new SinkTarget.Syslog(new HostPort("localhost", silent.getLocalPort())),
                    SinkFormat.NATIVE, SinkSettings.DEFAULTS, List.of());
            SyslogSender impatient = new SyslogSender(guard, StreamTls.withExtraCertificates(
                    List.of(certificate.certificatePem())), new ConnectionTimeouts(Duration.ofSeconds(5),
                    Duration.ofMillis(500), Duration.ofSeconds(30)), clock,
                    "stenographer-1.example.com", SyslogSender.FACILITY_AUTHPRIV, sockets);

            Outcome outcome = impatient.send(sink, List.of(), LOG.batch(sink, 0, 2, false));

            assertThat(outcome).isEqualTo(new Failed("syslog localhost:" + silent.getLocalPort() + ": timed out "
                    + "(nothing may be assumed delivered)"));
            assertThat(endOfStreamSeen.await(10, TimeUnit.SECONDS)).isTrue(); // it did get the close_notify
        } finally {
            testOver.countDown();
        }
    }

    @Test
    @Timeout(60)
    void aReceiverThatTricklesDataInsteadOfClosingIsCutOffAtTheAttemptTimeout() throws Exception {
        // every read gets a byte within the read timeout, and the close_notify never comes
        try (TricklingTlsServer trickling = new TricklingTlsServer(certificate, "x")) {
            Sink sink = LOG.sink(new SinkTarget.Syslog(new HostPort("localhost", trickling.port())),
                    SinkFormat.NATIVE, SinkSettings.DEFAULTS, List.of());
            SyslogSender sender = new SyslogSender(guard, StreamTls.withExtraCertificates(
                    List.of(certificate.certificatePem())), new ConnectionTimeouts(Duration.ofSeconds(1),
                    Duration.ofMillis(500), Duration.ofMillis(1500)), clock,
                    "stenographer-1.example.com", SyslogSender.FACILITY_AUTHPRIV, sockets);

            Outcome outcome = sender.send(sink, List.of(), LOG.batch(sink, 0, 2, false));

            assertThat(outcome).isEqualTo(new Failed("syslog localhost:" + trickling.port() + ": no complete answer"
                    + " within the attempt timeout of PT1.5S (nothing may be assumed delivered)"));
        }
    }

    @Test
    void aTargetTheGuardRefusesFailsWithoutAnyConnection() {
        receiver = SyslogTlsReceiver.start(certificate);
        Sink sink = LOG.sink(new SinkTarget.Syslog(new HostPort("siem.internal.example", 6514)), SinkFormat.NATIVE,
                SinkSettings.DEFAULTS, List.of());

        Outcome outcome = sender().send(sink, List.of(), LOG.batch(sink, 0, 3, false));

        assertThat(outcome).isEqualTo(new Failed("syslog siem.internal.example:6514: refused by the SSRF guard: host "
                + "siem.internal.example resolves to a private address (10.0.0.0/8, 172.16.0.0/12, "
                + "192.168.0.0/16); allow its network with stenographer.streams.allowed-networks"));
        assertThat(sockets.connects()).isEmpty();
    }

    @Test
    void structuredDataValuesAreEscapedAndReadBack() throws SyslogTlsReceiver.Violation {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("a", "x\"y]z\\w");
        params.put("b", "caf\u00e9");
        String sd = SyslogSender.structuredData(params);
        assertThat(sd).isEqualTo("[stenographer@32473 a=\"x\\\"y\\]z\\\\w\" b=\"caf\u00e9\"]");
        Message parsed = SyslogTlsReceiver.parse(("<110>1 - - - - - " + sd).getBytes(StandardCharsets.UTF_8));
        assertThat(parsed.structuredData()).containsExactly(new SdElement("stenographer@32473",
                List.of(Map.entry("a", "x\"y]z\\w"), Map.entry("b", "caf\u00e9"))));
        assertThat(parsed.msg()).isNull();
    }

    @Test
    void timestampsKeepRfc5424sLimits() {
        assertThat(SyslogSender.timestamp(Instant.parse("2026-12-01T09:00:00.123456789Z")))
                .isEqualTo("2026-12-01T09:00:00.123456Z");
        assertThat(SyslogSender.timestamp(Instant.parse("2026-12-01T09:00:00Z"))).isEqualTo("2026-12-01T09:00:00Z");
        assertThat(SyslogSender.timestamp(Instant.parse("+10000-01-01T00:00:00Z"))).isEqualTo("-");
    }

    @Test
    void aRetrySendsTheSameEventMessages() {
        receiver = SyslogTlsReceiver.start(certificate);
        Sink sink = sink(SinkFormat.NATIVE, 65_536);
        StreamBatch batch = LOG.batch(sink, 0, 3, false);
        assertThat(sender().send(sink, List.of(), batch)).isEqualTo(new Delivered());
        clock.advance(Duration.ofMinutes(5));
        assertThat(sender().send(sink, List.of(), batch)).isEqualTo(new Delivered());
        List<Message> messages = receiver.messages();
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            first.add(messages.get(i).timestamp() + " " + messages.get(i).text());
            second.add(messages.get(i + 3).timestamp() + " " + messages.get(i + 3).text());
        }
        assertThat(second).isEqualTo(first);
    }
}
