package io.stenographer.adapters.web;

import io.stenographer.application.port.in.ReportSubmission;
import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.json.JsonArray;
import io.stenographer.domain.json.JsonBoolean;
import io.stenographer.domain.json.JsonNumber;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import jakarta.ws.rs.FormParam;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The console's report form, field for field the API's request body: the same {@code type}, {@code format} and
 * {@code parameters} members, read by the same {@link ReportSubmission}, so the form refuses exactly what the API
 * refuses, with the same message. A blank field is an absent member; list fields take one entry per line or comma;
 * a number field that is not an integer is passed on as text, for the shared reader to refuse by name.
 */
public class ReportForm {

    private static final Pattern INTEGER = Pattern.compile("-?\\d{1,15}");

    @FormParam("csrf") public String csrf;
    @FormParam("tenant") public String tenant;
    @FormParam("type") public String type;
    @FormParam("format") public String format;
    @FormParam("from") public String from;
    @FormParam("to") public String to;
    @FormParam("actor") public String actor;
    @FormParam("action") public String action;
    @FormParam("resourceType") public String resourceType;
    @FormParam("resourceId") public String resourceId;
    @FormParam("outcome") public String outcome;
    @FormParam("accessActions") public String accessActions;
    @FormParam("sensitiveActions") public String sensitiveActions;
    @FormParam("deniedThreshold") public String deniedThreshold;
    @FormParam("deniedWindow") public String deniedWindow;
    @FormParam("volumeActions") public String volumeActions;
    @FormParam("volumeThreshold") public String volumeThreshold;
    @FormParam("volumeWindow") public String volumeWindow;
    @FormParam("redactFields") public String redactFields;
    @FormParam("pseudonymiseActors") public String pseudonymiseActors;
    @FormParam("treeSize") public String treeSize;
    /** A checkbox: "true" when ticked, absent otherwise. */
    @FormParam("personalData") public String personalData;

    /** The request as the API would receive it; {@code tenant} is the page's tenant. */
    public ReportSubmission submission(String pageTenant) {
        Map<String, JsonValue> members = new LinkedHashMap<>();
        text(members, "from", from);
        text(members, "to", to);
        text(members, "actor", actor);
        text(members, "action", action);
        text(members, "resourceType", resourceType);
        text(members, "resourceId", resourceId);
        text(members, "outcome", outcome);
        list(members, "accessActions", accessActions);
        list(members, "sensitiveActions", sensitiveActions);
        number(members, "deniedThreshold", deniedThreshold);
        text(members, "deniedWindow", deniedWindow);
        list(members, "volumeActions", volumeActions);
        number(members, "volumeThreshold", volumeThreshold);
        text(members, "volumeWindow", volumeWindow);
        list(members, "redactFields", redactFields);
        String pseudonymise = blankToNull(pseudonymiseActors);
        if (pseudonymise != null) {
            members.put("pseudonymiseActors", pseudonymise.equals("true") ? JsonBoolean.TRUE
                    : pseudonymise.equals("false") ? JsonBoolean.FALSE : new JsonString(pseudonymise));
        }
        number(members, "treeSize", treeSize);
        String withValues = blankToNull(personalData);
        if (withValues != null) {
            // Anything but the checkbox's own value goes on as text, for the parameter check to refuse by name.
            members.put("personalData", withValues.equals("true") ? JsonBoolean.TRUE : new JsonString(withValues));
        }
        return new ReportSubmission(pageTenant, blankToNull(type), blankToNull(format),
                CanonicalJson.canonicalize(new JsonObject(members)));
    }

    private static void text(Map<String, JsonValue> members, String name, String value) {
        String given = blankToNull(value);
        if (given != null) {
            members.put(name, new JsonString(given));
        }
    }

    private static void number(Map<String, JsonValue> members, String name, String value) {
        String given = blankToNull(value);
        if (given != null) {
            members.put(name, INTEGER.matcher(given).matches() ? JsonNumber.exactly(new BigDecimal(given))
                    : new JsonString(given));
        }
    }

    /** One entry per line or comma; an all-blank field is absent (the type's default applies). */
    private static void list(Map<String, JsonValue> members, String name, String value) {
        String given = blankToNull(value);
        if (given != null) {
            List<JsonValue> entries = Arrays.stream(given.split("[,\\r\\n]+")).map(String::trim)
                    .filter(entry -> !entry.isEmpty()).<JsonValue>map(JsonString::new).toList();
            members.put(name, new JsonArray(entries));
        }
    }

    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
