package io.stenographer.domain.report;

import io.stenographer.domain.event.Timestamps;
import io.stenographer.domain.json.JsonObject;
import java.time.Instant;
import java.util.Objects;

/**
 * Something a rule flags for an auditor's attention.
 *
 * @param rule    the rule and version that raised it, e.g. {@code denied-access/1}
 * @param kind    stable machine name, e.g. {@code repeated-denials}
 * @param subject who or what it is about (an actor id, a resource), never null
 * @param count   how many events support it
 * @param from    start of the time span it covers (inclusive), or null
 * @param to      end of the time span it covers (inclusive), or null
 * @param detail  one sentence for people
 */
public record Finding(String rule, String kind, String subject, long count, Instant from, Instant to,
        String detail) {

    public Finding {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(detail, "detail");
    }

    public JsonObject toJson() {
        return ReportJson.object().put("rule", rule).put("kind", kind).put("subject", subject).put("count", count)
                .put("from", from == null ? null : Timestamps.format(from))
                .put("to", to == null ? null : Timestamps.format(to))
                .put("detail", detail).build();
    }
}
