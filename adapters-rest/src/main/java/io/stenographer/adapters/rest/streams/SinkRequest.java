package io.stenographer.adapters.rest.streams;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Create a stream sink. Unknown fields are rejected with 400. */
@Schema(name = "SinkRequest", description = "A stream sink of a tenant (docs/STREAMING.md). Secrets are write-only.")
public record SinkRequest(
        @Schema(required = true, example = "acme") String tenant,
        @Schema(required = true, maxLength = 100, example = "splunk-hec") String name,
        @Schema(required = true, enumeration = {"kafka", "webhook", "syslog"}) String transport,
        @Schema(required = true) Target target,
        @Schema(enumeration = {"native", "ocsf", "cef"}, description = "native (default); cef for syslog only")
        String format,
        Settings settings,
        @Schema(description = "Webhooks only, 1 to 4: whsec_<base64> (HMAC-SHA256, v1) or whsk_<base64 seed> "
                + "(Ed25519, v1a). Never returned.") List<String> secrets,
        @Schema(description = "First index to deliver; default: the end of the published log (new events only)")
        Long startIndex) {

    @Schema(name = "SinkTarget", description = "webhook: url; syslog: address; kafka: bootstrapServers, topic and tls")
    public record Target(
            @Schema(example = "https://siem.example/hooks/stenographer") String url,
            @Schema(example = "siem.example:6514") String address,
            @Schema(example = "[\"kafka-1.example:9093\"]") List<String> bootstrapServers,
            @Schema(example = "audit-acme") String topic,
            @Schema(description = "kafka only: TLS with certificate and host-name checks (default true); false sends "
                    + "plaintext. Webhooks and syslog always use TLS.") Boolean tls) {
    }

    @Schema(name = "SinkSettings", description = "Every member is optional; defaults in docs/STREAMING.md")
    public record Settings(
            @Schema(minimum = "1", maximum = "1000") Integer batchSize,
            @Schema(minimum = "1") Integer checkpointEveryRecords,
            @Schema(description = "ISO-8601 duration, PT1S..PT1H", example = "PT10S") String checkpointEvery,
            @Schema(description = "ISO-8601 duration, PT1M..P7D", example = "PT24H") String deadAfter,
            @Schema(description = "syslog: largest message in octets, 2048..1048576") Integer maxMessageBytes,
            @Schema(description = "OCSF class table, one '<action pattern> <class uid>' a line") String ocsfMapping) {
    }
}
