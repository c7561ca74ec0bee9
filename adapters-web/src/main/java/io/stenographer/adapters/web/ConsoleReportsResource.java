package io.stenographer.adapters.web;

import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import io.stenographer.application.port.in.ConsoleViewCommand;
import io.stenographer.application.port.in.CreateReportUseCase;
import io.stenographer.application.port.in.GetReportUseCase;
import io.stenographer.application.port.in.GetReportUseCase.Part;
import io.stenographer.application.port.in.GetReportUseCase.ReportView;
import io.stenographer.application.port.in.RecordConsoleViewUseCase;
import io.stenographer.application.port.in.ReportQuery;
import io.stenographer.application.port.in.ReportsQuery;
import io.stenographer.application.port.in.RequestParameters;
import io.stenographer.domain.access.Caller;
import io.stenographer.domain.access.Role;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.report.ReportJob;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Reports: the same use cases as {@code /api/v1/reports}. The form is read by the API's own reader
 * ({@link io.stenographer.application.port.in.ReportSubmission}); a report is generated in the background, so its
 * page shows the status and a download once it succeeded.
 */
@Path("/console/reports")
@Authenticated
public class ConsoleReportsResource {

    /** How many of the tenant's reports the list shows, newest first. */
    static final int RECENT = 50;

    static class Templates {
        static TemplateInstance reports(ConsolePage.Chrome chrome, List<ReportRow> reports,
                boolean mayRequest) {
            return ConsoleTemplates.of("ConsoleReportsResource/reports")
                    .data("chrome", chrome)
                    .data("reports", reports)
                    .data("mayRequest", mayRequest);
        }

        static TemplateInstance report(ConsolePage.Chrome chrome, ReportRow report) {
            return ConsoleTemplates.of("ConsoleReportsResource/report").data("chrome", chrome).data("report", report);
        }
    }

    private final ConsolePage page;
    private final ConsoleSession session;
    private final CreateReportUseCase create;
    private final GetReportUseCase get;
    private final RecordConsoleViewUseCase views;

    ConsoleReportsResource(ConsolePage page, ConsoleSession session, CreateReportUseCase create,
            GetReportUseCase get, RecordConsoleViewUseCase views) {
        this.page = page;
        this.session = session;
        this.create = create;
        this.get = get;
        this.views = views;
    }

    @GET
    public Response reports(@QueryParam("tenant") String tenant) {
        return page.run(() -> {
            Optional<TenantId> chosen = session.tenant(tenant);
            if (chosen.isEmpty()) {
                return page.render(Templates.reports(page.chrome("reports", null), List.of(), false));
            }
            Caller caller = session.caller();
            List<ReportRow> reports = get.recent(new ReportsQuery(caller, chosen.get(), RECENT)).stream()
                    .map(ReportRow::from).toList();
            views.record(new ConsoleViewCommand(caller, chosen.get(), "reports",
                    Map.of("results", Integer.toString(reports.size()))));
            return page.render(Templates.reports(page.chrome("reports", chosen.get()), reports,
                    caller.may(Role.AUDITOR, chosen.get())));
        });
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response request(@BeanParam ReportForm form) {
        return page.run(() -> {
            page.checkForm(form.csrf);
            Caller caller = session.caller();
            ReportJob job = create.create(form.submission(ReportForm.blankToNull(form.tenant)).toCommand(caller));
            return Response.seeOther(URI.create("/console/reports/" + job.id())).build();
        });
    }

    @GET
    @Path("{id}")
    public Response report(@PathParam("id") String id) {
        return page.run(() -> {
            Caller caller = session.caller();
            ReportView view = get.status(new ReportQuery(caller, reportId(id)));
            TenantId tenant = view.job().tenant();
            views.record(new ConsoleViewCommand(caller, tenant, "report", Map.of("reportId", id)));
            return page.render(Templates.report(page.chrome("reports", tenant), ReportRow.from(view)));
        });
    }

    /**
     * The file, whole, as {@code GET /api/v1/reports/{id}/content} serves it: the same media type and file name,
     * checked against its recorded SHA-256 before anything is sent. The use case records the download
     * ({@code report.downloaded}); the console records its own view beside it.
     */
    @GET
    @Path("{id}/download")
    public Response download(@PathParam("id") String id, @Context RoutingContext routing) {
        return page.run(() -> {
            Optional<Response> elsewhere = page.linkedFromAnotherSite("the download of a report's file");
            if (elsewhere.isPresent()) {
                return elsewhere.get();
            }
            Caller caller = session.caller();
            ReportQuery query = new ReportQuery(caller, reportId(id));
            GetReportUseCase.Download download = get.download(query, Part.whole());
            // Closed when the response ends, whether or not the body was written (a client that went away).
            routing.addEndHandler(ended -> download.close());
            ReportJob job = download.job();
            try {
                views.record(new ConsoleViewCommand(caller, job.tenant(), "report-download", Map.of("reportId", id)));
            } catch (RuntimeException e) {
                download.close();
                throw e;
            }
            StreamingOutput body = out -> {
                try (InputStream in = download.content().open()) {
                    in.transferTo(out);
                } finally {
                    download.close();
                }
            };
            return Response.ok(body).type(job.format().mediaType())
                    .header(HttpHeaders.CONTENT_LENGTH, download.content().length())
                    .header("Content-Disposition", "attachment; filename=\"report-" + job.type().wireName() + "-"
                            + job.id() + "." + job.format().extension() + "\"")
                    .header("Repr-Digest", "sha-256=:" + download.file().sha256().base64() + ":")
                    .header(HttpHeaders.CACHE_CONTROL, "private, no-store")
                    .build();
        });
    }

    private static UUID reportId(String id) {
        return RequestParameters.uuid("id", id);
    }
}
