package io.stenographer.bootstrap.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stenographer.bootstrap.support.Await;
import io.stenographer.bootstrap.support.OidcStub;
import io.stenographer.testing.ServiceCertificate;
import io.stenographer.testing.ServiceProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar (prod profile) serves HTTPS only, from PEM files in the TLS registry, and picks up a renewed
 * certificate without a restart; without a certificate, or with its plain listener switched on without the declaration
 * that a TLS-terminating proxy stands in front, it refuses to start, saying what to set.
 */
class HttpsRequiredIT {

    private static OidcStub oidc;

    @BeforeAll
    static void provider() {
        oidc = OidcStub.start();
    }

    @AfterAll
    static void stop() {
        oidc.close();
    }

    private static ServiceProcess.Builder service(String name) throws IOException {
        Path data = Files.createTempDirectory(Path.of("target"), name + "-");
        return ServiceProcess.builder(data).name(name).env(oidc.serviceEnvironment())
                .env("STENOGRAPHER_GENERATE_SIGNING_KEY", "true").readyTimeout(Duration.ofSeconds(120));
    }

    @Test
    void withoutACertificateTheServiceRefusesToStart() throws IOException {
        ServiceProcess service = service("https-none").withoutServerCertificate().build();
        try {
            assertThatThrownBy(service::start).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("exited");
            assertThat(service.tail(200)).contains("HTTPS is required (stenographer.http.require-https, on in the "
                    + "prod profile) and no server certificate is configured: set quarkus.tls.key-store.pem.0.cert");
        } finally {
            service.close();
        }
    }

    @Test
    void aPlainListenerWithoutTheProxyDeclarationIsRefused() throws IOException {
        ServiceProcess service = service("https-plain").env("STENOGRAPHER_HTTP_INSECURE_REQUESTS", "enabled").build();
        try {
            assertThatThrownBy(service::start).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("exited");
            assertThat(service.tail(200)).contains("quarkus.http.insecure-requests is enabled, which listens for "
                    + "plain HTTP too");
        } finally {
            service.close();
        }
    }

    @Test
    void httpsOnlyAndARenewedCertificateIsServedWithoutARestart() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target"), "https-reload-");
        ServiceCertificate first = ServiceCertificate.create(dir.resolve("served"));
        ServiceCertificate renewed = ServiceCertificate.create(dir.resolve("renewed"));
        try (ServiceProcess service = service("https-reload").serverCertificate(first)
                .property("quarkus.tls.reload-period", "1s").start()) {
            URI base = service.baseUri();
            assertThat(base.getScheme()).isEqualTo("https");
            HttpClient trusting = HttpClient.newBuilder().sslContext(first.clientContext()).build();
            assertThat(trusting.send(HttpRequest.newBuilder(base.resolve("/q/health/live")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            // Plain HTTP on the same port is not answered as HTTP.
            URI plain = URI.create("http://127.0.0.1:" + service.httpPort() + "/q/health/live");
            assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(plain)
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(IOException.class);
            assertThat(servedCertificate(service.httpPort())).isEqualTo(leaf(first));

            // Renewal: the operator replaces the PEM files in place.
            Files.copy(renewed.certificatePem(), first.certificatePem(), StandardCopyOption.REPLACE_EXISTING);
            Files.copy(renewed.privateKeyPem(), first.privateKeyPem(), StandardCopyOption.REPLACE_EXISTING);
            Certificate expected = leaf(renewed);
            Await.until("the renewed certificate to be served", Duration.ofSeconds(60),
                    () -> expected.equals(servedCertificate(service.httpPort())));
            HttpClient trustingRenewed = HttpClient.newBuilder().sslContext(renewed.clientContext()).build();
            assertThat(trustingRenewed.send(HttpRequest.newBuilder(base.resolve("/q/health/live")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        }
    }

    private static Certificate leaf(ServiceCertificate certificate) throws Exception {
        try (var in = Files.newInputStream(certificate.certificatePem())) {
            return java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    /** The certificate the port serves now. It only looks: this client accepts any chain and sends nothing. */
    private static Certificate servedCertificate(int port) {
        try {
            SSLContext looking = SSLContext.getInstance("TLS");
            looking.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, null);
            try (SSLSocket socket = (SSLSocket) looking.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(),
                    port)) {
                socket.setSoTimeout(10_000);
                socket.startHandshake();
                return socket.getSession().getPeerCertificates()[0];
            }
        } catch (Exception e) {
            return null;
        }
    }
}
