package io.stenographer.adapters.persistence;

import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.sink.HostPort;
import io.stenographer.domain.sink.Sink;
import io.stenographer.domain.sink.SinkFormat;
import io.stenographer.domain.sink.SinkId;
import io.stenographer.domain.sink.SinkSettings;
import io.stenographer.domain.sink.SinkTarget;
import io.stenographer.domain.sink.WebhookSecret;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/** Sinks, secrets and tenants for the sink persistence tests, and the SQL state of a failed statement. */
final class SinkSamples {

    private static final SplittableRandom RANDOM = new SplittableRandom();

    private SinkSamples() {
    }

    static TenantId tenant() {
        return new TenantId("sk-" + UUID.randomUUID().toString().substring(0, 12));
    }

    /** Now, at the database's resolution. */
    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    static synchronized WebhookSecret hmac() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return WebhookSecret.parse("secret", "whsec_" + Base64.getEncoder().encodeToString(key));
    }

    static synchronized WebhookSecret ed25519() {
        byte[] seed = new byte[32];
        RANDOM.nextBytes(seed);
        return WebhookSecret.parse("secret", "whsk_" + Base64.getEncoder().encodeToString(seed));
    }

    static synchronized SinkId id(Instant at) {
        return SinkId.newTimeOrdered(at, RANDOM);
    }

    static Sink webhook(TenantId tenant, String name, List<WebhookSecret> secrets, Instant at) {
        return Sink.create(id(at), tenant, name, SinkTarget.Webhook.parse("https://siem.example.com:8443/in/hook?x=1"),
                SinkFormat.OCSF, SinkSettings.DEFAULTS, secrets, at, "admin-1");
    }

    static Sink kafka(TenantId tenant, String name, Instant at) {
        return Sink.create(id(at), tenant, name, new SinkTarget.Kafka(List.of(new HostPort("kafka-1.example.com", 9092),
                new HostPort("2001:db8::7", 9093)), "audit.stream", true), SinkFormat.NATIVE, SinkSettings.DEFAULTS,
                List.of(), at, "admin-1");
    }

    static Sink syslog(TenantId tenant, String name, Instant at) {
        return Sink.create(id(at), tenant, name, new SinkTarget.Syslog(new HostPort("10.1.2.3", 6514)), SinkFormat.CEF,
                SinkSettings.DEFAULTS, List.of(), at, "admin-2");
    }

    /** The SQL state of the first SQLException among the causes, or null. */
    static String sqlState(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException e) {
                return e.getSQLState();
            }
        }
        return null;
    }
}
