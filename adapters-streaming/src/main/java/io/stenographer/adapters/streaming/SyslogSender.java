package io.stenographer.adapters.streaming;

import io.stenographer.adapters.streaming.TargetAddressGuard.TargetRefused;
import io.stenographer.application.port.out.SendStreamRecordsPort.Delivered;
import io.stenographer.application.port.out.SendStreamRecordsPort.Failed;
import io.stenographer.application.port.out.SendStreamRecordsPort.Outcome;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.SealedEventFormat;
import io.stenographer.domain.sink.HostPort;
import io.stenographer.domain.sink.Sink;
import io.stenographer.domain.sink.SinkMessages;
import io.stenographer.domain.sink.SinkTarget;
import io.stenographer.domain.sink.StreamBatch;
import io.stenographer.domain.sink.WebhookSecret;
import io.stenographer.domain.stream.StreamCheckpointRecord;
import io.stenographer.domain.stream.StreamLine;
import io.stenographer.domain.stream.StreamRecord;
import io.stenographer.domain.stream.StreamTruncatedRecord;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.net.SocketFactory;

/**
 * Delivers a batch as RFC 5424 messages over TLS with RFC 5425 octet-counting framing ({@code MSG-LEN SP
 * SYSLOG-MSG}), one connection per batch (docs/STREAMING.md).
 *
 * <p>Each message: {@code <PRI>1 TIMESTAMP HOSTNAME stenographer PROCID MSGID [stenographer@32473 ...] MSG}, where
 * MSGID is {@code event}, {@code truncated} or {@code checkpoint}, the structured data carries the integrity fields
 * (index, leaf hash, event id, tenant; the range for a checkpoint record), and MSG is the line in the sink's format:
 * a BOM and UTF-8 for JSON (native or OCSF), UTF-8 without a BOM for CEF (CEF parsers expect {@code CEF:0} first).
 * An event record's TIMESTAMP is the event's {@code occurredAt}, so a retry sends the same bytes; a checkpoint
 * record's is when it is sent.
 *
 * <p>Size: no SYSLOG-MSG is longer than the sink's {@code settings.maxMessageBytes}. An event record that would be
 * is sent as its {@link StreamTruncatedRecord} (index, leaf hash, tenant, event id; the event is in the API). A
 * checkpoint record is never cut: one that does not fit fails the batch, naming the size it needs.
 *
 * <p>Acknowledgement: syslog has none, so after the last message the sender closes its side of TLS (sends
 * close_notify; with TLS 1.3 the connection stays open for reading) and waits, at most the read timeout, for the
 * receiver's own close_notify. Only that is an acknowledgement: the batch is {@link Delivered} when the receiver has
 * read everything up to our close_notify and closed TLS in turn. TLS runs in an {@link javax.net.ssl.SSLEngine} over
 * the plain socket so the sender sees the receiver's close_notify itself: an {@link javax.net.ssl.SSLSocket} takes a
 * bare TCP end of stream (FIN) for one unless the JVM-wide {@code com.sun.net.ssl.requireCloseNotify} is set, and a
 * receiver that crashed or gave up after reading part of the batch would look as if it had acknowledged it. A FIN
 * without close_notify, a reset connection, a TLS alert or a timeout is {@link Failed}. The acknowledgement does not
 * prove the receiver stored the messages: a receiver that closes TLS on close_notify without reading first (or that
 * drops what it cannot parse and still closes cleanly) acknowledges what it did not keep.
 */
public final class SyslogSender implements TransportSender {

    /** Facility 13, "log audit" (RFC 5424 table 1). */
    public static final int FACILITY_LOG_AUDIT = 13;
    /** Facility 10, "security/authorization messages" (authpriv). */
    public static final int FACILITY_AUTHPRIV = 10;
    public static final String APP_NAME = "stenographer";
    /** The SD-ID: private, under the documentation enterprise number 32473 (RFC 5612) until one is registered. */
    public static final String SD_ID = "stenographer@32473";

    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    private static final int MAX_DISCARDED_BYTES = 64 * 1024;
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ISO_INSTANT;

    private final TargetConnector connector;
    private final Clock clock;
    private final String hostname;
    private final String procId;
    private final int facility;

