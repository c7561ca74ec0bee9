package io.stenographer.adapters.rest.reports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.stenographer.adapters.rest.json.StrictJson;
import io.stenographer.adapters.rest.problem.ProblemException;
import io.stenographer.adapters.rest.problem.ProblemMapper;
import io.stenographer.adapters.rest.problem.ProblemResponse;
import io.stenographer.adapters.rest.problem.ProblemType;
import io.stenographer.application.port.in.RequestParameters;
import io.stenographer.adapters.rest.security.CurrentCaller;
import io.stenographer.application.port.in.CreateReportUseCase;
import io.stenographer.application.port.in.GetReportUseCase;
import io.stenographer.application.port.in.GetReportUseCase.Part;
import io.stenographer.application.port.in.ReportQuery;
import io.stenographer.application.port.in.ReportSubmission;
import io.stenographer.application.port.in.ReportsQuery;
import io.stenographer.domain.access.Caller;
import io.stenographer.domain.event.FieldViolation;
import io.stenographer.domain.report.ReportFile;
import io.stenographer.domain.report.ReportJob;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Compliance reports (docs/REPORTS.md). Every report is generated asynchronously, whatever its size, so
 * the API is the same for all: POST answers 202 with the status URL, the status is polled, the file is
 * downloaded from {@code /content} once the status is {@code succeeded}. Auditors only.
 */
@Path("/api/v1/reports")
@Tag(name = "reports")
@RolesAllowed("auditor")
@SecurityRequirement(name = "bearer")
public class ReportsResource {

    /** Far above any valid request (a handful of filters, up to 3 x 32 patterns and 64 paths). */
    static final int MAX_BODY_BYTES = 64 * 1024;

    private final CreateReportUseCase create;
    private final GetReportUseCase get;
    private final CurrentCaller currentCaller;

