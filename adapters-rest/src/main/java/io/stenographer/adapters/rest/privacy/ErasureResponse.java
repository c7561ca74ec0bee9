package io.stenographer.adapters.rest.privacy;

import io.stenographer.domain.privacy.SubjectErasure;
import io.stenographer.domain.event.Timestamps;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One erasure; the subject appears only as its blind index, as in the subject.erased event. */
@Schema(name = "Erasure")
public record ErasureResponse(
        String id,
        String tenant,
        @Schema(description = "HMAC-SHA256 of the subject id under the tenant's index key, hex") String subjectIndex,
        String requestedBy,
        String erasedAt,
        @Schema(description = "The subject's data keys destroyed: from now on none of its values can be read")
        int keysDestroyed,
        @Schema(description = "Encrypted values deleted within the request") long eventsCleared,
        @Schema(description = "true: more encrypted values (unreadable without the destroyed keys) are being deleted "
                + "by the sweep, within seconds") boolean valuesPending,
        @Schema(description = "Stored reports holding the subject's personal values whose own keys were destroyed "
                + "with the subject's: their files can no longer be read (410)") int reportKeysDestroyed) {

    static ErasureResponse from(SubjectErasure erasure) {
        return new ErasureResponse(erasure.id().toString(), erasure.tenant().value(), erasure.subject().hex(),
                erasure.requestedBy(), Timestamps.format(erasure.erasedAt()), erasure.keysDestroyed(),
                erasure.eventsCleared(), erasure.valuesPending(), erasure.reportKeysDestroyed());
    }
}
