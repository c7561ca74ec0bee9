package io.stenographer.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The HTTPS certificate of every packaged service a test JVM starts ({@link ServiceProcess}): the prod profile
 * refuses plain HTTP, and the tests do not turn that off. Made once per JVM with {@link TestCertificates} and kept in
 * a temporary directory: the certificate and its private key as PEM files (what an operator configures, through the
 * TLS registry), and a PKCS#12 trust store holding the certificate for child JVMs ({@link #clientJvmOptions()}).
 *
 * <p>{@link #shared()} also makes this JVM's default {@link SSLContext} trust the certificate, beside the JDK's own
 * anchors, so every client a test builds ({@code HttpClient.newHttpClient()}, the audit client) checks the service's
 * certificate and its name ({@code 127.0.0.1} is in it) like any HTTPS client, without a special trust setting.
 */
public final class ServiceCertificate {

    private static ServiceCertificate shared;

    private final Path certificatePem;
    private final Path privateKeyPem;
    private final Path trustStore;
    private final String trustStorePassword;
    private final SSLContext clientContext;

    private ServiceCertificate(Path certificatePem, Path privateKeyPem, Path trustStore, String trustStorePassword,
            SSLContext clientContext) {
        this.certificatePem = certificatePem;
        this.privateKeyPem = privateKeyPem;
        this.trustStore = trustStore;
        this.trustStorePassword = trustStorePassword;
        this.clientContext = clientContext;
    }

    /** The JVM's service certificate, made on first use; the default SSLContext trusts it from then on. */
    public static synchronized ServiceCertificate shared() {
        if (shared == null) {
            try {
                shared = create(Files.createTempDirectory("stenographer-service-tls"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            SSLContext.setDefault(shared.clientContext);
        }
        return shared;
    }

    /**
     * A new certificate in {@code dir}: {@code server.pem}, {@code server-key.pem} and a trust store. The JVM's
     * default SSLContext is left alone (use {@link #clientContext()}).
     */
    public static ServiceCertificate create(Path where) {
        Path dir = where.toAbsolutePath(); // a service runs in its own working directory
        try {
            TestCertificates.Server server = TestCertificates.create(dir);
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(server.keyStore())) {
                keys.load(in, server.password().toCharArray());
            }
            Certificate certificate = keys.getCertificate("server");
            Path keyPem = TestCertificates.writePrivateKeyPem(server.keyStore(), server.password(), "server",
                    dir.resolve("server-key.pem"));

            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            trusted.setCertificateEntry("stenographer-test-service", certificate);
            Path trustStore = dir.resolve("service-trust.p12");
            String password = server.password();
            try (OutputStream out = Files.newOutputStream(trustStore)) {
                trusted.store(out, password.toCharArray());
            }

            // The JDK's anchors too: the same JVM talks to other HTTPS servers (the OIDC provider in some tests).
            KeyStore anchors = KeyStore.getInstance(Path.of(System.getProperty("java.home"), "lib", "security",
                    "cacerts").toFile(), "changeit".toCharArray());
            anchors.setCertificateEntry("stenographer-test-service", certificate);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(anchors);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return new ServiceCertificate(server.certificatePem(), keyPem, trustStore, password, context);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make the test services' certificate", e);
        }
    }

    /** The certificate (PEM), for clients given a CA file (python's {@code SSL_CERT_FILE}, curl's --cacert). */
    public Path certificatePem() {
        return certificatePem;
    }

    /** The private key (PKCS#8 PEM), in a directory only this user can read. */
    public Path privateKeyPem() {
        return privateKeyPem;
    }

    /** The service's TLS settings: the TLS registry's default key store, as PEM files. */
    public Map<String, String> serverProperties() {
        return Map.of("quarkus.tls.key-store.pem.0.cert", certificatePem.toString(),
                "quarkus.tls.key-store.pem.0.key", privateKeyPem.toString());
    }

    /** JVM options making a child JVM trust the services (and nothing else). */
    public List<String> clientJvmOptions() {
        return List.of("-Djavax.net.ssl.trustStore=" + trustStore, "-Djavax.net.ssl.trustStoreType=PKCS12",
                "-Djavax.net.ssl.trustStorePassword=" + trustStorePassword);
    }

    /** A client context trusting the services and the JDK's anchors (also the JVM's default after shared()). */
    public SSLContext clientContext() {
        return clientContext;
    }
}
