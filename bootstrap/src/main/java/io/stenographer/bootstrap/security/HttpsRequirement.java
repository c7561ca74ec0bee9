package io.stenographer.bootstrap.security;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The prod profile serves HTTPS only: bearer tokens and audit records must not cross a network in clear. At start it
 * refuses to run without a server certificate in the TLS registry's default configuration
 * ({@code quarkus.tls.key-store.*}) or with the plain-HTTP listener on, unless the operator declared that a proxy in
 * front terminates TLS ({@code stenographer.http.plain-behind-proxy=true}); that declaration is logged at every start.
 */
@ApplicationScoped
public class HttpsRequirement {

    private static final Logger LOG = Logger.getLogger(HttpsRequirement.class);

    private final boolean required;
    private final boolean plainBehindProxy;
    private final String insecureRequests;
    private final TlsConfigurationRegistry registry;

    HttpsRequirement(@ConfigProperty(name = "stenographer.http.require-https", defaultValue = "false") boolean required,
            @ConfigProperty(name = "stenographer.http.plain-behind-proxy", defaultValue = "false")
            boolean plainBehindProxy,
            @ConfigProperty(name = "quarkus.http.insecure-requests", defaultValue = "enabled") String insecureRequests,
            TlsConfigurationRegistry registry) {
        this.required = required;
        this.plainBehindProxy = plainBehindProxy;
        this.insecureRequests = insecureRequests;
        this.registry = registry;
    }

    void check(@Observes StartupEvent startup) {
        boolean hasCertificate = registry.getDefault().map(TlsConfiguration::getKeyStore).isPresent();
        Optional<String> refusal = refusal(required, plainBehindProxy, hasCertificate, insecureRequests);
        if (refusal.isPresent()) {
            throw new IllegalStateException(refusal.get());
        }
        if (required && plainBehindProxy) {
            LOG.warn("plain HTTP is served because stenographer.http.plain-behind-proxy=true: a proxy in front of this"
                    + " service must terminate TLS, and nothing else may reach its port");
        }
    }

    /** Why the service must not start, if it must not. */
    static Optional<String> refusal(boolean required, boolean plainBehindProxy, boolean hasCertificate,
            String insecureRequests) {
        if (!required || plainBehindProxy) {
            return Optional.empty();
        }
        if (!hasCertificate) {
            return Optional.of("HTTPS is required (stenographer.http.require-https, on in the prod profile) and no "
                    + "server certificate is configured: set quarkus.tls.key-store.pem.0.cert and "
                    + "quarkus.tls.key-store.pem.0.key to PEM files (reloaded every quarkus.tls.reload-period), or, "
                    + "only when a proxy in front terminates TLS, set STENOGRAPHER_HTTP_PLAIN_BEHIND_PROXY=true and "
                    + "STENOGRAPHER_HTTP_INSECURE_REQUESTS=enabled");
        }
        // "redirect" is refused too: the first request, bearer token included, would already have crossed in clear.
        if (!insecureRequests.toLowerCase(Locale.ROOT).equals("disabled")) {
            return Optional.of("HTTPS is required (stenographer.http.require-https) but quarkus.http.insecure-requests"
                    + " is " + insecureRequests + ", which listens for plain HTTP too: set it to disabled, or, only "
                    + "when a proxy in front terminates TLS, set STENOGRAPHER_HTTP_PLAIN_BEHIND_PROXY=true");
        }
        return Optional.empty();
    }
}