    /**
     * @param timeouts    the read timeout is how long each read waits, and so for the receiver's close after ours
     * @param hostname    the HOSTNAME field: this service's name (printable US-ASCII, at most 255), or "-"
     * @param facility    0..23; {@link #FACILITY_LOG_AUDIT} or {@link #FACILITY_AUTHPRIV} suit an audit log
     */
    public SyslogSender(TargetAddressGuard guard, StreamTls tls, ConnectionTimeouts timeouts, Clock clock,
            String hostname, int facility) {
        this(guard, tls, timeouts, clock, hostname, facility, SocketFactory.getDefault());
    }

    /** With the factory of the plain sockets, which tests use to see every address connected to. */
    public SyslogSender(TargetAddressGuard guard, StreamTls tls, ConnectionTimeouts timeouts, Clock clock,
            String hostname, int facility, SocketFactory sockets) {
        this.connector = new TargetConnector(guard, tls, sockets, timeouts);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.hostname = headerField(hostname, 255, "hostname");
        this.procId = String.valueOf(ProcessHandle.current().pid());
        if (facility < 0 || facility > 23) {
            throw new IllegalArgumentException("facility must be in 0..23, was " + facility);
        }
        this.facility = facility;
    }

    /** This machine's name for the HOSTNAME field, or "-" when it has none that fits. */
    public static String localHostName() {
        try {
            String name = InetAddress.getLocalHost().getCanonicalHostName();
            return headerField(name, 255, "hostname");
        } catch (IOException | IllegalArgumentException e) {
            return "-";
        }
    }

    private static String headerField(String value, int max, String name) {
        if (value == null || value.isEmpty() || value.length() > max
                || !value.chars().allMatch(c -> c >= 33 && c <= 126)) {
            throw new IllegalArgumentException(name + " must be 1 to " + max + " printable US-ASCII characters");
        }
        return value;
    }

    @Override
    public Outcome send(Sink sink, List<WebhookSecret> secrets, StreamBatch batch) {
        if (!(sink.target() instanceof SinkTarget.Syslog syslog)) {
            throw new IllegalArgumentException("not a syslog sink: " + sink.target().transport().wireName());
        }
        HostPort address = syslog.address();
        String where = "syslog " + address;
        List<byte[]> messages;
        try {
            messages = messages(sink, batch);
        } catch (TooLarge e) {
            return new Failed(where + ": " + e.getMessage());
        }
        try (TargetConnector.Attempt attempt = connector.attempt()) {
            EngineTlsConnection connection;
            try {
                connection = connector.openEngine(address, attempt);
            } catch (TargetRefused e) {
                return new Failed(where + ": refused by the SSRF guard: " + e.getMessage());
            } catch (IOException e) {
                return new Failed(where + ": " + e.getMessage());
            }
            try (EngineTlsConnection tls = connection) {
                OutputStream out = new BufferedOutputStream(tls.output(), 1 << 14); // a full TLS record per write
                for (byte[] message : messages) {
                    out.write((message.length + " ").getBytes(StandardCharsets.US_ASCII));
                    out.write(message);
                }
                out.flush();
                tls.closeAndAwaitPeerClose(MAX_DISCARDED_BYTES); // our close_notify, "that is all"; then theirs
            } catch (IOException e) {
                return new Failed(where + ": " + attempt.describe(e) + " (nothing may be assumed delivered)");
            }
        }
        return new Delivered();
    }

    /** The SYSLOG-MSG of every line of the batch, in order, each within the sink's largest message. */
    List<byte[]> messages(Sink sink, StreamBatch batch) throws TooLarge {
        SinkMessages rendering = SinkMessages.of(sink);
        int max = sink.settings().maxMessageBytes();
        Instant now = clock.instant();
        List<byte[]> messages = new ArrayList<>();
        for (StreamLine line : batch.lines()) {
            byte[] message = message(rendering, line, now);
            if (message.length > max) {
                if (!(line instanceof StreamRecord record)) {
                    throw new TooLarge(describe(line) + " needs " + message.length + " bytes, more than the sink's "
                            + "settings.maxMessageBytes " + max + "; a checkpoint record is never truncated, so "
                            + "raise the limit (a checkpoint record stays under 16384 bytes)");
                }
                message = message(rendering, StreamTruncatedRecord.of(record), now, event(record));
                if (message.length > max) {
                    throw new TooLarge("even the truncated record of index " + record.index() + " needs "
                            + message.length + " bytes, more than the sink's settings.maxMessageBytes " + max);
                }
            }
            messages.add(message);
        }
        return messages;
    }

