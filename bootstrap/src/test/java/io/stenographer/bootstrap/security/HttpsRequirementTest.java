package io.stenographer.bootstrap.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The start-up rule for HTTPS, case by case (HttpsRequiredIT runs it in the packaged jar). */
class HttpsRequirementTest {

    @Test
    void notRequiredOrBehindADeclaredProxyStarts() {
        assertThat(HttpsRequirement.refusal(false, false, false, "enabled")).isEmpty();
        assertThat(HttpsRequirement.refusal(true, true, false, "enabled")).isEmpty();
    }

    @Test
    void requiredWithACertificateAndNoPlainListenerStarts() {
        assertThat(HttpsRequirement.refusal(true, false, true, "disabled")).isEmpty();
        assertThat(HttpsRequirement.refusal(true, false, true, "DISABLED")).isEmpty();
    }

    @Test
    void requiredWithoutACertificateIsRefused() {
        assertThat(HttpsRequirement.refusal(true, false, false, "disabled")).get().asString()
                .startsWith("HTTPS is required").contains("quarkus.tls.key-store.pem.0.cert")
                .contains("STENOGRAPHER_HTTP_PLAIN_BEHIND_PROXY=true");
    }

    @Test
    void aPlainListenerBesideHttpsIsRefusedAndSoIsARedirect() {
        assertThat(HttpsRequirement.refusal(true, false, true, "enabled")).get().asString()
                .contains("quarkus.http.insecure-requests is enabled");
        // a redirect answers the first request only after its token crossed in clear
        assertThat(HttpsRequirement.refusal(true, false, true, "redirect")).get().asString()
                .contains("quarkus.http.insecure-requests is redirect");
    }
}
