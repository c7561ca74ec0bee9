package io.stenographer.domain.report;

import io.stenographer.domain.event.FieldViolation;
import io.stenographer.domain.event.Outcome;
import io.stenographer.domain.event.Timestamps;
import io.stenographer.domain.json.JsonArray;
import io.stenographer.domain.json.JsonBoolean;
import io.stenographer.domain.json.JsonNumber;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The validated query of one report. {@code from} is inclusive and {@code to} exclusive, both on
 * {@code occurredAt}. Filters that are null match anything. Rule settings that a type does not use are
 * rejected, so a request always means exactly what it says; the effective values (defaults filled in)
 * are recorded in the report header by {@link #toJson(ReportType)}.
 *
 * <p>Violations name the field as {@code parameters.<name>}.
 */
public record ReportParameters(
        Instant from,
        Instant to,
        String actor,
        ActionPattern action,
        String resourceType,
        String resourceId,
        Outcome outcome,
        List<ActionPattern> accessActions,
        List<ActionPattern> sensitiveActions,
        int deniedThreshold,
        Duration deniedWindow,
        List<ActionPattern> volumeActions,
        int volumeThreshold,
        Duration volumeWindow,
        List<String> redactFields,
        boolean pseudonymiseActors,
        Long treeSize,
        boolean personalData) {

    public static final Duration MAX_PERIOD = Duration.ofDays(366);
    public static final int MAX_FILTER_LENGTH = 256;
    public static final int MAX_LIST = 32;
    public static final int MAX_DENIED_THRESHOLD = 1_000;
    public static final int MAX_VOLUME_THRESHOLD = 10_000_000;
    public static final Duration MIN_WINDOW = Duration.ofSeconds(1);
    public static final Duration MAX_WINDOW = Duration.ofDays(31);

    public static final List<ActionPattern> DEFAULT_ACCESS_ACTIONS =
            List.of(new ActionPattern("*.view"), new ActionPattern("*.edit"), new ActionPattern("*.export"));
    public static final List<ActionPattern> DEFAULT_VOLUME_ACTIONS =
            List.of(new ActionPattern("*.view"), new ActionPattern("*.export"));
    public static final int DEFAULT_DENIED_THRESHOLD = 5;
    public static final Duration DEFAULT_DENIED_WINDOW = Duration.ofMinutes(15);
    public static final int DEFAULT_VOLUME_THRESHOLD = 100;
    public static final Duration DEFAULT_VOLUME_WINDOW = Duration.ofHours(1);

    private static final String P = "parameters.";
    private static final Set<String> MEMBERS = Set.of("from", "to", "actor", "action", "resourceType", "resourceId",
            "outcome", "accessActions", "sensitiveActions", "deniedThreshold", "deniedWindow", "volumeActions",
            "volumeThreshold", "volumeWindow", "redactFields", "pseudonymiseActors", "treeSize", "personalData");

    /** These parameters filtering on other actor and resource identifiers (as the events store them). */
    public ReportParameters withIdentifiers(String actor, String resourceId) {
        return new ReportParameters(from, to, actor, action, resourceType, resourceId, outcome, accessActions,
                sensitiveActions, deniedThreshold, deniedWindow, volumeActions, volumeThreshold, volumeWindow,
                redactFields, pseudonymiseActors, treeSize, personalData);
    }

    public ReportParameters {
        if (from == null) {
            throw new FieldViolation(P + "from", "is required");
        }
        if (to == null) {
            throw new FieldViolation(P + "to", "is required");
        }
        if (!from.isBefore(to)) {
            throw new FieldViolation(P + "to", "must be after 'from'");
        }
        if (Duration.between(from, to).compareTo(MAX_PERIOD) > 0) {
            throw new FieldViolation(P + "to", "the period may be at most " + MAX_PERIOD.toDays() + " days");
        }
        checkText("actor", actor);
        checkText("resourceType", resourceType);
        checkText("resourceId", resourceId);
        accessActions = patterns("accessActions", accessActions, DEFAULT_ACCESS_ACTIONS);
        sensitiveActions = patterns("sensitiveActions", sensitiveActions, DEFAULT_ACCESS_ACTIONS);
        volumeActions = patterns("volumeActions", volumeActions, DEFAULT_VOLUME_ACTIONS);
        if (deniedThreshold < 2 || deniedThreshold > MAX_DENIED_THRESHOLD) {
            throw new FieldViolation(P + "deniedThreshold", "must be from 2 to " + MAX_DENIED_THRESHOLD);
        }
        deniedWindow = window("deniedWindow", deniedWindow, DEFAULT_DENIED_WINDOW);
        if (volumeThreshold < 1 || volumeThreshold > MAX_VOLUME_THRESHOLD) {
            throw new FieldViolation(P + "volumeThreshold", "must be from 1 to " + MAX_VOLUME_THRESHOLD);
        }
        volumeWindow = window("volumeWindow", volumeWindow, DEFAULT_VOLUME_WINDOW);
        redactFields = List.copyOf(redactFields == null ? List.of() : redactFields);
        if (redactFields.size() > 64) {
            throw new FieldViolation(P + "redactFields", "at most 64 paths");
        }
        for (int i = 0; i < redactFields.size(); i++) {
            Redactor.checkPath(P + "redactFields[" + i + "]", redactFields.get(i));
        }
        if (treeSize != null && treeSize < 1) {
            throw new FieldViolation(P + "treeSize", "must be at least 1");
        }
    }

    /** Only the period set; every rule setting at its default. */
    public static ReportParameters period(Instant from, Instant to) {
        return new ReportParameters(from, to, null, null, null, null, null, null, null, DEFAULT_DENIED_THRESHOLD,
                null, null, DEFAULT_VOLUME_THRESHOLD, null, null, true, null, false);
    }

    /** Reads the {@code parameters} object of a report request, strictly, and checks it fits the type. */
    public static ReportParameters fromJson(ReportType type, JsonObject json) {
        if (json == null) {
            throw new FieldViolation("parameters", "is required");
        }
        for (String name : json.members().keySet()) {
            if (!MEMBERS.contains(name)) {
                throw new FieldViolation(P + name, "is not a report parameter");
            }
        }
        for (String name : json.members().keySet()) {
            if (!applies(type, name)) {
                throw new FieldViolation(P + name, "does not apply to " + type.wireName() + " reports");
            }
        }
        String outcome = text(json, "outcome");
        String action = text(json, "action");
        ReportParameters parameters = new ReportParameters(
                instant(json, "from"), instant(json, "to"), text(json, "actor"),
                action == null ? null : ActionPattern.parse(P + "action", action),
                text(json, "resourceType"), text(json, "resourceId"),
                outcome == null ? null : Outcome.fromWireName(P + "outcome", outcome),
                patternList(json, "accessActions"), patternList(json, "sensitiveActions"),
                integer(json, "deniedThreshold", DEFAULT_DENIED_THRESHOLD), duration(json, "deniedWindow"),
                patternList(json, "volumeActions"),
                integer(json, "volumeThreshold", DEFAULT_VOLUME_THRESHOLD), duration(json, "volumeWindow"),
                stringList(json, "redactFields"), bool(json, "pseudonymiseActors", true),
                json.get("treeSize") == null ? null : (long) integer(json, "treeSize", 0),
                bool(json, "personalData", false));
        parameters.checkFits(type);
        return parameters;
    }

    /** Requirements of each type beyond the shared checks. */
    public void checkFits(ReportType type) {
        switch (type) {
            case RECORD_ACCESS -> {
                if (resourceType == null) {
                    throw new FieldViolation(P + "resourceType", "is required for record-access reports");
                }
                if (resourceId == null) {
                    throw new FieldViolation(P + "resourceId", "is required for record-access reports");
                }
            }
            case ACTOR_ACTIVITY -> {
                if (actor == null) {
                    throw new FieldViolation(P + "actor", "is required for actor-activity reports");
                }
            }
            case DENIED_ACCESS -> {
                if (outcome != null && outcome != Outcome.DENIED) {
                    throw new FieldViolation(P + "outcome", "a denied-access report only reads denied events");
                }
            }
            default -> {
            }
        }
    }

    private static boolean applies(ReportType type, String name) {
        return switch (name) {
            case "accessActions" -> type == ReportType.RECORD_ACCESS;
            case "sensitiveActions" -> type == ReportType.UNJUSTIFIED_ACCESS;
            case "deniedThreshold", "deniedWindow" -> type == ReportType.DENIED_ACCESS;
            case "volumeActions", "volumeThreshold", "volumeWindow" -> type == ReportType.UNUSUAL_VOLUME;
            case "redactFields", "pseudonymiseActors" -> type == ReportType.FOIA_EXPORT;
            // A FOIA export is published: it never carries a personal value, whoever asks.
            case "personalData" -> type != ReportType.FOIA_EXPORT;
            default -> true;
        };
    }

    /** The effective query as recorded in the report header: every setting the type uses, defaults included. */
    public JsonObject toJson(ReportType type) {
        ReportJson.Builder out = ReportJson.object()
                .put("from", Timestamps.format(from))
                .put("to", Timestamps.format(to))
                .put("actor", actor)
                .put("action", action == null ? null : action.pattern())
                .put("resourceType", resourceType)
                .put("resourceId", resourceId)
                .put("outcome", outcome == null ? null : outcome.wireName());
        switch (type) {
            case RECORD_ACCESS -> out.putStrings("accessActions", names(accessActions));
            case UNJUSTIFIED_ACCESS -> out.putStrings("sensitiveActions", names(sensitiveActions));
            case DENIED_ACCESS -> out.put("deniedThreshold", deniedThreshold)
                    .put("deniedWindow", deniedWindow.toString());
            case UNUSUAL_VOLUME -> out.putStrings("volumeActions", names(volumeActions))
                    .put("volumeThreshold", volumeThreshold).put("volumeWindow", volumeWindow.toString());
            case FOIA_EXPORT -> out.putStrings("redactFields", redactFields)
                    .put("pseudonymiseActors", JsonBoolean.of(pseudonymiseActors));
            default -> {
            }
        }
        if (treeSize != null) {
            out.put("treeSize", treeSize);
        }
        if (personalData) {
            out.put("personalData", JsonBoolean.TRUE);
        }
        return out.build();
    }

    private static List<String> names(List<ActionPattern> patterns) {
        return patterns.stream().map(ActionPattern::pattern).toList();
    }

    private static void checkText(String name, String value) {
        if (value != null && (value.isBlank() || value.length() > MAX_FILTER_LENGTH)) {
            throw new FieldViolation(P + name, "must be 1-" + MAX_FILTER_LENGTH + " characters");
        }
        // As ingest checks ids (no event can hold such a character), so that the filter, which the report's PDF
        // and XMP metadata quote, cannot carry one XML or PDF/A does not allow.
        io.stenographer.domain.event.Text.optional(P + name, value, MAX_FILTER_LENGTH, false);
    }

    private static List<ActionPattern> patterns(String name, List<ActionPattern> value, List<ActionPattern> fallback) {
        if (value == null) {
            return fallback;
        }
        if (value.isEmpty() || value.size() > MAX_LIST) {
            throw new FieldViolation(P + name, "must hold 1-" + MAX_LIST + " action patterns");
        }
        return List.copyOf(value);
    }

    private static Duration window(String name, Duration value, Duration fallback) {
        if (value == null) {
            return fallback;
        }
        if (value.compareTo(MIN_WINDOW) < 0 || value.compareTo(MAX_WINDOW) > 0) {
            throw new FieldViolation(P + name, "must be from PT1S to P31D");
        }
        return value;
    }

    // ---- strict JSON reading ---------------------------------------------------------------

    private static String text(JsonObject json, String name) {
        JsonValue value = json.get(name);
        if (value == null) {
            return null;
        }
        if (!(value instanceof JsonString text)) {
            throw new FieldViolation(P + name, "must be a string");
        }
        return text.value();
    }

    private static Instant instant(JsonObject json, String name) {
        String text = text(json, name);
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new FieldViolation(P + name, "must be an RFC 3339 UTC time such as 2026-01-01T00:00:00Z");
        }
    }

    private static Duration duration(JsonObject json, String name) {
        String text = text(json, name);
        if (text == null) {
            return null;
        }
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new FieldViolation(P + name, "must be an ISO-8601 duration such as PT15M");
        }
    }

    private static int integer(JsonObject json, String name, int fallback) {
        JsonValue value = json.get(name);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof JsonNumber number) || number.value() != Math.rint(number.value())
                || Math.abs(number.value()) > Integer.MAX_VALUE) {
            throw new FieldViolation(P + name, "must be an integer");
        }
        return (int) number.value();
    }

    private static boolean bool(JsonObject json, String name, boolean fallback) {
        JsonValue value = json.get(name);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof JsonBoolean flag)) {
            throw new FieldViolation(P + name, "must be true or false");
        }
        return flag.value();
    }

    private static List<String> stringList(JsonObject json, String name) {
        JsonValue value = json.get(name);
        if (value == null) {
            return null;
        }
        if (!(value instanceof JsonArray array)) {
            throw new FieldViolation(P + name, "must be an array of strings");
        }
        if (array.elements().size() > 64) {
            throw new FieldViolation(P + name, "at most 64 entries");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < array.elements().size(); i++) {
            if (!(array.elements().get(i) instanceof JsonString text)) {
                throw new FieldViolation(P + name + "[" + i + "]", "must be a string");
            }
            out.add(text.value());
        }
        return out;
    }

    private static List<ActionPattern> patternList(JsonObject json, String name) {
        List<String> texts = stringList(json, name);
        if (texts == null) {
            return null;
        }
        List<ActionPattern> out = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            out.add(ActionPattern.parse(P + name + "[" + i + "]", texts.get(i)));
        }
        return out;
    }
}
