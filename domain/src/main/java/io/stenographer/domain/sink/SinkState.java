package io.stenographer.domain.sink;

import java.util.Locale;

/**
 * Where a sink stands. Only an {@link #ACTIVE} sink is delivered to. {@link #DEAD} (failing for longer than its
 * dead-after time) and {@link #DISABLED} (the receiver answered 410 Gone) stop delivery until a compliance-admin
 * resumes the sink; its cursor is kept, so nothing is skipped. {@link #DELETED} is final: the row stays for the
 * record, its secrets are wiped.
 */
public enum SinkState {
    ACTIVE, PAUSED, DEAD, DISABLED, DELETED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SinkState fromWireName(String text) {
        return valueOf(text.toUpperCase(Locale.ROOT));
    }
}
