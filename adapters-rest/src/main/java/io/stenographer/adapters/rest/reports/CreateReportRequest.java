package io.stenographer.adapters.rest.reports;

import com.fasterxml.jackson.databind.JsonNode;

/** Body of POST /api/v1/reports; parameters are read by the domain (ReportParameters.fromJson). */
public record CreateReportRequest(String tenant, String type, String format, JsonNode parameters) {
}
