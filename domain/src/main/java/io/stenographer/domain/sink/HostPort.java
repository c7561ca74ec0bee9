package io.stenographer.domain.sink;

import io.stenographer.domain.event.FieldViolation;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A host (DNS name or IP literal, IPv6 in brackets when written with a port) and a port. Only the syntax is
 * checked here; whether the address may be reached is decided at connect time, against what the name resolves to
 * then (the SSRF guard in the streaming adapter), because a name checked once can resolve elsewhere later.
 */
public record HostPort(String host, int port) {

    private static final Pattern DNS_NAME = Pattern.compile(
            "(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\\.?");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-f:.]{2,45}");

    public HostPort {
        if (host == null || host.isEmpty()) {
            throw new FieldViolation("host", "is required");
        }
        host = host.toLowerCase(Locale.ROOT);
        if (!DNS_NAME.matcher(host).matches() && !(host.contains(":") && IPV6.matcher(host).matches())) {
            throw new FieldViolation("host", "must be a DNS name or an IP address");
        }
        if (port < 1 || port > 65535) {
            throw new FieldViolation("port", "must be in 1..65535");
        }
    }

    /** {@code host:port}, or {@code [v6]:port}. */
    public static HostPort parse(String field, String text) {
        if (text == null || text.isBlank()) {
            throw new FieldViolation(field, "is required, as host:port");
        }
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new FieldViolation(field, "must be host:port");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new FieldViolation(field, "an IPv6 address must be written in brackets: [addr]:port");
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new FieldViolation(field, "the port must be a number");
        }
        try {
            return new HostPort(host, port);
        } catch (FieldViolation e) {
            throw new FieldViolation(field, e.detail());
        }
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
