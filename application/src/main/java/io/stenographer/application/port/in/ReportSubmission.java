package io.stenographer.application.port.in;

import io.stenographer.domain.access.Caller;
import io.stenographer.domain.event.FieldViolation;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonParser;
import io.stenographer.domain.report.ReportFormat;
import io.stenographer.domain.report.ReportParameters;
import io.stenographer.domain.report.ReportType;

/**
 * A report request as a caller wrote it: the one reader behind the API's {@code POST /api/v1/reports} and the
 * console's report form, so both refuse the same inputs with the same messages. Absent fields are null.
 *
 * @param parametersJson the {@code parameters} member as JSON text, or null when it is absent (or JSON null)
 */
public record ReportSubmission(String tenant, String type, String format, String parametersJson) {

    /** Deepest nesting a {@code parameters} object may have (lists of strings sit at depth 2). */
    public static final int MAX_PARAMETERS_DEPTH = 8;

    /**
     * The validated command, checked in this order: tenant, type, format, parameters. A bad field is a
     * {@link FieldViolation} naming it.
     */
    public CreateReportCommand toCommand(Caller caller) {
        var tenantId = caller.namedOrOnlyTenant(tenant);
        if (type == null) {
            throw new FieldViolation("type", "is required");
        }
        ReportType reportType = ReportType.fromWireName("type", type);
        ReportFormat reportFormat = format == null ? ReportFormat.JSON : ReportFormat.fromWireName("format", format);
        ReportParameters parameters = ReportParameters.fromJson(reportType, parameters(parametersJson));
        return new CreateReportCommand(caller, tenantId, reportType, reportFormat, parameters);
    }

    /** The {@code parameters} object: required, an object, at most {@link #MAX_PARAMETERS_DEPTH} deep. */
    static JsonObject parameters(String json) {
        if (json == null || json.isBlank() || json.strip().equals("null")) {
            throw new FieldViolation("parameters", "is required (at least from and to)");
        }
        if (!json.stripLeading().startsWith("{")) {
            throw new FieldViolation("parameters", "must be a JSON object");
        }
        try {
            return (JsonObject) JsonParser.parse(json, MAX_PARAMETERS_DEPTH);
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new FieldViolation("parameters", "is too deeply nested or not valid JSON");
        }
    }
}
