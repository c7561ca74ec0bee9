package io.stenographer.domain.sink;

import io.stenographer.domain.event.FieldViolation;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Where a sink delivers: one shape per transport. Holds no secret. */
public sealed interface SinkTarget {

    SinkTransport transport();

    /** Every host the transport will connect to first; each is checked by the SSRF guard when it connects. */
    List<HostPort> hosts();

    /** The target as shown to auditors and in audit events (never a secret: targets hold none). */
    String describe();

    /**
     * Kafka: bootstrap servers and a topic; the message key is the tenant. {@code tls}: the producer speaks TLS with
     * certificate and host-name checks (the default for new sinks); false is plaintext, which only a sink created so
     * on purpose uses (webhooks and syslog always use TLS).
     */
    record Kafka(List<HostPort> bootstrapServers, String topic, boolean tls) implements SinkTarget {

        private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

        public Kafka {
            if (bootstrapServers == null || bootstrapServers.isEmpty() || bootstrapServers.size() > 16) {
                throw new FieldViolation("target.bootstrapServers", "must list 1 to 16 host:port addresses");
            }
            bootstrapServers = List.copyOf(bootstrapServers);
            if (topic == null || !TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
                throw new FieldViolation("target.topic",
                        "must be 1 to 249 characters of letters, digits, '.', '_' and '-'");
            }
        }

        @Override
        public SinkTransport transport() {
            return SinkTransport.KAFKA;
        }

        @Override
        public List<HostPort> hosts() {
            return bootstrapServers;
        }

        @Override
        public String describe() {
            return "kafka " + String.join(",", bootstrapServers.stream().map(HostPort::toString).toList())
                    + " topic " + topic + (tls ? " (TLS)" : " (plaintext)");
        }
    }

    /** A webhook: an https URL without user info or fragment. */
    record Webhook(URI url) implements SinkTarget {

        public static final int MAX_URL_CHARS = 2048;

        public Webhook {
            if (url == null) {
                throw new FieldViolation("target.url", "is required");
            }
            if (!"https".equals(url.getScheme())) {
                throw new FieldViolation("target.url", "must be an https URL");
            }
            if (url.getRawUserInfo() != null || url.getRawFragment() != null) {
                throw new FieldViolation("target.url", "must not carry user info or a fragment");
            }
            if (url.getHost() == null) {
                throw new FieldViolation("target.url", "must name a host");
            }
            if (url.toString().length() > MAX_URL_CHARS) {
                throw new FieldViolation("target.url", "must be at most " + MAX_URL_CHARS + " characters");
            }
        }

        public static Webhook parse(String text) {
            if (text == null || text.isBlank()) {
                throw new FieldViolation("target.url", "is required");
            }
            try {
                return new Webhook(new URI(text));
            } catch (URISyntaxException e) {
                throw new FieldViolation("target.url", "is not a valid URL");
            }
        }

        @Override
        public SinkTransport transport() {
            return SinkTransport.WEBHOOK;
        }

        public HostPort address() {
            String host = url.getHost();
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            return new HostPort(host.toLowerCase(Locale.ROOT), url.getPort() == -1 ? 443 : url.getPort());
        }

        @Override
        public List<HostPort> hosts() {
            return List.of(address());
        }

        /**
         * As the tenant's log records the target, for good: without its query, where receivers put their tokens (the
         * log cannot forget one). The path is recorded whole; authenticate the receiver by the signature instead.
         */
        @Override
        public String describe() {
            String text = url.toString();
            int query = text.indexOf('?');
            return "webhook " + (query < 0 ? text : text.substring(0, query) + "?(query not recorded)");
        }
    }

    /** A syslog receiver over TLS (RFC 5425; its registered port is 6514). */
    record Syslog(HostPort address) implements SinkTarget {

        public Syslog {
            if (address == null) {
                throw new FieldViolation("target.address", "is required, as host:port");
            }
        }

        @Override
        public SinkTransport transport() {
            return SinkTransport.SYSLOG;
        }

        @Override
        public List<HostPort> hosts() {
            return List.of(address);
        }

        @Override
        public String describe() {
            return "syslog+tls " + address;
        }
    }
}
