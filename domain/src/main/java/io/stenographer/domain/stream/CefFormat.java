package io.stenographer.domain.stream;

import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.Outcome;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Event records as CEF:0 lines for syslog receivers (docs/STREAMING.md has the field table). A CEF line carries the
 * event id, index, leaf hash and tenant, but not the sealed event in full (no metadata), so a receiver cannot
 * recompute the leaf hash from it: CEF streams are for reading, native and OCSF streams for verifying.
 *
 * <p>Escaping, as the CEF specification says: in the header, {@code \} and {@code |} are escaped with a backslash
 * (and a line break, which a header may not hold, becomes a space); in the extension, {@code \} and {@code =} are
 * escaped with a backslash and line breaks are written {@code \n} and {@code \r}.
 */
public final class CefFormat {

    public static final String VENDOR = "Stenographer";
    public static final String PRODUCT = "Stenographer";
    public static final String VERSION = "stream/v1";

    private CefFormat() {
    }

    /** The CEF line of an event record, without a line feed. */
    public static String toCef(StreamRecord record) {
        AuditEvent event = StreamEvents.leafOf(record.event()).event();
        var content = event.content();
        StringBuilder line = new StringBuilder("CEF:0|");
        header(line, VENDOR);
        header(line, PRODUCT);
        header(line, VERSION);
        header(line, content.action().value());
        header(line, content.action().value() + " " + content.outcome().wireName());
        line.append(severity(content.outcome())).append('|');
        Map<String, String> extension = new LinkedHashMap<>();
        extension.put("rt", String.valueOf(content.occurredAt().toEpochMilli()));
        extension.put("externalId", event.id().toString());
        extension.put("act", content.action().value());
        extension.put("outcome", content.outcome().wireName());
        extension.put("suid", content.actor().id());
        if (content.actor().displayName() != null) {
            extension.put("suser", content.actor().displayName());
        }
        if (content.source().ip() != null) {
            extension.put("src", content.source().ip());
        }
        if (content.source().userAgent() != null) {
            extension.put("requestClientApplication", content.source().userAgent());
        }
        extension.put("sourceServiceName", content.source().application());
        if (content.reason() != null) {
            extension.put("reason", content.reason());
        }
        custom(extension, "cn1", "index", String.valueOf(record.index()));
        custom(extension, "cs1", "eventId", event.id().toString());
        custom(extension, "cs2", "leafHash", record.leafHash().hex());
        custom(extension, "cs3", "tenant", record.tenant());
        if (content.resource() != null) {
            custom(extension, "cs4", "resourceType", content.resource().type());
            custom(extension, "cs5", "resourceId", content.resource().id());
        }
        custom(extension, "cs6", "submittedBy", event.submittedBy());
        custom(extension, "deviceCustomDate1", "receivedAt", String.valueOf(event.receivedAt().toEpochMilli()));
        if (content.correlationId() != null) {
            custom(extension, "flexString1", "correlationId", content.correlationId());
        }
        String separator = "";
        for (Map.Entry<String, String> field : extension.entrySet()) {
            line.append(separator).append(field.getKey()).append('=').append(extensionValue(field.getValue()));
            separator = " ";
        }
        return line.toString();
    }

    /** CEF severity (0-10): 3 for a success, 5 for a failure, 7 for a denial. */
    static int severity(Outcome outcome) {
        return switch (outcome) {
            case SUCCESS -> 3;
            case FAILURE -> 5;
            case DENIED -> 7;
        };
    }

    private static void custom(Map<String, String> extension, String key, String label, String value) {
        extension.put(key + "Label", label);
        extension.put(key, value);
    }

    private static void header(StringBuilder line, String value) {
        line.append(headerValue(value)).append('|');
    }

    /** A header field with {@code \\} and {@code |} escaped, and line breaks (never allowed there) as spaces. */
    static String headerValue(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '|' -> out.append("\\|");
                case '\n', '\r' -> out.append(' ');
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** An extension value with {@code \}, {@code =} and line breaks escaped. */
    static String extensionValue(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '=' -> out.append("\\=");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
