package io.stenographer.bootstrap.support;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** Request bodies for tests; every call uses fresh ids so tests never depend on each other. */
public final class Events {

    private Events() {
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    public static String event(String tenant, String actorId, String action, String resourceId) {
        return """
                {"tenant":"%s","actor":{"id":"%s","type":"user","displayName":"Dana Doe"},
                 "action":"%s","resource":{"type":"case","id":"%s"},"reason":"background check",
                 "outcome":"success","occurredAt":"%s",
                 "source":{"application":"portal","ip":"192.0.2.10","userAgent":"test"},
                 "correlationId":"corr-1","metadata":{"fields":["ssn","dob"],"count":2}}
                """.formatted(tenant, actorId, action, resourceId,
                Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS));
    }
}