    private byte[] message(SinkMessages rendering, StreamLine line, Instant now) {
        return message(rendering, line, now, line instanceof StreamRecord record ? event(record) : null);
    }

    private byte[] message(SinkMessages rendering, StreamLine line, Instant now, AuditEvent event) {
        Map<String, String> params = new LinkedHashMap<>();
        String msgId;
        int severity;
        Instant timestamp;
        if (line instanceof StreamRecord record) {
            msgId = "event";
            integrity(params, record.index(), record.leafHash().hex(), record.eventId(), record.tenant());
        } else if (line instanceof StreamTruncatedRecord truncated) {
            msgId = "truncated";
            integrity(params, truncated.index(), truncated.leafHash().hex(), truncated.eventId(), truncated.tenant());
            params.put("truncated", "true");
        } else {
            StreamCheckpointRecord checkpoint = (StreamCheckpointRecord) line;
            msgId = "checkpoint";
            params.put("tenant", checkpoint.tenant());
            params.put("fromIndex", String.valueOf(checkpoint.fromIndex()));
            params.put("toIndex", String.valueOf(checkpoint.toIndex()));
        }
        if (event != null) {
            severity = severity(event.content().outcome());
            timestamp = event.content().occurredAt();
        } else {
            severity = 6; // informational: a checkpoint record
            timestamp = now;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String header = "<" + (facility * 8 + severity) + ">1 " + timestamp(timestamp) + " " + hostname + " "
                + APP_NAME + " " + procId + " " + msgId + " " + structuredData(params) + " ";
        out.writeBytes(header.getBytes(StandardCharsets.UTF_8));
        if (rendering.isJson(line)) {
            out.writeBytes(BOM);
        }
        out.writeBytes(rendering.render(line).getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static void integrity(Map<String, String> params, long index, String leafHash, String eventId,
            String tenant) {
        params.put("index", String.valueOf(index));
        params.put("leafHash", leafHash);
        if (eventId != null) {
            params.put("eventId", eventId);
        }
        params.put("tenant", tenant);
    }

    /** The event of a record, for its time and outcome; null for a record whose event does not read. */
    private static AuditEvent event(StreamRecord record) {
        try {
            return SealedEventFormat.fromJson(record.event());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Informational for a success, notice for a failure, warning for a denial. */
    static int severity(io.stenographer.domain.event.Outcome outcome) {
        return switch (outcome) {
            case SUCCESS -> 6;
            case FAILURE -> 5;
            case DENIED -> 4;
        };
    }

    /** RFC 3339 as RFC 5424 restricts it: UTC "Z", at most 6 fraction digits, a four-digit year; else "-". */
    static String timestamp(Instant instant) {
        Instant micros = instant.truncatedTo(ChronoUnit.MICROS);
        int year = micros.atZone(ZoneOffset.UTC).getYear();
        return year < 0 || year > 9999 ? "-" : TIMESTAMP.format(micros);
    }

    /** {@code [SD-ID name="value" ...]} with '"', '\' and ']' escaped as RFC 5424 section 6.3.3 says. */
    static String structuredData(Map<String, String> params) {
        StringBuilder sd = new StringBuilder("[").append(SD_ID);
        params.forEach((name, value) -> {
            sd.append(' ').append(name).append("=\"");
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '"' || c == '\\' || c == ']') {
                    sd.append('\\');
                }
                sd.append(c);
            }
            sd.append('"');
        });
        return sd.append(']').toString();
    }

    private static String describe(StreamLine line) {
        return line instanceof StreamCheckpointRecord checkpoint
                ? "the checkpoint record [" + checkpoint.fromIndex() + ", " + checkpoint.toIndex() + ")"
                : "a record";
    }

    /** A line that cannot be sent within the sink's message size. */
    static final class TooLarge extends Exception {
        TooLarge(String message) {
            super(message);
        }
    }
}
