package io.stenographer.domain.report;

import io.stenographer.domain.event.FieldViolation;

/** The questions a report answers; each is evaluated by versioned rules (see {@link ReportDefinition}). */
public enum ReportType {
    /** Every access (configurable actions) to one resource in a period: who, when, why, outcome. */
    RECORD_ACCESS("record-access"),
    /** Everything one actor did in a period. */
    ACTOR_ACTIVITY("actor-activity"),
    /** Denied events grouped by actor and by resource; repeated attempts in a window are flagged. */
    DENIED_ACCESS("denied-access"),
    /** Sensitive actions that carry no stated reason. */
    UNJUSTIFIED_ACCESS("unjustified-access"),
    /** Actors above a number of (for example) views or exports in a window. */
    UNUSUAL_VOLUME("unusual-volume"),
    /** Public-records export: matching events with redaction and consistent pseudonyms. */
    FOIA_EXPORT("foia-export");

    private final String wireName;

    ReportType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static ReportType fromWireName(String field, String text) {
        for (ReportType type : values()) {
            if (type.wireName.equals(text)) {
                return type;
            }
        }
        throw new FieldViolation(field, "must be one of: record-access, actor-activity, denied-access, "
                + "unjustified-access, unusual-volume, foia-export");
    }
}
