package io.stenographer.adapters.rest.streams;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.stenographer.application.port.in.SinkStatus;
import io.stenographer.domain.event.Timestamps;
import io.stenographer.domain.sink.HostPort;
import io.stenographer.domain.sink.Sink;
import io.stenographer.domain.sink.SinkProgress;
import io.stenographer.domain.sink.SinkSettings;
import io.stenographer.domain.sink.SinkTarget;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A sink and its delivery status. Secrets are never part of it, only their fingerprints. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Sink")
public record SinkResponse(String id, String tenant, String name, String transport, Target target, String format,
        Settings settings, List<String> secretFingerprints,
        @Schema(enumeration = {"active", "paused", "dead", "disabled"}) String state, String createdAt,
        String createdBy, Status status) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "SinkTargetView")
    public record Target(String url, String address, List<String> bootstrapServers, String topic, Boolean tls) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "SinkSettingsView")
    public record Settings(int batchSize, int checkpointEveryRecords, String checkpointEvery, String deadAfter,
            int maxMessageBytes, String ocsfMapping) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "SinkDeliveryStatus")
    public record Status(
            @Schema(description = "The next index to deliver; everything below it was acknowledged") long cursor,
            @Schema(description = "The published tree size") long publishedSize,
            @Schema(description = "Published events not yet acknowledged") long lagEvents,
            @Schema(description = "Seconds since the oldest unacknowledged event was published") double lagSeconds,
            long delivered, long failed, String lastError, String lastErrorAt, String failingSince,
            @Schema(description = "Where the next checkpoint record's range starts") long checkpointFrom,
            String lastCheckpointAt) {
    }

    public static SinkResponse from(SinkStatus status) {
        Sink sink = status.sink();
        SinkSettings s = sink.settings();
        SinkProgress p = status.progress();
        return new SinkResponse(sink.id().toString(), sink.tenant().value(), sink.name(),
                sink.target().transport().wireName(), target(sink.target()), sink.format().wireName(),
                new Settings(s.batchSize(), s.checkpointEveryRecords(), s.checkpointEvery().toString(),
                        s.deadAfter().toString(), s.maxMessageBytes(), s.ocsfMappingText()),
                sink.secretFingerprints(), sink.state().wireName(), Timestamps.format(sink.createdAt()),
                sink.createdBy(), new Status(p.cursor(), status.publishedSize(), status.lagEvents(),
                        status.lag().toMillis() / 1000.0, p.delivered(), p.failed(), p.lastError(),
                        format(p.lastErrorAt()), format(p.failingSince()), p.checkpointFrom(),
                        format(p.lastCheckpointAt())));
    }

    private static Target target(SinkTarget target) {
        if (target instanceof SinkTarget.Webhook webhook) {
            return new Target(webhook.url().toString(), null, null, null, null);
        }
        if (target instanceof SinkTarget.Syslog syslog) {
            return new Target(null, syslog.address().toString(), null, null, null);
        }
        SinkTarget.Kafka kafka = (SinkTarget.Kafka) target;
        return new Target(null, null, kafka.bootstrapServers().stream().map(HostPort::toString).toList(),
                kafka.topic(), kafka.tls());
    }

    private static String format(Instant instant) {
        return instant == null ? null : Timestamps.format(instant);
    }
}
