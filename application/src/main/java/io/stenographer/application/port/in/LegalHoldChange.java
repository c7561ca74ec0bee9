package io.stenographer.application.port.in;

import io.stenographer.domain.retention.HoldPropagation;
import io.stenographer.domain.retention.LegalHold;
import java.util.Objects;

/** A placed or released hold, in force as stored, and how far its archive flags got right away. */
public record LegalHoldChange(LegalHold hold, HoldPropagation archive) {

    public LegalHoldChange {
        Objects.requireNonNull(hold, "hold");
        Objects.requireNonNull(archive, "archive");
    }
}