    ReportsResource(CreateReportUseCase create, GetReportUseCase get, CurrentCaller currentCaller) {
        this.create = create;
        this.get = get;
        this.currentCaller = currentCaller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Request a report",
            description = "Body: {tenant?, type, format, parameters}. type: record-access, actor-activity, "
                    + "denied-access, unjustified-access, unusual-volume, foia-export; format: json, csv, pdf, bundle. "
                    + "The report is pinned to the latest signed checkpoint (or parameters.treeSize) and queued; "
                    + "the request is recorded as a report.requested event. parameters.personalData (not for "
                    + "foia-export) asks for the events' personal values and needs the personal-data-reader role; "
                    + "such a file is stored encrypted under the report's own key (docs/PRIVACY.md §3a).")
    @APIResponse(responseCode = "202", description = "Queued; poll the Location",
            content = @Content(schema = @Schema(implementation = ReportResponse.class)))
    @APIResponse(responseCode = "400", description = "Invalid request, naming the field", content = @Content(
            mediaType = ProblemResponse.MEDIA_TYPE, schema = @Schema(implementation = ProblemResponse.class)))
    @APIResponse(responseCode = "429", description = "Too many reports queued or running for the tenant",
            content = @Content(mediaType = ProblemResponse.MEDIA_TYPE,
                    schema = @Schema(implementation = ProblemResponse.class)))
    @RequestBody(content = @Content(schema = @Schema(implementation = CreateReportRequest.class)))
    public Response create(byte[] body) {
        CreateReportRequest request = StrictJson.readObject(body, MAX_BODY_BYTES, CreateReportRequest.class);
        Caller caller = currentCaller.get();
        ReportJob job = create.create(new ReportSubmission(request.tenant(), request.type(), request.format(),
                parametersJson(request.parameters())).toCommand(caller));
        return Response.accepted(ReportResponse.from(job))
                .location(URI.create("/api/v1/reports/" + job.id()))
                .build();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The tenant's reports, newest first",
            description = "tenant may be left out when the token grants exactly one; limit 1-100 (default 20).")
    public List<ReportResponse> recent(@QueryParam("tenant") String tenant,
            @QueryParam("limit") String limit) {
        Caller caller = currentCaller.get();
        int parsed = RequestParameters.integer("limit", limit, 20, 1, 100);
        return get.recent(new ReportsQuery(caller, caller.namedOrOnlyTenant(tenant), parsed)).stream()
                .map(ReportResponse::from).toList();
    }

    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A report's status", description = "queued, running, succeeded (with links.content, "
            + "size and SHA-256 of the file, and the file's state: available until fileExpiresAt, or purged) or "
            + "failed (with error). Reports of other tenants answer 404.")
    public ReportResponse status(@PathParam("id") String id) {
        return ReportResponse.from(get.status(new ReportQuery(currentCaller.get(), parseId(id))));
    }

    @GET
    @Path("{id}/content")
    @Produces({MediaType.APPLICATION_JSON, "text/csv", "application/pdf", "application/zip"})
    @Operation(summary = "Download a generated report",
            description = "The file in the format requested at creation, from any instance, checked against its "
                    + "recorded SHA-256 before anything is sent (500 report-file-integrity-violation, with no body of "
                    + "the file, when the stored bytes differ). ETag is the quoted SHA-256 (strong); If-None-Match "
                    + "answers 304, If-Match 412; Range serves one byte range as 206 (several ranges: the whole file; "
                    + "unsatisfiable: 416), If-Range with the ETag. 409 until the status is succeeded, 410 once the "
                    + "file was purged at the end of its retention or its key was destroyed by the erasure of a data "
                    + "subject whose values it held; a report with personal values needs the personal-data-reader "
                    + "role (403). Each 200, 206 and 304 is recorded as a "
                    + "report.downloaded event in the tenant's log; HEAD answers the headers only and is not recorded.")
    @APIResponse(responseCode = "200", description = "The whole file")
    @APIResponse(responseCode = "206", description = "One byte range of the file, with Content-Range")
    @APIResponse(responseCode = "304", description = "If-None-Match matched: the caller's copy is current")
    @APIResponse(responseCode = "410", description = "The file was purged at the end of its retention, or it held "
            + "personal values of a data subject since erased",
            content = @Content(mediaType = ProblemResponse.MEDIA_TYPE,
                    schema = @Schema(implementation = ProblemResponse.class)))
    @APIResponse(responseCode = "416", description = "The range starts beyond the end of the file",
            content = @Content(mediaType = ProblemResponse.MEDIA_TYPE,
                    schema = @Schema(implementation = ProblemResponse.class)))
    public Response content(@PathParam("id") String id, @Context HttpHeaders headers,
            @Context RoutingContext routing) {
        ReportQuery query = new ReportQuery(currentCaller.get(), parseId(id));
        Conditions conditions = conditions(get.file(query), headers);
        if (conditions.early() != null) {
            return conditions.early();
        }
        if (routing.request().method() == HttpMethod.HEAD) {
            // The headers only, as the status endpoint shows them: nothing is read, checked or recorded.
            Response.ResponseBuilder head = conditions.headers(Response.status(conditions.status()));
            return conditions.status() == 304 ? head.build() : head.type(conditions.job().format().mediaType())
                    .header(HttpHeaders.CONTENT_LENGTH, conditions.range() == null ? conditions.file().bytes()
                            : conditions.range().length()).build();
        }
        GetReportUseCase.Download download = get.download(query, conditions.part());
        // Closed when the response ends, whether or not the body was written (a HEAD, a client that went away).
        routing.addEndHandler(ended -> download.close());
        Response.ResponseBuilder response = conditions.headers(Response.status(conditions.status()));
        if (download.content() == null) {
            return response.build();
        }
        StreamingOutput body = out -> {
            try (InputStream in = download.content().open()) {
                in.transferTo(out);
            } finally {
                download.close();
            }
        };
        return response.entity(body).type(download.job().format().mediaType())
                .header(HttpHeaders.CONTENT_LENGTH, download.content().length())
                .build();
    }

    /** What the validators and the Range header decide, before the file is read. */
    private record Conditions(ReportJob job, ReportFile file, String entityTag, int status, Part part,
            HttpRanges.Single range, Response early) {

        Response.ResponseBuilder headers(Response.ResponseBuilder response) {
            response.header(HttpHeaders.ETAG, entityTag)
                    .header(HttpHeaders.CACHE_CONTROL, "private, no-cache")
                    .header("Accept-Ranges", "bytes");
            if (status == 304) {
                return response;
            }
            response.header("Content-Disposition", "attachment; filename=\"report-" + job.type().wireName() + "-"
                            + job.id() + "." + job.format().extension() + "\"")
                    .header("Repr-Digest", "sha-256=:" + file.sha256().base64() + ":");
            if (range != null) {
                response.header("Content-Range", "bytes " + range.first() + "-" + range.last() + "/" + file.bytes());
            }
            return response;
        }
    }

    private static Conditions conditions(GetReportUseCase.ReportView view, HttpHeaders headers) {
        ReportFile file = view.file();
        String entityTag = HttpRanges.entityTag(file.sha256().hex());
        ReportJob job = view.job();
        if (HttpRanges.matchFails(headers.getRequestHeader(HttpHeaders.IF_MATCH), entityTag)) {
            return new Conditions(job, file, entityTag, 412, null, null, ProblemMapper.respond(ProblemResponse.of(
                    ProblemType.PRECONDITION_FAILED, "If-Match names none of this file's entity tag " + entityTag)));
        }
        if (HttpRanges.noneMatchFails(headers.getRequestHeader(HttpHeaders.IF_NONE_MATCH), entityTag)) {
            return new Conditions(job, file, entityTag, 304, Part.notModified(), null, null);
        }
        HttpRanges.Ranged ranged = HttpRanges.ranged(headers.getRequestHeader("Range"),
                headers.getHeaderString("If-Range"), entityTag, file.bytes());
        if (ranged instanceof HttpRanges.Unsatisfiable) {
            return new Conditions(job, file, entityTag, 416, null, null, Response.fromResponse(ProblemMapper.respond(
                    ProblemResponse.of(ProblemType.RANGE_NOT_SATISFIABLE, "the range starts at or beyond the end of"
                            + " the file, which has " + file.bytes() + " bytes")))
                    .header("Content-Range", "bytes */" + file.bytes())
                    .header(HttpHeaders.ETAG, entityTag)
                    .build());
        }
        if (ranged instanceof HttpRanges.Single single) {
            return new Conditions(job, file, entityTag, 206, Part.range(single.first(), single.last()), single, null);
        }
        return new Conditions(job, file, entityTag, 200, Part.whole(), null, null);
    }

    private static UUID parseId(String id) {
        try {
            UUID parsed = UUID.fromString(id);
            if (!parsed.toString().equals(id)) {
                throw new IllegalArgumentException("not canonical");
            }
            return parsed;
        } catch (IllegalArgumentException e) {
            throw ProblemException.of(ProblemType.NOT_FOUND, "no report with this id is visible to you");
        }
    }

    /** The parameters as JSON text for {@link ReportSubmission}, which reads and checks them; null when absent. */
    private static String parametersJson(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            return StrictJson.mapper().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new FieldViolation("parameters", "is too deeply nested or not valid JSON");
        }
    }
}
