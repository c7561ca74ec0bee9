package io.stenographer.adapters.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import io.stenographer.application.port.out.SendStreamRecordsPort.Delivered;
import io.stenographer.application.port.out.SendStreamRecordsPort.Failed;
import io.stenographer.domain.sink.HostPort;
import io.stenographer.domain.sink.Sink;
import io.stenographer.domain.sink.SinkFormat;
import io.stenographer.domain.sink.SinkSettings;
import io.stenographer.domain.sink.SinkTarget;
import io.stenographer.domain.sink.SinkTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each sink's batch goes to its own transport's sender. */
class StreamTransportsTest {

    private static final StreamTestLog LOG = new StreamTestLog(3);

    private final Sink syslog = LOG.sink(new SinkTarget.Syslog(new HostPort("siem.example.com", 6514)),
            SinkFormat.NATIVE, SinkSettings.DEFAULTS, List.of());
    private final Sink kafka = LOG.sink(new SinkTarget.Kafka(List.of(new HostPort("kafka.example.com", 9092)),
            "audit", true), SinkFormat.NATIVE, SinkSettings.DEFAULTS, List.of());

    @Test
    void aBatchGoesToItsSinksTransport() {
        List<String> calls = new ArrayList<>();
        StreamTransports transports = new StreamTransports(Map.of(
                SinkTransport.SYSLOG, (sink, secrets, batch) -> {
                    calls.add("syslog " + batch.messageId());
                    return new Delivered();
                },
                SinkTransport.KAFKA, (sink, secrets, batch) -> {
                    calls.add("kafka " + batch.messageId());
                    return new Failed("down");
                }));
        var batch = LOG.batch(syslog, 0, 2, false);
        assertThat(transports.send(syslog, List.of(), batch)).isEqualTo(new Delivered());
        assertThat(transports.send(kafka, List.of(), LOG.batch(kafka, 0, 1, false))).isEqualTo(new Failed("down"));
        assertThat(calls).containsExactly("syslog " + batch.messageId(),
                "kafka " + LOG.batch(kafka, 0, 1, false).messageId());
    }

    @Test
    void aMissingTransportOrABugIsAFailureWithoutItsMessage() {
        StreamTransports none = new StreamTransports(Map.of());
        assertThat(none.send(syslog, List.of(), LOG.batch(syslog, 0, 1, false)))
                .isEqualTo(new Failed("no syslog transport is configured in this service"));
        StreamTransports broken = new StreamTransports(Map.of(SinkTransport.SYSLOG, (sink, secrets, batch) -> {
            throw new IllegalStateException("event officer-1 did something");
        }));
        assertThat(broken.send(syslog, List.of(), LOG.batch(syslog, 0, 1, false)))
                .isEqualTo(new Failed("syslog transport failed unexpectedly (java.lang.IllegalStateException)"));
    }
}
