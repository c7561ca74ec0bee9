package io.stenographer.adapters.rest.retention;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.stenographer.application.port.in.LegalHoldChange;
import io.stenographer.domain.event.Timestamps;
import io.stenographer.domain.retention.HoldCriteria;
import io.stenographer.domain.retention.HoldPropagation;
import io.stenographer.domain.retention.LegalHold;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A legal hold, with its release once released. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "LegalHold")
public record LegalHoldResponse(
        String id,
        String tenant,
        @Schema(enumeration = {"active", "released"}) String status,
        @Schema(description = "The given criteria; empty: the whole tenant") Criteria criteria,
        String caseReference,
        String reason,
        String placedBy,
        String placedAt,
        String releasedBy,
        String releasedAt,
        String releaseReason,
        @JsonInclude(JsonInclude.Include.NON_NULL)
        @Schema(description = "On placing and releasing only: how far the archive copies' legal-hold flags got. The "
                + "hold is in force either way; the next archive run applies flags that are still missing.")
        ArchiveFlags archive) {

    @Schema(name = "LegalHoldArchiveFlags")
    public record ArchiveFlags(int segments, int applied, boolean complete, List<String> problems) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "LegalHoldCriteria")
    public record Criteria(String actorId, String resourceType, String resourceId, String actionPattern, String from,
            String to) {

        static Criteria from(HoldCriteria c) {
            return new Criteria(c.actorId(), c.resourceType(), c.resourceId(), c.actionPattern(), format(c.from()),
                    format(c.to()));
        }
    }

    public static LegalHoldResponse from(LegalHold hold) {
        return from(hold, null);
    }

    public static LegalHoldResponse from(LegalHoldChange change) {
        HoldPropagation archive = change.archive();
        return from(change.hold(), new ArchiveFlags(archive.segments(), archive.applied(), archive.complete(),
                archive.problems()));
    }

    private static LegalHoldResponse from(LegalHold hold, ArchiveFlags archive) {
        return new LegalHoldResponse(hold.id().toString(), hold.tenant().value(),
                hold.isActive() ? "active" : "released", Criteria.from(hold.criteria()), hold.caseReference(),
                hold.reason(), hold.placedBy(), format(hold.placedAt()), hold.releasedBy(), format(hold.releasedAt()),
                hold.releaseReason(), archive);
    }

    private static String format(Instant instant) {
        return instant == null ? null : Timestamps.format(instant);
    }
}
