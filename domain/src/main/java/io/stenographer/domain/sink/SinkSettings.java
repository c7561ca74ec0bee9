package io.stenographer.domain.sink;

import io.stenographer.domain.event.FieldViolation;
import io.stenographer.domain.stream.OcsfMapping;
import java.time.Duration;
import java.util.Objects;

/**
 * How a sink delivers: records per batch, how often a checkpoint record is sent (every {@code checkpointEveryRecords}
 * event records or {@code checkpointEvery}, whichever comes first, at the next signed checkpoint), how long it may
 * fail before it is declared dead, the largest syslog message, and its OCSF class table.
 */
public record SinkSettings(int batchSize, int checkpointEveryRecords, Duration checkpointEvery, Duration deadAfter,
        int maxMessageBytes, String ocsfMappingText) {

    public static final int MAX_BATCH = 1_000;
    public static final int MIN_MESSAGE_BYTES = 2_048;
    public static final int MAX_MESSAGE_BYTES = 1 << 20;
    public static final int MAX_MAPPING_CHARS = 16_384;

    public static final SinkSettings DEFAULTS = new SinkSettings(500, 1_000, Duration.ofSeconds(10),
            Duration.ofHours(24), 65_536, null);

    public SinkSettings {
        if (batchSize < 1 || batchSize > MAX_BATCH) {
            throw new FieldViolation("settings.batchSize", "must be in 1.." + MAX_BATCH);
        }
        if (checkpointEveryRecords < 1 || checkpointEveryRecords > 1_000_000) {
            throw new FieldViolation("settings.checkpointEveryRecords", "must be in 1..1000000");
        }
        Objects.requireNonNull(checkpointEvery, "checkpointEvery");
        if (checkpointEvery.compareTo(Duration.ofSeconds(1)) < 0 || checkpointEvery.compareTo(Duration.ofHours(1)) > 0) {
            throw new FieldViolation("settings.checkpointEvery", "must be between PT1S and PT1H");
        }
        Objects.requireNonNull(deadAfter, "deadAfter");
        if (deadAfter.compareTo(Duration.ofMinutes(1)) < 0 || deadAfter.compareTo(Duration.ofDays(7)) > 0) {
            throw new FieldViolation("settings.deadAfter", "must be between PT1M and P7D");
        }
        if (maxMessageBytes < MIN_MESSAGE_BYTES || maxMessageBytes > MAX_MESSAGE_BYTES) {
            throw new FieldViolation("settings.maxMessageBytes",
                    "must be in " + MIN_MESSAGE_BYTES + ".." + MAX_MESSAGE_BYTES);
        }
        if (ocsfMappingText != null) {
            if (ocsfMappingText.length() > MAX_MAPPING_CHARS) {
                throw new FieldViolation("settings.ocsfMapping", "must be at most " + MAX_MAPPING_CHARS + " characters");
            }
            try {
                OcsfMapping.parse(ocsfMappingText);
            } catch (IllegalArgumentException e) {
                throw new FieldViolation("settings.ocsfMapping", e.getMessage());
            }
        }
    }

    /** The OCSF class table: the sink's own, or the default (API Activity unless an action is mapped). */
    public OcsfMapping ocsfMapping() {
        return ocsfMappingText == null ? OcsfMapping.DEFAULT : OcsfMapping.parse(ocsfMappingText);
    }
}
