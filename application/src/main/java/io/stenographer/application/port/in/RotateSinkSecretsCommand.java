package io.stenographer.application.port.in;

import io.stenographer.domain.access.Caller;
import io.stenographer.domain.sink.SinkId;
import io.stenographer.domain.sink.WebhookSecret;
import java.util.List;
import java.util.Objects;

public record RotateSinkSecretsCommand(Caller caller, SinkId id, List<WebhookSecret> secrets) {
    public RotateSinkSecretsCommand {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(id, "id");
        secrets = List.copyOf(secrets);
    }
}
