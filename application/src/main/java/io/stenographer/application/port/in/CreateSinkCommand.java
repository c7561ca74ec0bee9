package io.stenographer.application.port.in;

import io.stenographer.domain.access.Caller;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.sink.SinkFormat;
import io.stenographer.domain.sink.SinkSettings;
import io.stenographer.domain.sink.SinkTarget;
import io.stenographer.domain.sink.WebhookSecret;
import java.util.List;
import java.util.Objects;

/**
 * Create a sink of the tenant. {@code startIndex} null starts at the end of the published log (only new events);
 * 0 delivers the whole log that is still in retention.
 */
public record CreateSinkCommand(Caller caller, TenantId tenant, String name, SinkTarget target, SinkFormat format,
        SinkSettings settings, List<WebhookSecret> secrets, Long startIndex) {

    public CreateSinkCommand {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(target, "target");
        format = format == null ? io.stenographer.domain.sink.SinkFormat.NATIVE : format;
        settings = settings == null ? SinkSettings.DEFAULTS : settings;
        secrets = secrets == null ? List.of() : List.copyOf(secrets);
    }
}
