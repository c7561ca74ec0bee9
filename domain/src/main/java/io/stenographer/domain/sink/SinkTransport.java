package io.stenographer.domain.sink;

import io.stenographer.domain.event.FieldViolation;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How a sink's records leave the service. */
public enum SinkTransport {
    /** Apache Kafka: one message per record, keyed by tenant, idempotent producer with acks=all. */
    KAFKA,
    /** HTTPS POST of a batch, signed per the Standard Webhooks specification. */
    WEBHOOK,
    /** RFC 5424 messages over TLS with RFC 5425 octet-counting framing. */
    SYSLOG;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SinkTransport parse(String text) {
        for (SinkTransport transport : values()) {
            if (transport.wireName().equals(text)) {
                return transport;
            }
        }
        throw new FieldViolation("transport", "must be one of " + Arrays.stream(values())
                .map(SinkTransport::wireName).collect(Collectors.joining(", ")));
    }
}
