package io.stenographer.bootstrap.client;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Test sources only: an application endpoint in front of {@link AuditedCaseRecords}, so {@code AuditedInterceptorTest}
 * calls it the way users do, with a bearer token, and the interceptor sees the login's principal. Hidden from the
 * OpenAPI document the security suites read.
 */
@Path("/test-only/audited-cases/{caseId}")
@RolesAllowed("case-officer")
@Produces(MediaType.TEXT_PLAIN)
public class AuditedCasesTestResource {

    private final AuditedCaseRecords cases;

    AuditedCasesTestResource(AuditedCaseRecords cases) {
        this.cases = cases;
    }

    @GET
    @Path("export")
    @Operation(hidden = true)
    public String export(@PathParam("caseId") String caseId) {
        return cases.export(caseId, "pdf");
    }

    @GET
    @Path("export-missing")
    @Operation(hidden = true)
    public String exportMissing(@PathParam("caseId") String caseId) {
        return cases.exportMissing(caseId);
    }

    @GET
    @Path("view-sealed")
    @Operation(hidden = true)
    public String viewSealed(@PathParam("caseId") String caseId) {
        return cases.viewSealed(caseId);
    }
}
