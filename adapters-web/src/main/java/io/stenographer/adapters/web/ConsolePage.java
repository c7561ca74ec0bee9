package io.stenographer.adapters.web;

import io.quarkus.qute.TemplateInstance;
import io.stenographer.domain.event.TenantId;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What every console page shares: the header (user, tenant switcher, navigation), the form token against
 * cross-site requests, no caching of pages, and errors shown as the problem's title and detail.
 *
 * <p>Forms carry a double-submit token: a random value in a {@code __Host-} cookie (Secure, HttpOnly,
 * SameSite=Strict) that the page also writes into each form; a POST is taken only when both match, its
 * {@code Sec-Fetch-Site}, when the browser sends one, is {@code same-origin}, and its {@code Origin}, when the
 * browser sends one, is this server ({@code null}, which the pages' no-referrer policy makes browsers send, only
 * with {@code Sec-Fetch-Site: same-origin}).
 */
@RequestScoped
public class ConsolePage {

    /** Adds a page view's detail when the page has it (a view records only what was asked for). */
    static void putIfPresent(java.util.Map<String, String> details, String key, String value) {
        if (value != null) {
            details.put(key, value);
        }
    }

    static final String CSRF_COOKIE = "__Host-stenographer-csrf";
    public static final String CSRF_FIELD = "csrf";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ConsoleSession session;
    private final HttpHeaders headers;
    private final UriInfo uri;
    private String newToken;

    ConsolePage(ConsoleSession session, HttpHeaders headers, UriInfo uri) {
        this.session = session;
        this.headers = headers;
        this.uri = uri;
    }

    /** The header every page shows: who is signed in, for which tenant, and where they are. */
    public record Chrome(String user, String tenant, List<String> tenants, String active, String csrf) {

        /** Where the tenant switcher goes: the same page, for the other tenant. */
        public String switchPath() {
            return "/console/" + (active.isEmpty() || active.equals("search") ? "events" : active);
        }
    }

    public Chrome chrome(String active, TenantId tenant) {
        return new Chrome(session.userName(), tenant == null ? "" : tenant.value(),
                session.tenants().stream().map(TenantId::value).toList(), active, csrfToken());
    }

    /** The page, never cached, with the form token's cookie when this request made one. */
    public Response render(int status, TemplateInstance page) {
        CacheControl noStore = new CacheControl();
        noStore.setNoStore(true);
        noStore.setPrivate(true);
        Response.ResponseBuilder response = Response.status(status).entity(page.render()).cacheControl(noStore)
                .type("text/html;charset=UTF-8");
        if (newToken != null) {
            response.cookie(new NewCookie.Builder(CSRF_COOKIE).value(newToken).path("/").secure(true).httpOnly(true)
                    .sameSite(NewCookie.SameSite.STRICT).build());
        }
        return response.build();
    }

    public Response render(TemplateInstance page) {
        return render(200, page);
    }

    /** Runs a page; a refused or failed use case becomes an error page, never a stack trace. */
    public Response run(Supplier<Response> page) {
        try {
            return page.get();
        } catch (RuntimeException e) {
            ConsoleProblem problem = ConsoleProblem.of(e);
            TenantId tenant = session.tenants().stream().findFirst().orElse(null);
            return render(problem.status(), ConsoleTemplates.error(chrome("", tenant), problem));
        }
    }

    /**
     * For a page that reveals personal data or hands out a file, reached by following a link on another site: a
     * page that offers to open it from here instead. Another site could otherwise make a signed-in user's browser
     * open it, and have that recorded in the audit log under the user's name. The address bar, a bookmark and the
     * console's own links ({@code Sec-Fetch-Site} {@code none} or {@code same-origin}) open it at once, as does a
     * browser that sends no {@code Sec-Fetch-Site}. {@code what} says what the page is, for the user.
     */
    public Optional<Response> linkedFromAnotherSite(String what) {
        String site = headers.getHeaderString("Sec-Fetch-Site");
        if (site == null || site.equals("same-origin") || site.equals("none")) {
            return Optional.empty();
        }
        // The console's own path and query, as requested (a handler under /console/ got here): a relative link only.
        String path = uri.getRequestUri().getRawPath()
                + (uri.getRequestUri().getRawQuery() == null ? "" : "?" + uri.getRequestUri().getRawQuery());
        TenantId tenant = session.tenants().stream().findFirst().orElse(null);
        return Optional.of(render(ConsoleTemplates.of("elsewhere").data("chrome", chrome("", tenant))
                .data("what", what).data("path", path)));
    }

    /** Refuses a form whose token does not match this browser's cookie, or that comes from another origin. */
    public void checkForm(String submitted) {
        Cookie cookie = headers.getCookies().get(CSRF_COOKIE);
        if (cookie == null || submitted == null || !MessageDigest.isEqual(
                cookie.getValue().getBytes(StandardCharsets.US_ASCII), submitted.getBytes(StandardCharsets.US_ASCII))) {
            throw new FormRefused("the form has expired or did not come from this console; open the page again");
        }
        // The console's pages are served with Referrer-Policy: no-referrer, under which browsers send a form's
        // POST with "Origin: null" even from this very page; Sec-Fetch-Site then tells where it came from.
        String origin = headers.getHeaderString("Origin");
        String site = headers.getHeaderString("Sec-Fetch-Site");
        String self = uri.getBaseUri().getScheme() + "://" + uri.getBaseUri().getAuthority();
        if (site != null && !site.equals("same-origin")) {
            throw new FormRefused("the form was sent from another site (Sec-Fetch-Site: " + site + ")");
        }
        if ("null".equals(origin) ? site == null : origin != null && !origin.equals(self)) {
            throw new FormRefused("the form was sent from another site (" + origin + ")");
        }
    }

    private String csrfToken() {
        Cookie cookie = headers.getCookies().get(CSRF_COOKIE);
        if (cookie != null && cookie.getValue().length() == 43) {
            return cookie.getValue();
        }
        if (newToken == null) {
            byte[] bytes = new byte[32];
            RANDOM.nextBytes(bytes);
            newToken = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        }
        return newToken;
    }

    /** A form refused for its token or origin: 403. */
    public static final class FormRefused extends RuntimeException {
        public FormRefused(String message) {
            super(message);
        }
    }
}
