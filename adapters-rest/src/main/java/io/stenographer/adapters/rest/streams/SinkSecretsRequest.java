package io.stenographer.adapters.rest.streams;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "SinkSecretsRequest", description = "The webhook's new signing secrets, 1 to 4; during a rotation "
        + "send the old and the new one, then the new one alone once receivers have switched.")
public record SinkSecretsRequest(@Schema(required = true) List<String> secrets) {
}
