package io.stenographer.domain.report;

import io.stenographer.domain.event.FieldViolation;

/** How a report is delivered. */
public enum ReportFormat {
    JSON("json", "application/json", "json"),
    /** RFC 4180, with cells escaped against spreadsheet formula injection. */
    CSV("csv", "text/csv; charset=utf-8", "csv"),
    PDF("pdf", "application/pdf", "pdf"),
    /** A ZIP the offline verifier checks: report, events with proofs, checkpoint, key, signed manifest. */
    BUNDLE("bundle", "application/zip", "zip");

    private final String wireName;
    private final String mediaType;
    private final String extension;

    ReportFormat(String wireName, String mediaType, String extension) {
        this.wireName = wireName;
        this.mediaType = mediaType;
        this.extension = extension;
    }

    public String wireName() {
        return wireName;
    }

    public String mediaType() {
        return mediaType;
    }

    public String extension() {
        return extension;
    }

    public static ReportFormat fromWireName(String field, String text) {
        for (ReportFormat format : values()) {
            if (format.wireName.equals(text)) {
                return format;
            }
        }
        throw new FieldViolation(field, "must be one of: json, csv, pdf, bundle");
    }
}
