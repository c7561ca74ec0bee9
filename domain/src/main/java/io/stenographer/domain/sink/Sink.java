package io.stenographer.domain.sink;

import io.stenographer.domain.event.FieldViolation;
import io.stenographer.domain.event.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A tenant's stream sink: where and how its log is delivered. The secrets are not part of it (they are stored
 * apart and never read back through the API); only their fingerprints are.
 */
public record Sink(SinkId id, TenantId tenant, String name, SinkTarget target, SinkFormat format,
        SinkSettings settings, List<String> secretFingerprints, SinkState state, Instant createdAt, String createdBy) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}");

    public Sink {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        if (name == null || !NAME.matcher(name).matches()) {
            throw new FieldViolation("name", "must be 1 to 100 letters, digits, spaces, '.', '_' or '-'");
        }
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(settings, "settings");
        secretFingerprints = List.copyOf(secretFingerprints);
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(createdBy, "createdBy");
        if (format == SinkFormat.CEF && target.transport() != SinkTransport.SYSLOG) {
            throw new FieldViolation("format", "cef is for syslog sinks only");
        }
    }

    /** A new, active sink; checks that the secrets fit the transport. */
    public static Sink create(SinkId id, TenantId tenant, String name, SinkTarget target, SinkFormat format,
            SinkSettings settings, List<WebhookSecret> secrets, Instant now, String createdBy) {
        checkSecrets(target.transport(), secrets);
        return new Sink(id, tenant, name, target, format, settings,
                secrets.stream().map(WebhookSecret::fingerprint).toList(), SinkState.ACTIVE, now, createdBy);
    }

    /** Webhooks are always signed (1 to {@value WebhookSecret#MAX_SECRETS} secrets, more than one while rotating). */
    public static void checkSecrets(SinkTransport transport, List<WebhookSecret> secrets) {
        if (transport == SinkTransport.WEBHOOK) {
            if (secrets.isEmpty() || secrets.size() > WebhookSecret.MAX_SECRETS) {
                throw new FieldViolation("secrets", "a webhook sink needs 1 to " + WebhookSecret.MAX_SECRETS
                        + " signing secrets (more than one while a secret rotates)");
            }
            if (secrets.stream().distinct().count() != secrets.size()) {
                throw new FieldViolation("secrets", "must not repeat a secret");
            }
        } else if (!secrets.isEmpty()) {
            throw new FieldViolation("secrets", "only webhook sinks take signing secrets");
        }
    }

    public Sink withState(SinkState newState) {
        return new Sink(id, tenant, name, target, format, settings, secretFingerprints, newState, createdAt, createdBy);
    }

    public Sink withSecretFingerprints(List<String> fingerprints) {
        return new Sink(id, tenant, name, target, format, settings, fingerprints, state, createdAt, createdBy);
    }
}
