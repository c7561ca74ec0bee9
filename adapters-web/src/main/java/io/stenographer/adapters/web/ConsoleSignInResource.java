package io.stenographer.adapters.web;

import io.quarkus.oidc.OidcConfigurationMetadata;
import io.quarkus.oidc.OidcSession;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;

/**
 * Signing out (a form) ends the console session here (its cookie is removed) and then at the provider, through its
 * end-session endpoint when it has one (RP-initiated logout), which sends the browser back to
 * {@code /console/signed-out}. Done here rather than by quarkus.oidc's logout path, which refuses to start the
 * whole service when the provider advertises no end-session endpoint; the API must not depend on that.
 */
@Path("/console")
public class ConsoleSignInResource {

    static class Templates {
        static TemplateInstance signedOut() {
            return ConsoleTemplates.of("ConsoleSignInResource/signedOut");
        }

        static TemplateInstance signingOut(URI provider) {
            return ConsoleTemplates.of("ConsoleSignInResource/signingOut").data("provider", provider.toString());
        }
    }

    private final OidcSession session;
    private final OidcConfigurationMetadata provider;
    private final UriInfo uri;
    private final ConsolePage page;

    ConsoleSignInResource(OidcSession session, OidcConfigurationMetadata provider, UriInfo uri, ConsolePage page) {
        this.session = session;
        this.provider = provider;
        this.uri = uri;
        this.page = page;
    }

    /** A form (POST, with the form token), so that a link on another site cannot sign a user out. */
    @POST
    @Path("logout")
    @Authenticated
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response logout(@FormParam(ConsolePage.CSRF_FIELD) String csrf) {
        return page.run(() -> {
            page.checkForm(csrf);
            return signOut();
        });
    }

    private Response signOut() {
        String idToken = session.getIdToken() == null ? null : session.getIdToken().getRawToken();
        session.logout().await().indefinitely();
        URI signedOut = uri.getBaseUriBuilder().path("console/signed-out").build();
        String endSession = provider.getEndSessionUri();
        if (endSession == null) {
            return Response.seeOther(signedOut).build();
        }
        UriBuilder atProvider = UriBuilder.fromUri(endSession).queryParam("post_logout_redirect_uri", signedOut);
        if (idToken != null) {
            atProvider.queryParam("id_token_hint", idToken);
        }
        // A page that moves on to the provider, not a redirect: the pages' Content-Security-Policy (form-action
        // 'self') stops a form's redirect to another origin.
        return page.render(Templates.signingOut(atProvider.build()));
    }

    @GET
    @Path("signed-out")
    @PermitAll
    @Produces(MediaType.TEXT_HTML)
    public String signedOut() {
        return Templates.signedOut().render();
    }
}
