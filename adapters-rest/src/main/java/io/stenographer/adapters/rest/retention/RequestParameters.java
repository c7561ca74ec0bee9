package io.stenographer.adapters.rest.retention;

import com.fasterxml.jackson.databind.JsonNode;
import io.stenographer.adapters.rest.json.StrictJson;
import io.stenographer.adapters.rest.problem.ProblemException;
import io.stenographer.adapters.rest.problem.ProblemType;
import io.stenographer.domain.event.FieldViolation;
import io.stenographer.domain.event.TenantId;
import jakarta.ws.rs.core.UriInfo;
import java.util.Set;
import java.util.TreeSet;

/** Query-parameter rules shared by the retention resources: unknown or repeated parameters are refused. */
final class RequestParameters {

    /** Bodies of policy and hold requests are small; anything above this is refused before parsing. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    private RequestParameters() {
    }

    /** A strict JSON object body bound to {@code type}; {@code null} or a non-object is refused. */
    static <T> T body(byte[] body, Class<T> type) {
        JsonNode tree = StrictJson.readTree(body, MAX_BODY_BYTES);
        if (!tree.isObject()) {
            throw ProblemException.ofField(ProblemType.WRONG_TYPE, "(body)", "must be a JSON object");
        }
        return StrictJson.bind(tree, type, "");
    }

    static void rejectUnknown(UriInfo uri, Set<String> known) {
        Set<String> unknown = new TreeSet<>(uri.getQueryParameters().keySet());
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw ProblemException.ofField(ProblemType.UNKNOWN_FIELD, unknown.iterator().next(),
                    "is not a known query parameter; known: " + new TreeSet<>(known));
        }
        uri.getQueryParameters().forEach((name, values) -> {
            if (values.size() > 1) {
                throw ProblemException.ofField(ProblemType.VALIDATION_FAILED, name, "must be given at most once");
            }
        });
    }

    /**
     * The tenant a request is about. Always explicit here, never defaulted from the token: these requests
     * decide what is kept and for how long.
     */
    static TenantId tenant(String tenant) {
        if (tenant == null) {
            throw new FieldViolation("tenant", "is required");
        }
        return new TenantId(tenant);
    }
}
