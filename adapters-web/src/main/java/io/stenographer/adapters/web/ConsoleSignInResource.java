package io.stenographer.adapters.web;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/**
 * Signing out: {@code /console/logout} is the OIDC logout path (quarkus.oidc.console.logout.path), which ends the
 * session here and at the provider, then lands on {@code /console/signed-out}.
 */
@Path("/console")
public class ConsoleSignInResource {

    @CheckedTemplate(requireTypeSafeExpressions = false)
    static class Templates {
        static native TemplateInstance signedOut();
    }

    /** Reached only if the OIDC mechanism did not take the request as a logout: go to the signed-out page. */
    @GET
    @Path("logout")
    @Authenticated
    public Response logout() {
        return Response.seeOther(URI.create("/console/signed-out")).build();
    }

    @GET
    @Path("signed-out")
    @PermitAll
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance signedOut() {
        return Templates.signedOut();
    }
}
